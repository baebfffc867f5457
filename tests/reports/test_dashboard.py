"""The role-aware home page: a person's month, a lead's team with board warnings, the
head's department."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deals.models import Deal
from deals.services import deal_line_add
from reports.dashboard import dashboard_for
from reports.services.alerts import alerts_refresh
from reports.services.common import is_workday
from targets.models import Allocation, PlanMetric
from tests.factories import (
    ClientFactory,
    InstallmentFactory,
    PlanFactory,
    ProductFactory,
    TaskFactory,
    UserFactory,
)
from tests.reports.conftest import log, make_deal, norm

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def month_of_work(department, east, today):
    d = department
    plan = PlanFactory(
        year=today.year, metric=PlanMetric.BOOKED, amount=Decimal("120000.00"), created_by=d.head
    )
    for team, rep, amount in [
        (None, None, "10000.00"),
        (d.north, None, "6000.00"),
        (d.south, None, "4000.00"),
        (d.north, d.rep_north, "3500.00"),
        (d.north, d.rep_north_2, "2500.00"),
        (d.south, d.rep_south, "4000.00"),
    ]:
        Allocation.objects.create(plan=plan, month=today.month, team=team, rep=rep, amount=Decimal(amount))
    norm(role="rep", calls_per_day=10, meetings_per_week=5)

    won = make_deal(d.rep_north, stage_name="Won", amount="2000.00", closed=today)
    make_deal(d.rep_south, stage_name="Won", amount="1000.00", closed=today)
    make_deal(
        d.rep_north_2,
        stage_name="Won",
        amount="9000.00",
        closed=today.replace(day=1) - datetime.timedelta(days=1),
    )
    month_ago = timezone.now() - datetime.timedelta(days=30)
    silent = make_deal(
        d.rep_north,
        stage_name="Proposal",
        created=month_ago,
        expected_close=today - datetime.timedelta(days=1),
    )
    make_deal(
        d.rep_north,
        stage_name="Qualified",
        next_step="Send the offer",
        next_step_due=today,
        title="Fresh deal",
    )

    now = timezone.now()
    log(d.rep_north, "call", now, 3)
    log(d.rep_south, "call", now, 12)
    log(d.rep_north, "call", now - datetime.timedelta(days=2), 7)
    client = ClientFactory(owner=d.rep_north, name="Kama Steel")
    for step, due in [("Call back", -1), ("Send contract", 0), ("Later", 1)]:
        TaskFactory(
            client=client, owner=d.rep_north, title=step, due_date=today + datetime.timedelta(days=due)
        )
    TaskFactory(
        client=ClientFactory(owner=d.rep_south), owner=d.rep_south, title="South step", due_date=today
    )

    InstallmentFactory(deal=won, due_date=today - datetime.timedelta(days=5), amount=Decimal("800.00"))
    alerts_refresh(today=today)
    return {"silent": silent, "client": won.client}


def test_a_rep_sees_their_month(department, month_of_work, today):
    board = dashboard_for(department.rep_north)
    assert board.kind == "person"
    assert (board.plan, board.won, board.gap, board.won_count) == (
        Decimal("3500.00"),
        Decimal("2000.00"),
        Decimal("1500.00"),
        1,
    )
    assert (board.calls_today, board.calls_norm) == (3, 10 if is_workday(today) else 0)
    assert [task.title for task in board.tasks] == ["Send the offer", "Send contract", "Call back"]
    assert (board.task_total, board.task_overdue) == (3, 1)
    assert [(row["client__name"], row["outstanding"], row["days"]) for row in board.overdue_clients] == [
        (month_of_work["client"].name, Decimal("800.00"), 5)
    ]
    assert board.warnings is None and board.lines == []


def test_a_lead_sees_the_team_and_the_board_warnings(department, month_of_work, today):
    board = dashboard_for(department.lead_north)
    assert (board.kind, board.title) == ("team", "North")
    assert (board.plan, board.won, board.gap) == (Decimal("6000.00"), Decimal("2000.00"), Decimal("4000.00"))
    assert (board.calls_today, board.calls_norm) == (3, 20 if is_workday(today) else 0)
    assert board.open_deals == 2
    # the silent deal carries all four warnings: it counts once, under the most severe
    assert {key: count for key, _label, count in board.warnings} == {
        "no_activity": 1,
        "past_close": 0,
        "no_open_task": 0,
        "stale_in_stage": 0,
        "not_reviewed": 0,
    }
    lines = {line.label: (line.plan, line.won, line.calls_today) for line in board.lines}
    assert lines == {
        department.lead_north.full_name: (None, Decimal("0.00"), 0),
        department.rep_north.full_name: (Decimal("3500.00"), Decimal("2000.00"), 3),
        department.rep_north_2.full_name: (Decimal("2500.00"), Decimal("0.00"), 0),
        department.sdr_north.full_name: (None, Decimal("0.00"), 0),
    }
    assert [task.title for task in board.tasks] == ["Send the offer", "Send contract", "Call back"]
    assert len(board.overdue_clients) == 1


def test_the_cached_figures_follow_a_new_deal_and_a_resolved_alert(department, month_of_work):
    """The open-deal figures and the alerts are cached per version of the data: the next
    visit after a write shows it (the version moves), an unchanged one reads the cache."""
    from reports.models import AlertStatus, OverdueAlert

    lead = department.lead_north
    first = dashboard_for(lead)
    assert (first.open_deals, len(first.overdue_clients), first.alerts["open"]) == (2, 1, 1)
    with CaptureQueriesContext(connection) as cached:
        dashboard_for(lead)
    make_deal(department.rep_north_2, stage_name="Proposal")
    assert dashboard_for(lead).open_deals == 3
    alert = OverdueAlert.objects.get()
    alert.status = AlertStatus.RESOLVED
    alert.resolved_on = timezone.localdate()
    alert.updated_at = timezone.now()
    alert.save()
    with CaptureQueriesContext(connection) as refilled:
        again = dashboard_for(lead)
    assert (again.open_deals, again.overdue_clients, again.alerts["open"]) == (3, [], 0)
    assert len(refilled) - len(cached) == 4  # the open, won, overdue-clients and alert aggregates


def test_the_head_sees_the_department_by_team(department, month_of_work, today):
    board = dashboard_for(department.head)
    assert board.kind == "department"
    assert (board.plan, board.won, board.gap) == (Decimal("10000.00"), Decimal("3000.00"), Decimal("7000.00"))
    assert (board.calls_today, board.calls_norm) == (15, 40 if is_workday(today) else 0)
    assert [(line.label, line.plan, line.won, line.calls_today) for line in board.lines] == [
        ("East", None, Decimal("0.00"), 0),
        ("North", Decimal("6000.00"), Decimal("2000.00"), 3),
        ("South", Decimal("4000.00"), Decimal("1000.00"), 12),
    ]
    assert [task.title for task in board.tasks] == [
        "Send the offer",
        "Send contract",
        "South step",
        "Call back",
    ]
    assert board.alerts["open"] == 1


def test_the_analyst_sees_the_department_too(department, month_of_work):
    assert dashboard_for(department.analyst).kind == "department"


def test_someone_else_in_the_team_sees_nothing_of_it(department, month_of_work):
    board = dashboard_for(department.rep_south)
    assert (board.plan, board.won) == (Decimal("4000.00"), Decimal("1000.00"))
    assert [task.title for task in board.tasks] == ["South step"]
    assert board.overdue_clients == []


@pytest.mark.parametrize(
    ("role", "scope"),
    [("head", "department"), ("lead_north", "team"), ("rep_north", "person"), ("assistant_north", "team")],
)
def test_the_home_page_greets_and_shows_the_scope(client, department, month_of_work, role, scope):
    person = getattr(department, role)
    client.force_login(person)
    content = client.get(reverse("home")).content.decode()
    assert f'<h1 data-testid="home-title">Welcome, {person.first_name}</h1>' in content
    assert f'data-scope="{scope}"' in content
    assert person.get_role_display() in content
    assert ('data-testid="board-warnings"' in content) == (scope != "person")


def pending_discount(deal) -> None:
    """A line above its product's limit, awaiting the lead's or the head's approval."""
    deal_line_add(
        by=deal.owner,
        deal=deal,
        product=ProductFactory(max_discount_percent=Decimal("10")),
        quantity=Decimal("1"),
        discount_percent=Decimal("30"),
    )


def test_the_home_page_runs_a_constant_number_of_queries(client, department, month_of_work, today):
    client.force_login(department.head)
    pending_discount(month_of_work["silent"])
    with CaptureQueriesContext(connection) as small:
        page = client.get(reverse("home"))
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="discount-awaiting"') == 1
    for number in range(10):
        person = UserFactory(username=f"more{number}", role="rep", team=department.south)
        make_deal(person, stage_name="Won", closed=today)
        pending_discount(make_deal(person, stage_name="Lead", next_step="Call", next_step_due=today))
        log(person, "call", timezone.now(), 2)
    with CaptureQueriesContext(connection) as large:
        page = client.get(reverse("home"))
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="discount-awaiting"') == 10
    assert 'data-testid="discounts-awaiting-approval" data-count="11"' in page.content.decode()
    assert len(small.captured_queries) > 0
    assert len(large.captured_queries) == len(small.captured_queries)
    assert Deal.objects.count() > 20
