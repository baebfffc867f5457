"""Reads of plans: a rep's monthly plan (the board and reports share it), the scopes a
viewer sees, and plan vs actual per department, team or rep."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
)
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User
from accounts.roles import QUOTA_CARRYING_ROLES, sees_everything, sees_team
from core.money import money
from deals.models import Deal, StageKind
from targets.models import Allocation, Payment, PlanMetric

SCOPE_DEPARTMENT = "department"
SCOPE_TEAM = "team"
SCOPE_REP = "rep"
SCOPES = (SCOPE_DEPARTMENT, SCOPE_TEAM, SCOPE_REP)


def _year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def department_monthly_actuals(*, year: int, metric: str) -> dict[int, Decimal]:
    """The whole department's booked (won deals by close date) or collected (payments by
    date) revenue per month of ``year``, summed in the database. Used to split a plan by
    last year's shares, so it deliberately ignores who is asking."""
    start, end = _year_range(year)
    if metric == PlanMetric.COLLECTED:
        rows = (
            Payment.objects.counted()
            .filter(paid_on__range=(start, end))
            .annotate(month=ExtractMonth("paid_on"))
            .values("month")
            .annotate(total=Sum("amount"))
        )
    else:
        rows = (
            Deal.objects.filter(stage__kind=StageKind.WON, closed_at__range=(start, end))
            .annotate(month=ExtractMonth("closed_at"))
            .values("month")
            .annotate(total=Sum("amount"))
        )
    return {row["month"]: money(row["total"]) for row in rows.order_by()}


def plan_scopes_for(viewer) -> tuple[str, ...]:
    """The levels whose figures ``viewer`` may see: the head and analyst all three, a lead
    or assistant their team(s) and its reps, everybody else their own line."""
    if sees_everything(viewer):
        return SCOPES
    if sees_team(viewer):
        return (SCOPE_TEAM, SCOPE_REP)
    return (SCOPE_REP,)


@dataclass
class MonthFigures:
    """One month (or, with ``month`` None, the year) of a plan-vs-actual line."""

    month: int | None
    plan: Decimal = Decimal("0.00")
    plan_collected: Decimal = Decimal("0.00")
    booked: Decimal = Decimal("0.00")
    collected: Decimal = Decimal("0.00")
    forecast: Decimal = Decimal("0.00")

    @property
    def gap(self) -> Decimal:
        """How much booked revenue is still missing to reach the plan (never negative)."""
        return max(self.plan - self.booked, Decimal("0.00"))

    @property
    def percent(self) -> Decimal | None:
        """Booked as a percentage of plan, one decimal; None without a plan."""
        if not self.plan:
            return None
        return (self.booked * 100 / self.plan).quantize(Decimal("0.1"))

    @property
    def collected_percent(self) -> Decimal | None:
        if not self.plan_collected:
            return None
        return (self.collected * 100 / self.plan_collected).quantize(Decimal("0.1"))


@dataclass
class PlanLine:
    """Plan vs actual for one department, team or rep: 12 months and the year."""

    scope: str
    key: int | None
    label: str
    months: list[MonthFigures] = field(default_factory=list)
    year: MonthFigures = field(default_factory=lambda: MonthFigures(month=None))


FIGURES = ("plan", "plan_collected", "booked", "collected", "forecast")


Figures = dict[tuple[int | None, int], dict[str, Decimal]]

# What each scope's lines are keyed by: on allocations, and on deals (through their owner).
ALLOCATION_LEVELS = {
    SCOPE_DEPARTMENT: ({"team__isnull": True, "rep__isnull": True}, None),
    SCOPE_TEAM: ({"team__isnull": False, "rep__isnull": True}, "team_id"),
    SCOPE_REP: ({"rep__isnull": False}, "rep_id"),
}
DEAL_KEYS = {SCOPE_DEPARTMENT: None, SCOPE_TEAM: "owner__team_id", SCOPE_REP: "owner_id"}


def _add_plan_figures(figures: Figures, *, viewer, year, scope, team_id, rep_id) -> None:
    """The booked and collected plans' allocations at ``scope``'s level, per line and month."""
    level, allocation_key = ALLOCATION_LEVELS[scope]
    allocations = Allocation.objects.visible_to(viewer).filter(plan__year=year, **level)
    if team_id is not None:
        allocations = allocations.filter(team_id=team_id)
    if rep_id is not None:
        allocations = allocations.filter(rep_id=rep_id)
    plan_rows = allocations.values("plan__metric", "month", *([allocation_key] if allocation_key else []))
    for row in plan_rows.annotate(total=Sum("amount")).order_by():
        key = row[allocation_key] if allocation_key else None
        figure = "plan" if row["plan__metric"] == PlanMetric.BOOKED else "plan_collected"
        figures.setdefault((key, row["month"]), {})[figure] = money(row["total"])


def _add_grouped(figures: Figures, queryset, *, figure, date_field, key_path, total, scale=None) -> None:
    """Sum ``total`` over ``queryset`` per month of ``date_field`` (and per ``key_path``)."""
    keys = ["month"] + ([key_path] if key_path else [])
    rows = queryset.annotate(month=ExtractMonth(date_field)).values(*keys).annotate(total=total).order_by()
    for row in rows:
        key = row[key_path] if key_path else None
        value = row["total"] or Decimal("0.00")
        if scale is not None:
            value = value / scale
        figures.setdefault((key, row["month"]), {})[figure] = money(value)


def _narrowed(queryset, owner_path: str, *, team_id, rep_id):
    if team_id is not None:
        queryset = queryset.filter(**{f"{owner_path}__team_id": team_id})
    if rep_id is not None:
        queryset = queryset.filter(**{f"{owner_path}_id": rep_id})
    return queryset


def _add_actual_figures(figures: Figures, *, viewer, year, scope, team_id, rep_id) -> None:
    """Booked (won deals by close date), collected (payments by date) and forecast (open
    deals' weighted amount by expected close) per line and month."""
    start, end = _year_range(year)
    deal_key = DEAL_KEYS[scope]
    deals = _narrowed(Deal.objects.visible_to(viewer), "owner", team_id=team_id, rep_id=rep_id)
    booked = deals.filter(stage__kind=StageKind.WON, closed_at__range=(start, end))
    _add_grouped(
        figures, booked, figure="booked", date_field="closed_at", key_path=deal_key, total=Sum("amount")
    )

    payment_key = f"installment__deal__{deal_key}" if deal_key else None
    payments = _narrowed(
        Payment.objects.visible_to(viewer).counted(),
        "installment__deal__owner",
        team_id=team_id,
        rep_id=rep_id,
    ).filter(paid_on__range=(start, end))
    _add_grouped(
        figures, payments, figure="collected", date_field="paid_on", key_path=payment_key, total=Sum("amount")
    )

    weighted = Sum(
        ExpressionWrapper(
            F("amount") * Coalesce(F("probability"), F("stage__default_probability")),
            output_field=DecimalField(max_digits=20, decimal_places=2),
        )
    )
    pipeline = deals.filter(stage__kind=StageKind.OPEN, expected_close__range=(start, end))
    _add_grouped(
        figures,
        pipeline,
        figure="forecast",
        date_field="expected_close",
        key_path=deal_key,
        total=weighted,
        scale=Decimal(100),
    )


def _plan_line(scope: str, key, label: str, figures: Figures) -> PlanLine:
    line = PlanLine(scope=scope, key=key, label=label)
    for month in range(1, 13):
        month_figures = MonthFigures(month=month, **figures.get((key, month), {}))
        line.months.append(month_figures)
        for name in FIGURES:
            setattr(line.year, name, getattr(line.year, name) + getattr(month_figures, name))
    return line


def plan_vs_actual(
    *, viewer, year: int, scope: str = SCOPE_DEPARTMENT, team_id: int | None = None, rep_id: int | None = None
) -> list[PlanLine]:
    """Plan, booked, collected and forecast per month of ``year``, one line per department
    (scope ``department``), team (``team``) or rep (``rep``) that ``viewer`` may see,
    optionally narrowed to one team or rep.

    - plan: the booked-revenue plan's allocations at that level; plan_collected likewise
      for the collected-revenue plan;
    - booked: won deals' amounts by close date;
    - collected: payments by date;
    - forecast: open deals' amount × probability (the deal's, else its stage's) by
      expected close month.

    Runs a fixed number of aggregate queries (one per figure, plus the line names) whatever
    the number of rows; a team's and a rep's actuals follow the deal owner's current team."""
    if scope not in plan_scopes_for(viewer):
        raise ValueError(f"scope {scope!r} is not available to this viewer")
    figures: Figures = {}
    narrowing = {"viewer": viewer, "year": year, "scope": scope, "team_id": team_id, "rep_id": rep_id}
    _add_plan_figures(figures, **narrowing)
    _add_actual_figures(figures, **narrowing)
    labels = _line_labels(viewer, scope, {key for key, _month in figures}, team_id=team_id, rep_id=rep_id)
    return [_plan_line(scope, key, label, figures) for key, label in labels]


def _line_labels(
    viewer, scope, keys_with_figures, *, team_id=None, rep_id=None
) -> list[tuple[int | None, str]]:
    """The lines to show, in display order: every visible team (or quota-carrying rep) and
    anybody else with figures, so a team without deals still shows its plan."""
    if scope == SCOPE_DEPARTMENT:
        return [(None, str(_("Department")))]
    if scope == SCOPE_TEAM:
        teams = Team.objects.visible_to(viewer)
        if team_id is not None:
            teams = teams.filter(pk=team_id)
        lines = [(team.pk, team.name) for team in teams.order_by("name", "pk")]
        if None in keys_with_figures and team_id is None and rep_id is None:
            lines.append((None, str(_("No team"))))
        return lines
    people = User.objects.visible_to(viewer).filter(
        Q(pk__in=[key for key in keys_with_figures if key is not None])
        | Q(is_active=True, role__in=QUOTA_CARRYING_ROLES, team__isnull=False)
    )
    if plan_scopes_for(viewer) == (SCOPE_REP,):
        # A rep sees their teammates' names, not their plan lines.
        people = people.filter(pk=viewer.pk)
    if team_id is not None:
        people = people.filter(team_id=team_id)
    if rep_id is not None:
        people = people.filter(pk=rep_id)
    people = people.select_related("team").order_by("team__name", "last_name", "first_name", "username")
    return [(person.pk, person.full_name) for person in people]


def rep_month_plans(*, year: int, month: int, rep_ids: Iterable[int]) -> dict[int, Decimal]:
    """Each rep's booked-revenue plan for one month (reps without an allocation are absent)."""
    rows = (
        Allocation.objects.filter(
            plan__year=year, plan__metric=PlanMetric.BOOKED, month=month, rep_id__in=list(rep_ids)
        )
        .values("rep_id")
        .annotate(total=Sum("amount"))
    )
    return {row["rep_id"]: money(row["total"]) for row in rows}
