"""The incentives leaderboard: every person's bonus row for a period (one month, or the
months of a quarter / year to date summed), ranked across the whole department, shown as
the rule in reports.rules says (head and analyst all, a lead their team, everyone else
their own row with their rank). The page, its export and the API share this.

Three queries whatever the department's size: each person's months summed in the database,
the people with their teams, and the keys of the rows the viewer may see. The totals beside the
previous period and the same period last year (``leaderboard_comparison``) read those two
periods' leaderboards the same way, three queries each."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Subquery, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Team, User
from accounts.roles import is_lead, sells
from core.money import ZERO, money
from core.periods import Period
from reports.models import IncentiveReport
from reports.services.common import percent
from reports.summaries import compare
from targets.models import PlanMetric


@dataclass
class LeaderRow:
    rep: User
    role: str
    basis: str
    basis_amount: Decimal = ZERO
    plan: Decimal | None = None
    bonus: Decimal = ZERO
    # One month's tier and rate; empty for a period of several months.
    tier_pct: Decimal | None = None
    rate_pct: Decimal | None = None
    rank: int = 0

    @property
    def fulfilment_pct(self) -> Decimal | None:
        return percent(self.basis_amount, self.plan)

    @property
    def bar_pct(self) -> Decimal:
        """The fulfilment bar's width: the percentage, 0–100."""
        return min(max(self.fulfilment_pct or ZERO, ZERO), Decimal(100))

    @property
    def team(self) -> Team | None:
        return self.rep.team

    def role_label(self) -> str:
        return str(IncentiveReport(role=self.role).get_role_display())

    def basis_label(self) -> str:
        """The metric's full name (the export's)."""
        return str(IncentiveReport(basis=self.basis).get_basis_display())

    def basis_short(self) -> str:
        """The metric in a word (the page's column)."""
        return str(_("booked") if self.basis == PlanMetric.BOOKED else _("collected"))


@dataclass
class Leaderboard:
    period: Period
    rows: list[LeaderRow]  # what the viewer sees, by rank
    ranked: int  # everyone with a row for the period
    own: LeaderRow | None  # the viewer's own row, if they have one


def _sort_key(row: LeaderRow):
    pct = row.fulfilment_pct
    return (pct is None, -(pct or ZERO), -row.basis_amount)


def _ranked(rows: list[LeaderRow]) -> list[LeaderRow]:
    """By fulfilment (none last), then basis; equal figures share a rank (1, 1, 3)."""
    rows = sorted(rows, key=lambda row: (*_sort_key(row), row.rep.full_name.lower(), row.rep.pk))
    previous = None
    for position, row in enumerate(rows, start=1):
        key = _sort_key(row)
        row.rank = previous[1] if previous and previous[0] == key else position
        previous = (key, row.rank)
    return rows


def _cents(value) -> Decimal | None:
    """A database figure with two decimals (SQLite's sums come back as floats), NULL kept."""
    return None if value is None else money(value)


def _person_totals(months: list[datetime.date]):
    """Each person's months summed in the database (a plan only where a month had one), with
    the role and basis of their latest month."""
    rows = IncentiveReport.objects.filter(period__in=months, scope="rep", rep__isnull=False)
    latest = rows.filter(rep=OuterRef("rep")).order_by("-period", "-pk")
    return (
        rows.order_by()
        .values("rep")
        .annotate(
            total_basis=Sum("basis_amount"),
            total_plan=Sum("plan"),
            total_bonus=Sum("bonus"),
            month_count=Count("pk"),
            one_tier=Max("tier_pct"),
            one_rate=Max("rate_pct"),
            latest_role=Subquery(latest.values("role")[:1]),
            latest_basis=Subquery(latest.values("basis")[:1]),
        )
    )


def leaderboard(
    *, viewer, period: Period, team: Team | None = None, owner: User | None = None
) -> Leaderboard:
    months = period.months()
    person_totals = list(_person_totals(months))
    people = User.objects.select_related("team").in_bulk([totals["rep"] for totals in person_totals])
    by_person = {
        totals["rep"]: LeaderRow(
            rep=people[totals["rep"]],
            role=totals["latest_role"],
            basis=totals["latest_basis"],
            basis_amount=money(totals["total_basis"]),
            plan=_cents(totals["total_plan"]),
            bonus=money(totals["total_bonus"]),
            # one month's tier and rate; none over several
            tier_pct=_cents(totals["one_tier"]) if totals["month_count"] == 1 else None,
            rate_pct=_cents(totals["one_rate"]) if totals["month_count"] == 1 else None,
        )
        for totals in person_totals
    }
    ranked = _ranked(list(by_person.values()))
    visible = set(
        IncentiveReport.objects.filter(period__in=months, scope="rep")
        .visible_to(viewer)
        .values_list("rep_id", flat=True)
    )
    shown = [
        row
        for row in ranked
        if row.rep.pk in visible
        and (team is None or row.rep.team_id == team.pk)
        and (owner is None or row.rep.pk == owner.pk)
    ]
    own = next((row for row in ranked if row.rep.pk == viewer.pk), None)
    return Leaderboard(period=period, rows=shown, ranked=len(ranked), own=own)


COMPARED = {"bonus": gettext_lazy("Bonuses"), "basis_amount": gettext_lazy("Basis amount")}
COMPARED_MONEY = ("bonus", "basis_amount")


def _board_totals(rows: list[LeaderRow]) -> dict:
    if not rows:  # nothing computed for the period (or nothing in view): no figure, not a zero
        return {"bonus": None, "basis_amount": None}
    return {
        "bonus": sum((row.bonus for row in rows), ZERO),
        "basis_amount": sum((row.basis_amount for row in rows), ZERO),
    }


def leaderboard_comparison(
    board: Leaderboard, *, viewer, team: Team | None = None, owner: User | None = None
) -> dict:
    """The total bonus and basis of the rows the board shows beside the previous period and
    the same period last year (the same viewer, team and person), with the change."""

    def figures_of(period: Period) -> dict:
        if period == board.period:
            return _board_totals(board.rows)
        return _board_totals(leaderboard(viewer=viewer, period=period, team=team, owner=owner).rows)

    return compare(board.period, figures_of, COMPARED)


# --- the payroll export and the API's rows ---------------------------------------------------------


def export_headers() -> list[str]:
    return [
        _("Rank"),
        _("Username"),
        _("Person"),
        _("Team"),
        _("Period"),
        _("Role"),
        _("Basis"),
        _("Basis amount"),
        _("Plan"),
        # xgettext:no-python-format
        _("% of plan"),
        # xgettext:no-python-format
        _("Tier, from % of plan"),
        # xgettext:no-python-format
        _("Rate, % of basis"),
        _("Bonus"),
        _("Currency"),
    ]


def export_rows(board: Leaderboard):
    for row in board.rows:
        yield [
            row.rank,
            row.rep.username,
            row.rep.full_name,
            row.team.name if row.team else "",
            board.period.value or f"{board.period.start.isoformat()}/{board.period.end.isoformat()}",
            row.role_label(),
            row.basis_label(),
            row.basis_amount,
            row.plan,
            row.fulfilment_pct,
            row.tier_pct,
            row.rate_pct,
            row.bonus,
            settings.DEPARTMENT_CURRENCY,
        ]


def row_json(row: LeaderRow, ranked: int) -> dict:
    return {
        "rank": row.rank,
        "ranked": ranked,
        "rep": {"id": row.rep.pk, "username": row.rep.username, "full_name": row.rep.full_name},
        "team": {"id": row.team.pk, "name": row.team.name} if row.team else None,
        "role": row.role,
        "basis": row.basis,
        "basis_amount": row.basis_amount,
        "plan": row.plan,
        "fulfilment_pct": row.fulfilment_pct,
        "tier_pct": row.tier_pct,
        "rate_pct": row.rate_pct,
        "bonus": row.bonus,
    }


@dataclass
class HomeBonus:
    """The home page's small card: a person's own bonus this month (with their rank), or
    a lead's team's bonuses this month."""

    own: LeaderRow | None
    ranked: int
    team_total: Decimal | None  # a lead's team's bonuses
    team_people: int


def home_bonus(viewer, today: datetime.date) -> HomeBonus | None:
    """For people in a selling role other than the head and analyst: None for everyone else."""
    if not sells(viewer):
        return None
    board = leaderboard(viewer=viewer, period=Period.month(today.year, today.month))
    if is_lead(viewer):
        others = [row for row in board.rows if row.rep.pk != viewer.pk]
        return HomeBonus(
            own=board.own,
            ranked=board.ranked,
            team_total=sum((row.bonus for row in others), ZERO),
            team_people=len(others),
        )
    if board.own is None:
        return None
    return HomeBonus(own=board.own, ranked=board.ranked, team_total=None, team_people=0)
