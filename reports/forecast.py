"""The forecast for a period (``core.periods``: a month, a quarter, …) per person, team and
department: quota (the booked plan's cells from targets), closed (deals won in the period,
by close date), and the open deals expected to close in it by their effective forecast
category (a manager's override, else the owner's): commit, best case, pipeline (omitted
deals are left out). Gap = quota − closed − commit, never below zero.

Everything is summed in the database: one grouped query for won deals and one for open
deals (each by owner and month), one for the plan cells — plus the people and teams in
scope — whatever the number of deals, people or months. Teams roll up their people by the
owner's current team; the department rolls up everyone (only for those who see it)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext as _

from accounts.models import Team, User
from accounts.roles import sees_team, sells
from accounts.visibility import sees_everything
from core.money import money
from core.periods import Period
from deals.models import Deal, ForecastCategory, StageKind, effective_forecast_category
from deals.rules import scope_people
from reports.models import Scope
from targets.models import Allocation, PlanMetric

FIGURES = ("quota", "closed", "commit", "best_case", "pipeline", "gap")
OPEN_CATEGORIES = (ForecastCategory.COMMIT, ForecastCategory.BEST_CASE, ForecastCategory.PIPELINE)


@dataclass
class ForecastRow:
    scope: str
    label: str
    team: Team | None = None
    rep: User | None = None
    quota: Decimal | None = None
    closed: Decimal = Decimal("0.00")
    commit: Decimal = Decimal("0.00")
    best_case: Decimal = Decimal("0.00")
    pipeline: Decimal = Decimal("0.00")
    months: dict = field(default_factory=dict)  # first of month → ForecastRow (no months)

    @property
    def gap(self) -> Decimal | None:
        if self.quota is None:
            return None
        return max(self.quota - self.closed - self.commit, Decimal("0.00"))

    def add(self, other: ForecastRow) -> None:
        for name in ("closed", "commit", "best_case", "pipeline"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {
            "scope": self.scope,
            "team": {"id": self.team.pk, "name": self.team.name} if self.team else None,
            "rep": {"id": self.rep.pk, "username": self.rep.username, "full_name": self.rep.full_name}
            if self.rep
            else None,
            "label": self.label,
            **{name: getattr(self, name) for name in FIGURES},
        }


def _month(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)


def _deal_figures(deals, period: Period) -> dict[int, dict[datetime.date, dict[str, Decimal]]]:
    """owner → month → figure → amount, from two grouped queries."""
    result: dict[int, dict[datetime.date, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    won = (
        deals.filter(stage__kind=StageKind.WON, closed_at__gte=period.start, closed_at__lte=period.end)
        .order_by()
        .values("owner", year=ExtractYear("closed_at"), month=ExtractMonth("closed_at"))
        .annotate(total=Sum("amount"))
    )
    for row in won:
        result[row["owner"]][_month(row["year"], row["month"])]["closed"] = money(row["total"])
    open_deals = (
        deals.filter(
            stage__kind=StageKind.OPEN, expected_close__gte=period.start, expected_close__lte=period.end
        )
        .annotate(category=effective_forecast_category())
        .filter(category__in=OPEN_CATEGORIES)
        .order_by()
        .values("owner", "category", year=ExtractYear("expected_close"), month=ExtractMonth("expected_close"))
        .annotate(total=Sum("amount"))
    )
    for row in open_deals:
        result[row["owner"]][_month(row["year"], row["month"])][row["category"]] = money(row["total"])
    return result


def _quotas(viewer: User, period: Period) -> dict[tuple, dict[datetime.date, Decimal]]:
    """(scope, id) → month → the booked plan's cell, one grouped query. A month the period
    only touches counts whole (plans are monthly)."""
    months = period.months()
    by_year: dict[int, list[int]] = defaultdict(list)
    for month in months:
        by_year[month.year].append(month.month)
    condition = Q(pk__in=[])
    for year, numbers in by_year.items():
        condition |= Q(plan__year=year, month__in=numbers)
    cells = (
        Allocation.objects.visible_to(viewer)
        .filter(condition, plan__metric=PlanMetric.BOOKED)
        .order_by()
        .values("plan__year", "month", "team", "rep")
        .annotate(total=Sum("amount"))
    )
    result: dict[tuple, dict[datetime.date, Decimal]] = defaultdict(dict)
    for cell in cells:
        if cell["rep"] is not None:
            key = (Scope.REP, cell["rep"])
        elif cell["team"] is not None:
            key = (Scope.TEAM, cell["team"])
        else:
            key = (Scope.DEPARTMENT, None)
        result[key][_month(cell["plan__year"], cell["month"])] = money(cell["total"])
    return result


def _row_from(scope: str, label: str, months: list[datetime.date], **ids) -> ForecastRow:
    row = ForecastRow(scope=scope, label=label, **ids)
    row.months = {month: ForecastRow(scope=scope, label=label, **ids) for month in months}
    return row


def _fill(row: ForecastRow, figures: dict[datetime.date, dict[str, Decimal]]) -> None:
    for month, values in figures.items():
        part = row.months.get(month)
        if part is None:
            continue
        for name, amount in values.items():
            setattr(part, name, getattr(part, name) + amount)
            setattr(row, name, getattr(row, name) + amount)


def _set_quota(row: ForecastRow, cells: dict[datetime.date, Decimal] | None) -> None:
    if not cells:
        return
    row.quota = money(sum(cells.values(), Decimal("0")))
    for month, part in row.months.items():
        if month in cells:
            part.quota = cells[month]


def forecast(
    *, viewer: User, period: Period, team: Team | None = None, owner: User | None = None
) -> list[ForecastRow]:
    """Department (for those who see everything, unless narrowed), teams, then people, each
    with its months; only what the viewer may see."""
    months = period.months()
    people = (
        scope_people(viewer).select_related("team").order_by("team__name", "last_name", "first_name", "pk")
    )
    deals = Deal.objects.visible_to(viewer)
    if owner is not None:
        people, deals = people.filter(pk=owner.pk), deals.filter(owner=owner)
    elif team is not None:
        people, deals = people.filter(team=team), deals.filter(owner__team=team)
    figures = _deal_figures(deals, period)
    people = [person for person in people if person.pk in figures or sells(person)]
    quotas = _quotas(viewer, period)

    rep_rows = []
    for person in people:
        row = _row_from(Scope.REP, person.full_name, months, rep=person, team=None)
        _fill(row, figures.get(person.pk, {}))
        _set_quota(row, quotas.get((Scope.REP, person.pk)))
        rep_rows.append(row)

    teams = Team.objects.visible_to(viewer).order_by("name", "pk")
    if not (sees_everything(viewer) or sees_team(viewer)):
        teams = teams.none()  # a person sees their own row, not their team's
    elif owner is not None:
        teams = teams.none()
    elif team is not None:
        teams = teams.filter(pk=team.pk)
    team_rows = []
    for each in teams:
        row = _row_from(Scope.TEAM, each.name, months, team=each)
        for rep_row in rep_rows:
            if rep_row.rep.team_id == each.pk:
                _add_months(row, rep_row)
        _set_quota(row, quotas.get((Scope.TEAM, each.pk)))
        team_rows.append(row)

    rows: list[ForecastRow] = []
    if sees_everything(viewer) and team is None and owner is None:
        department = _row_from(Scope.DEPARTMENT, _("Department"), months)
        for rep_row in rep_rows:
            _add_months(department, rep_row)
        # Deals of people outside the selling roles (a former seller, the head) count too.
        listed = {row.rep.pk for row in rep_rows}
        for person_id, person_figures in figures.items():
            if person_id not in listed:
                _fill(department, person_figures)
        _set_quota(department, quotas.get((Scope.DEPARTMENT, None)))
        rows.append(department)
    return [*rows, *team_rows, *rep_rows]


def _add_months(total: ForecastRow, part: ForecastRow) -> None:
    total.add(part)
    for month, piece in part.months.items():
        total.months[month].add(piece)
