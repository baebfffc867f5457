"""Every non-trivial read of the pipeline: deal lists with their warning signals, the
pipeline summary, the kanban columns, the 抓单 board and a deal's timeline.

Figures are aggregated in the database. Weighted amounts are Σ(amount × effective
probability) / 100, rounded to cents once per figure: the product is summed in the
database (exact on PostgreSQL; within SQLite's 15 significant digits on SQLite) and only
the division by 100 happens here."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextChoices,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User
from accounts.visibility import get_visible_or_404
from clients.models import Activity
from core.money import CENT, ZERO, money
from deals.models import Deal, Fact, Review, Stage, StageChange, StageKind
from deals.rules import scope_people, selling_q

NO_ACTIVITY_DAYS = 14
REVIEW_CADENCE_DAYS = 7
TOP_DEALS_PER_PERSON = 3
LATEST_FACTS_PER_DEAL = 2
KANBAN_CARDS_PER_COLUMN = 40

EFFECTIVE_PROBABILITY = Coalesce("probability", "stage__default_probability")
# amount × probability (in percent); divide the sum by 100 for the weighted amount.
WEIGHT = ExpressionWrapper(
    F("amount") * EFFECTIVE_PROBABILITY, output_field=DecimalField(max_digits=20, decimal_places=2)
)
OPEN = Q(stage__kind=StageKind.OPEN)


class DealWarning(TextChoices):
    NO_ACTIVITY = "no_activity", format_lazy(_("No activity for {days} days"), days=NO_ACTIVITY_DAYS)
    PAST_CLOSE = "past_close", _("Past expected close")
    NO_NEXT_STEP = "no_next_step", _("No next step")
    NOT_REVIEWED = "not_reviewed", format_lazy(_("Not reviewed for {days} days"), days=REVIEW_CADENCE_DAYS)


WARNING_SHORT_LABELS = {
    DealWarning.NO_ACTIVITY: format_lazy(_("Silent {days}d"), days=NO_ACTIVITY_DAYS),
    DealWarning.PAST_CLOSE: _("Overdue close"),
    DealWarning.NO_NEXT_STEP: _("No next step"),
    DealWarning.NOT_REVIEWED: format_lazy(_("Unreviewed {days}d"), days=REVIEW_CADENCE_DAYS),
}


def weighted_from_weight(value) -> Decimal:
    return ZERO if value is None else (Decimal(value) / 100).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Clock:
    """'Now' for one request, so every figure on a page uses the same cut-offs."""

    now: datetime.datetime
    today: datetime.date

    @classmethod
    def current(cls) -> Clock:
        now = timezone.now()
        return cls(now=now, today=timezone.localdate(now))

    @property
    def activity_cutoff(self) -> datetime.datetime:
        return self.now - datetime.timedelta(days=NO_ACTIVITY_DAYS)

    @property
    def review_cutoff(self) -> datetime.datetime:
        return self.now - datetime.timedelta(days=REVIEW_CADENCE_DAYS)

    @property
    def month_start(self) -> datetime.date:
        return self.today.replace(day=1)

    @property
    def month_end(self) -> datetime.date:
        return self.today.replace(day=calendar.monthrange(self.today.year, self.today.month)[1])


def warning_q(warning: str, clock: Clock, *, is_open: Q = OPEN) -> Q:
    """Which open deals carry a warning. The clock of "no activity" and "not reviewed"
    starts when the deal was created: a two-day-old deal has not been silent for 14 days.
    ``is_open`` may name the open stages by id, which lets the database estimate rows."""
    if warning == DealWarning.NO_ACTIVITY:
        recent = Activity.objects.filter(deal=OuterRef("pk"), occurred_at__gte=clock.activity_cutoff)
        return is_open & Q(created_at__lt=clock.activity_cutoff) & Q(~Exists(recent))
    if warning == DealWarning.PAST_CLOSE:
        return is_open & Q(expected_close__lt=clock.today)
    if warning == DealWarning.NO_NEXT_STEP:
        return is_open & Q(next_step="")
    if warning == DealWarning.NOT_REVIEWED:
        recent = Review.objects.filter(deal=OuterRef("pk"), reviewed_at__gte=clock.review_cutoff)
        return is_open & Q(created_at__lt=clock.review_cutoff) & Q(~Exists(recent))
    raise ValueError(f"unknown warning {warning!r}")


def any_warning_q(clock: Clock, *, is_open: Q = OPEN) -> Q:
    condition = Q(pk__in=[])
    for warning in DealWarning.values:
        condition |= warning_q(warning, clock, is_open=is_open)
    return condition


def has_facts_q() -> Q:
    return Q(Exists(Fact.objects.filter(deal=OuterRef("pk"))))


def _fact_count() -> Coalesce:
    counts = Fact.objects.filter(deal=OuterRef("pk")).order_by().values("deal").annotate(n=Count("pk"))
    return Coalesce(Subquery(counts.values("n"), output_field=IntegerField()), Value(0))


def with_signals(deals: QuerySet[Deal], clock: Clock) -> QuerySet[Deal]:
    """Deals annotated with ``fact_count`` and one ``warn_<warning>`` flag per warning."""
    flags = {
        f"warn_{warning}": ExpressionWrapper(warning_q(warning, clock), output_field=BooleanField())
        for warning in DealWarning.values
    }
    return deals.annotate(fact_count=_fact_count(), **flags)


def deal_warnings(deal: Deal) -> list[str]:
    """The warnings of a deal annotated by ``with_signals``."""
    return [warning for warning in DealWarning.values if getattr(deal, f"warn_{warning}", False)]


def deal_list(*, viewer: User, clock: Clock | None = None) -> QuerySet[Deal]:
    """The deals the viewer sees, with everything a list row, card or API row shows."""
    return with_signals(
        Deal.objects.visible_to(viewer).select_related("client", "owner", "owner__team", "stage"),
        clock or Clock.current(),
    )


def deal_detail(*, viewer: User, pk, clock: Clock | None = None) -> Deal:
    return get_visible_or_404(
        deal_list(viewer=viewer, clock=clock).select_related("renewal_of"), viewer, pk=pk
    )


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
    what the viewer sees). Two queries: the stages and one grouped aggregate."""
    stages = open_stages() if stages is None else stages
    rows = (
        deals.filter(OPEN)
        .order_by()
        .values("stage_id")
        .annotate(deal_count=Count("pk"), total_amount=Sum("amount"), total_weight=Sum(WEIGHT))
    )
    by_stage = {row["stage_id"]: row for row in rows}
    summary = []
    for stage in stages:
        row = by_stage.get(stage.pk)
        if row is None:
            summary.append(PipelineStage(stage=stage))
        else:
            summary.append(
                PipelineStage(
                    stage=stage,
                    count=row["deal_count"],
                    amount=money(row["total_amount"]),
                    weighted=weighted_from_weight(row["total_weight"]),
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
        order_by=[F("expected_close").asc(nulls_last=True), F("pk").asc()],
    )
    # Rank first, then annotate only the cards shown: the signals are correlated subqueries.
    # Rank first and fetch the signals (correlated subqueries) only for the cards shown; the
    # ids travel as a list so that the database plans the second query for a few rows.
    open_ids = [row.stage.pk for row in summary.stages]
    shown = list(
        deals.filter(stage_id__in=open_ids)
        .annotate(position=position)
        .filter(position__lte=per_column)
        .values_list("pk", flat=True)
    )
    cards = with_signals(
        Deal.objects.filter(pk__in=shown).select_related("client", "owner", "stage"), clock
    ).order_by("stage__order", F("expected_close").asc(nulls_last=True), "pk")
    by_stage: dict[int, list[Deal]] = defaultdict(list)
    for deal in cards:
        by_stage[deal.stage_id].append(deal)
    columns = [KanbanColumn(summary=row, deals=by_stage.get(row.stage.pk, [])) for row in summary.stages]
    return columns, summary


# --- the 抓单 board -------------------------------------------------------------------


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
    warnings: dict[str, int] = field(default_factory=dict)
    attention: int = 0
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
        return [(key, WARNING_SHORT_LABELS[key], self.warnings.get(key, 0)) for key in DealWarning.values]


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
) -> Board:
    """One row per person in scope with their open deals, intent proven vs feelings only,
    weighted pipeline, this month's won / plan / gap, warnings and their three deals most
    likely to close with the latest facts. Six queries whatever the number of people and
    deals (plus whatever ``plans`` reads); people who need attention first. The pipeline
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
    # the rows from the deal table's statistics and plans the aggregate accordingly.
    kinds = dict(Stage.objects.values_list("pk", "kind"))
    is_open = Q(stage_id__in=[pk for pk, kind in kinds.items() if kind == StageKind.OPEN])
    won_this_month = Q(
        stage_id__in=[pk for pk, kind in kinds.items() if kind == StageKind.WON],
        closed_at__gte=clock.month_start,
        closed_at__lte=clock.month_end,
    )
    warnings = {warning: warning_q(warning, clock, is_open=is_open) for warning in DealWarning.values}
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
            attention=Count("pk", filter=is_open & (any_warning_q(clock, is_open=is_open) | ~has_facts_q())),
            **{f"warn_{key}": Count("pk", filter=condition) for key, condition in warnings.items()},
        )
    )
    by_person = {row["owner_id"]: row for row in figures}
    plans = _month_plans(plans, ids, clock)
    top = _top_deals(visible.filter(is_open))

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
                warnings={key: row.get(f"warn_{key}", 0) for key in DealWarning.values},
                attention=row.get("attention", 0),
                top_deals=top.get(person.pk, []),
            )
        )
    rows.sort(key=lambda r: (-r.attention, -(r.gap or ZERO), r.person.full_name.casefold()))
    return Board(rows=rows, clock=clock)


def _month_plans(plans: MonthPlans | None, ids: list[int], clock: Clock) -> Mapping[int, Decimal]:
    if plans is None:
        return {}
    if callable(plans):
        return plans(ids, clock)
    return plans


def board_open_deals(*, viewer: User, person: User, clock: Clock | None = None) -> QuerySet[Deal]:
    """One person's open deals that the viewer sees, most likely to close first."""
    deals = Deal.objects.visible_to(viewer).filter(OPEN, owner=person).select_related("client", "stage")
    return with_signals(deals, clock or Clock.current()).annotate(weight=WEIGHT).order_by("-weight", "pk")


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
        .annotate(weight=WEIGHT, fact_count=_fact_count())
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


# --- one deal ---------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    kind: str  # "activity", "fact", "review" or "stage"
    at: datetime.datetime
    item: object


# The deal page shows at most this many timeline entries, newest first; a note says when
# older ones are left out (each source is read only this far, so a deal with years of
# history costs the same to show).
TIMELINE_LIMIT = 200


@dataclass
class Timeline:
    entries: list[TimelineEntry]
    truncated: bool  # older entries exist beyond ``limit``
    limit: int

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)


def deal_timeline(*, deal: Deal, viewer: User, limit: int | None = None) -> Timeline:
    """Activities, facts, reviews and stage changes of one deal, newest first: the newest
    ``limit`` of them. Each source gives its newest ``limit + 1`` rows (one more tells
    whether anything older is left out), so the merged newest ``limit`` are exact."""
    limit = limit or TIMELINE_LIMIT
    sources = [
        (
            "activity",
            Activity.objects.visible_to(viewer)
            .filter(deal=deal)
            .select_related("owner", "contact")
            .order_by("-occurred_at", "-pk"),
            lambda activity: activity.occurred_at,
        ),
        (
            "fact",
            Fact.objects.filter(deal=deal)
            .select_related("recorded_by", "activity")
            .order_by("-happened_on", "-created_at", "-pk"),
            _fact_moment,
        ),
        (
            "review",
            Review.objects.filter(deal=deal).select_related("reviewer").order_by("-reviewed_at", "-pk"),
            lambda review: review.reviewed_at,
        ),
        (
            "stage",
            StageChange.objects.filter(deal=deal)
            .select_related("from_stage", "to_stage", "changed_by")
            .order_by("-changed_at", "-pk"),
            lambda change: change.changed_at,
        ),
    ]
    entries: list[TimelineEntry] = []
    for kind, queryset, moment in sources:
        entries.extend(TimelineEntry(kind, moment(item), item) for item in queryset[: limit + 1])
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return Timeline(entries=entries[:limit], truncated=len(entries) > limit, limit=limit)


def _fact_moment(fact: Fact) -> datetime.datetime:
    """A fact has a date; place it at the moment it was recorded when that was the same
    day, otherwise at noon of its day."""
    recorded = timezone.localtime(fact.created_at)
    if recorded.date() == fact.happened_on:
        return fact.created_at
    noon = datetime.datetime.combine(fact.happened_on, datetime.time(12, 0))
    return timezone.make_aware(noon)


def deal_reviews(*, deal: Deal, limit: int = 5) -> list[Review]:
    return list(Review.objects.filter(deal=deal).select_related("reviewer")[:limit])


def deal_facts(*, deal: Deal) -> list[Fact]:
    return list(Fact.objects.filter(deal=deal).select_related("recorded_by"))


def renewable_deals(*, viewer: User, client_id: int | None) -> QuerySet[Deal]:
    """Won deals a renewal may renew: the client's, visible to the viewer."""
    deals = Deal.objects.visible_to(viewer).filter(stage__kind=StageKind.WON).select_related("client")
    return deals.filter(client_id=client_id) if client_id else deals
