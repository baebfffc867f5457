"""A deal's next step becomes a task on that deal (owner, client and due date of the deal's
step), then the next-step fields of deals go: tasks are the one place for what comes next.
A step on an open deal is an open task; one left on a closed deal is done (on the day it
closed). A step without a date is due on the day of the migration."""

from django.db import migrations
from django.utils import timezone

BATCH = 2000


def deal_steps_to_tasks(apps, schema_editor):
    Deal = apps.get_model("deals", "Deal")
    Task = apps.get_model("clients", "Task")
    today = timezone.localdate()
    now = timezone.now()
    db = schema_editor.connection.alias
    steps = (
        Deal.objects.using(db)
        .exclude(next_step="")
        .order_by("pk")
        .values_list("pk", "next_step", "next_step_due", "client_id", "owner_id", "stage__kind", "closed_at")
    )
    batch = []
    for pk, text, due, client_id, owner_id, kind, closed_at in steps.iterator(chunk_size=BATCH):
        done = kind != "open"
        batch.append(
            Task(
                kind="todo",
                title=text.strip()[:300] or "…",
                client_id=client_id,
                deal_id=pk,
                owner_id=owner_id,
                created_by_id=owner_id,
                due_date=due or closed_at or today,
                status="done" if done else "open",
                done_at=now if done else None,
                done_by_id=owner_id if done else None,
            )
        )
        if len(batch) >= BATCH:
            Task.objects.using(db).bulk_create(batch)
            batch = []
    if batch:
        Task.objects.using(db).bulk_create(batch)


class Migration(migrations.Migration):
    # After the forecast categories: both change deals_deal, and SQLite rebuilds the table from
    # the migration state, so going back across both must meet them in one order.
    dependencies = [
        ("deals", "0004_index_for_newest_first"),
        ("deals", "0005_forecast_categories"),
        ("clients", "0005_next_steps_to_tasks"),
    ]

    operations = [
        migrations.RunPython(deal_steps_to_tasks, migrations.RunPython.noop),
        migrations.RemoveField(model_name="deal", name="next_step"),
        migrations.RemoveField(model_name="deal", name="next_step_due"),
        migrations.RemoveField(model_name="historicaldeal", name="next_step"),
        migrations.RemoveField(model_name="historicaldeal", name="next_step_due"),
    ]
