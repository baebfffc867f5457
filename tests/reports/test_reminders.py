"""Reminders before timed tasks and the morning digest: sent by the beat task every minute,
each exactly once across runs (claimed by a conditional UPDATE), in-app and by e-mail in the
person's language. Eager Celery on the embedded database."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from clients.models import DaySettings, Task
from reports.models import Notification, NotificationPreference
from reports.services.reminders import reminders_run
from reports.tasks import send_reminders
from tests.factories import ClientFactory, TaskFactory

pytestmark = pytest.mark.django_db


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def day():
    return timezone.localdate()


def test_a_reminder_goes_out_once_n_minutes_before(department, day, monkeypatch):
    rep = department.rep_north
    rep.email = "rep@example.com"
    rep.save()
    DaySettings.objects.create(user=rep, digest_time=None)  # reminders only (15 minutes, the default)
    client = ClientFactory(owner=rep, name="Polar Foods")
    task = TaskFactory(
        client=client, owner=rep, title="Call Olga", due_date=day, due_time=datetime.time(10, 0)
    )
    TaskFactory(client=client, owner=rep, title="Untimed", due_date=day)
    TaskFactory(
        client=client, owner=rep, title="Done", due_date=day, due_time=datetime.time(10), status="done"
    )
    # 09:44: too early (15 minutes by default); 09:45 and a second run at 09:46: once.
    assert reminders_run(at(day, 9, 44)).reminders == 0
    first = reminders_run(at(day, 9, 45))
    second = reminders_run(at(day, 9, 46))
    assert (first.reminders, first.emails, second.reminders, second.emails) == (1, 1, 0, 0)
    notification = Notification.objects.get(kind="reminder")
    assert (notification.recipient, notification.task) == (rep, task)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rep@example.com"]
    assert "Call Olga" in mail.outbox[0].subject and "Polar Foods" in mail.outbox[0].body
    # Moved to tomorrow, it is reminded again then.
    Task.objects.filter(pk=task.pk).update(due_date=day + datetime.timedelta(days=1), reminded_at=None)
    assert reminders_run(at(day + datetime.timedelta(days=1), 9, 50)).reminders == 1


def test_reminder_settings_are_the_persons(department, day):
    rep = department.rep_north
    DaySettings.objects.create(user=rep, remind_minutes=60, digest_time=None)
    other = department.rep_north_2
    DaySettings.objects.create(user=other, remind_minutes=None, digest_time=None)
    TaskFactory(client=ClientFactory(owner=rep), owner=rep, due_date=day, due_time=datetime.time(11))
    TaskFactory(client=ClientFactory(owner=other), owner=other, due_date=day, due_time=datetime.time(11))
    run = reminders_run(at(day, 10, 0))
    assert (run.reminders, run.digests) == (1, 0)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [rep.pk]
    assert [message.to for message in mail.outbox] == [[rep.email]]


def test_the_morning_digest_goes_out_once_a_day_in_the_persons_language(department, day):
    rep = department.rep_north
    rep.email = "rep@example.com"
    rep.save()
    NotificationPreference.objects.create(user=rep, language="ru")
    DaySettings.objects.create(user=rep, digest_time=datetime.time(8, 30), remind_minutes=None)
    client = ClientFactory(owner=rep)
    TaskFactory(client=client, owner=rep, title="Today's call", due_date=day)
    Task.objects.filter(pk=TaskFactory(client=client, owner=rep, title="Late one").pk).update(
        due_date=day - datetime.timedelta(days=2)
    )
    TaskFactory(client=client, owner=department.rep_north_2, title="Not theirs", due_date=day)
    assert reminders_run(at(day, 7, 59)).digests == 0
    assert reminders_run(at(day, 8, 29)).digests == 1  # rep_north_2 at the default 08:00
    assert reminders_run(at(day, 8, 30)).digests == 1  # rep at their 08:30
    assert reminders_run(at(day, 9, 0)).digests == 0
    assert Notification.objects.filter(kind="digest", recipient=rep, digest_on=day).count() == 1
    [message] = [message for message in mail.outbox if message.to == ["rep@example.com"]]
    assert message.extra_headers["Content-Language"] == "ru"
    assert "Today's call" in message.body and "Late one" in message.body and "Not theirs" not in message.body
    # The next morning, again once.
    tomorrow = day + datetime.timedelta(days=1)
    assert reminders_run(at(tomorrow, 8, 45)).digests == 2
    assert reminders_run(at(tomorrow, 8, 46)).digests == 0


def test_two_beat_runs_of_the_celery_task_send_each_once(department, day):
    rep = department.rep_north
    rep.email = "rep@example.com"
    rep.save()
    now = timezone.localtime()
    soon = now + datetime.timedelta(minutes=5)
    if soon.date() != now.date():
        pytest.skip("too close to midnight for a same-day timed task")
    TaskFactory(client=ClientFactory(owner=rep), owner=rep, due_date=soon.date(), due_time=soon.time())
    first = send_reminders.delay().get()
    second = send_reminders.delay().get()
    assert first["reminders"] == 1 and second["reminders"] == 0
    assert first["digests"] + second["digests"] == (1 if now.time() >= datetime.time(8) else 0)
    assert Notification.objects.filter(kind="reminder").count() == 1
    assert [message.to for message in mail.outbox].count(["rep@example.com"]) == len(mail.outbox)


def test_the_notifications_page_shows_reminders_and_digests(client, department, day):
    rep = department.rep_north
    task = TaskFactory(
        client=ClientFactory(owner=rep), owner=rep, title="Call Olga", due_time=datetime.time(10)
    )
    Notification.objects.create(kind="reminder", recipient=rep, task=task)
    Notification.objects.create(kind="digest", recipient=rep, digest_on=day)
    client.force_login(rep)
    page = client.get("/reports/notifications/").content.decode()
    assert "At 10:00: Call Olga" in page
    assert "Your day," in page


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not settings.CELERY_BROKER_URL,
    reason="CELERY_BROKER_URL is not set: the real-worker reminder runs in the PostgreSQL + Redis pass",
)
def test_a_real_worker_sends_a_reminder_once_across_two_beat_runs(department):
    """What beat queues every minute (reports.send_reminders), taken from Redis by a real
    worker twice: the task due in five minutes is reminded once and the morning digest
    (its time long past, an overdue task in it) sent once, in-app and by e-mail."""
    from celery.contrib.testing.worker import start_worker

    from salesdept.celery import app

    assert settings.CELERY_BEAT_SCHEDULE["reminders-every-minute"]["task"] == send_reminders.name
    broker = app.connection()
    assert (broker.transport_cls, broker.hostname) == ("redis", "127.0.0.1")
    rep = department.rep_north
    rep.email = "rep@example.com"
    rep.save()
    DaySettings.objects.create(user=rep, digest_time=datetime.time(0, 0))  # reminders 15 min before
    client = ClientFactory(owner=rep, name="Polar Foods")
    TaskFactory(
        client=client, owner=rep, title="Overdue", due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    due = timezone.localtime() + datetime.timedelta(minutes=5)
    task = TaskFactory(
        client=client,
        owner=rep,
        title="Call Olga",
        due_date=due.date(),
        due_time=due.time().replace(second=0, microsecond=0),
    )
    app.conf.task_always_eager = False
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
        ):
            first = send_reminders.delay().get(timeout=60)
            second = send_reminders.delay().get(timeout=60)
    finally:
        app.conf.task_always_eager = True
    assert first == {"reminders": 1, "digests": 1, "emails": 2}
    assert second == {"reminders": 0, "digests": 0, "emails": 0}
    reminder = Notification.objects.get(kind="reminder")
    assert (reminder.recipient, reminder.task) == (rep, task)
    assert Notification.objects.get(kind="digest").recipient == rep
    assert Notification.objects.count() == 2
    assert Task.objects.get(pk=task.pk).reminded_at is not None
    assert [message.to for message in mail.outbox] == [["rep@example.com"], ["rep@example.com"]]
    assert sum("Call Olga" in message.subject for message in mail.outbox) == 1
