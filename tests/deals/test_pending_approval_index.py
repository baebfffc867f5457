"""The discounts awaiting a decision are counted on the head's home page and listed in a
lead's queue: a handful among all the deal lines (129,000 at department scale). Without the
partial index PostgreSQL read every line to count none (13 ms on the head's home page; 2.05x
its small-demo time); with it the count reads the index of pending lines only."""

import pytest
from django.db import connection

from deals.selectors.commerce import lines_awaiting_approval

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's"),
]


def test_the_lines_awaiting_a_decision_are_found_without_reading_every_line(department):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = lines_awaiting_approval(viewer=department.head).order_by().explain()
    assert "dealline_pending_approval" in plan, plan
