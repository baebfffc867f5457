"""Plan vs actual: plan, booked, collected and forecast per month, department, team and rep."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import Role
from targets.models import Plan, PlanMetric
from targets.selectors import plan_grid, plan_scopes_for, plan_vs_actual
from targets.services import plan_decompose
from tests.factories import PaymentFactory, UserFactory

D = Decimal
YEAR = 2031


@pytest.fixture
def figures(department, won_deal, open_deal, installment_of):
    """Booked plan 1,200,000.00 split evenly (month 100,000; team 50,000; rep 25,000),
    collected plan 120,000.00. North: rep_north won 30,000 in March and 5,000 in April,
    was paid 7,000 in March and has a 10,000 Proposal (40%) expected in May; rep_north_2
    won 2,000 in March. South: rep_south won 11,000 in March and has a 1,000 deal at a
    custom 75% expected in May. Out of the year: a deal won in the previous December."""
    booked = Plan.objects.create(
        year=YEAR, metric=PlanMetric.BOOKED, amount=D("1200000.00"), created_by=department.head
    )
    plan_decompose(actor=department.head, plan=booked, month_method="even")
    collected = Plan.objects.create(
        year=YEAR, metric=PlanMetric.COLLECTED, amount=D("120000.00"), created_by=department.head
    )
    plan_decompose(actor=department.head, plan=collected, month_method="even")
    big = won_deal(department.rep_north, "30000.00", datetime.date(YEAR, 3, 31))
    won_deal(department.rep_north, "5000.00", datetime.date(YEAR, 4, 1))
    won_deal(department.rep_north_2, "2000.00", datetime.date(YEAR, 3, 2))
    won_deal(department.rep_south, "11000.00", datetime.date(YEAR, 3, 15))
    won_deal(department.rep_south, "99999.00", datetime.date(YEAR - 1, 12, 31))
    line = installment_of(big, "30000.00", datetime.date(YEAR, 3, 1))
    PaymentFactory(installment=line, amount=D("7000.00"), paid_on=datetime.date(YEAR, 3, 20))
    open_deal(department.rep_north, "10000.00", datetime.date(YEAR, 5, 10), stage_name="Proposal")
    open_deal(department.rep_south, "1000.00", datetime.date(YEAR, 5, 30), stage_name="Lead", probability=75)
    open_deal(department.rep_south, "1000.00", datetime.date(YEAR + 1, 1, 1), stage_name="Lead")


def month(line, number):
    figures = line.months[number - 1]
    return (figures.plan, figures.booked, figures.collected, figures.forecast)


def test_department_line(department, figures):
    (line,) = plan_vs_actual(viewer=department.head, year=YEAR, scope="department")
    assert line.label == "Department"
    assert month(line, 3) == (D("100000.00"), D("43000.00"), D("7000.00"), D("0.00"))
    assert month(line, 4) == (D("100000.00"), D("5000.00"), D("0.00"), D("0.00"))
    assert month(line, 5) == (D("100000.00"), D("0.00"), D("0.00"), D("4750.00"))
    assert line.months[2].plan_collected == D("10000.00")
    assert line.months[2].gap == D("57000.00")
    assert line.months[2].percent == D("43.0")
    assert (line.year.plan, line.year.booked, line.year.collected, line.year.forecast) == (
        D("1200000.00"),
        D("48000.00"),
        D("7000.00"),
        D("4750.00"),
    )
    assert line.year.plan_collected == D("120000.00")


def test_team_lines(department, figures):
    lines = plan_vs_actual(viewer=department.head, year=YEAR, scope="team")
    assert [line.label for line in lines] == ["North", "South"]
    north, south = lines
    assert month(north, 3) == (D("50000.00"), D("32000.00"), D("7000.00"), D("0.00"))
    assert month(north, 5) == (D("50000.00"), D("0.00"), D("0.00"), D("4000.00"))
    assert month(south, 3) == (D("50000.00"), D("11000.00"), D("0.00"), D("0.00"))
    assert month(south, 5) == (D("50000.00"), D("0.00"), D("0.00"), D("750.00"))


def test_rep_lines_for_a_lead_cover_their_team_only(department, figures):
    lines = plan_vs_actual(viewer=department.lead_north, year=YEAR, scope="rep")
    by_name = {line.label: line for line in lines}
    assert set(by_name) == {department.rep_north.full_name, department.rep_north_2.full_name}
    assert month(by_name[department.rep_north.full_name], 3) == (
        D("25000.00"),
        D("30000.00"),
        D("7000.00"),
        D("0.00"),
    )
    assert by_name[department.rep_north.full_name].months[2].gap == D("0.00")
    assert month(by_name[department.rep_north_2.full_name], 3) == (
        D("25000.00"),
        D("2000.00"),
        D("0.00"),
        D("0.00"),
    )


def test_a_rep_sees_their_own_line(department, figures):
    assert plan_scopes_for(department.rep_north) == ("rep",)
    (line,) = plan_vs_actual(viewer=department.rep_north, year=YEAR, scope="rep")
    assert line.key == department.rep_north.pk
    assert (line.year.plan, line.year.booked) == (D("300000.00"), D("35000.00"))
    with pytest.raises(ValueError):
        plan_vs_actual(viewer=department.rep_north, year=YEAR, scope="department")


def test_narrowing_to_one_team(department, figures):
    lines = plan_vs_actual(viewer=department.head, year=YEAR, scope="rep", team_id=department.south.pk)
    people = sorted(
        [department.account_manager_south, department.rep_south],
        key=lambda person: (person.last_name, person.first_name, person.username),
    )
    assert [line.key for line in lines] == [person.pk for person in people]
    rep_south = next(line for line in lines if line.key == department.rep_south.pk)
    assert rep_south.year.booked == D("11000.00")


def test_scopes_per_role(department):
    assert plan_scopes_for(department.head) == ("department", "team", "rep")
    assert plan_scopes_for(department.analyst) == ("department", "team", "rep")
    assert plan_scopes_for(department.lead_north) == ("team", "rep")
    assert plan_scopes_for(department.assistant_north) == ("team", "rep")
    assert plan_scopes_for(department.account_manager_south) == ("rep",)


def booked_of(lines, person) -> Decimal:
    return next(line.year.booked for line in lines if line.key == person.pk)


def test_plan_vs_actual_runs_a_fixed_number_of_queries(
    department, figures, won_deal, django_assert_num_queries
):
    # allocations, booked, collected, forecast, line names
    with django_assert_num_queries(5):
        lines = plan_vs_actual(viewer=department.head, year=YEAR, scope="rep")
    assert (len(lines), booked_of(lines, department.rep_south)) == (4, D("11000.00"))
    for day in range(1, 20):
        won_deal(department.rep_south, "10.00", datetime.date(YEAR, 6, day))
    for _ in range(3):
        won_deal(UserFactory(role=Role.REP, team=department.south), "10.00", datetime.date(YEAR, 6, 1))
    with django_assert_num_queries(5):
        lines = plan_vs_actual(viewer=department.head, year=YEAR, scope="rep")
    assert (len(lines), booked_of(lines, department.rep_south)) == (7, D("11190.00"))


def test_plan_grid_totals_and_unallocated(department):
    plan = Plan.objects.create(
        year=YEAR, metric=PlanMetric.BOOKED, amount=D("1200.00"), created_by=department.head
    )
    plan_decompose(actor=department.head, plan=plan, month_method="even")
    plan.amount = D("1300.00")  # raised after the split: 100.00 not in any month yet
    plan.save()
    grid = plan_grid(plan=plan, viewer=department.head)
    assert grid.months == [D("100.00")] * 12
    assert grid.months_total == D("1200.00")
    assert grid.plan_unallocated == D("100.00")
    assert [block.team.name for block in grid.teams] == ["North", "South"]
    north = grid.teams[0]
    assert north.cells == [D("50.00")] * 12
    assert [row.total for row in north.rows] == [D("300.00"), D("300.00")]
    assert north.unallocated_total == D("0.00")


def test_plan_grid_for_a_lead_and_a_rep(department):
    plan = Plan.objects.create(
        year=YEAR, metric=PlanMetric.BOOKED, amount=D("1200.00"), created_by=department.head
    )
    plan_decompose(actor=department.head, plan=plan, month_method="even")
    lead_grid = plan_grid(plan=plan, viewer=department.lead_north, adjustable_team_ids={department.north.pk})
    assert lead_grid.months is None
    assert [block.team.name for block in lead_grid.teams] == ["North"]
    assert lead_grid.teams[0].editable is True
    rep_grid = plan_grid(plan=plan, viewer=department.rep_south)
    assert [(block.team.name, [row.rep for row in block.rows]) for block in rep_grid.teams] == [
        ("South", [department.rep_south])
    ]
    assert rep_grid.teams[0].cells == [None] * 12  # the team's totals are the lead's to see
