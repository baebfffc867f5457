"""Payment schedules under concurrent writes, on PostgreSQL with two real connections
(issue 11: regenerating a schedule while a payment is recorded or the deal moves ended in
a 500). The loser of a race waits and succeeds, or gets a Conflict (409) / a field
message (400); the schedule always adds up to the deal's amount."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import Conflict
from deals import services as deal_services
from deals.models import Deal, Stage, StageChange
from targets.models import Installment, Payment
from targets.services import installment_schedule_create, payment_record
from tests.concurrency import POSTGRESQL_ONLY, run_concurrently
from tests.factories import ClientFactory, DealFactory
from tests.migration_support import restore_default_stages

pytestmark = POSTGRESQL_ONLY


@pytest.fixture
def stages(db) -> dict[str, Stage]:
    """The default pipeline (a transactional test's flush removes the migration's rows)."""
    return restore_default_stages()


def deal_at(owner, stage, amount="900.00"):
    deal = DealFactory(
        owner=owner,
        client=ClientFactory(owner=owner),
        stage=stage,
        amount=Decimal(amount),
        closed_at=timezone.localdate() if stage.is_closed else None,
    )
    StageChange.objects.create(
        deal=deal, from_stage=None, to_stage=stage, changed_by=owner, changed_at=timezone.now()
    )
    return deal


def schedule(deal, by, installments=3):
    return installment_schedule_create(
        actor=by,
        deal=deal,
        installments=installments,
        first_due=timezone.localdate() + datetime.timedelta(days=30),
    )


def scheduled_total(deal) -> Decimal:
    return sum(Installment.objects.filter(deal=deal).values_list("amount", flat=True), Decimal("0.00"))


def test_a_payment_against_a_line_the_regeneration_removed_is_a_conflict(department, stages):
    rep = department.rep_north
    deal = deal_at(rep, stages["Won"])
    lines = schedule(deal, rep)
    stale = Installment.objects.get(pk=lines[1].pk)  # the payment form was opened before

    first_error, second_error, second_was_waiting = run_concurrently(
        lambda: schedule(deal, rep, installments=2),
        lambda: payment_record(actor=rep, installment=stale, amount="100.00", paid_on=timezone.localdate()),
    )

    assert first_error is None
    assert isinstance(second_error, Conflict), repr(second_error)
    assert second_was_waiting is True
    assert not Payment.objects.exists()
    assert not Installment.objects.filter(pk=stale.pk).exists()
    assert Installment.objects.filter(deal=deal).count() == 2
    assert scheduled_total(deal) == Decimal("900.00")


def test_a_regeneration_waiting_for_a_payment_keeps_the_paid_line(department, stages):
    rep = department.rep_north
    deal = deal_at(rep, stages["Won"])
    lines = schedule(deal, rep)

    first_error, second_error, second_was_waiting = run_concurrently(
        lambda: payment_record(
            actor=rep, installment=lines[2], amount="100.00", paid_on=timezone.localdate()
        ),
        lambda: schedule(deal, rep, installments=2),
    )

    assert (first_error, second_error) == (None, None)
    assert second_was_waiting is True
    kept = Installment.objects.get(pk=lines[2].pk)
    assert kept.paid_amount == Decimal("100.00")
    assert Installment.objects.filter(deal=deal).count() == 3  # the paid line and two new ones
    assert scheduled_total(deal) == Decimal("900.00")


def test_a_regeneration_waiting_for_the_win_schedules_the_won_deal(department, stages):
    rep = department.rep_north
    deal = deal_at(rep, stages["Contract"])
    seen_won = Deal.objects.get(pk=deal.pk)
    seen_won.stage = stages["Won"]  # the schedule form of a deal the rep is just winning

    first_error, second_error, second_was_waiting = run_concurrently(
        lambda: deal_services.deal_move(deal=deal, stage=stages["Won"], by=rep),
        lambda: schedule(seen_won, rep),
    )

    assert (first_error, second_error) == (None, None)
    assert second_was_waiting is True
    assert scheduled_total(deal) == Decimal("900.00")


def test_a_regeneration_waiting_for_a_reopening_is_refused_with_a_message(department, stages):
    rep = department.rep_north
    deal = deal_at(rep, stages["Won"])

    first_error, second_error, second_was_waiting = run_concurrently(
        lambda: deal_services.deal_move(deal=deal, stage=stages["Contract"], by=department.head),
        lambda: schedule(deal, rep),
    )

    assert first_error is None
    assert isinstance(second_error, ValidationError), repr(second_error)
    assert list(second_error.message_dict) == ["deal"]
    assert second_was_waiting is True
    assert not Installment.objects.filter(deal=deal).exists()
    assert Deal.objects.get(pk=deal.pk).stage == stages["Contract"]
