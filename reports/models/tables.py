"""Report tables: one row per period × scope of precomputed figures. Pages and the API
read them, the nightly services in ``reports.services`` write them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.models.common import MONEY, PERCENT, PeriodKind, ReportRow, newest_first_index, scope_constraints


class ConversionReport(ReportRow):
    """Pipeline conversion for a month: leads created, deals won and lost, the win rate,
    the funnel of the deals closed in the month (``stages``: for every open stage and Won,
    how many reached it and how many of those went on), average days spent in each stage
    (stays that ended in the month) and the average cycle from creation to close."""

    leads_created = models.PositiveIntegerField(_("leads created"), default=0)
    won = models.PositiveIntegerField(_("won"), default=0)
    lost = models.PositiveIntegerField(_("lost"), default=0)
    won_amount = models.DecimalField(_("won amount"), default=0, **MONEY)
    win_rate = models.DecimalField(_("win rate, %"), null=True, blank=True, **PERCENT)
    stages = models.JSONField(_("stages"), default=list, blank=True)
    cycle_deals = models.PositiveIntegerField(_("deals measured for cycle"), default=0)
    avg_cycle_days = models.DecimalField(
        _("average cycle, days"), max_digits=8, decimal_places=1, null=True, blank=True
    )

    FIGURES = (
        "leads_created",
        "won",
        "lost",
        "won_amount",
        "win_rate",
        "stages",
        "cycle_deals",
        "avg_cycle_days",
    )

    class Meta(ReportRow.Meta):
        verbose_name = _("conversion report")
        verbose_name_plural = _("conversion reports")
        constraints = scope_constraints("conversionreport")
        indexes = [newest_first_index("conversionreport")]

    def __str__(self) -> str:
        return self.describe()


class RenewalReport(ReportRow):
    """Renewal rate (续费率) for a month: won deals whose service period ends in the
    month are due; a due deal is renewed once a won deal names it as ``renewal_of``."""

    due = models.PositiveIntegerField(_("due"), default=0)
    due_amount = models.DecimalField(_("due amount"), default=0, **MONEY)
    renewed = models.PositiveIntegerField(_("renewed"), default=0)
    renewed_amount = models.DecimalField(_("renewed amount"), default=0, **MONEY)
    rate_by_count = models.DecimalField(_("rate by count, %"), null=True, blank=True, **PERCENT)
    rate_by_amount = models.DecimalField(_("rate by amount, %"), null=True, blank=True, **PERCENT)
    # After-sales, which decides the renewal rate (售后决定续费率): client requests still open
    # at the run's date, those past their answer time, and the open complaints among them
    # (documents.ClientRequest, by the request's owner).
    open_requests = models.PositiveIntegerField(_("open requests"), default=0)
    overdue_requests = models.PositiveIntegerField(_("overdue requests"), default=0)
    open_complaints = models.PositiveIntegerField(_("open complaints"), default=0)

    FIGURES = (
        "due",
        "due_amount",
        "renewed",
        "renewed_amount",
        "rate_by_count",
        "rate_by_amount",
        "open_requests",
        "overdue_requests",
        "open_complaints",
    )

    class Meta(ReportRow.Meta):
        verbose_name = _("renewal report")
        verbose_name_plural = _("renewal reports")
        constraints = scope_constraints("renewalreport")
        indexes = [newest_first_index("renewalreport")]

    def __str__(self) -> str:
        return self.describe()


class ActivityStat(ReportRow):
    """Calls, meetings, visits and e-mails logged in a day or a month, against the norms
    (a day: calls per working day; a month: calls and meetings for its working days so far)."""

    period_kind = models.CharField(_("period kind"), max_length=5, choices=PeriodKind.choices)
    calls = models.PositiveIntegerField(_("calls"), default=0)
    meetings = models.PositiveIntegerField(_("meetings"), default=0)
    visits = models.PositiveIntegerField(_("visits"), default=0)
    emails = models.PositiveIntegerField(_("e-mails"), default=0)
    workdays = models.PositiveSmallIntegerField(_("working days"), default=0)
    calls_norm = models.PositiveIntegerField(_("calls norm"), default=0)
    meetings_norm = models.DecimalField(
        _("meetings norm"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    below_norm = models.BooleanField(_("below norm"), default=False)

    FIGURES = (
        "calls",
        "meetings",
        "visits",
        "emails",
        "workdays",
        "calls_norm",
        "meetings_norm",
        "below_norm",
    )
    KEY_FIELDS = ("period_kind", "period", "scope", "team_id", "rep_id")

    class Meta(ReportRow.Meta):
        verbose_name = _("activity statistics")
        verbose_name_plural = _("activity statistics")
        constraints = scope_constraints("activitystat", key=("period_kind", "period"))
        indexes = [models.Index(fields=["period_kind", "period"], name="activitystat_kind_period_idx")]

    def __str__(self) -> str:
        return self.describe()


class PlanFulfilment(ReportRow):
    """Plan against actual for a month: booked (won deals by close date) and collected
    (payments by date) against their plans, and the forecast (booked plus the weighted
    open pipeline expected to close in the month)."""

    plan_booked = models.DecimalField(_("booked plan"), null=True, blank=True, **MONEY)
    booked = models.DecimalField(_("booked"), default=0, **MONEY)
    plan_collected = models.DecimalField(_("collected plan"), null=True, blank=True, **MONEY)
    collected = models.DecimalField(_("collected"), default=0, **MONEY)
    pipeline_weighted = models.DecimalField(_("weighted pipeline"), default=0, **MONEY)
    forecast = models.DecimalField(_("forecast"), default=0, **MONEY)
    # xgettext:no-python-format
    fulfilment_pct = models.DecimalField(_("booked, % of plan"), null=True, blank=True, **PERCENT)
    # xgettext:no-python-format
    collected_pct = models.DecimalField(_("collected, % of plan"), null=True, blank=True, **PERCENT)
    # xgettext:no-python-format
    forecast_pct = models.DecimalField(_("forecast, % of plan"), null=True, blank=True, **PERCENT)

    FIGURES = (
        "plan_booked",
        "booked",
        "plan_collected",
        "collected",
        "pipeline_weighted",
        "forecast",
        "fulfilment_pct",
        "collected_pct",
        "forecast_pct",
    )

    class Meta(ReportRow.Meta):
        verbose_name = _("plan fulfilment")
        verbose_name_plural = _("plan fulfilment")
        constraints = scope_constraints("planfulfilment")
        indexes = [newest_first_index("planfulfilment")]

    def __str__(self) -> str:
        return self.describe()

    @property
    def gap(self):
        """What is still missing to the booked plan (never negative); None without a plan."""
        if self.plan_booked is None:
            return None
        return max(self.plan_booked - self.booked, 0)


class CoverageReport(ReportRow):
    """Market coverage for a month: won amount and clients by industry and by segment, and
    how much of the won amount came from the top 20% of clients."""

    won_amount = models.DecimalField(_("won amount"), default=0, **MONEY)
    won_deals = models.PositiveIntegerField(_("won deals"), default=0)
    clients = models.PositiveIntegerField(_("clients"), default=0)
    # xgettext:no-python-format
    top_clients = models.PositiveIntegerField(_("top 20% clients"), default=0)
    # xgettext:no-python-format
    top_clients_amount = models.DecimalField(_("top 20% clients' amount"), default=0, **MONEY)
    # xgettext:no-python-format
    top_share = models.DecimalField(_("top 20% share, %"), null=True, blank=True, **PERCENT)
    by_industry = models.JSONField(_("by industry"), default=list, blank=True)
    by_segment = models.JSONField(_("by segment"), default=list, blank=True)

    FIGURES = (
        "won_amount",
        "won_deals",
        "clients",
        "top_clients",
        "top_clients_amount",
        "top_share",
        "by_industry",
        "by_segment",
    )

    class Meta(ReportRow.Meta):
        verbose_name = _("market coverage")
        verbose_name_plural = _("market coverage")
        constraints = scope_constraints("coveragereport")
        indexes = [newest_first_index("coveragereport")]

    def __str__(self) -> str:
        return self.describe()


# --- Overdue-debt alerts and notifications -----------------------------------------------
