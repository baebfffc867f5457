"""Market coverage: won amount by industry and segment, and the top-20% clients' share."""

import datetime
from decimal import Decimal

import pytest

from reports.models import CoverageReport
from reports.services.coverage import coverage_compute
from tests.factories import ClientFactory, IndustryFactory
from tests.reports.conftest import comparable_rows, make_deal, report_row

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)
AS_OF = datetime.date(2026, 3, 18)


@pytest.fixture
def won_deals(department, east):
    d = department
    it, retail = IndustryFactory(name="IT"), IndustryFactory(name="Retail")

    def client(owner, industry, segment):
        return ClientFactory(owner=owner, industry=industry, segment=segment)

    c1 = client(d.rep_north, it, "enterprise")
    c2 = client(d.rep_north, it, "small")
    c3 = client(d.rep_north, retail, "mid")
    c4 = client(d.rep_south, retail, "small")
    c5 = client(d.rep_south, None, "small")
    c6 = client(d.rep_south, retail, "mid")
    c7 = client(d.rep_north_2, it, "small")
    for owner, customer, amount in [
        (d.rep_north, c1, "5000.00"),
        (d.rep_north, c1, "1000.00"),
        (d.rep_north, c2, "1000.00"),
        (d.rep_north, c3, "500.00"),
        (d.rep_south, c4, "2000.00"),
        (d.rep_south, c5, "300.00"),
        (d.rep_south, c6, "200.00"),
        (d.rep_north_2, c7, "400.00"),
    ]:
        make_deal(owner, client=customer, stage_name="Won", amount=amount, closed=datetime.date(2026, 3, 10))
    # Closed after the date, lost, and still open: none of them count.
    make_deal(d.rep_north, client=c2, stage_name="Won", amount="9000.00", closed=datetime.date(2026, 3, 20))
    make_deal(d.rep_south, client=c4, stage_name="Lost", amount="9000.00", closed=datetime.date(2026, 3, 10))
    make_deal(d.rep_south, client=c4, stage_name="Proposal", amount="9000.00")
    return {"it": it, "retail": retail}


def test_department_breakdowns_and_top_share(won_deals):
    coverage_compute(as_of=AS_OF)
    row = report_row(CoverageReport, MARCH)
    assert (row.won_amount, row.won_deals, row.clients) == (Decimal("10400.00"), 8, 7)
    # ceil(7 / 5) = 2 clients: 6000 + 2000.
    assert (row.top_clients, row.top_clients_amount, row.top_share) == (
        2,
        Decimal("8000.00"),
        Decimal("76.92"),
    )
    it, retail = won_deals["it"], won_deals["retail"]
    assert row.by_industry == [
        {"key": it.pk, "name": "IT", "amount": "7400.00", "clients": 3, "deals": 4, "share": "71.15"},
        {"key": retail.pk, "name": "Retail", "amount": "2700.00", "clients": 3, "deals": 3, "share": "25.96"},
        {"key": None, "name": None, "amount": "300.00", "clients": 1, "deals": 1, "share": "2.88"},
    ]
    assert row.by_segment == [
        {
            "key": "enterprise",
            "name": "enterprise",
            "amount": "6000.00",
            "clients": 1,
            "deals": 2,
            "share": "57.69",
        },
        {"key": "small", "name": "small", "amount": "3700.00", "clients": 4, "deals": 4, "share": "35.58"},
        {"key": "mid", "name": "mid", "amount": "700.00", "clients": 2, "deals": 2, "share": "6.73"},
    ]


def test_team_and_person_top_share(won_deals, department, east):
    d = department
    coverage_compute(as_of=AS_OF)

    def top(who):
        row = report_row(CoverageReport, MARCH, who)
        return (row.won_amount, row.clients, row.top_clients, row.top_clients_amount, row.top_share)

    assert top(d.north) == (Decimal("7900.00"), 4, 1, Decimal("6000.00"), Decimal("75.95"))
    assert top(d.south) == (Decimal("2500.00"), 3, 1, Decimal("2000.00"), Decimal("80.00"))
    assert top(d.rep_north) == (Decimal("7500.00"), 3, 1, Decimal("6000.00"), Decimal("80.00"))
    assert top(d.rep_north_2) == (Decimal("400.00"), 1, 1, Decimal("400.00"), Decimal("100.00"))
    assert top(east) == (Decimal("0.00"), 0, 0, Decimal("0.00"), None)
    assert report_row(CoverageReport, MARCH, east).by_industry == []


def test_running_twice_leaves_identical_rows(won_deals):
    coverage_compute(as_of=AS_OF)
    first = comparable_rows(CoverageReport)
    assert coverage_compute(as_of=AS_OF).rows_written == 0
    assert comparable_rows(CoverageReport) == first
