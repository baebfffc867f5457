"""Weekly forecast snapshots: each open deal's category, amount and expected close as the
week began, so the forecast's movement (what changed since last week) and its accuracy
(the commit at the start of a month or quarter against what closed) can be measured."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import VisibleQuerySet
from deals.models import ForecastCategory


class ForecastSnapshotQuerySet(VisibleQuerySet):
    pass


class ForecastSnapshot(models.Model):
    """One open deal in one week's snapshot (``week``: the Monday it was taken for)."""

    visibility_owner_path = "owner"

    week = models.DateField(_("week"))
    deal = models.ForeignKey("deals.Deal", verbose_name=_("deal"), on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    stage = models.ForeignKey(
        "deals.Stage", verbose_name=_("stage"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("forecast category"), max_length=10, choices=ForecastCategory.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    expected_close = models.DateField(_("expected close"), null=True, blank=True)
    taken_on = models.DateField(_("taken on"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ForecastSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-week", "owner", "deal"]
        verbose_name = _("forecast snapshot")
        verbose_name_plural = _("forecast snapshots")
        constraints = [
            models.UniqueConstraint(fields=["week", "deal"], name="forecastsnapshot_week_deal_unique"),
            models.CheckConstraint(
                condition=Q(category__in=ForecastCategory.values), name="forecastsnapshot_category_valid"
            ),
        ]
        indexes = [models.Index(fields=["week", "owner"], name="fcsnapshot_week_owner_idx")]

    def __str__(self) -> str:
        return f"{self.week.isoformat()} · {self.deal_id}"
