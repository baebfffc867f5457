"""A backfill computes several months of a kind in one pass (each aggregate grouped by
month). The rows must be exactly those that computing each month on its own gives, and
``run_reports --months`` must still record one run per kind and month."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from reports.models import ActivityStat, ConversionReport, PlanFulfilment, ReportKind, ReportRun
from reports.services.runs import MONTHS_SERVICES, _compute
from tests.factories import InstallmentFactory, PaymentFactory
from tests.reports.conftest import local, log, make_deal, norm

pytestmark = pytest.mark.django_db

DAYS = [datetime.date(2026, 1, 31), datetime.date(2026, 2, 28), datetime.date(2026, 3, 18)]
TABLES = {
    ReportKind.CONVERSION: ConversionReport,
    ReportKind.ACTIVITY: ActivityStat,
    ReportKind.FULFILMENT: PlanFulfilment,
}


@pytest.fixture
def three_months(department, east):
    d = department
    norm(role="rep", calls_per_day=3, meetings_per_week=2)
    for month, rep in ((1, d.rep_north), (2, d.rep_south), (3, d.rep_north_2)):
        won = make_deal(
            rep,
            stage_name="Won",
            amount=f"{month}000.00",
            created=local(2026, month, 2),
            closed=datetime.date(2026, month, 20 if month < 3 else 10),
            history=[(None, "Lead", local(2026, month, 2)), ("Lead", "Won", local(2026, month, 9))],
        )
        make_deal(rep, stage_name="Lost", created=local(2026, month, 3), closed=datetime.date(2026, month, 6))
        make_deal(rep, stage_name="Qualified", expected_close=datetime.date(2026, month, 25))
        log(rep, "call", local(2026, month, 5), month + 1)
        log(rep, "meeting", local(2026, month, 14))
        installment = InstallmentFactory(
            deal=won, due_date=datetime.date(2026, month, 15), amount=Decimal("900")
        )
        PaymentFactory(
            installment=installment, amount=Decimal("250.00"), paid_on=datetime.date(2026, month, 16)
        )
    # After the latest date: in no month's figures.
    make_deal(d.rep_north, stage_name="Won", created=local(2026, 3, 19), closed=datetime.date(2026, 3, 19))
    log(d.rep_north, "call", local(2026, 3, 19), 5)
    return d


def _rows(model) -> list[tuple]:
    skipped = ("id", "created_at", "updated_at")
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in skipped]
    return sorted(tuple(str(getattr(row, name)) for name in fields) for row in model.objects.all())


@pytest.mark.parametrize("kind", sorted(MONTHS_SERVICES))
def test_one_pass_gives_the_rows_of_month_by_month(three_months, kind):
    model = TABLES[kind]
    singles = [_compute(kind, day, send_email=False) for day in DAYS]
    expected = _rows(model)
    assert sorted({row.period.replace(day=1) for row in model.objects.all()}) == [
        d.replace(day=1) for d in DAYS
    ]
    model.objects.all().delete()

    together = MONTHS_SERVICES[kind](DAYS)

    assert _rows(model) == expected
    assert [(r.rows_written, r.rows_total) for r in (together[d] for d in DAYS)] == [
        (r.rows_written, r.rows_total) for r in singles
    ]
    assert [MONTHS_SERVICES[kind](DAYS)[d].rows_written for d in DAYS] == [0, 0, 0]


def test_figures_of_the_one_pass(three_months):
    """A few exact figures, so that both ways being wrong alike would show."""
    MONTHS_SERVICES[ReportKind.CONVERSION](DAYS)
    MONTHS_SERVICES[ReportKind.FULFILMENT](DAYS)
    MONTHS_SERVICES[ReportKind.ACTIVITY](DAYS)
    department = {"scope": "department"}
    assert [
        (r.period, r.won, r.lost, r.won_amount, r.leads_created)
        for r in ConversionReport.objects.filter(**department).order_by("period")
    ] == [
        (datetime.date(2026, 1, 1), 1, 1, Decimal("1000.00"), 2),
        (datetime.date(2026, 2, 1), 1, 1, Decimal("2000.00"), 2),
        (datetime.date(2026, 3, 1), 1, 1, Decimal("3000.00"), 2),
    ]
    assert [
        (r.period, r.booked, r.collected)
        for r in PlanFulfilment.objects.filter(**department).order_by("period")
    ] == [
        (datetime.date(2026, 1, 1), Decimal("1000.00"), Decimal("250.00")),
        (datetime.date(2026, 2, 1), Decimal("2000.00"), Decimal("250.00")),
        (datetime.date(2026, 3, 1), Decimal("3000.00"), Decimal("250.00")),
    ]
    assert [
        (r.period, r.calls, r.meetings)
        for r in ActivityStat.objects.filter(period_kind="month", **department).order_by("period")
    ] == [
        (datetime.date(2026, 1, 1), 2, 1),
        (datetime.date(2026, 2, 1), 3, 1),
        (datetime.date(2026, 3, 1), 4, 1),
    ]


def test_backfill_records_a_run_per_kind_and_month(three_months):
    call_command("run_reports", "--date", "2026-03-18", "--months", "3", "--no-email", stdout=StringIO())
    runs = ReportRun.objects.filter(kind__in=list(MONTHS_SERVICES)).order_by("kind", "run_date")
    assert [(r.kind, r.run_date, r.status) for r in runs] == [
        (kind, day, "succeeded") for kind in sorted(MONTHS_SERVICES) for day in DAYS
    ]
    assert all(r.rows_total and r.finished_at for r in runs)
