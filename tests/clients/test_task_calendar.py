"""The calendar page: its events endpoint (whose tasks, which days, constant queries) and the
drag that reschedules a task (400 for bad input, 404 hidden, 403 read-only, 409 when gone)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Task
from tests.factories import ClientFactory, TaskFactory
from tests.pages import off_site_assets

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def week(today: datetime.date) -> dict:
    return {"start": (today - 3 * DAY).isoformat() + "T00:00:00+03:00", "end": (today + 4 * DAY).isoformat()}


def test_the_page_loads_the_vendored_calendar(client, department):
    client.force_login(department.rep_north)
    page = client.get(reverse("tasks:calendar")).content.decode()
    assert "/static/vendor/fullcalendar/fullcalendar.js" in page
    assert 'data-events-url="/tasks/calendar/events/"' in page
    assert f'data-query="person={department.rep_north.pk}"' in page
    assert off_site_assets(page) == []


def test_the_calendar_gets_the_department_time_zone_and_its_labels_in_the_readers_language(
    client, department
):
    """FullCalendar reads the department's zone (not the browser's) and the one label its own
    locales leave in English."""
    client.force_login(department.rep_north)
    client.cookies["django_language"] = "ru"
    page = client.get(reverse("tasks:calendar")).content.decode()
    assert 'data-time-zone="Europe/Moscow"' in page
    assert 'data-timed-text="По времени"' in page


def test_events_of_me_my_team_or_a_rep(client, department, book):
    today = timezone.localdate()
    mine = TaskFactory(
        client=book.north, owner=department.rep_north, title="Mine", due_time=datetime.time(10)
    )
    colleague = TaskFactory(client=book.north_2, owner=department.rep_north_2, title="Colleague's")
    TaskFactory(client=book.south, owner=department.rep_south, title="South")
    TaskFactory(client=book.north, owner=department.rep_north, title="Far", due_date=today + 30 * DAY)
    TaskFactory(client=book.north, owner=department.rep_north, title="Done", status="done")
    client.force_login(department.rep_north)
    events = client.get(reverse("tasks:calendar_events"), week(today)).json()
    assert [event["title"] for event in events] == ["Call: Mine · Northwind Trading"]
    events = client.get(
        reverse("tasks:calendar_events"), week(today) | {"person": department.rep_north.pk}
    ).json()
    assert events == [
        {
            "id": str(mine.pk),
            "title": "Call: Mine · Northwind Trading",
            "url": f"/tasks/{mine.pk}/",
            "editable": True,
            "classNames": ["task-kind-call"],
            "extendedProps": {"owner": department.rep_north.full_name, "moveUrl": f"/tasks/{mine.pk}/move/"},
            "start": f"{today.isoformat()}T10:00",
            "end": f"{today.isoformat()}T10:30",
            "allDay": False,
        }
    ]
    client.force_login(department.lead_north)
    team = client.get(reverse("tasks:calendar_events"), week(today) | {"team": department.north.pk}).json()
    assert {event["id"] for event in team} == {str(mine.pk), str(colleague.pk)}
    assert (
        client.get(reverse("tasks:calendar_events"), week(today) | {"team": department.south.pk}).status_code
        == 400
    )
    for params in (
        {},
        {"start": "x", "end": "y"},
        {"start": "2026-01-01", "end": "2027-01-01"},
        week(today) | {"person": 2**40},
    ):
        assert client.get(reverse("tasks:calendar_events"), params).status_code == 400, params


def test_events_run_a_constant_number_of_queries(client, department, django_assert_num_queries):
    today = timezone.localdate()
    rep = department.rep_north
    TaskFactory(client=ClientFactory(owner=rep), owner=rep)
    client.force_login(rep)
    url = reverse("tasks:calendar_events")
    with django_assert_num_queries(4):  # the user, person, tasks, writable
        assert len(client.get(url, week(today) | {"person": rep.pk}).json()) == 1
    for _ in range(12):
        TaskFactory(client=ClientFactory(owner=rep), owner=rep, due_time=datetime.time(9))
    with django_assert_num_queries(4):
        assert len(client.get(url, week(today) | {"person": rep.pk}).json()) == 13


def test_dragging_reschedules_through_the_service(client, department, book):
    today = timezone.localdate()
    task = TaskFactory(client=book.north, owner=department.rep_north, due_time=datetime.time(10))
    url = reverse("tasks:move", args=[task.pk])
    client.force_login(department.rep_north)
    response = client.post(url, {"due_date": (today + DAY).isoformat(), "due_time": "15:30"})
    assert response.status_code == 200
    task.refresh_from_db()
    assert (task.due_date, task.due_time) == (today + DAY, datetime.time(15, 30))
    assert client.post(url, {"due_date": "garbage"}).status_code == 400
    assert client.post(url, {"due_date": (today - DAY).isoformat()}).json() == {
        "detail": "Choose today or a later date."
    }
    assert client.post(url, {"due_date": "99999-01-01"}).status_code == 400
    Task.objects.filter(pk=task.pk).update(status="done")
    assert client.post(url, {"due_date": today.isoformat()}).status_code == 409
    other = TaskFactory(client=book.south, owner=department.rep_south)
    assert (
        client.post(reverse("tasks:move", args=[other.pk]), {"due_date": today.isoformat()}).status_code
        == 404
    )
    client.force_login(department.analyst)
    open_task = TaskFactory(client=book.north, owner=department.rep_north)
    assert (
        client.post(reverse("tasks:move", args=[open_task.pk]), {"due_date": today.isoformat()}).status_code
        == 403
    )


def test_the_feed_answers_at_most_one_event_more_than_the_page_shows_earliest_first(
    client, department, book, monkeypatch
):
    """A head's "everyone" for a month was 7,600 tasks (1.7 MB): the feed stops one past
    what the page shows (the page then says there are more and to pick a team or a person)."""
    from clients.views import calendar

    monkeypatch.setattr(calendar, "EVENTS_SHOWN", 3)
    today = timezone.localdate()
    for offset, hour in [(3, 9), (0, 15), (1, None), (0, 9), (2, 11), (0, None)]:
        TaskFactory(
            client=book.north,
            owner=department.rep_north,
            title=f"+{offset} {hour}",
            due_date=today + offset * DAY,
            due_time=datetime.time(hour) if hour else None,
        )
    client.force_login(department.head)
    events = client.get(reverse("tasks:calendar_events"), week(today)).json()
    assert [event["title"].split(": ")[1].split(" ·")[0] for event in events] == [
        "+0 None",
        "+0 9",
        "+0 15",
        "+1 None",
    ]
    page = client.get(reverse("tasks:calendar")).content.decode()
    assert 'data-events-shown="3"' in page
    assert (
        "More than 3 tasks in these days: only the earliest 3 are shown, so later days may look empty."
        in page
    )
