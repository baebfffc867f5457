"""The iCalendar feed of a person's open tasks (``/calendar/<token>.ics``), built with the
``icalendar`` package: a timed task is an event at its time (its duration, else 30 minutes),
an untimed one an all-day event on its day."""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from accounts.models import User
from clients.models import DaySettings, Task, TaskStatus

DEFAULT_MINUTES = 30
FEED_DAYS_BACK = 90  # overdue tasks older than this are left out of the feed


def feed_owner(token: str) -> User | None:
    """The active person whose feed this token opens, or None."""
    if not token or len(token) > 64:
        return None
    day = DaySettings.objects.select_related("user").filter(feed_token=token).first()
    if day is None or not day.user.is_active:
        return None
    return day.user


def feed_tasks(user: User) -> QuerySet[Task]:
    """What the feed shows: the person's own open tasks they may see (a rep: theirs)."""
    since = timezone.localdate() - datetime.timedelta(days=FEED_DAYS_BACK)
    return (
        Task.objects.visible_to(user)
        .filter(owner=user, status=TaskStatus.OPEN, due_date__gte=since)
        .select_related("client", "contact")
        .order_by("due_date", "due_time", "pk")
    )


def feed_ics(user: User, tasks, *, base_url: str) -> bytes:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//salesdept//tasks//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"salesdept · {user.full_name}")
    stamp = timezone.now()
    for task in tasks:
        event = Event()
        event.add("uid", f"task-{task.pk}@salesdept")
        event.add("dtstamp", stamp)
        event.add("summary", f"{task.get_kind_display()}: {task.title} · {task.client.name}")
        if task.due_time is None:
            event.add("dtstart", task.due_date)
            event.add("dtend", task.due_date + datetime.timedelta(days=1))
        else:
            start = datetime.datetime.combine(task.due_date, task.due_time, tzinfo=zone)
            event.add("dtstart", start)
            event.add("dtend", start + datetime.timedelta(minutes=task.duration_minutes or DEFAULT_MINUTES))
        lines = [task.notes] if task.notes else []
        if task.contact is not None:
            lines.append(" ".join(part for part in (task.contact.name, task.contact.phone) if part))
        if lines:
            event.add("description", "\n".join(lines))
        event.add("url", base_url + reverse("tasks:detail", args=[task.pk]))
        event.add("last-modified", task.updated_at)
        calendar.add_component(event)
    return calendar.to_ical()
