"""factory_boy factories shared by every test module."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import Role, Team, Territory, User
from clients.models import Activity, ActivityKind, Client, Contact, Industry, Task, TaskKind, normalize_name
from deals.models import Deal, DealType, Fact, FactKind, LostReason, Review, Stage, StageChange, Verdict
from targets.models import Installment, OverdueReason, Payment, Plan, PlanMetric


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Territory {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    role = Role.REP
    password = factory.django.Password("secret-pass-123")


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Industry {n}")


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"Client {n}")
    normalized_name = factory.LazyAttribute(lambda client: normalize_name(client.name))
    owner = factory.SubFactory(UserFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    client = factory.SubFactory(ClientFactory)
    name = factory.Faker("name")
    phone = factory.Sequence(lambda n: f"+7 900 000-{n:04d}")
    email = factory.Sequence(lambda n: f"contact{n}@client.example")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    client = factory.SubFactory(ClientFactory)
    owner = factory.LazyAttribute(lambda activity: activity.client.owner)
    kind = ActivityKind.CALL
    occurred_at = factory.LazyFunction(timezone.now)
    duration_minutes = 5


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    client = factory.SubFactory(ClientFactory)
    owner = factory.LazyAttribute(lambda task: task.client.owner)
    kind = TaskKind.CALL
    title = factory.Sequence(lambda n: f"Task {n}")
    due_date = factory.LazyFunction(timezone.localdate)


def stage(name: str) -> Stage:
    """One of the default pipeline's stages (created by the data migration)."""
    return Stage.objects.get(name=name)


class LostReasonFactory(factory.django.DjangoModelFactory):
    """A lost reason by name: the seeded one when it exists (transactional tests flush the
    data migration's rows, so it is created again then)."""

    class Meta:
        model = LostReason
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Reason {n}")


def lost_reason(name: str = "Price") -> LostReason:
    return LostReasonFactory(name=name)


class DealFactory(factory.django.DjangoModelFactory):
    """A deal created directly, for test set-up; real code moves stages with deal_move.
    ``lost_reason`` may be given by name (a reason of that name is used or made)."""

    class Meta:
        model = Deal

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if isinstance(kwargs.get("lost_reason"), str):
            kwargs["lost_reason"] = lost_reason(kwargs["lost_reason"]) if kwargs["lost_reason"] else None
        return kwargs

    title = factory.Sequence(lambda n: f"Deal {n}")
    client = factory.SubFactory(ClientFactory)
    owner = factory.LazyAttribute(lambda deal: deal.client.owner)
    amount = Decimal("1000.00")
    stage = factory.LazyFunction(lambda: Stage.objects.get(name="Lead"))
    deal_type = DealType.NEW
    forecast_category = factory.LazyAttribute(lambda deal: deal.stage.default_forecast_category)


class StageChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StageChange

    deal = factory.SubFactory(DealFactory)
    from_stage = None
    to_stage = factory.LazyAttribute(lambda change: change.deal.stage)
    changed_by = factory.LazyAttribute(lambda change: change.deal.owner)
    changed_at = factory.LazyFunction(timezone.now)


class FactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fact

    deal = factory.SubFactory(DealFactory)
    kind = FactKind.ASKED_PRICE
    text = "The director asked whether we can lower the price."
    happened_on = factory.LazyFunction(timezone.localdate)
    recorded_by = factory.LazyAttribute(lambda fact: fact.deal.owner)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    deal = factory.SubFactory(DealFactory)
    reviewer = factory.SubFactory(UserFactory, role=Role.LEAD)
    verdict = Verdict.ON_TRACK
    comment = "Contract draft requested; keep pushing."
    reviewed_at = factory.LazyFunction(timezone.now)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    year = factory.LazyFunction(lambda: timezone.localdate().year)
    metric = PlanMetric.BOOKED
    amount = Decimal("1200000.00")
    created_by = factory.SubFactory(UserFactory, role=Role.HEAD)


class InstallmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Installment

    deal = factory.SubFactory(DealFactory)
    due_date = factory.LazyFunction(timezone.localdate)
    amount = Decimal("500.00")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment
        skip_postgeneration_save = True

    installment = factory.SubFactory(InstallmentFactory)
    amount = Decimal("100.00")
    paid_on = factory.LazyFunction(timezone.localdate)
    recorded_by = factory.LazyAttribute(lambda payment: payment.installment.deal.owner)

    @factory.post_generation
    def keep_installment_paid(payment, create, extracted, **kwargs):
        """Payments written here skip the payment service, so refresh the kept sum as it does."""
        if create:
            from targets.services import installment_paid_refresh

            installment_paid_refresh(installment_ids=[payment.installment_id])


class OverdueReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OverdueReason

    installment = factory.SubFactory(InstallmentFactory)
    reason = "Waiting for the client's budget approval."
    promised_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))
    recorded_by = factory.LazyAttribute(lambda reason: reason.installment.deal.owner)
    recorded_at = factory.LazyFunction(timezone.now)


def money(value: str) -> Decimal:
    return Decimal(value)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "deals.Product"

    name = factory.Sequence(lambda n: f"Product {n}")
    code = factory.Sequence(lambda n: f"P-{n:04d}")
    unit = "pcs"
    list_price = Decimal("100.00")
    tax_rate = Decimal("20.00")
    max_discount_percent = Decimal("10.00")
