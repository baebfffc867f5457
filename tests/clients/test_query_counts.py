"""Every list runs the same number of queries whatever the number of rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ActivityFactory, ClientFactory, ContactFactory, DealFactory

pytestmark = pytest.mark.django_db


def grow(department, book, times: int) -> None:
    """More clients of every owner, each with contacts, activities, open next steps and deals."""
    today = timezone.localdate()
    for owner in (department.rep_north, department.rep_north_2, department.rep_south):
        for client in ClientFactory.create_batch(times, owner=owner):
            ContactFactory.create_batch(2, client=client)
            ActivityFactory(client=client, owner=owner, next_step="Call back", next_step_due=today)
            ActivityFactory(client=client, owner=department.lead_north, contact=client.contacts.first())
            DealFactory(client=client)
    for day in range(times):
        ActivityFactory(
            client=book.north,
            owner=department.rep_north,
            contact=book.north_contact,
            occurred_at=timezone.now() - datetime.timedelta(days=day),
            next_step="Follow up",
            next_step_due=today + datetime.timedelta(days=day),
        )
        DealFactory(client=book.north, owner=department.rep_north)
    ContactFactory.create_batch(times, client=book.north)


def assert_constant(django_assert_num_queries, department, book, expected: int, request) -> None:
    with django_assert_num_queries(expected):
        request()
    grow(department, book, 12)
    with django_assert_num_queries(expected):
        request()


# session, user, filter choices (owner and team for managers; industry, territory), count, page
@pytest.mark.parametrize(("viewer", "queries"), [("head", 8), ("lead_north", 8), ("rep_north", 6)])
def test_client_list_page(client, department, book, django_assert_num_queries, viewer, queries):
    client.force_login(getattr(department, viewer))
    assert_constant(
        django_assert_num_queries,
        department,
        book,
        queries,
        lambda: client.get(reverse("clients:list"), {"ordering": "-last_activity"}),
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
    )


def test_client_export(client, department, book, django_assert_num_queries):
    client.force_login(department.head)

    def export():
        response = client.get(reverse("clients:export", args=["xlsx"]))
        assert response.status_code == 200

    assert_constant(django_assert_num_queries, department, book, 3, export)


def test_client_page(client, department, book, django_assert_num_queries):
    client.force_login(department.rep_north)

    def detail():
        response = client.get(reverse("clients:detail", args=[book.north.pk]))
        assert response.status_code == 200

    # The Deals card is loaded from the deals app (deals:client_deals), not read here.
    assert_constant(django_assert_num_queries, department, book, 11, detail)


def test_client_deals_panel(client, department, book, django_assert_num_queries):
    client.force_login(department.rep_north)

    def panel():
        response = client.get(reverse("deals:client_deals", args=[book.north.pk]))
        assert response.status_code == 200

    # session, user, the client, its deals (with stage and owner)
    assert_constant(django_assert_num_queries, department, book, 4, panel)


def test_timeline_page(client, department, book, django_assert_num_queries):
    client.force_login(department.rep_north)
    assert_constant(
        django_assert_num_queries,
        department,
        book,
        6,
        lambda: client.get(reverse("clients:timeline", args=[book.north.pk]), {"page": 1}),
    )


# session, user, (person choices for managers), counts, count, page, which of them may be ticked off
@pytest.mark.parametrize(("viewer", "queries"), [("lead_north", 7), ("rep_north", 6)])
def test_next_steps_page(client, department, book, django_assert_num_queries, viewer, queries):
    ActivityFactory(
        client=book.north, owner=department.rep_north, next_step="Call", next_step_due=timezone.localdate()
    )
    client.force_login(getattr(department, viewer))
    assert_constant(
        django_assert_num_queries,
        department,
        book,
        queries,
        lambda: client.get(reverse("clients:next_steps"), {"person": ""}),
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/clients/",
        "/api/v1/contacts/",
        "/api/v1/activities/",
        "/api/v1/clients/?search=900&ordering=owner",
    ],
)
def test_api_lists(api_as, department, book, django_assert_num_queries, url):
    api = api_as(department.lead_north)

    def get():
        response = api.get(url, {"page_size": 200})
        assert response.status_code == 200

    # token, count, page
    assert_constant(django_assert_num_queries, department, book, 3, get)


def test_api_client_detail(api_as, department, book, django_assert_num_queries):
    api = api_as(department.rep_north)
    # token, client, its contacts
    assert_constant(
        django_assert_num_queries, department, book, 3, lambda: api.get(f"/api/v1/clients/{book.north.pk}/")
    )
