"""The deal's timeline shows its lines' changes: added, changed (old → new quantity, price,
discount), removed, and discounts approved or refused, with who and when; read in a bounded
number of queries."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deals import services
from deals.selectors import deal_timeline
from tests.deals.conftest import make_deal
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


ENTRY = re.compile(r'data-testid="timeline-line">(.*?)</li>\s*(?=<li class="tl-item|</ol>)', re.S)


def line_entries(page: str) -> list[str]:
    """Each line entry's text, tags dropped and spaces squeezed."""
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", entry)).strip() for entry in ENTRY.findall(page)]


@pytest.fixture
def worked(department, stages):
    d = department
    deal = make_deal(d.rep_north, title="Lines deal")
    server = ProductFactory(name="Server", list_price=Decimal("1000.00"), max_discount_percent=Decimal("10"))
    cable = ProductFactory(name="Cable", list_price=Decimal("5.00"))
    line = services.deal_line_add(by=d.rep_north, deal=deal, product=server, quantity=Decimal("2"))
    cables = services.deal_line_add(by=d.rep_north, deal=deal, product=cable, quantity=Decimal("10"))
    line = services.deal_line_update(
        by=d.rep_north, line=line, data={"quantity": Decimal("3"), "discount_percent": Decimal("25")}
    )
    services.deal_line_decide(by=d.lead_north, line=line, approve=True)
    services.deal_line_delete(by=d.rep_north, line=cables)
    return deal


def test_the_timeline_tells_each_line_change_with_who_and_old_and_new(client, department, worked):
    client.force_login(department.lead_north)
    page = client.get(reverse("deals:detail", args=[worked.pk])).content.decode()
    rep, lead = department.rep_north.full_name, department.lead_north.full_name
    entries = line_entries(page)
    assert entries[0].startswith("Line Removed: Cable " + rep)
    assert entries[1].startswith("Line Discount approved: Server " + lead)
    assert entries[2].startswith(
        "Line Changed: Server Quantity: 2.00 → 3.00 Discount, %: 0.00 → 25.00 "
        "Discount approval: Within the limit → Awaiting approval " + rep
    )
    assert entries[3].startswith(
        "Line Added: Cable Quantity: 10.00 Unit price: 5.00 ₽ Discount, %: 0.00 Tax rate, %: 20.00 " + rep
    )
    assert entries[4].startswith(
        "Line Added: Server Quantity: 2.00 Unit price: 1,000.00 ₽ Discount, %: 0.00 Tax rate, %: 20.00 " + rep
    )
    assert len(entries) == 5


def test_line_changes_are_read_in_two_queries_whatever_their_number(department, worked):
    line = services.deal_line_add(
        by=department.rep_north, deal=worked, name="Service", quantity=Decimal("1"), unit_price=Decimal("9")
    )
    with CaptureQueriesContext(connection) as small:
        deal_timeline(deal=worked, viewer=department.rep_north)
    for number in range(10):
        services.deal_line_update(by=department.rep_north, line=line, data={"quantity": Decimal(number + 2)})
    with CaptureQueriesContext(connection) as large:
        timeline = deal_timeline(deal=worked, viewer=department.rep_north, limit=4)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert [entry.kind for entry in timeline] == ["line"] * 4
    newest = timeline.entries[0].item
    assert [(c.label, c.old, c.new) for c in newest.changes] == [("quantity", "10.00", "11.00")]
    assert timeline.truncated is True
