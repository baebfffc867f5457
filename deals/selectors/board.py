"""The 抓单 board: a row per person in scope with their pipeline, intent proven vs feelings
only, warnings and top deals; the month plans come from the caller."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from accounts.models import Team, User
from core.money import ZERO, money
from deals.models import Deal, Fact, StageKind
from deals.rules import scope_people, selling_q
from deals.selectors.deals import (
    OPEN,
    WEIGHT,
    Clock,
    attention_q,
    fact_count,
    has_facts_q,
    primary_warning_qs,
    severity_expression,
    warning_short_label,
    weighted_from_weight,
    with_signals,
)

TOP_DEALS_PER_PERSON = 3
LATEST_FACTS_PER_DEAL = 2


@dataclass
class TopDeal:
    deal: Deal
    facts: list[Fact] = field(default_factory=list)


@dataclass
class BoardRow:
    person: User
    open_count: int = 0
    open_amount: Decimal = ZERO
    proven_count: int = 0
    weighted: Decimal = ZERO
    won_amount: Decimal = ZERO
    won_count: int = 0
    plan: Decimal | None = None
    # warning → the deals whose most severe warning it is (each warned deal counted once)
    warnings: dict[str, int] = field(default_factory=dict)
    attention: int = 0
    # Σ severity × weighted amount of the deals needing attention: rows sort by it.
    attention_score: Decimal = ZERO
    severities: dict[str, int] = field(default_factory=dict)
    warning_labels: dict[str, str] = field(default_factory=dict)
    top_deals: list[TopDeal] = field(default_factory=list)

    @property
    def feelings_count(self) -> int:
        return self.open_count - self.proven_count

    @property
    def proven_percent(self) -> int:
        return round(100 * self.proven_count / self.open_count) if self.open_count else 0

    @property
    def gap(self) -> Decimal | None:
        """What is still missing to this month's plan (never negative); None without a plan."""
        if self.plan is None:
            return None
        return max(self.plan - self.won_amount, ZERO)

    @property
    def plan_percent(self) -> int | None:
        if not self.plan:
            return None
        return int(self.won_amount * 100 / self.plan)

    @property
    def plan_bar_percent(self) -> int:
        return min(self.plan_percent or 0, 100)

    @property
    def warning_list(self) -> list[tuple[str, str, int]]:
        """(key, short label, count) of the warnings that are on, most severe first."""
        return [(key, self.warning_labels.get(key, key), count) for key, count in self.warnings.items()]


@dataclass
class Board:
    rows: list[BoardRow]
    clock: Clock

    def _sum(self, name: str):
        return sum((getattr(row, name) for row in self.rows), ZERO)

    @property
    def open_count(self) -> int:
        return sum(row.open_count for row in self.rows)

    @property
    def proven_count(self) -> int:
        return sum(row.proven_count for row in self.rows)

    @property
    def feelings_count(self) -> int:
        return self.open_count - self.proven_count

    @property
    def weighted(self) -> Decimal:
        return self._sum("weighted")

    @property
    def won_amount(self) -> Decimal:
        return self._sum("won_amount")

    @property
    def plan(self) -> Decimal | None:
        plans = [row.plan for row in self.rows if row.plan is not None]
        return sum(plans, ZERO) if plans else None

    @property
    def gap(self) -> Decimal | None:
        plan = self.plan
        return None if plan is None else max(plan - self.won_amount, ZERO)

    @property
    def attention(self) -> int:
        return sum(row.attention for row in self.rows)


def board_people(*, viewer: User, team: Team | None = None) -> QuerySet[User]:
    """The board's rows: the active sellers in the viewer's scope, and anyone else in it
    (a lead, someone who left) who still holds open deals."""
    holders = Deal.objects.filter(OPEN).values("owner_id")
    people = scope_people(viewer).filter(selling_q() | Q(pk__in=holders))
    if team is not None:
        people = people.filter(team=team)
    return people.select_related("team").order_by("last_name", "first_name", "username")


# Each person's plan for the clock's month: a mapping person id → amount, or a callable
# given the board's person ids and its clock (so the plans are read once, for those people).
MonthPlans = Mapping[int, Decimal] | Callable[[list[int], Clock], Mapping[int, Decimal]]


def board(
    *,
    viewer: User,
    plans: MonthPlans | None = None,
    team: Team | None = None,
    person_ids: list[int] | None = None,
    clock: Clock | None = None,
    with_top_deals: bool = True,
) -> Board:
    """One row per person in scope with their open deals, intent proven vs feelings only,
    weighted pipeline, this month's won / plan / gap, warnings (each deal counted under its
    most severe one) and their three deals most likely to close with the latest facts. Six
    queries whatever the number of people and deals (plus whatever ``plans`` reads); people
    first by severity × weighted amount of their deals needing attention. Without
    ``with_top_deals`` (the board page's summary rows, which load a person's deals when
    opened) the top deals are not read: three queries. The pipeline
    knows nothing of plans: the caller gives them (reports.board does, from targets);
    without them every row shows no plan."""
    clock = clock or Clock.current()
    people_qs = board_people(viewer=viewer, team=team)
    if person_ids is not None:
        people_qs = people_qs.filter(pk__in=person_ids)
    people = list(people_qs)
    if not people:
        return Board(rows=[], clock=clock)
    ids = [person.pk for person in people]
    visible = Deal.objects.visible_to(viewer).filter(owner_id__in=ids)
    # Stages by id rather than through a join on their kind: the database then estimates
    # the rows from the deal table's statistics and plans the aggregate accordingly. The
    # warning policy's query reads the stages' kinds too.
    kinds = clock.policy.stage_kinds
    is_open = Q(stage_id__in=[pk for pk, kind in kinds.items() if kind == StageKind.OPEN])
    won_this_month = Q(
        stage_id__in=[pk for pk, kind in kinds.items() if kind == StageKind.WON],
        closed_at__gte=clock.month_start,
        closed_at__lte=clock.month_end,
    )
    warnings = primary_warning_qs(clock, is_open=is_open)
    flagged = attention_q(clock, is_open=is_open)
    score = ExpressionWrapper(
        severity_expression(clock, is_open=is_open) * WEIGHT,
        output_field=DecimalField(max_digits=22, decimal_places=2),
    )
    figures = (
        visible.filter(is_open | won_this_month)
        .order_by()
        .values("owner_id")
        .annotate(
            open_count=Count("pk", filter=is_open),
            open_total=Sum("amount", filter=is_open),
            proven_count=Count("pk", filter=is_open & has_facts_q()),
            open_weight=Sum(WEIGHT, filter=is_open),
            won_count=Count("pk", filter=won_this_month),
            won_total=Sum("amount", filter=won_this_month),
            attention=Count("pk", filter=is_open & flagged),
            attention_weight=Sum(score, filter=is_open & flagged),
            **{f"warn_{key}": Count("pk", filter=condition) for key, condition in warnings.items()},
        )
    )
    by_person = {row["owner_id"]: row for row in figures}
    plans = _month_plans(plans, ids, clock)
    top = _top_deals(visible.filter(is_open)) if with_top_deals else {}

    labels = {key: warning_short_label(key, clock.policy) for key in warnings}
    rows = []
    for person in people:
        row = by_person.get(person.pk, {})
        rows.append(
            BoardRow(
                person=person,
                open_count=row.get("open_count", 0),
                open_amount=money(row.get("open_total")),
                proven_count=row.get("proven_count", 0),
                weighted=weighted_from_weight(row.get("open_weight")),
                won_amount=money(row.get("won_total")),
                won_count=row.get("won_count", 0),
                plan=money(plans[person.pk]) if person.pk in plans else None,
                warnings={key: row.get(f"warn_{key}", 0) for key in warnings},
                attention=row.get("attention", 0),
                attention_score=weighted_from_weight(row.get("attention_weight")),
                severities={key: clock.policy.severity(key) for key in warnings},
                warning_labels=labels,
                top_deals=top.get(person.pk, []),
            )
        )
    rows.sort(
        key=lambda r: (-r.attention_score, -r.attention, -(r.gap or ZERO), r.person.full_name.casefold())
    )
    return Board(rows=rows, clock=clock)


def _month_plans(plans: MonthPlans | None, ids: list[int], clock: Clock) -> Mapping[int, Decimal]:
    if plans is None:
        return {}
    if callable(plans):
        return plans(ids, clock)
    return plans


def board_open_deals(*, viewer: User, person: User, clock: Clock | None = None) -> QuerySet[Deal]:
    """One person's open deals that the viewer sees, by severity × weighted amount (the
    most urgent first), then most likely to close."""
    clock = clock or Clock.current()
    # The open stages by id, not through the stage's kind: the database then estimates the
    # person's open deals from the deals' own statistics (69 of 1,210 for a rep at scale)
    # instead of guessing 872 and hashing all 30,000 clients to join them (15 ms).
    open_ids = [pk for pk, kind in clock.policy.stage_kinds.items() if kind == StageKind.OPEN]
    deals = (
        Deal.objects.visible_to(viewer)
        .filter(owner=person, stage_id__in=open_ids)
        .select_related("client", "stage")
    )
    urgency = ExpressionWrapper(
        F("severity") * WEIGHT, output_field=DecimalField(max_digits=22, decimal_places=2)
    )
    return (
        with_signals(deals, clock, severity=True)
        .annotate(weight=WEIGHT, urgency=urgency)
        .order_by("-urgency", "-weight", "pk")
    )


def board_top_deals(
    *, viewer: User, person_ids: list[int], clock: Clock | None = None
) -> dict[int, list[TopDeal]]:
    """The three open deals most likely to close of each of ``person_ids`` (as far as the
    viewer sees them), with their latest facts: three queries, whatever the number of people.
    The board API reads them for one page of people, not for the whole department."""
    if not person_ids:
        return {}
    clock = clock or Clock.current()
    open_ids = [pk for pk, kind in clock.policy.stage_kinds.items() if kind == StageKind.OPEN]
    deals = Deal.objects.visible_to(viewer).filter(owner_id__in=person_ids, stage_id__in=open_ids)
    return _top_deals(deals)


def _top_deals(open_deals: QuerySet[Deal]) -> dict[int, list[TopDeal]]:
    """Each person's open deals most likely to close (largest weighted amount first) with
    their latest facts: three queries, window-ranked in the database."""
    rank = Window(
        RowNumber(),
        partition_by=[F("owner_id")],
        order_by=[F("weight").desc(), F("expected_close").asc(nulls_last=True), F("pk").asc()],
    )
    shown = list(
        open_deals.annotate(weight=WEIGHT)
        .annotate(rank=rank)
        .filter(rank__lte=TOP_DEALS_PER_PERSON)
        .values_list("pk", flat=True)
    )
    if not shown:
        return {}
    deals = list(
        Deal.objects.filter(pk__in=shown)
        .select_related("client", "stage")
        .annotate(weight=WEIGHT, fact_count=fact_count())
        .order_by("owner_id", F("weight").desc(), F("expected_close").asc(nulls_last=True), "pk")
    )
    if not deals:
        return {}
    fact_rank = Window(
        RowNumber(), partition_by=[F("deal_id")], order_by=[F("happened_on").desc(), F("pk").desc()]
    )
    facts: dict[int, list[Fact]] = defaultdict(list)
    for fact in (
        Fact.objects.filter(deal_id__in=[deal.pk for deal in deals])
        .annotate(rank=fact_rank)
        .filter(rank__lte=LATEST_FACTS_PER_DEAL)
        .order_by("deal_id", "rank")
    ):
        facts[fact.deal_id].append(fact)
    top: dict[int, list[TopDeal]] = defaultdict(list)
    for deal in deals:
        top[deal.owner_id].append(TopDeal(deal=deal, facts=facts.get(deal.pk, [])))
    return top
