"""Activity statistics per day and month against the norms (role norms, personal overrides)."""

import datetime
from decimal import Decimal

import pytest

from reports.models import ActivityStat
from reports.services.activity import activity_compute
from tests.reports.conftest import comparable_rows, local, log, norm, report_row

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)
AS_OF = datetime.date(2026, 3, 18)  # 13 working days from the 1st (a Sunday) to the 18th


@pytest.fixture
def activities(department, east):
    d = department
    norm(role="rep", calls_per_day=10, meetings_per_week=5)
    norm(role="lead", calls_per_day=2)
    norm(role="sdr", calls_per_day=5)
    norm(user=d.rep_north_2, calls_per_day=20, meetings_per_week=2)

    log(d.rep_north, "call", local(2026, 3, 2, 9), 12)
    log(d.rep_north, "meeting", local(2026, 3, 2, 14))
    log(d.rep_north, "visit", local(2026, 3, 2, 16))
    log(d.rep_north, "call", local(2026, 3, 18, 23, 30), 3)
    log(d.rep_north, "email", local(2026, 3, 18, 11), 2)
    log(d.rep_north, "call", local(2026, 3, 1, 12))  # a Sunday
    log(d.rep_north, "note", local(2026, 3, 3))  # notes are not counted
    log(d.rep_north, "call", local(2026, 2, 28, 23, 59), 2)  # February
    log(d.rep_north, "call", local(2026, 3, 19, 0, 0), 5)  # after the date
    log(d.rep_north_2, "call", local(2026, 3, 2), 20)
    log(d.rep_north_2, "meeting", local(2026, 3, 3), 3)
    log(d.assistant_north, "call", local(2026, 3, 4))
    log(d.account_manager_south, "call", local(2026, 3, 4), 2)
    return d


def month_figures(who):
    row = report_row(ActivityStat, MARCH, who, period_kind="month")
    return (
        row.calls,
        row.meetings,
        row.visits,
        row.emails,
        row.workdays,
        row.calls_norm,
        row.meetings_norm,
        row.below_norm,
    )


def day_figures(day, who):
    row = report_row(ActivityStat, day, who, period_kind="day")
    return (row.calls, row.meetings, row.workdays, row.calls_norm, row.meetings_norm, row.below_norm)


def test_month_figures_against_norms(activities, east):
    d = activities
    activity_compute(as_of=AS_OF)
    assert month_figures(d.rep_north) == (16, 1, 1, 2, 13, 130, Decimal("13.0"), True)
    # A personal norm overrides the role's.
    assert month_figures(d.rep_north_2) == (20, 3, 0, 0, 13, 260, Decimal("5.2"), True)
    # No norm for key-account managers: nothing to fall below.
    assert month_figures(d.account_manager_south) == (2, 0, 0, 0, 13, 0, Decimal("0.0"), False)
    # The assistant logged a call, so has a row (with no norm).
    assert month_figures(d.assistant_north) == (1, 0, 0, 0, 13, 0, Decimal("0.0"), False)
    assert month_figures(d.lead_north) == (0, 0, 0, 0, 13, 26, Decimal("0.0"), True)
    # Teams sum their people's norms: North 2 + 10 + 20 + 5 calls and 5 + 2 meetings a week.
    assert month_figures(d.north) == (37, 4, 1, 2, 13, 481, Decimal("18.2"), True)
    assert month_figures(d.south) == (2, 0, 0, 0, 13, 156, Decimal("13.0"), True)
    assert month_figures(east) == (0, 0, 0, 0, 13, 0, Decimal("0.0"), False)
    assert month_figures(None) == (39, 4, 1, 2, 13, 793, Decimal("44.2"), True)


def test_day_figures(activities):
    d = activities
    activity_compute(as_of=AS_OF)
    assert day_figures(datetime.date(2026, 3, 2), d.rep_north) == (12, 1, 1, 10, None, False)
    assert day_figures(datetime.date(2026, 3, 3), d.rep_north) == (0, 0, 1, 10, None, True)
    assert day_figures(datetime.date(2026, 3, 18), d.rep_north) == (3, 0, 1, 10, None, True)
    assert day_figures(datetime.date(2026, 3, 1), d.rep_north) == (1, 0, 0, 0, None, False)
    assert day_figures(datetime.date(2026, 3, 7), d.rep_north) == (0, 0, 0, 0, None, False)
    assert day_figures(datetime.date(2026, 3, 2), d.rep_north_2) == (20, 0, 1, 20, None, False)
    assert day_figures(datetime.date(2026, 3, 2), None) == (32, 1, 1, 61, None, True)
    # Every day of the month so far, for every scope: 18 days + the month, 14 scopes.
    assert ActivityStat.objects.filter(period_kind="day").count() == 18 * 14
    assert not ActivityStat.objects.filter(period_kind="day", period=datetime.date(2026, 3, 19)).exists()


def test_running_twice_leaves_identical_rows(activities):
    activity_compute(as_of=AS_OF)
    first = comparable_rows(ActivityStat)
    assert activity_compute(as_of=AS_OF).rows_written == 0
    assert comparable_rows(ActivityStat) == first
