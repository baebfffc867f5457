"""The record of every report run: which kind, for which date, how it went."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    CONVERSION = "conversion", _("Conversion")
    RENEWAL = "renewal", _("Renewal rate")
    ACTIVITY = "activity", _("Activity statistics")
    FULFILMENT = "fulfilment", _("Plan fulfilment")
    COVERAGE = "coverage", _("Market coverage")
    ALERTS = "alerts", _("Overdue-debt alerts")
    FORECAST = "forecast", _("Weekly forecast snapshot")
    INCENTIVES = "incentives", _("Bonuses")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class ReportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """That reports ran, and how, is known to everyone in the department."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self


class ReportRun(models.Model):
    run_date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("triggered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ReportKind.values), name="reportrun_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=RunStatus.values), name="reportrun_status_valid"),
        ]
        indexes = [models.Index(fields=["kind", "run_date"], name="reportrun_kind_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.run_date} · {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.SUCCEEDED, RunStatus.SKIPPED, RunStatus.FAILED)

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None
