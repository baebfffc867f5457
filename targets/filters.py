"""FilterSets shared by the targets pages and API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.filters import visible_teams
from accounts.models import Role, User
from core.filters import MAX_ID, DateFilter, ModelChoiceFilter, SearchFilter, UpdatedSinceFilterSet
from targets.models import ActivityNorm, Allocation, Installment, OverdueReason, Payment, Plan, PlanMetric
from targets.selectors import AgingBucket, follow_up_person_q, follow_up_team_q

BUCKET_CHOICES = [
    (AgingBucket.CURRENT, _("Not yet due")),
    (AgingBucket.DAYS_1_30, _("1–30 days")),
    (AgingBucket.DAYS_31_60, _("31–60 days")),
    (AgingBucket.DAYS_61_90, _("61–90 days")),
    (AgingBucket.DAYS_90_PLUS, _("Over 90 days")),
]


class IdField(forms.IntegerField):
    """A record id: a whole number that a database integer holds, so a huge or odd value
    is a form error / 400 rather than an overflow in the query."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if text and not (text.isascii() and text.isdigit()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IdFilter(django_filters.NumberFilter):
    """Filters on a related record's id (no lookup of the record itself)."""

    field_class = IdField


FIRST_PLAN_YEAR = 2000
LAST_PLAN_YEAR = 2100


def parse_year(value) -> int | None:
    """A query parameter as a plan year (2000–2100), or None."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 4:
        return None
    year = int(text)
    return year if FIRST_PLAN_YEAR <= year <= LAST_PLAN_YEAR else None


LEVEL_CHOICES = [("month", _("Month totals")), ("team", _("Team-months")), ("rep", _("Rep-months"))]


def visible_people(request):
    """People the viewer may see, to filter by owner or rep."""
    if request is None:
        return User.objects.none()
    return User.objects.visible_to(request.user).filter(is_active=True).order_by("last_name", "first_name")


class PlanFilter(UpdatedSinceFilterSet):
    year = django_filters.NumberFilter()
    metric = django_filters.ChoiceFilter(choices=PlanMetric.choices, label=_("Metric"))

    class Meta:
        model = Plan
        fields = ["year", "metric"]


class AllocationFilter(UpdatedSinceFilterSet):
    plan = IdFilter(field_name="plan_id")
    year = django_filters.NumberFilter(field_name="plan__year")
    metric = django_filters.ChoiceFilter(
        field_name="plan__metric", choices=PlanMetric.choices, label=_("Metric")
    )
    month = django_filters.NumberFilter()
    team = ModelChoiceFilter(queryset=visible_teams)
    rep = ModelChoiceFilter(queryset=visible_people)
    level = django_filters.ChoiceFilter(choices=LEVEL_CHOICES, method="filter_level", label=_("Level"))

    class Meta:
        model = Allocation
        fields = ["plan", "year", "metric", "month", "team", "rep", "level"]

    def filter_level(self, queryset, name, value):
        if value == "month":
            return queryset.filter(team__isnull=True, rep__isnull=True)
        if value == "team":
            return queryset.filter(team__isnull=False, rep__isnull=True)
        return queryset.filter(rep__isnull=False)


class NormFilter(UpdatedSinceFilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"))
    user = ModelChoiceFilter(queryset=visible_people)

    class Meta:
        model = ActivityNorm
        fields = ["role", "user"]


@extend_schema_field(OpenApiTypes.INT)
class FollowUpFilter(ModelChoiceFilter):
    """A person or a team chosen by id, filtered through a method on whoever follows an
    installment up (the schema cannot read the type from the method: an integer id)."""


class InstallmentFilter(UpdatedSinceFilterSet):
    """Works on :func:`targets.selectors.receivable_installments` (bucket and balance annotated)."""

    deal = IdFilter(field_name="deal_id", label=_("Deal"))
    client = IdFilter(field_name="deal__client_id", label=_("Client"))
    # Owner and team: the person following the installment up (follow_up_by, else the
    # deal's owner) and their team, as the receivables roll-ups group them.
    owner = FollowUpFilter(queryset=visible_people, label=_("Owner"), method="filter_follow_up_person")
    team = FollowUpFilter(queryset=visible_teams, label=_("Team"), method="filter_follow_up_team")
    due_from = DateFilter(field_name="due_date", lookup_expr="gte", label=_("Due from"))
    due_to = DateFilter(field_name="due_date", lookup_expr="lte", label=_("Due to"))
    bucket = django_filters.ChoiceFilter(choices=BUCKET_CHOICES, label=_("Age"))
    overdue = django_filters.BooleanFilter(field_name="is_overdue", label=_("Overdue"))

    class Meta:
        model = Installment
        fields = ["deal", "client", "owner", "team", "due_from", "due_to", "bucket", "overdue"]

    def filter_follow_up_person(self, queryset, name, value):
        return queryset.filter(follow_up_person_q(value.pk))

    def filter_follow_up_team(self, queryset, name, value):
        return queryset.filter(follow_up_team_q(value.pk))


class OverdueFilter(UpdatedSinceFilterSet):
    """The overdue list's filters (on :func:`targets.selectors.overdue_installments`)."""

    q = SearchFilter(method="filter_search", label=_("Client or deal"))
    team = FollowUpFilter(
        queryset=visible_teams, label=_("Team"), empty_label=_("All teams"), method="filter_follow_up_team"
    )
    owner = FollowUpFilter(
        queryset=visible_people, label=_("Owner"), empty_label=_("Everyone"), method="filter_follow_up_person"
    )
    client = IdFilter(field_name="deal__client_id", widget=forms.HiddenInput)
    bucket = django_filters.ChoiceFilter(
        choices=BUCKET_CHOICES[1:], label=_("Overdue by"), empty_label=_("Any")
    )
    reason = django_filters.ChoiceFilter(
        choices=[("none", _("No reason given")), ("given", _("Reason given"))],
        method="filter_reason",
        label=_("Reason"),
        empty_label=_("Any"),
    )

    class Meta:
        model = Installment
        fields = ["q", "team", "owner", "client", "bucket", "reason"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(deal__client__name__icontains=value) | Q(deal__title__icontains=value))

    def filter_reason(self, queryset, name, value):
        return queryset.filter(latest_reason__isnull=value == "none")

    def filter_follow_up_person(self, queryset, name, value):
        return queryset.filter(follow_up_person_q(value.pk))

    def filter_follow_up_team(self, queryset, name, value):
        return queryset.filter(follow_up_team_q(value.pk))


class PaymentFilter(UpdatedSinceFilterSet):
    installment = IdFilter(field_name="installment_id")
    deal = IdFilter(field_name="installment__deal_id")
    client = IdFilter(field_name="installment__deal__client_id")
    paid_from = DateFilter(field_name="paid_on", lookup_expr="gte")
    paid_to = DateFilter(field_name="paid_on", lookup_expr="lte")
    is_overpayment = django_filters.BooleanFilter()

    class Meta:
        model = Payment
        fields = ["installment", "deal", "client", "paid_from", "paid_to", "is_overpayment"]


class OverdueReasonFilter(UpdatedSinceFilterSet):
    installment = IdFilter(field_name="installment_id")
    deal = IdFilter(field_name="installment__deal_id")

    class Meta:
        model = OverdueReason
        fields = ["installment", "deal"]
