"""The pipeline summary per open stage and the kanban's columns."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import RowNumber

from core.money import ZERO, money
from deals.models import Deal, Stage, StageKind
from deals.selectors.deals import DEAL_ROW_FIELDS, Clock, weighted_from_weight, with_signals

# A column shows its first cards; "show more" loads the next as many (kanban_cards).
KANBAN_CARDS_PER_COLUMN = 20
# amount × the deal's own probability (in percent), for the deals that have one.
OWN_WEIGHT = ExpressionWrapper(
    F("amount") * F("probability"), output_field=DecimalField(max_digits=20, decimal_places=2)
)
# The order of a column's cards: soonest expected close first, undated last.
KANBAN_ORDER = (F("expected_close").asc(nulls_last=True), F("pk").asc())


def open_stages() -> list[Stage]:
    """The kanban's columns: active open stages, and retired ones that still hold deals."""
    holds_deals = Exists(Deal.objects.filter(stage=OuterRef("pk")))
    return list(
        Stage.objects.filter(kind=StageKind.OPEN)
        .filter(Q(is_active=True) | Q(holds_deals))
        .order_by("order", "pk")
    )


@dataclass
class PipelineStage:
    stage: Stage
    count: int = 0
    amount: Decimal = ZERO
    weighted: Decimal = ZERO


@dataclass
class PipelineSummary:
    stages: list[PipelineStage]

    @property
    def count(self) -> int:
        return sum(row.count for row in self.stages)

    @property
    def amount(self) -> Decimal:
        return sum((row.amount for row in self.stages), ZERO)

    @property
    def weighted(self) -> Decimal:
        return sum((row.weighted for row in self.stages), ZERO)


def pipeline_summary(*, deals: QuerySet[Deal], stages: list[Stage] | None = None) -> PipelineSummary:
    """Per open stage: count, amount and weighted amount of ``deals`` (already filtered to
    what the viewer sees). Two queries: the stages and one grouped aggregate.

    The aggregate names the stages by id and does not join them: a deal's weight is its
    amount × its own probability, or × its stage's default when it has none, so the sums are
    Σ(amount × probability) over deals with one plus Σ amount over deals without, times the
    stage's default, added here (exact in decimals, and the deal table alone is read)."""
    stages = open_stages() if stages is None else stages
    has_probability = Q(probability__isnull=False)
    rows = (
        deals.filter(stage_id__in=[stage.pk for stage in stages])
        .order_by()
        .values("stage_id")
        .annotate(
            deal_count=Count("pk"),
            total_amount=Sum("amount"),
            own_weight=Sum(OWN_WEIGHT, filter=has_probability),
            default_amount=Sum("amount", filter=~has_probability),
        )
    )
    by_stage = {row["stage_id"]: row for row in rows}
    summary = []
    for stage in stages:
        row = by_stage.get(stage.pk)
        if row is None:
            summary.append(PipelineStage(stage=stage))
        else:
            weight = Decimal(row["own_weight"] or 0) + Decimal(row["default_amount"] or 0) * Decimal(
                stage.default_probability
            )
            summary.append(
                PipelineStage(
                    stage=stage,
                    count=row["deal_count"],
                    amount=money(row["total_amount"]),
                    weighted=weighted_from_weight(weight if row["deal_count"] else None),
                )
            )
    return PipelineSummary(stages=summary)


@dataclass
class KanbanColumn:
    summary: PipelineStage
    deals: list[Deal]

    @property
    def stage(self) -> Stage:
        return self.summary.stage

    @property
    def more(self) -> int:
        return self.summary.count - len(self.deals)


# What a card shows (deals/cards.py) and the columns sort by; the warnings are computed in
# the query. Reading only these fields of a deal, its client, owner and stage took the
# kanban from 20.0 to 17.4 ms of CPU (in-process, load_large): a card's row had 69 columns.
CARD_FIELDS = (*DEAL_ROW_FIELDS, "stage__order")


def _card_rows() -> QuerySet[Deal]:
    return Deal.objects.select_related("client", "owner", "stage").only(*CARD_FIELDS)


def kanban_columns(
    *,
    deals: QuerySet[Deal],
    stages: list[Stage] | None = None,
    clock: Clock | None = None,
    per_column: int = KANBAN_CARDS_PER_COLUMN,
) -> tuple[list[KanbanColumn], PipelineSummary]:
    """The kanban: a column per open stage with its totals and its first ``per_column``
    cards (soonest expected close first). Four queries whatever the number of deals
    (three when the caller already has the stages)."""
    clock = clock or Clock.current()
    summary = pipeline_summary(deals=deals, stages=stages)
    position = Window(
        RowNumber(),
        partition_by=[F("stage_id")],
        order_by=list(KANBAN_ORDER),
    )
    # Rank first and fetch the signals (correlated subqueries) only for the cards shown; the
    # ids travel as a list so that the database plans the second query for a few rows.
    open_ids = [row.stage.pk for row in summary.stages]
    if open_ids and connection.features.supports_slicing_ordering_in_compound:
        # Each column's first cards straight from the (stage, expected close) index, the
        # columns put together with UNION ALL: the cost follows the cards shown, where
        # ranking every open deal grows with the pipeline (PostgreSQL; SQLite ranks).
        columns = [
            deals.filter(stage_id=pk).order_by(*KANBAN_ORDER).values_list("pk", flat=True)[:per_column]
            for pk in open_ids
        ]
        shown = list(columns[0].union(*columns[1:], all=True))
    else:
        shown = list(
            deals.filter(stage_id__in=open_ids)
            .annotate(position=position)
            .filter(position__lte=per_column)
            .values_list("pk", flat=True)
        )
    cards = with_signals(_card_rows().filter(pk__in=shown), clock).order_by(
        "stage__order", F("expected_close").asc(nulls_last=True), "pk"
    )
    by_stage: dict[int, list[Deal]] = defaultdict(list)
    for deal in cards:
        by_stage[deal.stage_id].append(deal)
    columns = [KanbanColumn(summary=row, deals=by_stage.get(row.stage.pk, [])) for row in summary.stages]
    return columns, summary


def kanban_cards(
    *,
    deals: QuerySet[Deal],
    stage: Stage,
    offset: int,
    limit: int = KANBAN_CARDS_PER_COLUMN,
    clock: Clock | None = None,
) -> tuple[list[Deal], bool]:
    """A column's cards after the first ``offset`` (its "show more"), in the column's order,
    and whether more follow. Two queries: the page's ids (one more row tells whether
    anything follows), then those cards with their signals."""
    ids = list(
        deals.filter(stage=stage)
        .order_by(*KANBAN_ORDER)
        .values_list("pk", flat=True)[offset : offset + limit + 1]
    )
    more = len(ids) > limit
    ids = ids[:limit]
    if not ids:
        return [], False
    cards = with_signals(_card_rows().filter(pk__in=ids), clock or Clock.current()).order_by(*KANBAN_ORDER)
    return list(cards), more


def kanban_card(*, deal: Deal, clock: Clock | None = None) -> Deal:
    """One card, as the column shows it (the card a move answers with)."""
    return with_signals(_card_rows().filter(pk=deal.pk), clock or Clock.current()).get()
