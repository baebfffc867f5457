"""The plan grid: a plan's reps × months as a viewer may see it, with the totals and what
is left unallocated at each level, and what the head's month-and-team form edits."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Sum,
)

from accounts.models import Team, User
from accounts.roles import QUOTA_CARRYING_ROLES, sees_everything, sees_team
from core.money import money
from targets.models import Allocation


@dataclass
class GridRow:
    """One rep's line of the plan grid."""

    rep: User
    cells: list[Decimal | None]
    total: Decimal


@dataclass
class GridTeam:
    team: Team
    cells: list[Decimal | None]  # the team-month totals, the fixed parents of the rep cells
    total: Decimal
    rows: list[GridRow]
    unallocated: list[Decimal]  # team-month total minus what the reps hold
    unallocated_total: Decimal
    editable: bool = False

    @property
    def has_unallocated(self) -> bool:
        return any(self.unallocated)


@dataclass
class PlanGrid:
    plan: object
    months: list[Decimal | None] | None  # department month totals; None when not visible
    months_total: Decimal | None
    teams: list[GridTeam]
    unallocated: list[Decimal] | None  # month total minus what the teams hold
    unallocated_total: Decimal | None
    plan_unallocated: Decimal | None  # plan amount minus the month totals

    @property
    def has_unallocated(self) -> bool:
        return (
            bool(self.plan_unallocated)
            or any(self.unallocated or [])
            or any(team.has_unallocated for team in self.teams)
        )


def department_split(*, plan) -> tuple[list, dict]:
    """What the head's month-and-team form edits: the plan's teams and its month and
    team-month amounts keyed by (month, team id or None), in two queries."""
    from accounts.models import Team

    teams = list(
        Team.objects.filter(pk__in=Allocation.objects.filter(plan=plan, team__isnull=False).values("team_id"))
    )
    amounts = {
        (row["month"], row["team_id"]): row["amount"]
        for row in Allocation.objects.filter(plan=plan, rep__isnull=True).values("month", "team_id", "amount")
    }
    return teams, amounts


def plan_grid(*, plan, viewer, adjustable_team_ids=frozenset()) -> PlanGrid:
    """The reps × months grid of ``plan`` as ``viewer`` may see it, with row, column and team
    totals and what is left unallocated at each level — all sums come from the database."""
    zero = Decimal("0.00")
    cells = Allocation.objects.visible_to(viewer).filter(plan=plan)
    year_totals = {
        (row["team_id"], row["rep_id"]): money(row["total"])
        for row in cells.values("team_id", "rep_id").annotate(total=Sum("amount")).order_by()
    }
    reps_per_team_month = {
        (row["team_id"], row["month"]): money(row["total"])
        for row in cells.filter(rep__isnull=False)
        .values("team_id", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    teams_per_month = {
        row["month"]: money(row["total"])
        for row in cells.filter(team__isnull=False, rep__isnull=True)
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    amounts: dict[tuple, Decimal] = {}
    rep_people: dict[int, User] = {}
    team_objects: dict[int, Team] = {}
    for cell in cells.select_related("team", "rep"):
        amounts[(cell.month, cell.team_id, cell.rep_id)] = cell.amount
        if cell.rep_id is not None:
            rep_people[cell.rep_id] = cell.rep
        if cell.team_id is not None:
            team_objects[cell.team_id] = cell.team
    # People who carry a quota but joined after the split still get an (empty) row.
    members = User.objects.visible_to(viewer).filter(
        is_active=True, role__in=QUOTA_CARRYING_ROLES, team__isnull=False
    )
    if not sees_team(viewer) and not sees_everything(viewer):
        members = members.filter(pk=viewer.pk)
    rep_team: dict[int, int] = {}
    for (_month, team_id, rep_id), _amount in amounts.items():
        if rep_id is not None:
            rep_team.setdefault(rep_id, team_id)
    for member in members.select_related("team"):
        rep_people.setdefault(member.pk, member)
        team_objects.setdefault(member.team_id, member.team)
        rep_team.setdefault(member.pk, member.team_id)

    def month_cells(team_id, rep_id):
        return [amounts.get((month, team_id, rep_id)) for month in range(1, 13)]

    teams = []
    for team in sorted(team_objects.values(), key=lambda t: (t.name, t.pk)):
        rows = [
            GridRow(
                rep=rep, cells=month_cells(team.pk, rep.pk), total=year_totals.get((team.pk, rep.pk), zero)
            )
            for rep in sorted(
                (rep_people[rep_id] for rep_id, team_id in rep_team.items() if team_id == team.pk),
                key=lambda person: (person.last_name, person.first_name, person.username),
            )
        ]
        team_cells = month_cells(team.pk, None)
        unallocated = [
            (team_cells[month - 1] or zero) - reps_per_team_month.get((team.pk, month), zero)
            for month in range(1, 13)
        ]
        teams.append(
            GridTeam(
                team=team,
                cells=team_cells,
                total=year_totals.get((team.pk, None), zero),
                rows=rows,
                unallocated=unallocated,
                unallocated_total=sum(unallocated, zero),
                editable=team.pk in adjustable_team_ids,
            )
        )
    if not sees_everything(viewer):
        return PlanGrid(plan, None, None, teams, None, None, None)
    months = month_cells(None, None)
    months_total = year_totals.get((None, None), zero)
    unallocated = [
        (months[month - 1] or zero) - teams_per_month.get(month, zero) if teams else zero
        for month in range(1, 13)
    ]
    return PlanGrid(
        plan=plan,
        months=months,
        months_total=months_total,
        teams=teams,
        unallocated=unallocated,
        unallocated_total=sum(unallocated, zero),
        plan_unallocated=plan.amount - months_total,
    )
