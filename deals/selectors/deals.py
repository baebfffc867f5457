"""Reads of deals: the warning signals, deal lists, one deal and its timeline (the pipeline
summary and kanban are in .pipeline, the 抓单 board in .board).

Figures are aggregated in the database. Weighted amounts are Σ(amount × effective
probability) / 100, rounded to cents once per figure: the product is summed in the
database (exact on PostgreSQL; within SQLite's 15 significant digits on SQLite) and only
the division by 100 happens here."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
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
    TextChoices,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.visibility import get_visible_or_404
from clients.models import Activity
from core.money import CENT, ZERO
from deals.models import Deal, Fact, Review, StageChange, StageKind

NO_ACTIVITY_DAYS = 14
REVIEW_CADENCE_DAYS = 7

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


def fact_count() -> Coalesce:
    counts = Fact.objects.filter(deal=OuterRef("pk")).order_by().values("deal").annotate(n=Count("pk"))
    return Coalesce(Subquery(counts.values("n"), output_field=IntegerField()), Value(0))


def with_signals(deals: QuerySet[Deal], clock: Clock) -> QuerySet[Deal]:
    """Deals annotated with ``fact_count`` and one ``warn_<warning>`` flag per warning."""
    flags = {
        f"warn_{warning}": ExpressionWrapper(warning_q(warning, clock), output_field=BooleanField())
        for warning in DealWarning.values
    }
    return deals.annotate(fact_count=fact_count(), **flags)


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
        deal_list(viewer=viewer, clock=clock).select_related("renewal_of", "forecast_override_by"),
        viewer,
        pk=pk,
    )


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
