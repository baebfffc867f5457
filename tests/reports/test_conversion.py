"""Conversion report: figures checked against a hand-built pipeline history."""

import datetime
from decimal import Decimal

import pytest

from reports.models import ConversionReport
from reports.services.conversion import conversion_compute
from tests.reports.conftest import comparable_rows, local, make_deal, report_row

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)
AS_OF = datetime.date(2026, 3, 18)


@pytest.fixture
def pipeline(department, east):
    d = department
    make_deal(  # created, qualified, proposed and won in March
        d.rep_north,
        stage_name="Won",
        created=local(2026, 3, 2),
        closed=datetime.date(2026, 3, 12),
        history=[
            (None, "Lead", local(2026, 3, 2)),
            ("Lead", "Qualified", local(2026, 3, 5)),
            ("Qualified", "Proposal", local(2026, 3, 9)),
            ("Proposal", "Won", local(2026, 3, 12)),
        ],
    )
    make_deal(  # created in February, lost in March after qualifying
        d.rep_north,
        stage_name="Lost",
        created=local(2026, 2, 20),
        closed=datetime.date(2026, 3, 10),
        history=[
            (None, "Lead", local(2026, 2, 20)),
            ("Lead", "Qualified", local(2026, 3, 3)),
            ("Qualified", "Lost", local(2026, 3, 10)),
        ],
    )
    make_deal(d.rep_north, created=local(2026, 3, 10), history=[(None, "Lead", local(2026, 3, 10))])
    make_deal(  # entered at Qualified in January, skipped Proposal, won in March
        d.rep_south,
        stage_name="Won",
        amount="3000.00",
        created=local(2026, 1, 15),
        closed=datetime.date(2026, 3, 16),
        history=[
            (None, "Qualified", local(2026, 1, 15)),
            ("Qualified", "Negotiation", local(2026, 3, 1)),
            ("Negotiation", "Won", local(2026, 3, 16)),
        ],
    )
    # Lost without any recorded history: it counts as having reached the first stage.
    make_deal(d.rep_south, stage_name="Lost", created=local(2026, 3, 5), closed=datetime.date(2026, 3, 6))
    # Closed after the date computed for, and closed in February: not in March's figures.
    make_deal(
        d.rep_without_team, stage_name="Won", created=local(2026, 3, 1), closed=datetime.date(2026, 3, 19)
    )
    make_deal(
        d.rep_without_team, stage_name="Won", created=local(2026, 2, 1), closed=datetime.date(2026, 2, 27)
    )
    return d


def funnel(row) -> list[tuple]:
    return [
        (s["name"], s["reached"], s["advanced"], s["rate"], s["stays"], s["avg_days"]) for s in row.stages
    ]


def test_department_figures(pipeline):
    result = conversion_compute(as_of=AS_OF)

    row = report_row(ConversionReport, MARCH)
    assert (row.leads_created, row.won, row.lost) == (4, 2, 2)
    assert row.won_amount == Decimal("4000.00")
    assert row.win_rate == Decimal("50.00")
    assert row.as_of == AS_OF
    assert funnel(row) == [
        ("Lead", 4, 3, "75.00", 2, "7.0"),
        ("Qualified", 3, 2, "66.67", 3, "18.7"),
        ("Proposal", 2, 2, "100.00", 1, "3.0"),
        ("Negotiation", 2, 2, "100.00", 1, "15.0"),
        ("Contract", 2, 2, "100.00", 0, None),
        ("Won", 2, None, None, 0, None),
    ]
    # Cycles of 10, 18, 60 and 1 days.
    assert (row.cycle_deals, row.avg_cycle_days) == (4, Decimal("22.3"))
    # Department, three teams, and every seller (nine active ones in the fixture).
    assert result.rows_total == ConversionReport.objects.count() == 1 + 3 + 9


def test_team_and_person_figures(pipeline):
    d = pipeline
    conversion_compute(as_of=AS_OF)

    north = report_row(ConversionReport, MARCH, d.north)
    person = report_row(ConversionReport, MARCH, d.rep_north)
    for row in (north, person):
        assert (row.leads_created, row.won, row.lost, row.win_rate) == (2, 1, 1, Decimal("50.00"))
        assert funnel(row) == [
            ("Lead", 2, 2, "100.00", 2, "7.0"),
            ("Qualified", 2, 1, "50.00", 2, "5.5"),
            ("Proposal", 1, 1, "100.00", 1, "3.0"),
            ("Negotiation", 1, 1, "100.00", 0, None),
            ("Contract", 1, 1, "100.00", 0, None),
            ("Won", 1, None, None, 0, None),
        ]
        assert row.avg_cycle_days == Decimal("14.0")

    south = report_row(ConversionReport, MARCH, d.rep_south)
    assert (south.leads_created, south.won, south.lost, south.won_amount) == (1, 1, 1, Decimal("3000.00"))
    assert [s["reached"] for s in south.stages] == [2, 1, 1, 1, 1, 1]
    assert south.avg_cycle_days == Decimal("30.5")

    outside = report_row(ConversionReport, MARCH, d.rep_without_team)
    assert (outside.leads_created, outside.won, outside.lost, outside.win_rate) == (1, 0, 0, None)


def test_an_empty_team_and_an_empty_month_have_zero_rows(pipeline, east):
    conversion_compute(as_of=AS_OF)
    empty_team = report_row(ConversionReport, MARCH, east)
    assert (empty_team.leads_created, empty_team.won, empty_team.lost, empty_team.win_rate) == (0, 0, 0, None)
    assert [s["reached"] for s in empty_team.stages] == [0, 0, 0, 0, 0, 0]
    assert empty_team.avg_cycle_days is None

    conversion_compute(as_of=datetime.date(2026, 4, 30))
    april = report_row(ConversionReport, datetime.date(2026, 4, 1))
    assert (april.leads_created, april.won, april.lost, april.won_amount) == (0, 0, 0, Decimal("0.00"))
    assert ConversionReport.objects.filter(period=datetime.date(2026, 4, 1)).count() == 13


def test_running_twice_for_a_date_leaves_identical_rows(pipeline):
    conversion_compute(as_of=AS_OF)
    first = comparable_rows(ConversionReport)
    again = conversion_compute(as_of=AS_OF)
    assert comparable_rows(ConversionReport) == first
    assert again.rows_written == 0


def test_a_later_date_in_the_month_updates_the_same_rows(pipeline):
    conversion_compute(as_of=AS_OF)
    ids = set(ConversionReport.objects.values_list("pk", flat=True))
    conversion_compute(as_of=datetime.date(2026, 3, 31))
    assert set(ConversionReport.objects.values_list("pk", flat=True)) == ids
    row = report_row(ConversionReport, MARCH)
    # The deal closed on the 19th now counts.
    assert (row.won, row.as_of) == (3, datetime.date(2026, 3, 31))


def _rows_without_ids(model) -> list[tuple]:
    """Every row's key and figures (not its id or write time), to compare two computations."""
    fields = [
        f.attname for f in model._meta.concrete_fields if f.attname not in ("id", "created_at", "updated_at")
    ]
    return sorted(tuple(str(getattr(row, name)) for name in fields) for row in model.objects.all())


BACKFILL_DAYS = [datetime.date(2026, 1, 31), datetime.date(2026, 2, 28), AS_OF]


def test_months_in_one_pass_give_the_rows_of_month_by_month(pipeline):
    """A backfill computes its months in one pass; the rows are exactly those that computing
    each month on its own gives (figures, funnels, as-of dates), and so are the counts."""
    from reports.services.conversion import conversion_compute_months

    one_by_one = [conversion_compute(as_of=day) for day in BACKFILL_DAYS]
    expected = _rows_without_ids(ConversionReport)
    periods = sorted(set(ConversionReport.objects.values_list("period", flat=True)))
    assert periods == [datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), MARCH]
    assert ConversionReport.objects.filter(period=MARCH, scope="department").get().won == 2
    ConversionReport.objects.all().delete()

    together = conversion_compute_months(BACKFILL_DAYS)

    assert _rows_without_ids(ConversionReport) == expected
    assert [together[day].rows_total for day in BACKFILL_DAYS] == [r.rows_total for r in one_by_one]
    assert [together[day].rows_written for day in BACKFILL_DAYS] == [r.rows_written for r in one_by_one]
    # Computed again in one pass: nothing changed, nothing written.
    again = conversion_compute_months(BACKFILL_DAYS)
    assert [again[day].rows_written for day in BACKFILL_DAYS] == [0, 0, 0]
    assert _rows_without_ids(ConversionReport) == expected


def test_months_in_one_pass_need_month_ends_before_the_latest(pipeline):
    from reports.services.conversion import conversion_compute_months

    with pytest.raises(ValueError):
        conversion_compute_months([datetime.date(2026, 2, 20), AS_OF])
