"""Renewal rate (续费率): due deals, renewals, rates by count and by amount."""

import datetime
from decimal import Decimal

import pytest

from reports.models import RenewalReport
from reports.selectors import not_renewed_deals
from reports.services.common import Month
from reports.services.renewal import renewal_compute
from tests.reports.conftest import comparable_rows, make_deal, report_row

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)
AS_OF = datetime.date(2026, 3, 18)


@pytest.fixture
def renewals(department, east):
    d = department
    renewed = make_deal(
        d.rep_north, stage_name="Won", amount="1200.00", service_end=datetime.date(2026, 3, 31)
    )
    make_deal(
        d.rep_north,
        stage_name="Won",
        amount="1500.00",
        client=renewed.client,
        renewal_of=renewed,
        deal_type="renewal",
        closed=datetime.date(2026, 3, 15),
    )
    pending = make_deal(
        d.rep_north, stage_name="Won", amount="800.00", service_end=datetime.date(2026, 3, 10)
    )
    make_deal(
        d.rep_north, stage_name="Proposal", client=pending.client, renewal_of=pending, deal_type="renewal"
    )
    late = make_deal(d.rep_south, stage_name="Won", amount="2000.00", service_end=datetime.date(2026, 3, 20))
    make_deal(  # renewed, but only after the date computed for
        d.rep_south,
        stage_name="Won",
        amount="2100.00",
        client=late.client,
        renewal_of=late,
        deal_type="renewal",
        closed=datetime.date(2026, 3, 25),
    )
    # A lost deal and one whose service ends in April are not due in March.
    make_deal(d.rep_south, stage_name="Lost", service_end=datetime.date(2026, 3, 12))
    make_deal(d.rep_south, stage_name="Won", service_end=datetime.date(2026, 4, 1))
    return {"renewed": renewed, "pending": pending, "late": late}


def test_rates_by_count_and_amount_per_scope(renewals, department, east):
    d = department
    renewal_compute(as_of=AS_OF)

    def figures(who):
        row = report_row(RenewalReport, MARCH, who)
        return (
            row.due,
            row.due_amount,
            row.renewed,
            row.renewed_amount,
            row.rate_by_count,
            row.rate_by_amount,
        )

    assert figures(None) == (3, Decimal("4000.00"), 1, Decimal("1500.00"), Decimal("33.33"), Decimal("37.50"))
    assert figures(d.north) == (
        2,
        Decimal("2000.00"),
        1,
        Decimal("1500.00"),
        Decimal("50.00"),
        Decimal("75.00"),
    )
    assert figures(d.rep_north) == figures(d.north)
    assert figures(d.south) == (1, Decimal("2000.00"), 0, Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
    assert figures(east) == (0, Decimal("0.00"), 0, Decimal("0.00"), None, None)


def test_a_renewal_closed_later_counts_once_the_date_passes(renewals):
    renewal_compute(as_of=datetime.date(2026, 3, 31))
    row = report_row(RenewalReport, MARCH)
    assert (row.renewed, row.renewed_amount, row.rate_by_amount) == (2, Decimal("3600.00"), Decimal("90.00"))


def test_the_not_renewed_list_follows_visibility(renewals, department):
    d = department
    month = Month.of(AS_OF)
    assert list(not_renewed_deals(viewer=d.head, month=month)) == [renewals["pending"], renewals["late"]]
    assert list(not_renewed_deals(viewer=d.lead_north, month=month)) == [renewals["pending"]]
    assert list(not_renewed_deals(viewer=d.rep_south, month=month)) == [renewals["late"]]
    assert list(not_renewed_deals(viewer=d.rep_north_2, month=month)) == []


def test_running_twice_leaves_identical_rows(renewals):
    renewal_compute(as_of=AS_OF)
    first = comparable_rows(RenewalReport)
    assert renewal_compute(as_of=AS_OF).rows_written == 0
    assert comparable_rows(RenewalReport) == first
