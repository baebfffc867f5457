"""Tasks (the rep's day): what a person will do for a client next, and each person's day
settings (the calendar feed, reminders and the morning digest)."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.visibility import VisibleQuerySet, visibility_q
from clients.models.activities import Activity, ActivityKind
from clients.models.clients import Client
from clients.models.contacts import Contact
from core.history import HistoricalRecords


class TaskKind(models.TextChoices):
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("E-mail")
    VISIT = "visit", _("Visit")
    TODO = "todo", _("To-do")


# Completing a task logs an activity of this kind (a to-do leaves a note).
TASK_ACTIVITY_KIND = {
    TaskKind.CALL: ActivityKind.CALL,
    TaskKind.MEETING: ActivityKind.MEETING,
    TaskKind.EMAIL: ActivityKind.EMAIL,
    TaskKind.VISIT: ActivityKind.VISIT,
    TaskKind.TODO: ActivityKind.NOTE,
}
# Kinds whose completion must say how it went.
OUTCOME_REQUIRED_KINDS = frozenset({TaskKind.CALL, TaskKind.MEETING})


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TaskQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        """A task reaches the person who does it and, like an activity, whoever sees its
        client: a rep sees their own tasks and every task on their clients."""
        by_owner = visibility_q(user, "owner")
        by_client = visibility_q(user, "client__owner")
        if by_owner is None or by_client is None:
            return self
        return self.filter(by_owner | by_client)

    def visible_parts(self, user) -> list:
        """``visible_to`` as querysets whose union it is, each filtering one table: an OR
        across the task and its client makes PostgreSQL scan every task, while each part is
        served by an index (the global search unions them)."""
        by_owner = visibility_q(user, "owner")
        by_client = visibility_q(user, "client__owner")
        if by_owner is None or by_client is None:
            return [self.all()]
        return [self.filter(by_owner), self.filter(by_client)]

    def open(self):
        return self.filter(status=TaskStatus.OPEN)


class Task(models.Model):
    """Something a person will do for a client: a call, a meeting, a visit. Its owner does
    it; completing it logs the activity (``activity``)."""

    tombstone_name = "task"  # deletions leave a tombstone (sync)
    visibility_owner_path = "owner"
    assistant_may_write = True
    sdr_writable = Q(client__status="lead")

    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices, default=TaskKind.CALL)
    title = models.CharField(_("title"), max_length=300)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="tasks"
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    deal = models.ForeignKey(
        "deals.Deal",
        verbose_name=_("deal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="tasks"
    )
    due_date = models.DateField(_("due date"))
    due_time = models.TimeField(_("time"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration, minutes"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("logged activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="completed_tasks",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # When the reminder before a timed task went out (claimed by a conditional UPDATE).
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["reminded_at"])
    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", F("due_time").asc(nulls_first=True), "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=TaskKind.values), name="task_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=TaskStatus.values), name="task_status_valid"),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__lte=24 * 60),
                name="task_duration_max_day",
            ),
        ]
        indexes = [
            # My day: one person's open tasks by due date.
            models.Index(
                fields=["owner", "due_date", "due_time"],
                condition=Q(status="open"),
                name="task_owner_open_due_idx",
            ),
            models.Index(fields=["client", "status", "due_date"], name="task_client_status_idx"),
            models.Index(fields=["deal", "status"], name="task_deal_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    @property
    def due_at(self):
        """The moment it is due (a timed task), aware in the department's zone; None if untimed."""
        if self.due_time is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(self.due_date, self.due_time))


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class DaySettings(models.Model):
    """One person's calendar feed (a secret address calendars subscribe to; rotating it cuts
    off every old subscription) and reminders: N minutes before a timed task, and a morning
    digest of the day at a time of their choosing."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="day_settings",
    )
    feed_token = models.CharField(
        _("calendar feed token"), max_length=64, unique=True, default=new_feed_token
    )
    feed_rotated_at = models.DateTimeField(_("feed address made"), auto_now_add=True)
    remind_minutes = models.PositiveSmallIntegerField(
        _("remind minutes before a timed task"), null=True, blank=True, default=15
    )
    digest_time = models.TimeField(_("morning digest at"), null=True, blank=True, default=datetime.time(8, 0))
    # The day whose digest went out (claimed by a conditional UPDATE: once a day).
    digest_sent_on = models.DateField(_("digest sent on"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("day settings")
        verbose_name_plural = _("day settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(remind_minutes__isnull=True) | Q(remind_minutes__lte=24 * 60),
                name="day_settings_remind_max_day",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)
