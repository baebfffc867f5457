"""The migration that turns next steps into tasks (clients 0005, deals 0005): every next step
written on an activity or a deal is a task afterwards, open or done as it was, with the same
counts per owner; then the next-step fields are gone."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("clients", "0004_task"), ("deals", "0004_index_for_newest_first")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_every_next_step_becomes_a_task_with_the_same_counts_per_owner():
    old = _migrate(BEFORE)
    User = old.get_model("accounts", "User")
    Client = old.get_model("clients", "Client")
    Activity = old.get_model("clients", "Activity")
    Deal = old.get_model("deals", "Deal")
    Stage = old.get_model("deals", "Stage")
    ann = User.objects.create(username="ann", role="rep")
    bob = User.objects.create(username="bob", role="rep")
    cid = User.objects.create(username="cid", role="assistant")
    client = Client.objects.create(name="Polar", normalized_name="polar", owner=ann)
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
        Activity.objects.create(
            client=client,
            owner=owner,
            occurred_at=now,
            next_step=step,
            next_step_due=due,
            next_step_done_at=done,
        )
    # An earlier transactional test may have flushed the seeded stages: make the two used here.
    open_stage, _ = Stage.objects.get_or_create(
        name="Lead", defaults={"order": 10, "default_probability": 10, "kind": "open"}
    )
    won, _ = Stage.objects.get_or_create(
        name="Won", defaults={"order": 60, "default_probability": 100, "kind": "won"}
    )
    Deal.objects.create(
        title="Fleet", client=client, owner=bob, stage=open_stage, next_step="Demo", next_step_due=today
    )
    Deal.objects.create(
        title="Old", client=client, owner=ann, stage=won, next_step="Thank them", closed_at=today
    )
    Deal.objects.create(title="Bare", client=client, owner=ann, stage=open_stage)
    steps_before = Counter(Activity.objects.exclude(next_step="").values_list("owner__username", flat=True))
    steps_before.update(Deal.objects.exclude(next_step="").values_list("owner__username", flat=True))
    open_before = Activity.objects.exclude(next_step="").filter(next_step_done_at=None).count() + 1

    executor = MigrationExecutor(connection)
    new = _migrate(executor.loader.graph.leaf_nodes())
    Task = new.get_model("clients", "Task")
    assert (
        Counter(Task.objects.values_list("owner__username", flat=True))
        == steps_before
        == Counter({"ann": 5, "bob": 2, "cid": 1})
    )
    assert Task.objects.filter(status="open").count() == open_before == 5
    assert set(Task.objects.filter(status="done").values_list("title", flat=True)) == {
        "Old call",
        "Invoice",
        "Thank them",
    }
    overdue = Task.objects.get(title="Send offer")
    assert (overdue.due_date, overdue.client.name, overdue.owner.username) == (
        today - datetime.timedelta(days=5),
        "Polar",
        "ann",
    )
    assert Task.objects.get(title="No date").due_date == today
    assert Task.objects.get(title="Demo").deal.title == "Fleet"
    assert not {"next_step", "next_step_due"} & {f.name for f in new.get_model("deals", "Deal")._meta.fields}
    assert "next_step" not in {f.name for f in new.get_model("clients", "Activity")._meta.fields}
