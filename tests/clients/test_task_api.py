"""/api/v1/tasks/: list filters, create, update, delete by owner/lead/head, and
POST /tasks/{id}/complete/ → the activity and the next task."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from clients.models import Activity, Task
from tests.factories import DealFactory, TaskFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    return timezone.localdate()


def test_list_filters(api_as, department, book):
    deal = DealFactory(client=book.north, owner=department.rep_north)
    call = TaskFactory(client=book.north, owner=department.rep_north, deal=deal, due_date=today())
    meeting = TaskFactory(
        client=book.north, owner=department.rep_north, kind="meeting", due_date=today() + 3 * DAY
    )
    done = TaskFactory(client=book.north, owner=department.rep_north, status="done")
    TaskFactory(client=book.south, owner=department.rep_south)
    api = api_as(department.rep_north)

    def ids(**params):
        response = api.get("/api/v1/tasks/", params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [call.pk, done.pk, meeting.pk]
    assert ids(status="open") == [call.pk, meeting.pk]
    assert ids(kind="meeting") == [meeting.pk]
    assert ids(deal=deal.pk) == [call.pk]
    assert ids(client=book.south.pk) == []
    assert ids(due_after=(today() + DAY).isoformat()) == [meeting.pk]
    assert ids(due_before=today().isoformat(), status="open") == [call.pk]
    assert ids(owner=department.rep_north.pk, status="open") == [call.pk, meeting.pk]
    assert ids(updated_since=(timezone.now() + datetime.timedelta(hours=1)).isoformat()) == []
    assert api.get("/api/v1/tasks/", {"owner": department.rep_south.pk}).status_code == 400


def test_create_update_delete(api_as, department, book):
    api = api_as(department.lead_north)
    response = api.post(
        "/api/v1/tasks/",
        {
            "client": book.north.pk,
            "kind": "meeting",
            "title": "Quarterly review",
            "due_date": (today() + DAY).isoformat(),
            "due_time": "11:00",
            "duration_minutes": 60,
            "owner": department.rep_north.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["owner"], body["owner_name"], body["status"], body["due_time"]) == (
        department.rep_north.pk,
        department.rep_north.full_name,
        "open",
        "11:00:00",
    )
    task_id = body["id"]
    rep = api_as(department.rep_north)
    response = rep.patch(
        f"/api/v1/tasks/{task_id}/", {"due_date": (today() + 2 * DAY).isoformat()}, format="json"
    )
    assert response.status_code == 200 and response.json()["due_date"] == (today() + 2 * DAY).isoformat()
    response = rep.patch(f"/api/v1/tasks/{task_id}/", {"client": book.north_2.pk}, format="json")
    assert response.status_code == 400
    response = rep.patch(f"/api/v1/tasks/{task_id}/", {"due_date": "1800-01-01"}, format="json")
    assert response.status_code == 400
    assert api_as(department.assistant_north).delete(f"/api/v1/tasks/{task_id}/").status_code == 403
    assert api_as(department.rep_south).delete(f"/api/v1/tasks/{task_id}/").status_code == 404
    assert api_as(department.rep_north).delete(f"/api/v1/tasks/{task_id}/").status_code == 204
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"title": "", "due_date": "2030-01-01"},
        {"title": "X", "due_date": "0001-01-01"},
        {"title": "X", "due_date": "2030-01-01", "kind": "dance"},
        {"title": "X" * 301, "due_date": "2030-01-01"},
        {"title": "X", "due_date": "2030-01-01", "duration_minutes": 10**12},
        {"title": "X", "due_date": "2030-01-01", "owner": 2**40},
        {"title": "X", "due_date": "2030-01-01", "contact": "abc"},
        {"title": "X", "due_date": "2030-01-01", "due_time": "25:99"},
    ],
)
def test_bad_create_is_400(api_as, department, book, body):
    response = api_as(department.rep_north).post(
        "/api/v1/tasks/", {"client": book.north.pk, **body}, format="json"
    )
    assert response.status_code == 400, response.content
    assert not Task.objects.exists()


def test_complete_logs_the_activity_and_plans_the_next(api_as, department, book):
    task = TaskFactory(client=book.north, owner=department.rep_north, contact=book.north_contact, kind="call")
    api = api_as(department.rep_north)
    url = f"/api/v1/tasks/{task.pk}/complete/"
    response = api.post(url, {"outcome": ""}, format="json")
    assert response.status_code == 400
    assert response.json() == {"outcome": ["Say how it went."]}
    response = api.post(url, {"outcome": "OK", "next": {"title": "", "due_at": "yesterday"}}, format="json")
    assert response.status_code == 400
    assert set(response.json()["next"]) == {"title", "due_at"}
    past = (today() - DAY).isoformat()
    response = api.post(url, {"outcome": "OK", "next": {"title": "X", "due_at": past}}, format="json")
    assert response.status_code == 400
    assert response.json() == {"next": {"due_at": ["Choose today or a later date."]}}
    assert Task.objects.get(pk=task.pk).status == "open"
    due = today() + DAY
    response = api.post(
        url,
        {"outcome": "Wants a demo", "next": {"kind": "meeting", "title": "Demo", "due_at": f"{due}T14:30"}},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["activity"]["kind"], body["activity"]["outcome"], body["activity"]["contact"]) == (
        "call",
        "Wants a demo",
        book.north_contact.pk,
    )
    assert (
        body["next"]["kind"],
        body["next"]["title"],
        body["next"]["due_date"],
        body["next"]["due_time"],
    ) == (
        "meeting",
        "Demo",
        due.isoformat(),
        "14:30:00",
    )
    assert api.post(url, {"outcome": "again"}, format="json").status_code == 409
    other = TaskFactory(client=book.north, owner=department.rep_north, kind="email")
    response = api.post(f"/api/v1/tasks/{other.pk}/complete/", {}, format="json")
    assert response.status_code == 200 and response.json()["next"] is None
    assert api_as(department.rep_south).post(f"/api/v1/tasks/{other.pk}/complete/", {}).status_code == 404
    assert Activity.objects.filter(client=book.north).count() == 3
