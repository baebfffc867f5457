"""The calendar feed: every person's secret /calendar/<token>.ics with exactly their open
tasks; GET/POST /api/v1/calendar-feed/ (POST rotates); the settings page; constant queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from clients.models import DaySettings
from tests.factories import ClientFactory, TaskFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def feed_path(api) -> str:
    response = api.get("/api/v1/calendar-feed/")
    assert response.status_code == 200
    url = response.json()["url"]
    assert re.fullmatch(r"http://testserver/calendar/[A-Za-z0-9_-]{43}\.ics", url), url
    return url.removeprefix("http://testserver")


def uids(response) -> set[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["uid"]) for event in calendar.walk("VEVENT")}


def test_the_feed_holds_exactly_the_persons_open_tasks(client, api_as, department, book):
    today = timezone.localdate()
    mine = TaskFactory(client=book.north, owner=department.rep_north, title="Call Olga")
    timed = TaskFactory(
        client=book.north,
        owner=department.rep_north,
        kind="meeting",
        title="Demo",
        due_date=today + DAY,
        due_time=datetime.time(14, 30),
        duration_minutes=45,
        contact=book.north_contact,
    )
    TaskFactory(client=book.north, owner=department.rep_north, status="done")
    TaskFactory(client=book.north, owner=department.rep_north, status="cancelled")
    TaskFactory(client=book.north, owner=department.assistant_north)  # on rep's client, not theirs
    TaskFactory(client=book.north_2, owner=department.rep_north_2)
    TaskFactory(client=book.south, owner=department.rep_south)
    path = feed_path(api_as(department.rep_north))
    client.logout()
    response = client.get(path)
    assert uids(response) == {f"task-{mine.pk}@salesdept", f"task-{timed.pk}@salesdept"}
    event = next(
        e for e in Calendar.from_ical(response.content).walk("VEVENT") if "Demo" in str(e["summary"])
    )
    assert str(event["summary"]) == "Meeting: Demo · Northwind Trading"
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert (start.date(), start.hour, start.minute, (end - start).seconds) == (today + DAY, 14, 30, 45 * 60)
    assert "Olga Petrova" in str(event["description"])
    assert str(event["url"]).endswith(f"/tasks/{timed.pk}/")
    # Another person's feed is theirs only.
    lead_path = feed_path(api_as(department.lead_north))
    assert uids(client.get(lead_path)) == set()


def test_rotating_cuts_off_the_old_address_and_a_wrong_token_is_404(client, api_as, department, book):
    api = api_as(department.rep_north)
    old = feed_path(api)
    assert feed_path(api) == old  # stable until rotated
    response = api.post("/api/v1/calendar-feed/")
    assert response.status_code == 200
    new = response.json()["url"].removeprefix("http://testserver")
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert client.get("/calendar/nonsense.ics").status_code == 404
    assert client.get("/calendar/" + "x" * 500 + ".ics").status_code == 404
    department.rep_north.is_active = False
    department.rep_north.save()
    assert client.get(new).status_code == 404


def test_the_feed_runs_a_constant_number_of_queries(
    client, api_as, department, book, django_assert_num_queries
):
    path = feed_path(api_as(department.rep_north))
    TaskFactory(client=book.north, owner=department.rep_north)
    with django_assert_num_queries(2):  # the token's owner, the tasks
        assert len(uids(client.get(path))) == 1
    for _ in range(15):
        TaskFactory(
            client=ClientFactory(owner=department.rep_north),
            owner=department.rep_north,
            contact=None,
            due_time=datetime.time(9),
        )
    with django_assert_num_queries(2):
        assert len(uids(client.get(path))) == 16


def test_the_settings_page_shows_rotates_and_saves(client, department):
    client.force_login(department.rep_north)
    page = client.get(reverse("tasks:settings")).content.decode()
    token = DaySettings.objects.get(user=department.rep_north).feed_token
    assert f"/calendar/{token}.ics" in page
    assert client.post(reverse("tasks:settings"), {"action": "rotate"}).status_code == 302
    assert DaySettings.objects.get(user=department.rep_north).feed_token != token
    response = client.post(
        reverse("tasks:settings"), {"action": "save", "remind_minutes": "-5", "digest_time": "25:00"}
    )
    assert response.status_code == 400
    response = client.post(
        reverse("tasks:settings"), {"action": "save", "remind_minutes": "30", "digest_time": ""}
    )
    assert response.status_code == 302
    day = DaySettings.objects.get(user=department.rep_north)
    assert (day.remind_minutes, day.digest_time) == (30, None)
    client.logout()
    assert client.get(reverse("tasks:settings")).status_code == 302
