"""Overdue-debt alerts (one per overdue installment), the notifications they send and each
person's notification preferences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import VisibleQuerySet, visibility_q
from reports.models.common import MONEY

# An alert more than this many days overdue escalates to the head (SPEC §5); the services
# and every label that names the limit read it from here.
ESCALATE_AFTER_DAYS = 30


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class AlertLevel(models.IntegerChoices):
    OVERDUE = 1, _("Overdue")
    ESCALATED = 2, _("Escalated to the head")


class OverdueAlertQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        """An alert reaches whoever sees its installment: through the deal's owner or the
        person following the installment up (targets.Installment.follow_up_by)."""
        by_deal = visibility_q(user, "installment__deal__owner")
        by_follow_up = visibility_q(user, "installment__follow_up_by")
        if by_deal is None or by_follow_up is None:
            return self
        return self.filter(by_deal | by_follow_up)


class OverdueAlert(models.Model):
    """One per overdue installment, kept current by the nightly run; escalated to the head
    once it is more than ``ESCALATE_AFTER_DAYS`` days overdue, resolved once paid."""

    visibility_owner_path = "installment__deal__owner"
    assistant_may_write = True

    ESCALATE_AFTER_DAYS = ESCALATE_AFTER_DAYS

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

    @property
    def is_escalated(self) -> bool:
        return self.level == AlertLevel.ESCALATED


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A notification is personal: only its recipient sees it, whatever their role."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class NotificationKind(models.TextChoices):
    ALERT = "alert", _("Overdue payment")
    REMINDER = "reminder", _("Task reminder")
    DIGEST = "digest", _("Morning digest")


class Notification(models.Model):
    """An in-app notice (and e-mail) to one person: an alert reaching a level (sent at most
    once per alert, level and recipient — the unique constraint makes re-runs safe;
    escalations are urgent and e-mailed at once, the rest go into one daily digest), a
    reminder before a timed task (claimed on the task), or the morning digest of their day
    (once a day: claimed on their day settings, and a unique constraint)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=NotificationKind.choices, default=NotificationKind.ALERT
    )
    alert = models.ForeignKey(
        OverdueAlert,
        verbose_name=_("alert"),
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=AlertLevel.choices, null=True, blank=True)
    task = models.ForeignKey(
        "clients.Task",
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    digest_on = models.DateField(_("digest of"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Urgent (escalated) notifications are e-mailed at once; the others wait for the
    # recipient's daily digest, one e-mail a day listing them all.
    email_pending = models.BooleanField(_("e-mail to send"), default=False)
    digest_pending = models.BooleanField(_("waiting for the daily digest"), default=False)
    digested_on = models.DateField(_("sent in the digest of"), null=True, blank=True)
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
            models.UniqueConstraint(
                fields=["recipient", "digest_on"],
                condition=Q(kind="digest"),
                name="notification_digest_once_a_day",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"
            ),
        ]

    def __str__(self) -> str:
        if self.kind != NotificationKind.ALERT:
            return f"{self.recipient} · {self.get_kind_display()}"
        return f"{self.recipient} · {self.alert} · {self.get_level_display()}"

    @property
    def is_escalated(self) -> bool:
        return self.level == AlertLevel.ESCALATED

    @property
    def is_urgent(self) -> bool:
        return self.is_escalated


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
