"""Every next step written on an activity becomes a task, so nothing is lost when the
next-step fields go (0006): same owner (who logged the activity), client, contact, deal and
due date. Open steps become open tasks, ticked-off ones done tasks (done when they were
ticked). A step without a date is due on the day of the migration, so it shows up today."""

import datetime

from django.db import migrations
from django.utils import timezone

BATCH = 2000


def _due(step_due, fallback: datetime.date) -> datetime.date:
    return step_due or fallback


def activity_steps_to_tasks(apps, schema_editor):
    Activity = apps.get_model("clients", "Activity")
    Task = apps.get_model("clients", "Task")
    db = schema_editor.connection.alias
    today = timezone.localdate()
    steps = (
        Activity.objects.using(db)
        .exclude(next_step="")
        .order_by("pk")
        .values_list(
            "pk", "next_step", "next_step_due", "next_step_done_at", "client_id", "contact_id", "deal_id", "owner_id"
        )
    )
    batch = []
    for _pk, text, due, done_at, client_id, contact_id, deal_id, owner_id in steps.iterator(chunk_size=BATCH):
        done = done_at is not None
        batch.append(
            Task(
                kind="todo",
                title=text.strip()[:300] or "…",
                client_id=client_id,
                contact_id=contact_id,
                deal_id=deal_id,
                owner_id=owner_id,
                created_by_id=owner_id,
                due_date=_due(due, timezone.localdate(done_at) if done else today),
                status="done" if done else "open",
                done_at=done_at,
                done_by_id=owner_id if done else None,
            )
        )
        if len(batch) >= BATCH:
            Task.objects.using(db).bulk_create(batch)
            batch = []
    if batch:
        Task.objects.using(db).bulk_create(batch)


def tasks_back_to_activity_steps(apps, schema_editor):
    """Going back leaves the tasks in place (0004 going back drops them)."""


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0004_task"),
    ]

    operations = [
        migrations.RunPython(activity_steps_to_tasks, tasks_back_to_activity_steps),
    ]
