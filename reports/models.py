"""Report tables (one row per period × scope), overdue-debt alerts, notifications and the
record of every report run (SPEC §5).

The report tables hold precomputed figures: pages and the API read them, the nightly
services in ``reports.services`` write them. A row's natural key is its period and its
scope — the department, a team or one person — backed by one partial unique constraint
per scope (a plain constraint would let NULL team/person columns duplicate)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import sees_team
from accounts.visibility import VisibleQuerySet, team_ids_of, visibility_q

MONEY = {"max_digits": 14, "decimal_places": 2}
PERCENT = {"max_digits": 7, "decimal_places": 2}


class Scope(models.TextChoices):
    DEPARTMENT = "department", _("Department")
    TEAM = "team", _("Team")
    REP = "rep", _("Person")


class PeriodKind(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")


class ReportRowQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person sees their own rows; a lead or assistant also their team's row and the
        rows of their team's people; head and analyst every row, the department's too."""
        condition = visibility_q(user, "rep")
        if condition is None:
            return self
        if sees_team(user):
            condition |= Q(scope=Scope.TEAM, team_id__in=team_ids_of(user))
        return self.filter(condition)


def scope_constraints(prefix: str, key: tuple[str, ...] = ("period",)) -> list[models.BaseConstraint]:
    """The natural key (period × scope) as partial unique constraints, and the rule that a
    scope names exactly what it is about."""
    return [
        models.UniqueConstraint(
            fields=[*key], condition=Q(scope=Scope.DEPARTMENT), name=f"{prefix}_department_unique"
        ),
        models.UniqueConstraint(
            fields=[*key, "team"], condition=Q(scope=Scope.TEAM), name=f"{prefix}_team_unique"
        ),
        models.UniqueConstraint(
            fields=[*key, "rep"], condition=Q(scope=Scope.REP), name=f"{prefix}_rep_unique"
        ),
        models.CheckConstraint(
            condition=(Q(scope=Scope.DEPARTMENT) & Q(team__isnull=True) & Q(rep__isnull=True))
            | (Q(scope=Scope.TEAM) & Q(team__isnull=False) & Q(rep__isnull=True))
            | (Q(scope=Scope.REP) & Q(team__isnull=True) & Q(rep__isnull=False)),
            name=f"{prefix}_scope_consistent",
        ),
    ]


class ReportRow(models.Model):
    """What every report table has: the period (first day of the month, or the day), the
    scope, and the date the figures were computed through."""

    period = models.DateField(_("period"))
    scope = models.CharField(_("scope"), max_length=12, choices=Scope.choices)
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    as_of = models.DateField(_("figures as of"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set by the report services only when a figure changed, so a re-run that finds the
    # same figures leaves the row untouched and ``updated_since`` stays meaningful.
    updated_at = models.DateTimeField(_("updated"), db_index=True)

    objects = ReportRowQuerySet.as_manager()

    # The figure fields the services compute (everything but key and bookkeeping).
    KEY_FIELDS = ("period", "scope", "team_id", "rep_id")

    class Meta:
        abstract = True
        ordering = ["-period", "pk"]

    def describe(self) -> str:
        return f"{self.period.isoformat()} · {self.scope_label}"

    @property
    def scope_label(self) -> str:
        if self.scope == Scope.TEAM:
            return str(self.team)
        if self.scope == Scope.REP:
            return str(self.rep)
        return str(_("Department"))


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

    FIGURES = ("due", "due_amount", "renewed", "renewed_amount", "rate_by_count", "rate_by_amount")

    class Meta(ReportRow.Meta):
        verbose_name = _("renewal report")
        verbose_name_plural = _("renewal reports")
        constraints = scope_constraints("renewalreport")

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

    def __str__(self) -> str:
        return self.describe()


# --- Overdue-debt alerts and notifications -----------------------------------------------


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class AlertLevel(models.IntegerChoices):
    OVERDUE = 1, _("Overdue")
    ESCALATED = 2, _("Escalated to the head")


class OverdueAlertQuerySet(VisibleQuerySet):
    pass


class OverdueAlert(models.Model):
    """One per overdue installment, kept current by the nightly run; escalated to the head
    once it is more than ``ESCALATE_AFTER_DAYS`` days overdue, resolved once paid."""

    visibility_owner_path = "installment__deal__owner"
    assistant_may_write = True

    ESCALATE_AFTER_DAYS = 30

    installment = models.OneToOneField(
        "targets.Installment",
        verbose_name=_("installment"),
        on_delete=models.CASCADE,
        related_name="overdue_alert",
    )
    # The installment's client, copied so department-wide summaries group alerts by client
    # without joining installments and deals (a deal never changes client).
    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="overdue_alerts"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=AlertLevel.choices, default=AlertLevel.OVERDUE
    )
    due_date = models.DateField(_("due date"))
    days_overdue = models.PositiveIntegerField(_("days overdue"), default=0)
    bucket = models.CharField(_("aging bucket"), max_length=10)
    outstanding = models.DecimalField(_("outstanding"), default=0, **MONEY)
    reason = models.TextField(_("latest reason"), blank=True)
    promised_date = models.DateField(_("promised date"), null=True, blank=True)
    opened_on = models.DateField(_("opened"))
    escalated_on = models.DateField(_("escalated"), null=True, blank=True)
    resolved_on = models.DateField(_("resolved"), null=True, blank=True)
    checked_on = models.DateField(_("checked"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledgement = models.TextField(_("acknowledgement comment"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), db_index=True)

    objects = OverdueAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-days_overdue", "pk"]
        verbose_name = _("overdue alert")
        verbose_name_plural = _("overdue alerts")
        constraints = [
            models.CheckConstraint(
                condition=Q(outstanding__gte=0), name="overduealert_outstanding_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(status=AlertStatus.OPEN, resolved_on__isnull=True)
                | Q(status=AlertStatus.RESOLVED, resolved_on__isnull=False),
                name="overduealert_resolved_has_date",
            ),
            models.CheckConstraint(condition=Q(level__in=AlertLevel.values), name="overduealert_level_valid"),
        ]
        indexes = [
            # The alert list: open alerts, most overdue first (pk breaks ties, as the list does).
            models.Index(fields=["status", "-days_overdue", "id"], name="overduealert_list_idx"),
            models.Index(fields=["status", "client"], name="overduealert_status_client_idx"),
            # The nightly run moves open alerts on by due date.
            models.Index(fields=["status", "due_date"], name="overduealert_status_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.installment} · {self.days_overdue}"

    @property
    def is_open(self) -> bool:
        return self.status == AlertStatus.OPEN


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A notification is personal: only its recipient sees it, whatever their role."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notice (and e-mail) to one person about an alert reaching a level. Sent at
    most once per alert, level and recipient — the unique constraint makes re-runs safe."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    alert = models.ForeignKey(
        OverdueAlert, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="notifications"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=AlertLevel.choices)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_pending = models.BooleanField(_("e-mail to send"), default=False)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "level", "recipient"], name="notification_once_per_level"
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.alert} · {self.get_level_display()}"


class NotificationPreference(models.Model):
    """How a person wants to be notified: the language of their e-mails and whether to get
    e-mails at all (the in-app list always fills)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    language = models.CharField(_("e-mail language"), max_length=10, choices=settings.LANGUAGES)
    email_enabled = models.BooleanField(_("send me e-mails"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"


# --- Report runs ---------------------------------------------------------------------------


class ReportKind(models.TextChoices):
    CONVERSION = "conversion", _("Conversion")
    RENEWAL = "renewal", _("Renewal rate")
    ACTIVITY = "activity", _("Activity statistics")
    FULFILMENT = "fulfilment", _("Plan fulfilment")
    COVERAGE = "coverage", _("Market coverage")
    ALERTS = "alerts", _("Overdue-debt alerts")


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
