"""Two hand-overs of one book at once (PostgreSQL row locks): the second waits for the
first, then finds nothing left and answers Conflict (409): nothing is moved twice."""

import pytest

from accounts.handover import book_hand_over
from accounts.models import HandOver
from clients.models import Client
from core.errors import Conflict
from tests.concurrency import POSTGRESQL_ONLY, run_concurrently
from tests.factories import ClientFactory, DealFactory
from tests.migration_support import restore_default_stages

pytestmark = [*POSTGRESQL_ONLY, pytest.mark.services]


def test_a_second_hand_over_waits_and_then_finds_nothing_left(department):
    # A transactional test: an earlier one may have flushed the migrations' stages.
    restore_default_stages()
    for name in "ABC":
        DealFactory(client=ClientFactory(name=name, owner=department.rep_north), owner=department.rep_north)

    def first():
        book_hand_over(by=department.head, owner=department.rep_north, to=[department.rep_north_2.pk])

    def second():
        book_hand_over(
            by=department.head, owner=department.rep_north, to=[department.account_manager_south.pk]
        )

    first_error, second_error, second_was_waiting = run_concurrently(first, second)
    assert first_error is None
    assert isinstance(second_error, Conflict)
    assert second_was_waiting
    assert Client.objects.filter(owner=department.rep_north_2).count() == 3
    assert Client.objects.filter(owner=department.account_manager_south).count() == 0
    assert HandOver.objects.count() == 1
