"""The date policy (core.dates) in the activity services: what happened is not in the
future nor before the client existed; a next step is not in the past when set nor beyond
five years. Each refusal is a field message and writes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clients.models import Activity, Client, Task
from clients.services import (
    activity_log,
    activity_log_with_next_task,
    activity_update,
    task_create,
    task_update,
)
from core.dates import horizon
from tests.factories import ActivityFactory, ClientFactory, TaskFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def client(department):
    return ClientFactory(owner=department.rep_north)


def refused(call, field):
    with pytest.raises(ValidationError) as error:
        call()
    assert field in error.value.message_dict, error.value.message_dict
    return error.value.message_dict[field][0]


def test_a_call_dated_in_the_future_is_refused(department, client):
    message = refused(
        lambda: activity_log(
            by=department.rep_north, client=client, occurred_at=timezone.now() + datetime.timedelta(days=2)
        ),
        "occurred_at",
    )
    assert "future" in message
    assert not Activity.objects.exists()


def test_a_call_dated_2999_with_a_next_task_due_1900_is_refused(department, client):
    with pytest.raises(ValidationError) as error:
        activity_log_with_next_task(
            by=department.rep_north,
            client=client,
            occurred_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC),
            next_task={"title": "Call back", "due_date": datetime.date(1900, 1, 1)},
        )
    assert set(error.value.message_dict) == {"occurred_at"}
    with pytest.raises(ValidationError) as error:
        activity_log_with_next_task(
            by=department.rep_north,
            client=client,
            next_task={"title": "Call back", "due_date": datetime.date(1900, 1, 1)},
        )
    assert set(error.value.message_dict) == {"next_due_date"}
    assert not Activity.objects.exists()
    assert not Task.objects.exists()


def test_an_activity_before_the_client_existed_is_refused(department, client):
    Client.objects.filter(pk=client.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    client.refresh_from_db()
    message = refused(
        lambda: activity_log(
            by=department.rep_north, client=client, occurred_at=client.created_at - datetime.timedelta(days=3)
        ),
        "occurred_at",
    )
    assert "before" in message
    activity_log(by=department.rep_north, client=client, occurred_at=client.created_at + DAY)
    assert Activity.objects.count() == 1


def test_a_task_in_the_past_or_beyond_five_years_is_refused(department, client):
    today = timezone.localdate()
    for due in (today - DAY, horizon() + DAY):
        refused(
            lambda due=due: task_create(
                by=department.rep_north, client=client, title="Send the offer", due_date=due
            ),
            "due_date",
        )
    assert not Task.objects.exists()
    task_create(by=department.rep_north, client=client, title="Send the offer", due_date=horizon())
    assert Task.objects.count() == 1


def test_an_old_activity_and_an_overdue_task_still_save_with_their_unchanged_dates(department, client):
    old = ActivityFactory(
        client=client, owner=department.rep_north, occurred_at=timezone.now() - datetime.timedelta(days=400)
    )
    updated = activity_update(by=department.rep_north, activity=old, outcome="Agreed on a demo")
    assert updated.outcome == "Agreed on a demo"
    overdue = TaskFactory(
        client=client, owner=department.rep_north, due_date=timezone.localdate() - datetime.timedelta(days=30)
    )
    assert task_update(by=department.rep_north, task=overdue, title="Follow up").title == "Follow up"
    # Moving the overdue task further into the past is refused, nothing changes.
    refused(
        lambda: task_update(
            by=department.rep_north, task=overdue, due_date=timezone.localdate() - datetime.timedelta(days=60)
        ),
        "due_date",
    )
    overdue.refresh_from_db()
    assert overdue.due_date == timezone.localdate() - datetime.timedelta(days=30)
