from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.visibility import VisibleQuerySet
from core.money import CENT

# The seeded pipeline's stage names (deals/migrations/0002_default_stages.py, demo), marked
# for the catalogues: Stage.display_name translates them at display time; a stage the
# department names itself shows as written.
SEEDED_STAGE_NAMES = [
    gettext_noop("Lead"),
    gettext_noop("Qualified"),
    gettext_noop("Proposal"),
    gettext_noop("Negotiation"),
    gettext_noop("Contract"),
    gettext_noop("Won"),
    gettext_noop("Lost"),
]

# The seeded lost reasons (deals/migrations/0011_lost_reasons.py), marked for the catalogues
# like the stage names: LostReason.display_name translates them at display time; a reason the
# head adds shows as written. "Other" is where the old free-text reasons went.
OTHER_LOST_REASON = "Other"
SEEDED_LOST_REASON_NAMES = [
    gettext_noop("Price"),
    gettext_noop("Competitor"),
    gettext_noop("No budget"),
    gettext_noop("No decision / timing"),
    gettext_noop("Product fit"),
    gettext_noop("Lost contact"),
    gettext_noop("Other"),
]

# The largest number of days a warning threshold may be set to (ten years).
MAX_WARNING_DAYS = 3650


class StageKind(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class ForecastCategory(models.TextChoices):
    """How sure the rep is that an open deal closes in its expected month (the categories
    a head of sales knows from Salesforce forecasting)."""

    PIPELINE = "pipeline", _("Pipeline")
    BEST_CASE = "best_case", _("Best case")
    COMMIT = "commit", _("Commit")
    OMITTED = "omitted", _("Omitted")


class Stage(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    default_probability = models.PositiveSmallIntegerField(
        _("default probability, %"), default=0, validators=[MaxValueValidator(100)]
    )
    kind = models.CharField(_("kind"), max_length=10, choices=StageKind.choices, default=StageKind.OPEN)
    default_forecast_category = models.CharField(
        _("default forecast category"),
        max_length=10,
        choices=ForecastCategory.choices,
        default=ForecastCategory.PIPELINE,
        help_text=_("A deal entering this stage takes this category unless its owner chose one."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    max_days_in_stage = models.PositiveSmallIntegerField(
        _("days allowed in stage"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WARNING_DAYS)],
        help_text=_("An open deal longer in this stage is flagged. Empty: no limit."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.CheckConstraint(
                condition=Q(default_probability__lte=100), name="stage_probability_max_100"
            ),
            models.CheckConstraint(condition=Q(kind__in=StageKind.values), name="stage_kind_valid"),
            models.CheckConstraint(
                condition=Q(default_forecast_category__in=ForecastCategory.values),
                name="stage_forecast_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language when it is one of the seeded names."""
        return gettext(self.name) if self.name in SEEDED_STAGE_NAMES else self.name

    @property
    def is_closed(self) -> bool:
        return self.kind != StageKind.OPEN


class LostReason(models.Model):
    """Why a deal was lost: a list the head keeps (admin, the lost-reasons settings page). A
    reason in use is deactivated, never deleted, so closed deals keep theirs."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("lost reason")
        verbose_name_plural = _("lost reasons")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language when it is one of the seeded names."""
        return gettext(self.name) if self.name in SEEDED_LOST_REASON_NAMES else self.name


def lost_reason_label(name: str | None) -> str:
    """A reason's name (from a grouped query) as the reader reads it."""
    if not name:
        return gettext("No reason given")
    return gettext(name) if name in SEEDED_LOST_REASON_NAMES else name


class DealType(models.TextChoices):
    NEW = "new", _("New business")
    RENEWAL = "renewal", _("Renewal")
    UPSELL = "upsell", _("Upsell")


class DealQuerySet(VisibleQuerySet):
    def open(self):
        return self.filter(stage__kind=StageKind.OPEN)


class Deal(models.Model):
    tombstone_name = "deal"  # deletions leave a tombstone (sync)
    visibility_owner_path = "owner"
    assistant_may_write = False

    title = models.CharField(_("title"), max_length=200)
    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="deals"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="deals"
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, default=0)
    stage = models.ForeignKey(Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="deals")
    probability = models.PositiveSmallIntegerField(
        _("probability, %"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Leave empty to use the stage's default probability."),
    )
    expected_close = models.DateField(_("expected close"), null=True, blank=True)
    deal_type = models.CharField(_("type"), max_length=10, choices=DealType.choices, default=DealType.NEW)
    renewal_of = models.ForeignKey(
        "self",
        verbose_name=_("renews"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
    )
    service_start = models.DateField(_("service period start"), null=True, blank=True)
    service_end = models.DateField(_("service period end"), null=True, blank=True)
    lost_reason = models.ForeignKey(
        LostReason,
        verbose_name=_("lost reason"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deals",
    )
    lost_comment = models.CharField(_("lost reason comment"), max_length=300, blank=True)
    forecast_category = models.CharField(
        _("forecast category"),
        max_length=10,
        choices=ForecastCategory.choices,
        default=ForecastCategory.PIPELINE,
    )
    # Whether the owner chose the category (else it follows the stage's default on a move).
    forecast_category_set = models.BooleanField(_("category chosen by the owner"), default=False)
    forecast_override = models.CharField(
        _("manager's forecast category"), max_length=10, choices=ForecastCategory.choices, blank=True
    )
    forecast_override_note = models.CharField(_("manager's forecast note"), max_length=500, blank=True)
    forecast_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("forecast overridden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    forecast_override_at = models.DateTimeField(_("forecast overridden"), null=True, blank=True)
    closed_at = models.DateField(_("closed"), null=True, blank=True)
    stage_changed_at = models.DateTimeField(_("stage changed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = DealQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="deal_amount_non_negative"),
            models.CheckConstraint(
                condition=Q(probability__isnull=True) | Q(probability__lte=100),
                name="deal_probability_max_100",
            ),
            models.CheckConstraint(
                condition=Q(service_start__isnull=True)
                | Q(service_end__isnull=True)
                | Q(service_end__gte=models.F("service_start")),
                name="deal_service_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(forecast_category__in=ForecastCategory.values),
                name="deal_forecast_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(forecast_override="") | Q(forecast_override__in=ForecastCategory.values),
                name="deal_forecast_override_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "stage"], name="deal_owner_stage_idx"),
            models.Index(fields=["stage", "expected_close"], name="deal_stage_close_idx"),
            models.Index(fields=["closed_at"], name="deal_closed_idx"),
            models.Index(fields=["service_end"], name="deal_service_end_idx"),
            # The lists' default order (newest first) reads a page without sorting every deal.
            models.Index(fields=["created_at", "id"], name="deal_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def effective_probability(self) -> int:
        """A closed deal's probability follows its stage: won 100, lost 0."""
        if self.stage.kind == StageKind.WON:
            return 100
        if self.stage.kind == StageKind.LOST:
            return 0
        return self.probability if self.probability is not None else self.stage.default_probability

    @property
    def weighted_amount(self) -> Decimal:
        """Amount × effective probability, in cents (the pipeline sums the same product)."""
        return (self.amount * self.effective_probability / 100).quantize(CENT, ROUND_HALF_UP)

    @property
    def is_closed(self) -> bool:
        return self.stage.is_closed

    @property
    def effective_forecast_category(self) -> str:
        """The manager's category when they overrode the owner's, else the owner's."""
        return self.forecast_override or self.forecast_category

    def get_effective_forecast_category_display(self) -> str:
        return str(ForecastCategory(self.effective_forecast_category).label)


def effective_forecast_category(prefix: str = ""):
    """The effective category as a database expression (override, else the owner's)."""
    from django.db.models.functions import Coalesce, NullIf

    return Coalesce(NullIf(f"{prefix}forecast_override", models.Value("")), f"{prefix}forecast_category")


class StageChangeQuerySet(VisibleQuerySet):
    pass


class StageChange(models.Model):
    visibility_owner_path = "deal__owner"

    deal = models.ForeignKey(
        Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.ForeignKey(
        Stage, verbose_name=_("from"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("when"), db_index=True)
    lost_reason = models.ForeignKey(
        LostReason,
        verbose_name=_("lost reason"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lost_comment = models.CharField(_("lost reason comment"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [models.Index(fields=["deal", "changed_at"], name="stagechange_deal_time_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_stage__isnull=True) | ~Q(from_stage=models.F("to_stage")),
                name="stagechange_changes_stage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deal}: {self.from_stage} → {self.to_stage}"


class FactKind(models.TextChoices):
    BUDGET_CONFIRMED = "budget_confirmed", _("Budget confirmed")
    DECISION_MAKER_MET = "decision_maker_met", _("Decision maker met")
    ASKED_PRICE = "asked_price", _("Asked about price / discount")
    REQUESTED_CONTRACT = "requested_contract", _("Requested contract or invoice")
    GAVE_PURCHASE_DATE = "gave_purchase_date", _("Gave a purchase date")
    NAMED_COMPETITOR = "named_competitor", _("Named a competitor")
    LEFT_CONTACT = "left_contact", _("Left contact for follow-up")
    OTHER = "other", _("Other")


class FactQuerySet(VisibleQuerySet):
    pass


class Fact(models.Model):
    tombstone_name = "fact"  # deletions leave a tombstone (sync)
    visibility_owner_path = "deal__owner"

    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="facts")
    kind = models.CharField(_("kind"), max_length=30, choices=FactKind.choices)
    text = models.TextField(_("what happened"))
    happened_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        "clients.Activity",
        verbose_name=_("from activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facts",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = FactQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        indexes = [models.Index(fields=["deal", "-happened_on"], name="fact_deal_date_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FactKind.values), name="fact_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Verdict(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    NEEDS_HELP = "needs_help", _("Needs help")
    UNQUALIFIED = "unqualified", _("Unqualified")


class ReviewQuerySet(VisibleQuerySet):
    pass


class Review(models.Model):
    visibility_owner_path = "deal__owner"

    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    next_action = models.CharField(_("agreed next action"), max_length=300, blank=True)
    next_action_due = models.DateField(_("next action due"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [models.Index(fields=["deal", "-reviewed_at"], name="review_deal_time_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(verdict__in=Verdict.values), name="review_verdict_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.deal}: {self.get_verdict_display()}"


class Severity(models.IntegerChoices):
    """How much a warning matters: a deal is flagged by its most severe warning only."""

    OFF = 0, _("Off")
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class WarningSettings(models.Model):
    """The deal warnings' thresholds and severities, set by the head: one row (pk 1). Days
    allowed per stage live on Stage; activity norms per role on targets' norms."""

    SINGLETON_PK = 1

    no_activity_days = models.PositiveSmallIntegerField(
        _("days without activity"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WARNING_DAYS)],
    )
    review_cadence_days = models.PositiveSmallIntegerField(
        _("review cadence, days"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WARNING_DAYS)],
    )
    no_activity_severity = models.PositiveSmallIntegerField(
        _("no activity"), choices=Severity.choices, default=Severity.HIGH
    )
    past_close_severity = models.PositiveSmallIntegerField(
        _("past expected close"), choices=Severity.choices, default=Severity.HIGH
    )
    no_open_task_severity = models.PositiveSmallIntegerField(
        _("no next step"), choices=Severity.choices, default=Severity.MEDIUM
    )
    not_reviewed_severity = models.PositiveSmallIntegerField(
        _("not reviewed"), choices=Severity.choices, default=Severity.LOW
    )
    stale_in_stage_severity = models.PositiveSmallIntegerField(
        _("too long in stage"), choices=Severity.choices, default=Severity.MEDIUM
    )
    attention_severity = models.PositiveSmallIntegerField(
        _("needs attention from"),
        choices=[choice for choice in Severity.choices if choice[0] != Severity.OFF],
        default=Severity.MEDIUM,
        help_text=_("A deal needs attention when its most severe warning is at least this severe."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("warning settings")
        verbose_name_plural = _("warning settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="warningsettings_singleton"),
            models.CheckConstraint(
                condition=Q(no_activity_days__gte=1, review_cadence_days__gte=1),
                name="warningsettings_days_positive",
            ),
            models.CheckConstraint(
                condition=Q(
                    no_activity_severity__lte=3,
                    past_close_severity__lte=3,
                    no_open_task_severity__lte=3,
                    not_reviewed_severity__lte=3,
                    stale_in_stage_severity__lte=3,
                    attention_severity__gte=1,
                    attention_severity__lte=3,
                ),
                name="warningsettings_severity_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Warning settings"))
