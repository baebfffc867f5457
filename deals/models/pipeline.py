"""Deals and their stage history."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import VisibleQuerySet
from core.history import HistoricalRecords
from core.money import CENT
from deals.models.stages import ForecastCategory, LostReason, Stage, StageKind


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
