"""The migration that turns next steps into tasks (clients 0005, deals 0005): every next step
written on an activity or a deal is a task afterwards, open or done as it was, with the same
counts per owner; then the next-step fields are gone."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.scratch_database import scratch_database

BEFORE = [("clients", "0004_task"), ("deals", "0004_index_for_newest_first")]
AFTER = [("clients", "0006_remove_activity_next_steps"), ("deals", "0005_deal_next_steps_to_tasks")]


def _migrate(alias, targets):
    """Migrates the database at `alias` to `targets` (only the migrations they need) and
    returns the models as they are there."""
    connection = connections[alias]
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def test_every_next_step_becomes_a_task_with_the_same_counts_per_owner(django_db_blocker):
    # On an empty database of its own: migrating the test database back to 0004 and forward
    # again took 25 s and flushed it under the other tests.
    with django_db_blocker.unblock(), scratch_database() as db:
        _next_steps_become_tasks(db)


def _next_steps_become_tasks(db):
    old = _migrate(db, BEFORE)
    User = old.get_model("accounts", "User")
    Client = old.get_model("clients", "Client")
    Activity = old.get_model("clients", "Activity")
    Deal = old.get_model("deals", "Deal")
    Stage = old.get_model("deals", "Stage")
    ann = User.objects.using(db).create(username="ann", role="rep")
    bob = User.objects.using(db).create(username="bob", role="rep")
    cid = User.objects.using(db).create(username="cid", role="assistant")
    client = Client.objects.using(db).create(name="Polar", normalized_name="polar", owner=ann)
    now = timezone.now()
    today = timezone.localdate()
    rows = [
        (ann, "Call back", today + datetime.timedelta(days=2), None),
        (ann, "Send offer", today - datetime.timedelta(days=5), None),  # open and overdue
        (ann, "Old call", today - datetime.timedelta(days=40), now),  # done
        (ann, "No date", None, None),
        (bob, "Visit", today, None),
        (cid, "Invoice", None, now),
        (bob, "", None, None),  # no next step at all
    ]
    for owner, step, due, done in rows:
        Activity.objects.using(db).create(
            client=client,
            owner=owner,
            occurred_at=now,
            next_step=step,
            next_step_due=due,
            next_step_done_at=done,
        )
    # The default stages come from deals 0002, written on this database.
    open_stage = Stage.objects.using(db).get(name="Lead", kind="open")
    won = Stage.objects.using(db).get(name="Won", kind="won")
    Deal.objects.using(db).create(
        title="Fleet", client=client, owner=bob, stage=open_stage, next_step="Demo", next_step_due=today
    )
    Deal.objects.using(db).create(
        title="Old", client=client, owner=ann, stage=won, next_step="Thank them", closed_at=today
    )
    Deal.objects.using(db).create(title="Bare", client=client, owner=ann, stage=open_stage)
    steps_before = Counter(
        Activity.objects.using(db).exclude(next_step="").values_list("owner__username", flat=True)
    )
    steps_before.update(
        Deal.objects.using(db).exclude(next_step="").values_list("owner__username", flat=True)
    )
    open_before = Activity.objects.using(db).exclude(next_step="").filter(next_step_done_at=None).count() + 1

    new = _migrate(db, AFTER)
    tasks = new.get_model("clients", "Task").objects.using(db)
    assert (
        Counter(tasks.values_list("owner__username", flat=True))
        == steps_before
        == Counter({"ann": 5, "bob": 2, "cid": 1})
    )
    assert tasks.filter(status="open").count() == open_before == 5
    assert set(tasks.filter(status="done").values_list("title", flat=True)) == {
        "Old call",
        "Invoice",
        "Thank them",
    }
    overdue = tasks.get(title="Send offer")
    assert (overdue.due_date, overdue.client.name, overdue.owner.username) == (
        today - datetime.timedelta(days=5),
        "Polar",
        "ann",
    )
    assert tasks.get(title="No date").due_date == today
    assert tasks.get(title="Demo").deal.title == "Fleet"
    assert not {"next_step", "next_step_due"} & {f.name for f in new.get_model("deals", "Deal")._meta.fields}
    assert "next_step" not in {f.name for f in new.get_model("clients", "Activity")._meta.fields}
