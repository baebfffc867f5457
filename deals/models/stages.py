"""What the head sets up for the pipeline: the stages (with the days a deal may stay in
each), the lost reasons, and the deal warnings' thresholds and severities."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords

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


def stage_label(name: str) -> str:
    """A stage's name as written or, for a seeded name, in the reader's language: also for
    names kept in report rows, which are written in the language of no reader."""
    return gettext(name) if name in SEEDED_STAGE_NAMES else name


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
        return stage_label(self.name)

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
        _("no open task"), choices=Severity.choices, default=Severity.MEDIUM
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
