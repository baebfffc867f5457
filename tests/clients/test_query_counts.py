"""Every list runs the same number of queries whatever the number of rows, and shows the
rows that are there at both sizes (a page that answered an error or nothing would run few
queries too)."""

import datetime
import io
from collections.abc import Callable

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import ActivityFactory, ClientFactory, ContactFactory, DealFactory, TaskFactory

pytestmark = pytest.mark.django_db


def grow(department, book, times: int) -> None:
    """More clients of every owner, each with contacts, activities, open next steps and deals."""
    today = timezone.localdate()
    for owner in (department.rep_north, department.rep_north_2, department.rep_south):
        for client in ClientFactory.create_batch(times, owner=owner):
            ContactFactory.create_batch(2, client=client)
            ActivityFactory(client=client, owner=owner)
            TaskFactory(client=client, owner=owner, title="Call back", due_date=today)
            ActivityFactory(client=client, owner=department.lead_north, contact=client.contacts.first())
            DealFactory(client=client)
    for day in range(times):
        ActivityFactory(
            client=book.north,
            owner=department.rep_north,
            contact=book.north_contact,
            occurred_at=timezone.now() - datetime.timedelta(days=day),
        )
        TaskFactory(
            client=book.north,
            owner=department.rep_north,
            contact=book.north_contact,
            title="Follow up",
            due_date=today + datetime.timedelta(days=day),
        )
        DealFactory(client=book.north, owner=department.rep_north)
    ContactFactory.create_batch(times, client=book.north)


def assert_constant(
    django_assert_num_queries,
    department,
    book,
    expected: int,
    request: Callable,
    shown: Callable,
    rows: tuple,
) -> None:
    """The request answers 200 with `expected` queries and shows rows[0] rows (as `shown`
    counts them); after the lists grow, the same queries and rows[1] rows."""
    for size, grown in enumerate(rows):
        if size:
            grow(department, book, 12)
        with django_assert_num_queries(expected):
            response = request()
        assert response.status_code == 200
        assert shown(response) == grown, ("rows shown at size", size)


def client_rows(response) -> int:
    return response.content.decode().count('class="client-name"')


def timeline_items(response) -> int:
    return response.content.decode().count('<li class="timeline-item')


def task_rows(response) -> int:
    return response.content.decode().count('<li class="step task-row')


def contacts_shown(response) -> int:
    return response.content.decode().count('<div class="contact-ways">')


def deals_shown(response) -> int:
    return response.content.decode().count('<span class="badge stage-')


def workbook_rows(response) -> int:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    return sum(1 for _row in sheet.iter_rows()) - 1  # without the header


def api_count_and_page(response) -> tuple[int, int]:
    return response.data["count"], len(response.data["results"])


# the user (the session is read from the cache), filter choices (owner and team for managers;
# industry, territory), saved views, count, page.
# Rows: the head sees the book's 4 clients, then 12 more of each of three reps; a lead the two
# North clients, then 12 more of each North rep; a rep their own.
@pytest.mark.parametrize(
    ("viewer", "queries", "rows"),
    [("head", 8, (4, 40)), ("lead_north", 8, (2, 26)), ("rep_north", 6, (1, 13))],
)
def test_client_list_page(client, department, book, django_assert_num_queries, viewer, queries, rows):
    client.force_login(getattr(department, viewer))
    assert_constant(
        django_assert_num_queries,
        department,
        book,
        queries,
        lambda: client.get(reverse("clients:list"), {"ordering": "-last_activity"}),
        client_rows,
        rows,
    )


def test_client_list_page_searching_contacts(client, department, book, django_assert_num_queries):
    ContactFactory(client=book.north, phone="+7 900 555-00-00")
    client.force_login(department.head)
    assert_constant(
        django_assert_num_queries,
        department,
        book,
        8,
        lambda: client.get(reverse("clients:list"), {"search": "900"}),
        client_rows,
        (1, 37),  # the client with that phone, then every grown client (factory phones)
    )


def test_client_export(client, department, book, django_assert_num_queries):
    client.force_login(department.head)

    def export():
        return client.get(reverse("clients:export", args=["xlsx"]))

    assert_constant(django_assert_num_queries, department, book, 2, export, workbook_rows, (4, 40))


# The Deals card is loaded from the deals app (deals:client_deals), not read here: contacts
# shown, one then 13. Whether the rep may change their own client and task is read off the rows
# (accounts.visibility.row_meets): no query for either; a lead's rights over a team member's
# client and task are asked of the database, two queries more, the same at both sizes.
@pytest.mark.parametrize(("viewer", "queries"), [("rep_north", 9), ("lead_north", 11)])
def test_client_page(client, department, book, django_assert_num_queries, viewer, queries):
    TaskFactory(client=book.north, owner=department.rep_north)
    client.force_login(getattr(department, viewer))

    def detail():
        return client.get(reverse("clients:detail", args=[book.north.pk]))

    assert_constant(django_assert_num_queries, department, book, queries, detail, contacts_shown, (1, 13))


def test_logging_a_call_answers_the_panel_in_constant_queries(
    client, department, book, django_assert_num_queries
):
    """The htmx answer to a logged call (a fresh form, the timeline and the open tasks): the
    same queries whatever the client's history, and the new call on top of it."""
    client.force_login(department.rep_north)
    calls = iter(range(1, 3))

    def log():
        return client.post(
            reverse("clients:log_activity", args=[book.north.pk]),
            {
                "kind": "call",
                "direction": "outgoing",
                "duration_minutes": "5",
                "outcome": f"Call {next(calls)}",
            },
            HTTP_HX_REQUEST="true",
        )

    def logged(response) -> int:
        text = response.content.decode()
        assert "Logged." in text
        return timeline_items(response)

    # the user, the client with its owner, its contacts and deals (the form's choices),
    # the write (two savepoints, the client re-read, on PostgreSQL held FOR KEY SHARE, the
    # insert, two releases), the timeline's count and page, the open tasks; the rights over
    # the rep's own client and tasks are read off the rows. The timeline: the book's call and
    # the new one, then 12 more.
    queries = 14 if connection.vendor == "postgresql" else 13
    assert_constant(django_assert_num_queries, department, book, queries, log, logged, (2, 15))


def test_client_deals_panel(client, department, book, django_assert_num_queries):
    client.force_login(department.rep_north)

    def panel():
        return client.get(reverse("deals:client_deals", args=[book.north.pk]))

    # the user, the client, its deals (with stage and owner): none, then 12
    assert_constant(django_assert_num_queries, department, book, 3, panel, deals_shown, (0, 12))


def test_timeline_page(client, department, book, django_assert_num_queries):
    client.force_login(department.rep_north)
    assert_constant(
        django_assert_num_queries,
        department,
        book,
        4,
        lambda: client.get(reverse("clients:timeline", args=[book.north.pk]), {"page": 1}),
        timeline_items,
        (1, 13),
    )


# the user, (person choices for managers), the three sections counted at once, a page of each, which
# of them may be changed. Rows: one task in each section (an empty section skips its page
# query), then the grown tasks of the team (lead: today's 26 show a page of 25) or of the rep
# (upcoming fits on one page).
@pytest.mark.parametrize(
    ("viewer", "queries", "rows"), [("lead_north", 7, (3, 38)), ("rep_north", 6, (3, 27))]
)
def test_my_day_page(client, department, book, django_assert_num_queries, viewer, queries, rows):
    today = timezone.localdate()
    for due in (today - datetime.timedelta(days=3), today, today + datetime.timedelta(days=30)):
        TaskFactory(client=book.north, owner=department.rep_north, title="Call", due_date=due)
    client.force_login(getattr(department, viewer))
    assert_constant(
        django_assert_num_queries,
        department,
        book,
        queries,
        lambda: client.get(reverse("tasks:my_day"), {"person": ""}),
        task_rows,
        rows,
    )


# Rows as (count, results on the page) for the lead of North: the team's records, then the
# grown ones; the search finds the client with a 900 phone, then every grown North client.
@pytest.mark.parametrize(
    ("url", "params", "rows"),
    [
        ("/api/v1/clients/", {}, ((2, 2), (26, 26))),
        ("/api/v1/contacts/", {}, ((2, 2), (62, 62))),
        ("/api/v1/activities/", {}, ((1, 1), (61, 61))),
        ("/api/v1/tasks/", {}, ((1, 1), (37, 37))),
        (
            "/api/v1/tasks/",
            {"status": "open", "due_after": "2000-01-01", "ordering": "-due_date"},
            ((1, 1), (37, 37)),
        ),
        ("/api/v1/clients/", {"search": "900", "ordering": "owner"}, ((1, 1), (25, 25))),
    ],
)
def test_api_lists(api_as, department, book, django_assert_num_queries, url, params, rows):
    ContactFactory(client=book.north, phone="+7 900 555-00-00")
    TaskFactory(client=book.north, owner=department.rep_north)
    api = api_as(department.lead_north)

    def get():
        return api.get(url, {**params, "page_size": 200})

    # token, count, page
    assert_constant(django_assert_num_queries, department, book, 3, get, api_count_and_page, rows)


def test_api_client_detail(api_as, department, book, django_assert_num_queries):
    api = api_as(department.rep_north)
    # token, client, its contacts
    assert_constant(
        django_assert_num_queries,
        department,
        book,
        3,
        lambda: api.get(f"/api/v1/clients/{book.north.pk}/"),
        lambda response: len(response.data["contacts"]),
        (1, 13),
    )
