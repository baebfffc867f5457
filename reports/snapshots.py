"""Reads of the weekly forecast snapshots: what changed since last week, and forecast
accuracy (the commit at the start of a period against what closed). Both read a fixed
number of queries whatever the number of deals or people."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from accounts.models import Team, User
from accounts.roles import sees_team
from accounts.visibility import sees_everything
from core.money import money
from core.periods import Period
from deals.models import Deal, ForecastCategory, StageKind
from deals.rules import scope_people
from reports.models import ForecastSnapshot, Scope
from reports.services.common import percent
from reports.services.snapshots import week_of

CHANGE_KINDS = ("added", "slipped", "moved", "won", "lost")


def _narrowed(queryset, *, team: Team | None, owner: User | None, owner_path: str = "owner"):
    if owner is not None:
        return queryset.filter(**{owner_path: owner})
    if team is not None:
        return queryset.filter(**{f"{owner_path}__team": team})
    return queryset


def snapshot_rows(*, viewer: User):
    return ForecastSnapshot.objects.visible_to(viewer).select_related("deal", "owner", "stage", "team")


def previous_week_taken(week: datetime.date) -> bool:
    """Whether the nightly run took a snapshot for the week before ``week``."""
    return ForecastSnapshot.objects.filter(week=week_of(week) - datetime.timedelta(days=7)).exists()


def week_changes(
    *, viewer: User, week: datetime.date, team: Team | None = None, owner: User | None = None
) -> dict[str, list[dict]]:
    """Deals added to the forecast since the previous week's snapshot, slipped (expected
    close later or gone), moved category, and won or lost (in last week's snapshot, closed
    since). Nothing when the previous week has no snapshot (nothing to compare with)."""
    week = week_of(week)
    before = week - datetime.timedelta(days=7)
    changes: dict[str, list[dict]] = {kind: [] for kind in CHANGE_KINDS}
    if not previous_week_taken(week):
        return changes
    rows = _narrowed(
        snapshot_rows(viewer=viewer).select_related("deal__stage").filter(week__in=[week, before]),
        team=team,
        owner=owner,
    )
    now: dict[int, ForecastSnapshot] = {}
    then: dict[int, ForecastSnapshot] = {}
    for row in rows.order_by("deal_id"):
        (now if row.week == week else then)[row.deal_id] = row
    for deal_id, row in now.items():
        old = then.get(deal_id)
        if old is None:
            changes["added"].append({"now": row, "before": None})
            continue
        if old.expected_close and (row.expected_close is None or row.expected_close > old.expected_close):
            changes["slipped"].append({"now": row, "before": old})
        if old.category != row.category:
            changes["moved"].append({"now": row, "before": old})
    for deal_id, old in then.items():
        if deal_id in now:
            continue
        kind = old.deal.stage.kind
        if kind == StageKind.WON:
            changes["won"].append({"now": None, "before": old})
        elif kind == StageKind.LOST:
            changes["lost"].append({"now": None, "before": old})
    return changes


@dataclass
class AccuracyRow:
    scope: str
    label: str
    team: Team | None = None
    rep: User | None = None
    commit: Decimal = Decimal("0.00")
    commit_won: Decimal = Decimal("0.00")
    closed: Decimal = Decimal("0.00")

    @property
    def accuracy(self) -> Decimal | None:
        """What closed in the period, in % of the commit at its start."""
        return percent(self.closed, self.commit)

    @property
    def commit_hit(self) -> Decimal | None:
        """How much of the commit itself was won in the period, in %."""
        return percent(self.commit_won, self.commit)

    def add(self, other: AccuracyRow) -> None:
        self.commit += other.commit
        self.commit_won += other.commit_won
        self.closed += other.closed

    def as_dict(self) -> dict:
        return {
            "scope": self.scope,
            "label": self.label,
            "team": {"id": self.team.pk, "name": self.team.name} if self.team else None,
            "rep": {"id": self.rep.pk, "username": self.rep.username, "full_name": self.rep.full_name}
            if self.rep
            else None,
            "commit": self.commit,
            "commit_won": self.commit_won,
            "closed": self.closed,
            "accuracy": self.accuracy,
            "commit_hit": self.commit_hit,
        }


def start_week(period: Period) -> datetime.date:
    """The snapshot a period's commit is read from: the week the period starts in."""
    return week_of(period.start)


def forecast_accuracy(
    *, viewer: User, period: Period, team: Team | None = None, owner: User | None = None
) -> tuple[datetime.date, list[AccuracyRow]]:
    """Per person (then team and department, as on the forecast page): the commit in the
    snapshot of the week the period starts in (committed deals expected to close in the
    period), how much of it was won in the period, and everything won in the period."""
    week = start_week(period)
    in_period = Q(
        deal__stage__kind=StageKind.WON, deal__closed_at__gte=period.start, deal__closed_at__lte=period.end
    )
    committed = _narrowed(
        ForecastSnapshot.objects.visible_to(viewer).filter(
            week=week,
            category=ForecastCategory.COMMIT,
            expected_close__gte=period.start,
            expected_close__lte=period.end,
        ),
        team=team,
        owner=owner,
    )
    figures: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in (
        committed.order_by()
        .values("owner")
        .annotate(commit=Sum("amount"), commit_won=Sum("deal__amount", filter=in_period))
    ):
        figures[row["owner"]]["commit"] = money(row["commit"])
        figures[row["owner"]]["commit_won"] = money(row["commit_won"])
    won = _narrowed(
        Deal.objects.visible_to(viewer).filter(
            stage__kind=StageKind.WON, closed_at__gte=period.start, closed_at__lte=period.end
        ),
        team=team,
        owner=owner,
    )
    for row in won.order_by().values("owner").annotate(closed=Sum("amount")):
        figures[row["owner"]]["closed"] = money(row["closed"])
    return week, _rolled_up(viewer, figures, team=team, owner=owner)


def _rolled_up(viewer: User, figures: dict, *, team, owner) -> list[AccuracyRow]:
    people = scope_people(viewer).select_related("team")
    if owner is not None:
        people = people.filter(pk=owner.pk)
    elif team is not None:
        people = people.filter(team=team)
    people = [
        person
        for person in people.order_by("team__name", "last_name", "first_name", "pk")
        if person.pk in figures
    ]
    reps = []
    for person in people:
        row = AccuracyRow(scope=Scope.REP, label=person.full_name, rep=person)
        for name, value in figures[person.pk].items():
            setattr(row, name, value)
        reps.append(row)
    teams = Team.objects.visible_to(viewer).order_by("name", "pk")
    if not (sees_everything(viewer) or sees_team(viewer)) or owner is not None:
        teams = teams.none()
    elif team is not None:
        teams = teams.filter(pk=team.pk)
    team_rows = []
    for each in teams:
        row = AccuracyRow(scope=Scope.TEAM, label=each.name, team=each)
        for rep in reps:
            if rep.rep.team_id == each.pk:
                row.add(rep)
        team_rows.append(row)
    rows = []
    if sees_everything(viewer) and team is None and owner is None:
        department = AccuracyRow(scope=Scope.DEPARTMENT, label=_("Department"))
        for values in figures.values():
            department.add(AccuracyRow(scope=Scope.REP, label="", **values))
        rows.append(department)
    return [*rows, *team_rows, *reps]
