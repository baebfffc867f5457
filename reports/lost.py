"""Why deals are lost (issue 14): the deals closed as lost in a period (by close date),
broken down by reason, by the stage they had reached (the stage the move into the lost
stage came from, deals.StageChange), by the competitor named in their facts (facts of kind
"named a competitor": the fact's text names the competitor, compared without case and
surrounding spaces), by owner or by the owner's current team — counts, amounts and each
row's share of the lost deals.

Win rate against a competitor: of the deals closed in the period (won or lost) where it was
named, won / (won + lost). A deal naming two competitors counts once for each; a deal
naming one competitor twice counts once.

Everything is aggregated in the database: the totals in one query and the rows in one (the
stage breakdown reads the stages' names in one more), whatever the number of deals. The
totals beside the previous period and the same period last year (``lost_comparison``) take
one query each."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Lower, Trim
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Team, User
from core.money import money
from core.periods import Period
from deals.models import Deal, Fact, FactKind, Stage, StageChange, StageKind, lost_reason_label
from reports.summaries import compare

REASON, STAGE, COMPETITOR, OWNER, TEAM = "reason", "stage", "competitor", "owner", "team"
GROUP_CHOICES = [
    (REASON, gettext_lazy("Reason")),
    (STAGE, gettext_lazy("Stage reached")),
    (COMPETITOR, gettext_lazy("Competitor")),
    (OWNER, gettext_lazy("Owner")),
    (TEAM, gettext_lazy("Team")),
]
ZERO = Decimal("0.00")


@dataclass
class LostRow:
    key: int | str | None
    label: str
    count: int = 0
    amount: Decimal = ZERO
    share: Decimal | None = None  # % of the period's lost deals (by count)
    # Competitor rows: deals won where the competitor was named, and the win rate against it.
    won: int | None = None
    win_rate: Decimal | None = None

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "count": self.count,
            "amount": self.amount,
            "share": self.share,
            "won": self.won,
            "win_rate": self.win_rate,
        }


@dataclass
class LostTotals:
    count: int = 0
    amount: Decimal = ZERO
    # Closed deals in the period where some competitor was named.
    won_against_competitors: int = 0
    lost_to_competitors: int = 0
    lost_to_competitors_amount: Decimal = ZERO

    @property
    def win_rate_against_competitors(self) -> Decimal | None:
        return rate(self.won_against_competitors, self.lost_to_competitors)

    def as_dict(self) -> dict:
        return {
            "count": self.count,
            "amount": self.amount,
            "won_against_competitors": self.won_against_competitors,
            "lost_to_competitors": self.lost_to_competitors,
            "win_rate_against_competitors": self.win_rate_against_competitors,
        }


@dataclass
class LostReport:
    period: Period
    group_by: str
    totals: LostTotals
    rows: list[LostRow] = field(default_factory=list)


def rate(won: int, lost: int) -> Decimal | None:
    """won / (won + lost) in %, to one decimal; None without closed deals."""
    if not won + lost:
        return None
    return (Decimal(won) * 100 / Decimal(won + lost)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _share(count: int, total: int) -> Decimal | None:
    if not total:
        return None
    return (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def closed_deals(*, viewer: User, period: Period, team: Team | None = None, owner: User | None = None):
    """The deals the viewer sees that closed (won or lost) in the period, for a person or team."""
    deals = Deal.objects.visible_to(viewer).filter(
        stage__kind__in=[StageKind.WON, StageKind.LOST],
        closed_at__gte=period.start,
        closed_at__lte=period.end,
    )
    if owner is not None:
        deals = deals.filter(owner=owner)
    elif team is not None:
        deals = deals.filter(owner__team=team)
    return deals


def _named_competitor():
    return Exists(Fact.objects.filter(deal=OuterRef("pk"), kind=FactKind.NAMED_COMPETITOR))


def _totals(closed) -> LostTotals:
    lost, won = Q(stage__kind=StageKind.LOST), Q(stage__kind=StageKind.WON)
    figures = (
        closed.order_by()
        .annotate(named=_named_competitor())
        .aggregate(
            count=Count("pk", filter=lost),
            lost_amount=Sum("amount", filter=lost),
            won_named=Count("pk", filter=won & Q(named=True)),
            lost_named=Count("pk", filter=lost & Q(named=True)),
            lost_named_amount=Sum("amount", filter=lost & Q(named=True)),
        )
    )
    return LostTotals(
        count=figures["count"],
        amount=money(figures["lost_amount"] or ZERO),
        won_against_competitors=figures["won_named"],
        lost_to_competitors=figures["lost_named"],
        lost_to_competitors_amount=money(figures["lost_named_amount"] or ZERO),
    )


def _grouped(lost, *fields):
    return lost.order_by().values(*fields).annotate(count=Count("pk"), total=Sum("amount"))


def _by_reason(lost) -> list[LostRow]:
    return [
        LostRow(key=row["lost_reason"], label=lost_reason_label(row["lost_reason__name"]), **_figures(row))
        for row in _grouped(lost, "lost_reason", "lost_reason__name")
    ]


def _by_stage(lost) -> list[LostRow]:
    move_to_lost = StageChange.objects.filter(deal=OuterRef("pk"), to_stage__kind=StageKind.LOST).order_by(
        "-changed_at", "-pk"
    )
    rows = list(_grouped(lost.annotate(reached=Subquery(move_to_lost.values("from_stage")[:1])), "reached"))
    stages = {stage.pk: stage for stage in Stage.objects.filter(pk__in=[row["reached"] for row in rows])}
    result = []
    for row in rows:
        stage = stages.get(row["reached"])
        label = stage.display_name if stage else _("Not recorded")
        result.append(LostRow(key=row["reached"], label=label, **_figures(row)))
    return result


def _by_owner(lost) -> list[LostRow]:
    rows = _grouped(lost, "owner", "owner__first_name", "owner__last_name", "owner__username")
    return [
        LostRow(
            key=row["owner"],
            label=f"{row['owner__first_name']} {row['owner__last_name']}".strip() or row["owner__username"],
            **_figures(row),
        )
        for row in rows
    ]


def _by_team(lost) -> list[LostRow]:
    return [
        LostRow(key=row["owner__team"], label=row["owner__team__name"] or _("No team"), **_figures(row))
        for row in _grouped(lost, "owner__team", "owner__team__name")
    ]


def _by_competitor(closed) -> list[LostRow]:
    """One row per competitor named on a deal closed in the period (lost or won)."""
    key = Lower(Trim("text"))
    earlier_same = (
        Fact.objects.filter(deal=OuterRef("deal"), kind=FactKind.NAMED_COMPETITOR, pk__lt=OuterRef("pk"))
        .annotate(key=key)
        .filter(key=OuterRef("key"))
    )
    lost, won = Q(deal__stage__kind=StageKind.LOST), Q(deal__stage__kind=StageKind.WON)
    rows = (
        Fact.objects.filter(kind=FactKind.NAMED_COMPETITOR, deal__in=closed.order_by().values("pk"))
        .annotate(key=key)
        .filter(~Exists(earlier_same))
        .order_by()
        .values("key")
        .annotate(
            label=Min(Trim("text")),
            count=Count("pk", filter=lost),
            total=Sum("deal__amount", filter=lost),
            won=Count("pk", filter=won),
        )
    )
    return [
        LostRow(
            key=row["key"],
            label=row["label"],
            count=row["count"],
            amount=money(row["total"] or ZERO),
            won=row["won"],
            win_rate=rate(row["won"], row["count"]),
        )
        for row in rows
    ]


def _figures(row: dict) -> dict:
    return {"count": row["count"], "amount": money(row["total"] or ZERO)}


def lost_report(
    *,
    viewer: User,
    period: Period,
    group_by: str = REASON,
    team: Team | None = None,
    owner: User | None = None,
) -> LostReport:
    """The period's lost deals the viewer sees, grouped as asked, largest first."""
    closed = closed_deals(viewer=viewer, period=period, team=team, owner=owner)
    totals = _totals(closed)
    lost = closed.filter(stage__kind=StageKind.LOST)
    if group_by == COMPETITOR:
        rows = _by_competitor(closed)
    else:
        builders = {REASON: _by_reason, STAGE: _by_stage, OWNER: _by_owner, TEAM: _by_team}
        rows = builders[group_by](lost)
    for row in rows:
        row.share = _share(row.count, totals.count)
    rows.sort(key=lambda row: (-row.count, -row.amount, -(row.won or 0), str(row.label)))
    if group_by == COMPETITOR:
        unnamed = totals.count - totals.lost_to_competitors
        if unnamed:  # the lost deals that named no competitor, from the totals' query
            rows.append(
                LostRow(
                    key=None,
                    label=_("No competitor named"),
                    count=unnamed,
                    amount=totals.amount - totals.lost_to_competitors_amount,
                    share=_share(unnamed, totals.count),
                )
            )
    return LostReport(period=period, group_by=group_by, totals=totals, rows=rows)


COMPARED = {
    "count": gettext_lazy("Lost deals"),
    "amount": gettext_lazy("Lost amount"),
    "competitor_win_rate": gettext_lazy("Win rate against competitors"),
}
COMPARED_MONEY = ("amount",)


def lost_comparison(
    report: LostReport, *, viewer: User, team: Team | None = None, owner: User | None = None
) -> dict:
    """The report's totals beside the previous period and the same period last year, with
    the change (reports.summaries.compare): lost deals, lost amount, win rate against
    competitors."""

    def figures_of(period: Period) -> dict:
        totals = (
            report.totals
            if period == report.period
            else _totals(closed_deals(viewer=viewer, period=period, team=team, owner=owner))
        )
        return {
            "count": totals.count,
            "amount": totals.amount,
            "competitor_win_rate": totals.win_rate_against_competitors,
        }

    return compare(report.period, figures_of, COMPARED)
