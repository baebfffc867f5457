"""Reads of deals: the warning signals, deal lists, one deal and its timeline (the pipeline
summary and kanban are in .pipeline, the 抓单 board in .board).

Figures are aggregated in the database. Weighted amounts are Σ(amount × effective
probability) / 100, rounded to cents once per figure: the product is summed in the
database (exact on PostgreSQL; within SQLite's 15 significant digits on SQLite) and only
the division by 100 happens here."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, cached_property

from django.core.exceptions import FieldError
from django.db.models import (
    Case,
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
    TextChoices,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User, name_fields
from accounts.visibility import get_visible_or_404
from clients.models import Activity, Task, TaskStatus
from clients.selectors import TASK_ORDER
from core.money import CENT, ZERO
from deals.models import Deal, Fact, Review, StageChange, StageKind
from deals.selectors.history import deal_line_changes
from deals.selectors.policy import WarningPolicy

# The defaults of the head's warning settings (deals.WarningSettings), which decide.
NO_ACTIVITY_DAYS = 14
REVIEW_CADENCE_DAYS = 7

EFFECTIVE_PROBABILITY = Coalesce("probability", "stage__default_probability")
# amount × probability (in percent); divide the sum by 100 for the weighted amount.
WEIGHT = ExpressionWrapper(
    F("amount") * EFFECTIVE_PROBABILITY, output_field=DecimalField(max_digits=20, decimal_places=2)
)
OPEN = Q(stage__kind=StageKind.OPEN)


class DealWarning(TextChoices):
    NO_ACTIVITY = "no_activity", _("No recent activity")
    PAST_CLOSE = "past_close", _("Past expected close")
    NO_OPEN_TASK = "no_open_task", _("No open task")
    NOT_REVIEWED = "not_reviewed", _("Not reviewed lately")
    STALE_IN_STAGE = "stale_in_stage", _("Too long in stage")


# The warnings' keys in DealWarning's order, read once: ``DealWarning.values`` builds the
# choices (with their labels) anew on every access, and a list row asks for them per deal.
WARNING_KEYS: tuple[str, ...] = tuple(DealWarning.values)

WARNING_SHORT_LABELS = {
    DealWarning.NO_ACTIVITY: _("Silent"),
    DealWarning.PAST_CLOSE: _("Overdue close"),
    DealWarning.NO_OPEN_TASK: _("No open task"),
    DealWarning.NOT_REVIEWED: _("Unreviewed"),
    DealWarning.STALE_IN_STAGE: _("Stuck in stage"),
}


def warning_short_label(warning: str, policy: WarningPolicy) -> str:
    """A board chip's label, with the day count the policy sets where it has one."""
    if warning == DealWarning.NO_ACTIVITY:
        return _("Silent {days}d").format(days=policy.no_activity_days)
    if warning == DealWarning.NOT_REVIEWED:
        return _("Unreviewed {days}d").format(days=policy.review_cadence_days)
    return str(WARNING_SHORT_LABELS[warning])


def warning_label(warning: str, policy: WarningPolicy) -> str:
    """A warning's long label, with the day count the policy sets where it has one."""
    if warning == DealWarning.NO_ACTIVITY:
        return _("No activity for {days} days").format(days=policy.no_activity_days)
    if warning == DealWarning.NOT_REVIEWED:
        return _("Not reviewed for {days} days").format(days=policy.review_cadence_days)
    return str(DealWarning(warning).label)


def weighted_from_weight(value) -> Decimal:
    return ZERO if value is None else (Decimal(value) / 100).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Clock:
    """'Now' for one request, so every figure on a page uses the same cut-offs, and the
    warning policy in force (read once, on first use, unless given)."""

    now: datetime.datetime
    today: datetime.date
    given_policy: WarningPolicy | None = field(default=None, compare=False, repr=False)

    @classmethod
    def current(cls, policy: WarningPolicy | None = None) -> Clock:
        now = timezone.now()
        return cls(now=now, today=timezone.localdate(now), given_policy=policy)

    @classmethod
    def for_request(cls, request) -> Clock:
        """One clock (and one policy read) per request, shared by its selectors and filters."""
        clock = getattr(request, "_deals_clock", None) if request is not None else None
        if clock is None:
            clock = cls.current()
            if request is not None:
                request._deals_clock = clock
        return clock

    @cached_property
    def policy(self) -> WarningPolicy:
        return self.given_policy or WarningPolicy.load()

    @property
    def activity_cutoff(self) -> datetime.datetime:
        return self.now - datetime.timedelta(days=self.policy.no_activity_days)

    @property
    def review_cutoff(self) -> datetime.datetime:
        return self.now - datetime.timedelta(days=self.policy.review_cadence_days)

    @property
    def month_start(self) -> datetime.date:
        return self.today.replace(day=1)

    @property
    def month_end(self) -> datetime.date:
        return self.today.replace(day=calendar.monthrange(self.today.year, self.today.month)[1])


def warning_q(warning: str, clock: Clock, *, is_open: Q = OPEN) -> Q:
    """Which open deals carry a warning (whatever its severity). The clock of "no
    activity" and "not reviewed" starts when the deal was created: a two-day-old deal has
    not been silent for 14 days; "too long in stage" counts from the last stage change (or
    the deal's creation). ``is_open`` may name the open stages by id, which lets the
    database estimate rows.

    Built once per clock (a request's): a page asks for each warning several times (its
    flag, the severity, the filters), and building the subqueries was a few milliseconds of
    CPU per page. Django copies a Q where a query uses it, so one object serves them all."""
    built = clock.__dict__.setdefault("_warning_qs", {})
    key = (warning, is_open)
    condition = built.get(key)
    if condition is None:
        condition = built[key] = _warning_q(warning, clock, is_open=is_open)
    return condition


def _warning_q(warning: str, clock: Clock, *, is_open: Q) -> Q:
    if warning == DealWarning.NO_ACTIVITY:
        recent = Activity.objects.filter(deal=OuterRef("pk"), occurred_at__gte=clock.activity_cutoff)
        return is_open & Q(created_at__lt=clock.activity_cutoff) & Q(~Exists(recent))
    if warning == DealWarning.PAST_CLOSE:
        return is_open & Q(expected_close__lt=clock.today)
    if warning == DealWarning.NO_OPEN_TASK:
        return is_open & Q(~Exists(_open_tasks_of_deal()))
    if warning == DealWarning.NOT_REVIEWED:
        recent = Review.objects.filter(deal=OuterRef("pk"), reviewed_at__gte=clock.review_cutoff)
        return is_open & Q(created_at__lt=clock.review_cutoff) & Q(~Exists(recent))
    if warning == DealWarning.STALE_IN_STAGE:
        return is_open & _stale_in_stage_q(clock)
    raise ValueError(f"unknown warning {warning!r}")


def _stale_in_stage_q(clock: Clock) -> Q:
    condition = Q(pk__in=[])
    for stage_id, days in sorted(clock.policy.stage_days.items()):
        cutoff = clock.now - datetime.timedelta(days=days)
        entered_before = Q(stage_changed_at__lt=cutoff) | Q(
            stage_changed_at__isnull=True, created_at__lt=cutoff
        )
        condition |= Q(stage_id=stage_id) & entered_before
    return condition


def any_warning_q(clock: Clock, *, is_open: Q = OPEN) -> Q:
    """Open deals with at least one warning that is on."""
    condition = Q(pk__in=[])
    for warning in clock.policy.ranked(WARNING_KEYS):
        condition |= warning_q(warning, clock, is_open=is_open)
    return condition


def attention_q(clock: Clock, *, is_open: Q = OPEN) -> Q:
    """Open deals that need attention: their most severe warning reaches the head's level."""
    condition = Q(pk__in=[])
    for warning in clock.policy.ranked(WARNING_KEYS):
        if clock.policy.flags(warning):
            condition |= warning_q(warning, clock, is_open=is_open)
    return condition


def primary_warning_qs(clock: Clock, *, is_open: Q = OPEN) -> dict[str, Q]:
    """For each warning that is on: the deals whose most severe warning it is (a deal with
    two equally severe warnings counts under the first in DealWarning's order), so every
    warned deal is counted once."""
    conditions: dict[str, Q] = {}
    above = Q(pk__in=[])
    for warning in clock.policy.ranked(WARNING_KEYS):
        condition = warning_q(warning, clock, is_open=is_open)
        conditions[warning] = condition & ~above
        above |= condition
    return conditions


def severity_expression(clock: Clock, *, is_open: Q = OPEN) -> Case:
    """A deal's severity: that of its most severe warning that is on, 0 without one."""
    whens = [
        When(warning_q(warning, clock, is_open=is_open), then=Value(clock.policy.severity(warning)))
        for warning in clock.policy.ranked(WARNING_KEYS)
    ]
    if not whens:
        return Value(0, output_field=IntegerField())
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _open_tasks_of_deal() -> QuerySet[Task]:
    """The outer deal's open tasks (a subquery's rows): "no open task", the flag the warning
    reads and the soonest task all read these."""
    return Task.objects.filter(deal=OuterRef("pk"), status=TaskStatus.OPEN)


def has_facts_q() -> Q:
    return Q(Exists(Fact.objects.filter(deal=OuterRef("pk"))))


def fact_count() -> Coalesce:
    counts = Fact.objects.filter(deal=OuterRef("pk")).order_by().values("deal").annotate(n=Count("pk"))
    return Coalesce(Subquery(counts.values("n"), output_field=IntegerField()), Value(0))


def _latest(model, column: str) -> Subquery:
    """The newest ``column`` of the deal's rows of ``model`` (one index-ordered row)."""
    newest = model.objects.filter(deal=OuterRef("pk")).order_by(F(column).desc()).values(column)[:1]
    return Subquery(newest)


@cache
def _signal_annotations() -> dict[str, object]:
    """What :func:`with_signals` annotates, made once per process. A query resolves its own copy
    of each expression it is given (``resolve_expression`` copies, inner queries included), so
    the same four serve every request: making them anew was 0.4 of the 0.7 ms the annotations
    cost each list page, kanban and card answer."""
    return {
        "fact_count": fact_count(),
        "last_activity_at": _latest(Activity, "occurred_at"),
        "last_review_at": _latest(Review, "reviewed_at"),
        "has_open_task": Exists(_open_tasks_of_deal()),
    }


def with_signals(deals: QuerySet[Deal], clock: Clock, *, severity: bool = False) -> QuerySet[Deal]:
    """Deals annotated with ``fact_count`` and what their warnings are read from (the newest
    activity and review, whether an open task exists), each deal coming out with one
    ``warn_<warning>`` flag and one ``severity_<warning>`` per warning (set by
    :func:`set_signals` as the rows are read); with ``severity=True`` also the ``severity`` of
    their most severe warning in SQL (a CASE over the warnings' subqueries: only what sorts by
    it, the board, asks for it).

    The flags were one SQL condition per warning, each with its own subquery: building and
    compiling them was about 3 ms of CPU on every list, kanban and card answer. Three plain
    subqueries read the same facts, and the conditions are applied to them in Python
    (:func:`warning_flags`, held equal to :func:`warning_q` by tests/deals/test_signals.py).
    Rows read through ``.only()`` need :data:`SIGNAL_FIELDS` (a query without them is refused:
    :func:`deferred_signal_fields`)."""
    signals = deals.annotate(**_signal_annotations())
    if severity:
        signals = signals.annotate(severity=severity_expression(clock))
    signals._iterable_class = _SignalsIterable
    signals.query.deal_signals_clock = clock  # the Query keeps it through every clone
    return signals


# The deal's own columns its warnings read (besides the annotations of with_signals).
SIGNAL_FIELDS = ("stage_id", "created_at", "expected_close", "stage_changed_at")


def warning_flags(deal: Deal, clock: Clock) -> dict[str, bool]:
    """Which warnings a deal read by :func:`with_signals` carries, whatever their severity:
    the conditions of :func:`warning_q` applied to the row (an open deal; the silences counted
    from the deal's creation; "too long in stage" from the last stage change, else creation)."""
    if clock.policy.stage_kinds.get(deal.stage_id) != StageKind.OPEN:
        return dict.fromkeys(WARNING_KEYS, False)
    activity_cutoff, review_cutoff = clock.activity_cutoff, clock.review_cutoff
    stale = False
    days = clock.policy.stage_days.get(deal.stage_id)
    if days:
        cutoff = clock.now - datetime.timedelta(days=days)
        entered = deal.stage_changed_at if deal.stage_changed_at is not None else deal.created_at
        stale = entered < cutoff
    return {
        DealWarning.NO_ACTIVITY: deal.created_at < activity_cutoff
        and (deal.last_activity_at is None or deal.last_activity_at < activity_cutoff),
        DealWarning.PAST_CLOSE: deal.expected_close is not None and deal.expected_close < clock.today,
        DealWarning.NO_OPEN_TASK: not deal.has_open_task,
        DealWarning.NOT_REVIEWED: deal.created_at < review_cutoff
        and (deal.last_review_at is None or deal.last_review_at < review_cutoff),
        DealWarning.STALE_IN_STAGE: stale,
    }


def set_signals(deal: Deal, clock: Clock) -> None:
    """The ``warn_<warning>`` flags and ``severity_<warning>`` of one deal read by
    :func:`with_signals`, as attributes (what cards, rows, pages and the API read)."""
    values = deal.__dict__
    for warning, on in warning_flags(deal, clock).items():
        values[f"warn_{warning}"] = on
        values[f"severity_{warning}"] = clock.policy.severity(warning)


def deferred_signal_fields(query) -> list[str]:
    """The :data:`SIGNAL_FIELDS` a query leaves out through ``.only()`` or ``.defer()``.

    Reading a warning off a deal without them would fetch each one in a query of its own, a
    query per row on a page of 50 that is still right, so nothing but the query count shows
    it: :class:`_SignalsIterable` refuses such a query instead."""
    names, defer = query.deferred_loading
    if not names:
        return []
    if defer:  # a related row's field deferred (``stage__name``) leaves the deal's own
        deferred = {name.removesuffix("_id") for name in names if "__" not in name}
        return [field for field in SIGNAL_FIELDS if field.removesuffix("_id") in deferred]
    # a related row's field loaded (``stage__name``) loads the deal's key to it
    loaded = {name.split("__", 1)[0].removesuffix("_id") for name in names}
    return [field for field in SIGNAL_FIELDS if field.removesuffix("_id") not in loaded]


class _SignalsIterable(ModelIterable):
    """Deals as model instances, each with its warnings set (:func:`set_signals`)."""

    def __iter__(self):
        clock = getattr(self.queryset.query, "deal_signals_clock", None)
        if clock is not None:
            missing = deferred_signal_fields(self.queryset.query)
            if missing:
                raise FieldError(
                    f"Deals read with their warnings (with_signals) but without {', '.join(missing)}: "
                    "add deals.selectors.deals.SIGNAL_FIELDS to .only(), or do not .defer() them."
                )
        for deal in super().__iter__():
            if clock is not None:
                set_signals(deal, clock)
            yield deal


def deal_warnings(deal: Deal) -> list[str]:
    """The warnings of a deal annotated by ``with_signals`` that are on, most severe first."""
    warnings = [
        warning
        for warning in WARNING_KEYS
        if getattr(deal, f"warn_{warning}", False) and getattr(deal, f"severity_{warning}", 1) > 0
    ]
    return sorted(warnings, key=lambda warning: -getattr(deal, f"severity_{warning}", 1))


# What every row of deals shows (a kanban card, a deal list row): the deal's title, amount
# and expected close, its client's and owner's names and its stage. Each adds what it
# shows besides (pipeline.CARD_FIELDS, deals.tables.DealTable.page_fields).
DEAL_ROW_FIELDS = (
    "id",
    "title",
    "amount",
    "expected_close",
    "client_id",
    "client__name",
    *name_fields("owner"),
    "stage_id",
    "stage__name",
    # what the warnings read besides (SIGNAL_FIELDS)
    "created_at",
    "stage_changed_at",
)


def deal_list(*, viewer: User, clock: Clock | None = None) -> QuerySet[Deal]:
    """The deals the viewer sees, with everything a list row, card or API row shows (and
    the soonest open task: ``next_task``, ``next_task_due``)."""
    return with_signals(
        Deal.objects.visible_to(viewer)
        .select_related("client", "owner", "owner__team", "stage", "lost_reason")
        .annotate(**_next_task_annotations()),
        clock or Clock.current(),
    )


@cache
def _next_task_annotations() -> dict[str, Subquery]:
    """The soonest open task's title and due date, made once per process (as
    :func:`_signal_annotations`)."""
    soonest = _open_tasks_of_deal().order_by(*TASK_ORDER)
    return {
        "next_task": Subquery(soonest.values("title")[:1]),
        "next_task_due": Subquery(soonest.values("due_date")[:1]),
    }


def deal_detail(*, viewer: User, pk, clock: Clock | None = None) -> Deal:
    return get_visible_or_404(
        deal_list(viewer=viewer, clock=clock).select_related("renewal_of", "forecast_override_by"),
        viewer,
        pk=pk,
    )


# --- one deal ---------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    kind: str  # "activity", "fact", "review", "stage" or "line" (a deal line's change)
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
    """Activities, facts, reviews, stage changes and the changes of its lines (added,
    changed, removed, discounts decided) of one deal, newest first: the newest
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
            .select_related("from_stage", "to_stage", "changed_by", "lost_reason")
            .order_by("-changed_at", "-pk"),
            lambda change: change.changed_at,
        ),
    ]
    entries: list[TimelineEntry] = []
    for kind, queryset, moment in sources:
        entries.extend(TimelineEntry(kind, moment(item), item) for item in queryset[: limit + 1])
    line_changes = deal_line_changes(deal=deal, limit=limit + 1)
    entries.extend(TimelineEntry("line", change.at, change) for change in line_changes)
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
