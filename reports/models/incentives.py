"""Incentives: the bonus scheme the head sets per role (its basis and its tiers by plan
fulfilment) and the monthly bonus report computed from it, one row per person and month."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import QUOTA_CARRYING_ROLES, Role
from reports.models.common import (
    MONEY,
    PERCENT,
    ReportRow,
    ReportRowQuerySet,
    newest_first_index,
    scope_constraints,
)
from reports.rules import incentive_rows_q
from targets.models import PlanMetric

# Who a scheme may be set for: the roles that carry a revenue plan (the plan is what the
# tiers measure fulfilment against).
SCHEME_ROLE_CHOICES = [(role.value, role.label) for role in Role if role in QUOTA_CARRYING_ROLES]
HUNDRED = Decimal("100")


class BonusSchemeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A scheme is how people are paid: everyone in the department may read it."""
        return self if user is not None and user.is_authenticated and user.is_active else self.none()


class BonusScheme(models.Model):
    """How one role earns its monthly bonus: a rate on its basis (booked or collected
    revenue) chosen by the tier its plan fulfilment reaches (see BonusTier)."""

    role = models.CharField(_("role"), max_length=20, choices=SCHEME_ROLE_CHOICES, unique=True)
    basis = models.CharField(_("basis"), max_length=20, choices=PlanMetric.choices, default=PlanMetric.BOOKED)
    active = models.BooleanField(_("active"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = BonusSchemeQuerySet.as_manager()

    class Meta:
        ordering = ["role"]
        verbose_name = _("bonus scheme")
        verbose_name_plural = _("bonus schemes")

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.get_basis_display()}"


class BonusTier(models.Model):
    """From ``threshold_pct`` of the plan (inclusive) upwards, the bonus is ``rate_pct`` of
    the whole basis — until the next tier's threshold. Below the lowest threshold: nothing."""

    scheme = models.ForeignKey(
        BonusScheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="tiers"
    )
    # xgettext:no-python-format
    threshold_pct = models.DecimalField(
        # xgettext:no-python-format
        _("from % of plan"),
        validators=[MinValueValidator(Decimal("0"))],
        **PERCENT,
    )
    # xgettext:no-python-format
    rate_pct = models.DecimalField(
        # xgettext:no-python-format
        _("rate, % of basis"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(HUNDRED)],
    )

    class Meta:
        ordering = ["scheme", "threshold_pct"]
        verbose_name = _("bonus tier")
        verbose_name_plural = _("bonus tiers")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "threshold_pct"], name="bonustier_threshold_unique"),
            models.CheckConstraint(
                condition=Q(threshold_pct__gte=0), name="bonustier_threshold_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(rate_pct__gte=0) & Q(rate_pct__lte=100), name="bonustier_rate_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"≥ {self.threshold_pct}% → {self.rate_pct}%"


class IncentiveReportQuerySet(ReportRowQuerySet):
    def visible_to(self, user):
        """Bonus rows by the incentives rule (reports.rules.incentive_rows_q): head and
        analyst all, a lead their team's people, everyone else their own row."""
        condition = incentive_rows_q(user)
        return self if condition is None else self.filter(condition)


class IncentiveReport(ReportRow):
    """A person's bonus for a month (person rows only): the basis amount, the plan of that
    basis, fulfilment, the tier reached (its threshold; empty below the lowest), the rate
    and the bonus = basis × rate / 100, rounded half up to the cent."""

    role = models.CharField(_("role"), max_length=20, choices=SCHEME_ROLE_CHOICES)
    basis = models.CharField(_("basis"), max_length=20, choices=PlanMetric.choices)
    basis_amount = models.DecimalField(_("basis amount"), default=0, **MONEY)
    plan = models.DecimalField(_("plan"), null=True, blank=True, **MONEY)
    # xgettext:no-python-format
    fulfilment_pct = models.DecimalField(_("% of plan"), null=True, blank=True, **PERCENT)
    # xgettext:no-python-format
    tier_pct = models.DecimalField(_("tier, from % of plan"), null=True, blank=True, **PERCENT)
    # xgettext:no-python-format
    rate_pct = models.DecimalField(_("rate, % of basis"), default=0, max_digits=5, decimal_places=2)
    bonus = models.DecimalField(_("bonus"), default=0, **MONEY)

    objects = IncentiveReportQuerySet.as_manager()

    FIGURES = ("role", "basis", "basis_amount", "plan", "fulfilment_pct", "tier_pct", "rate_pct", "bonus")

    class Meta(ReportRow.Meta):
        verbose_name = _("bonus")
        verbose_name_plural = _("bonuses")
        constraints = scope_constraints("incentivereport")
        indexes = [newest_first_index("incentivereport")]

    def __str__(self) -> str:
        return self.describe()
