"""Two people moving the same deal at once, on PostgreSQL with two real connections.

SQLite has no row locks (and serialises writers anyway), so these run in CI's PostgreSQL
pass: DATABASE_URL=postgres://... ."""

from django.core.exceptions import ValidationError

from deals import services
from deals.models import Deal, StageChange
from tests.concurrency import POSTGRESQL_ONLY, run_concurrently
from tests.deals.conftest import make_deal

pytestmark = POSTGRESQL_ONLY


def chain(deal):
    return list(
        StageChange.objects.filter(deal=deal)
        .order_by("changed_at", "pk")
        .values_list("from_stage__name", "to_stage__name")
    )


def test_two_moves_of_the_same_deal_are_serialised_and_the_history_never_skips_a_step(department, stages):
    deal = make_deal(department.rep_north)
    seen_by_rep = Deal.objects.get(pk=deal.pk)  # both read the deal while it was at Lead
    seen_by_lead = Deal.objects.get(pk=deal.pk)

    first_error, second_error, second_was_waiting = run_concurrently(
        lambda: services.deal_move(deal=seen_by_rep, stage=stages["Qualified"], by=department.rep_north),
        lambda: services.deal_move(deal=seen_by_lead, stage=stages["Proposal"], by=department.lead_north),
    )

    assert (first_error, second_error) == (None, None)
    assert second_was_waiting is True
    assert chain(deal) == [(None, "Lead"), ("Lead", "Qualified"), ("Qualified", "Proposal")]
    assert Deal.objects.get(pk=deal.pk).stage.name == "Proposal"


def test_the_same_move_made_twice_at_once_is_recorded_once(department, stages):
    deal = make_deal(department.rep_north, stage="Contract")
    copies = [Deal.objects.get(pk=deal.pk), Deal.objects.get(pk=deal.pk)]

    first_error, second_error, second_was_waiting = run_concurrently(
        lambda: services.deal_move(deal=copies[0], stage=stages["Won"], by=department.rep_north),
        lambda: services.deal_move(deal=copies[1], stage=stages["Won"], by=department.lead_north),
    )

    assert first_error is None
    assert isinstance(second_error, ValidationError)
    assert second_error.message_dict == {"stage": ["The deal is already at “Won”."]}
    assert second_was_waiting is True
    assert chain(deal) == [(None, "Contract"), ("Contract", "Won")]
