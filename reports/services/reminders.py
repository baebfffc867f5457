"""Reminders of the rep's day: an in-app notice (and e-mail, in the person's language) a few
minutes before a timed task, and a morning digest of the day at the person's chosen time.

Celery beat runs ``reminders_run`` every minute. Each reminder and digest goes out exactly
once however often it runs, and when two runs overlap: a task's reminder is claimed by a
conditional UPDATE of ``Task.reminded_at`` (null → now), a digest by one of
``DaySettings.digest_sent_on`` (before today → today); only the run whose UPDATE changed the
row writes the notification. The e-mails go through ``notifications_send_pending``, which
claims each e-mail the same way."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from clients.models import DaySettings, Task, TaskStatus
from clients.services import day_settings_of
from reports.models import Notification, NotificationKind, NotificationPreference
from reports.services.notifications import notifications_send_pending, unread_count_forget

DEFAULT_REMIND_MINUTES = DaySettings._meta.get_field("remind_minutes").default
DEFAULT_DIGEST_TIME = DaySettings._meta.get_field("digest_time").default
LATE_LIMIT = datetime.timedelta(hours=1)  # a task more than this far past its time gets no reminder


@dataclass
class ReminderRun:
    reminders: int
    digests: int
    emails: int


def _wants_email(user_ids) -> dict[int, bool]:
    declined = set(
        NotificationPreference.objects.filter(user_id__in=user_ids, email_enabled=False).values_list(
            "user_id", flat=True
        )
    )
    return {user_id: user_id not in declined for user_id in user_ids}


def reminders_due(now: datetime.datetime) -> int:
    """Remind the owners of the open timed tasks whose reminder time has come."""
    local = timezone.localtime(now)
    today = local.date()
    candidates = list(
        Task.objects.filter(
            status=TaskStatus.OPEN,
            reminded_at__isnull=True,
            due_time__isnull=False,
            due_date__gte=today - datetime.timedelta(days=1),
            due_date__lte=today + datetime.timedelta(days=1),
            owner__is_active=True,
        ).select_related("owner")
    )
    minutes = dict(
        DaySettings.objects.filter(user_id__in={t.owner_id for t in candidates}).values_list(
            "user_id", "remind_minutes"
        )
    )
    email = _wants_email({task.owner_id for task in candidates})
    sent = 0
    for task in candidates:
        before = minutes.get(task.owner_id, DEFAULT_REMIND_MINUTES)
        if before is None:
            continue
        due_at = task.due_at
        if not (due_at - datetime.timedelta(minutes=before) <= now <= due_at + LATE_LIMIT):
            continue
        with transaction.atomic():
            claimed = Task.objects.filter(
                pk=task.pk, reminded_at__isnull=True, status=TaskStatus.OPEN
            ).update(reminded_at=now)
            if not claimed:
                continue
            Notification.objects.create(
                kind=NotificationKind.REMINDER,
                recipient_id=task.owner_id,
                task=task,
                email_pending=email[task.owner_id] and bool(task.owner.email),
            )
        unread_count_forget([task.owner_id])
        sent += 1
    return sent


def _digest_people(now: datetime.datetime) -> list[User]:
    """The active people with open tasks due today or earlier."""
    today = timezone.localtime(now).date()
    owner_ids = Task.objects.filter(
        status=TaskStatus.OPEN, due_date__lte=today, owner__is_active=True
    ).values("owner_id")
    return list(User.objects.filter(pk__in=owner_ids))


def digests_due(now: datetime.datetime) -> int:
    """The morning digest for everybody whose digest time has come today and who has
    something due (their settings are made with the defaults, 08:00, when missing)."""
    local = timezone.localtime(now)
    today = local.date()
    people = _digest_people(now)
    email = _wants_email({person.pk for person in people})
    sent = 0
    for person in people:
        day = day_settings_of(person)
        if day.digest_time is None or local.time() < day.digest_time:
            continue
        with transaction.atomic():
            claimed = (
                DaySettings.objects.filter(pk=day.pk)
                .filter(Q(digest_sent_on__isnull=True) | Q(digest_sent_on__lt=today))
                .update(digest_sent_on=today)
            )
            if not claimed:
                continue
            Notification.objects.create(
                kind=NotificationKind.DIGEST,
                recipient=person,
                digest_on=today,
                email_pending=email[person.pk] and bool(person.email),
            )
        unread_count_forget([person.pk])
        sent += 1
    return sent


def reminders_run(now: datetime.datetime | None = None) -> ReminderRun:
    now = now or timezone.now()
    reminders = reminders_due(now)
    digests = digests_due(now)
    return ReminderRun(reminders=reminders, digests=digests, emails=notifications_send_pending())
