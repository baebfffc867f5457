"""The role-aware home page (selectors): a person's own month, a lead's (or assistant's)
team, the head's (or analyst's) department — each through ``visible_to``.

Every figure is aggregated in the database, in a fixed number of queries whatever the
size of the team or the department; overdue clients come from the nightly alerts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from accounts.models import Team, User
from accounts.roles import SELLING_ROLES, sees_team
from accounts.visibility import sees_everything, team_ids_of
from clients.models import Activity, ActivityKind, Client, Task
from clients.selectors import open_task_list, task_counts
from core.money import money
from core.versions import latest
from deals.models import Deal, StageKind
from deals.selectors import Clock, primary_warning_qs, warning_short_label
from reports.board import BOARD_CACHE_SECONDS, board_version
from reports.models import AlertStatus, OverdueAlert
from reports.selectors import alert_summary
from reports.services.common import day_start, is_workday
from targets.models import Allocation, PlanMetric
from targets.selectors import effective_norms, rep_month_plans

LIST_LENGTH = 8


def dashboard_version() -> str:
    """The home's aggregated data as of its last change, in one query of index-only maxima:
    the board's (deals, facts, activities, stages, warning settings) and the newest change of
    an alert (the nightly run writes ``updated_at``; a new one has a higher id) and of a client
    (the overdue list shows names), and of a person (a team or a role changes the scope)."""
    return board_version(
        latest(OverdueAlert, "updated_at"),
        latest(OverdueAlert, "id"),
        latest(Client, "updated_at"),
        latest(User, "updated_at"),
    )


def _cached_figures(viewer: User, clock: Clock, compute):
    """The open-deal figures and the alerts, computed once per change of the data (and at
    most every 5 minutes, as the board): they aggregate every open deal and alert in scope,
    which grows with the department, while what the home shows does not change between two
    writes."""
    key = f"home-figures:{viewer.pk}:{clock.today.isoformat()}:{dashboard_version()}"
    return cache.get_or_set(key, compute, BOARD_CACHE_SECONDS)


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@dataclass
class DashboardLine:
    """One person of a lead's team, or one team of the department."""

    label: str
    plan: Decimal | None
    won: Decimal
    calls_today: int
    calls_norm: int
    href: str | None = None

    @property
    def gap(self) -> Decimal | None:
        return None if self.plan is None else max(self.plan - self.won, Decimal("0.00"))

    @property
    def plan_percent(self) -> int | None:
        return int(self.won * 100 / self.plan) if self.plan else None

    @property
    def below_norm(self) -> bool:
        return self.calls_today < self.calls_norm


@dataclass
class Dashboard:
    kind: str  # "person", "team" or "department"
    title: str
    today: datetime.date
    plan: Decimal | None
    won: Decimal
    won_count: int
    calls_today: int
    calls_norm: int
    tasks: list[Task]  # open, due today or earlier
    task_total: int
    task_overdue: int
    overdue_clients: list[dict]
    alerts: dict
    warnings: list[tuple[str, str, int]] | None = None
    open_deals: int = 0
    lines: list[DashboardLine] = field(default_factory=list)
    links: dict = field(default_factory=dict)

    @property
    def gap(self) -> Decimal | None:
        return None if self.plan is None else max(self.plan - self.won, Decimal("0.00"))

    @property
    def plan_percent(self) -> int | None:
        return int(self.won * 100 / self.plan) if self.plan else None

    @property
    def plan_bar_percent(self) -> int:
        return min(self.plan_percent or 0, 100)

    @property
    def below_norm(self) -> bool:
        return self.calls_today < self.calls_norm


def _scope(viewer: User) -> tuple[str, list[int]]:
    if sees_everything(viewer):
        return "department", []
    if sees_team(viewer):
        team_ids = list(team_ids_of(viewer).values_list("pk", flat=True))
        if team_ids:
            return "team", team_ids
    return "person", []


def _plan(kind: str, viewer: User, team_ids: list[int], today: datetime.date) -> Decimal | None:
    cells = Allocation.objects.filter(
        plan__year=today.year, plan__metric=PlanMetric.BOOKED, month=today.month
    )
    if kind == "person":
        plans = rep_month_plans(year=today.year, month=today.month, rep_ids=[viewer.pk])
        return money(plans[viewer.pk]) if viewer.pk in plans else None
    if kind == "team":
        cells = cells.filter(team_id__in=team_ids, rep__isnull=True)
    else:
        cells = cells.filter(team__isnull=True, rep__isnull=True)
    total = cells.aggregate(total=Sum("amount"))["total"]
    return None if total is None else money(total)


def _people(kind: str, viewer: User):
    if kind == "person":
        return User.objects.filter(pk=viewer.pk)
    return User.objects.visible_to(viewer).filter(is_active=True, role__in=SELLING_ROLES)


def _today_calls(people_ids, clock: Clock):
    since = day_start(clock.today)
    return Activity.objects.filter(
        owner_id__in=people_ids,
        kind=ActivityKind.CALL,
        occurred_at__gte=since,
        occurred_at__lt=since + datetime.timedelta(days=1),
    )


def _today_first(tasks, today: datetime.date) -> list[Task]:
    """Today's tasks by time, then the overdue ones, the latest first (two queries)."""
    due_today = list(tasks.filter(due_date=today)[:LIST_LENGTH])
    # Always both queries (a slice of 0 would skip one): the page's query count stays constant.
    overdue = list(tasks.filter(due_date__lt=today).order_by("-due_date", "pk")[:LIST_LENGTH])
    return (due_today + overdue)[:LIST_LENGTH]


def dashboard_for(viewer: User, *, clock: Clock | None = None) -> Dashboard:
    clock = clock or Clock.current()
    today = clock.today
    kind, team_ids = _scope(viewer)
    workday = is_workday(today)

    # Stages by id rather than by joining on their kind: the planner then estimates the
    # open deals from the stage column's statistics instead of assuming most deals are open.
    stages = clock.policy.stage_kinds
    open_ids = [pk for pk, stage_kind in stages.items() if stage_kind == StageKind.OPEN]
    won_ids = [pk for pk, stage_kind in stages.items() if stage_kind == StageKind.WON]
    won_this_month = Q(stage_id__in=won_ids, closed_at__gte=clock.month_start, closed_at__lte=clock.month_end)
    deals = Deal.objects.visible_to(viewer)
    if kind == "person":
        deals = deals.filter(owner=viewer)
    # Each open deal counted under its most severe warning only.
    primary = primary_warning_qs(clock, is_open=Q(stage_id__in=open_ids))
    alerts = OverdueAlert.objects.visible_to(viewer).filter(status=AlertStatus.OPEN)
    if kind == "person":
        alerts = alerts.filter(installment__deal__owner=viewer)

    def figures():
        open_totals = deals.filter(stage_id__in=open_ids).aggregate(
            open_deals=Count("pk"),
            **{f"warn_{key}": Count("pk", filter=condition) for key, condition in primary.items()},
        )
        won_totals = deals.filter(won_this_month).aggregate(won=Sum("amount"), won_count=Count("pk"))
        overdue_clients = list(
            alerts.values("client", "client__name")
            .annotate(outstanding=Sum("outstanding"), days=Max("days_overdue"), installments=Count("pk"))
            .order_by("-outstanding", "client__name")[:LIST_LENGTH]
        )
        summary = (
            alert_summary(viewer=viewer)
            if kind != "person"
            else alerts.aggregate(
                open=Count("pk"), outstanding=Sum("outstanding"), checked_on=Max("checked_on")
            )
        )
        return {**open_totals, **won_totals}, overdue_clients, summary

    totals, overdue_clients, alert_figures = _cached_figures(viewer, clock, figures)

    people = list(effective_norms(viewer=viewer, people=_people(kind, viewer)).select_related("team"))
    people_ids = [person.pk for person in people]
    calls = _today_calls(people_ids, clock)

    tasks = open_task_list(viewer=viewer).filter(due_date__lte=today)
    if kind == "person":
        tasks = tasks.filter(owner=viewer)
    counts = task_counts(tasks, today=today)

    dashboard = Dashboard(
        kind=kind,
        title=_title(kind, viewer, team_ids),
        today=today,
        plan=_plan(kind, viewer, team_ids, today),
        won=money(totals["won"]),
        won_count=totals["won_count"],
        calls_today=calls.count(),
        calls_norm=sum(person.calls_per_day for person in people) if workday else 0,
        tasks=_today_first(tasks, today),
        task_total=counts.overdue + counts.today,
        task_overdue=counts.overdue,
        overdue_clients=overdue_clients,
        alerts=alert_figures,
        open_deals=totals["open_deals"],
        links={
            "tasks": _url("tasks:my_day"),
            "board": _url("board"),
            "alerts": _url("reports:alerts"),
            "fulfilment": _url("reports:fulfilment"),
            "activity": _url("reports:activity"),
        },
    )
    if kind != "person":
        dashboard.warnings = [
            (key, warning_short_label(key, clock.policy), totals[f"warn_{key}"]) for key in primary
        ]
        dashboard.lines = (
            _person_lines(people, deals.filter(won_this_month), calls, today, workday)
            if kind == "team"
            else _team_lines(viewer, people, deals.filter(won_this_month), calls, today, workday)
        )
    return dashboard


def _title(kind: str, viewer: User, team_ids: list[int]) -> str:
    if kind == "department":
        return _("The department")
    if kind == "team":
        names = Team.objects.filter(pk__in=team_ids).order_by("name").values_list("name", flat=True)
        return ", ".join(names)
    return _("Your month")


def _person_lines(people, won_deals, calls, today, workday) -> list[DashboardLine]:
    """A lead's team, one line per person: four queries whatever the team's size."""
    ids = [person.pk for person in people]
    plans = rep_month_plans(year=today.year, month=today.month, rep_ids=ids)
    won = dict(
        won_deals.order_by().values("owner_id").annotate(total=Sum("amount")).values_list("owner_id", "total")
    )
    called = dict(calls.order_by().values("owner_id").annotate(n=Count("pk")).values_list("owner_id", "n"))
    return [
        DashboardLine(
            label=person.full_name,
            plan=money(plans[person.pk]) if person.pk in plans else None,
            won=money(won.get(person.pk)),
            calls_today=called.get(person.pk, 0),
            calls_norm=person.calls_per_day if workday else 0,
        )
        for person in people
    ]


def _team_lines(viewer, people, won_deals, calls, today, workday) -> list[DashboardLine]:
    """The department, one line per team: a fixed number of queries whatever its size."""
    teams = list(Team.objects.visible_to(viewer).order_by("name"))
    plans = dict(
        Allocation.objects.filter(
            plan__year=today.year,
            plan__metric=PlanMetric.BOOKED,
            month=today.month,
            team__isnull=False,
            rep__isnull=True,
        )
        .order_by()
        .values("team_id")
        .annotate(total=Sum("amount"))
        .values_list("team_id", "total")
    )
    won = dict(
        won_deals.order_by()
        .values("owner__team_id")
        .annotate(total=Sum("amount"))
        .values_list("owner__team_id", "total")
    )
    called = dict(
        calls.order_by().values("owner__team_id").annotate(n=Count("pk")).values_list("owner__team_id", "n")
    )
    norms: dict[int, int] = {}
    for person in people:
        if person.team_id is not None:
            norms[person.team_id] = norms.get(person.team_id, 0) + person.calls_per_day
    return [
        DashboardLine(
            label=team.name,
            plan=money(plans[team.pk]) if team.pk in plans else None,
            won=money(won.get(team.pk)),
            calls_today=called.get(team.pk, 0),
            calls_norm=norms.get(team.pk, 0) if workday else 0,
        )
        for team in teams
    ]
