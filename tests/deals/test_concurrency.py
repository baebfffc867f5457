"""Two people moving the same deal at once, on PostgreSQL with two real connections.

SQLite has no row locks (and serialises writers anyway), so these run in CI's PostgreSQL
pass: DATABASE_URL=postgres://... ."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from deals import services
from deals.models import Deal, StageChange
from tests.deals.conftest import make_deal

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"),
]


def chain(deal):
    return list(
        StageChange.objects.filter(deal=deal)
        .order_by("changed_at", "pk")
        .values_list("from_stage__name", "to_stage__name")
    )


def run_concurrently(first_move, second_move):
    """Run ``first_move`` in a transaction that holds its lock until the second move has
    started and had time to block; return what each raised (None when it succeeded) and
    whether the second was still waiting while the first held the lock."""
    first_holds_lock = threading.Event()
    second_started = threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                first_move()
                first_holds_lock.set()
                second_started.wait(5)
                time.sleep(0.5)  # keep the row locked while the second move waits for it
        except Exception as exc:  # noqa: BLE001 - reported to the test
            outcome["first"] = exc
        finally:
            first_holds_lock.set()
            connection.close()

    def second():
        first_holds_lock.wait(5)
        second_started.set()
        try:
            second_move()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            outcome["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    second_started.wait(5)
    time.sleep(0.25)
    second_was_waiting = threads[1].is_alive()
    for thread in threads:
        thread.join(10)
    return outcome.get("first"), outcome.get("second"), second_was_waiting


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
