"""The search answers with the same number of queries however many records match: one per
kind (plus the user; the session is read from the cache), at two sizes, with the hits shown at both."""

import pytest
from django.urls import reverse

from tests.factories import ClientFactory, ContactFactory, DealFactory

pytestmark = pytest.mark.django_db


def grow(department, times: int) -> None:
    for owner in (department.rep_north, department.rep_south):
        for number in range(times):
            client = ClientFactory(owner=owner, name=f"Polar {owner.username} {number}")
            ContactFactory.create_batch(2, client=client, name=f"Polar contact {number}")
            DealFactory(client=client, owner=owner, title=f"Polar deal {number}")


def hits(response) -> int:
    return response.content.decode().count('class="search-hit"')


def result_links(response) -> int:
    return response.content.decode().count('class="search-result-link"')


def quick_log_picks(response) -> int:
    return response.content.decode().count('class="quick-log-pick-client"')


@pytest.mark.parametrize(
    ("url_name", "expected", "shown", "rows"),
    [
        # the user, clients, contacts, deals, tasks
        ("header:search_suggest", 5, hits, (12, 30)),
        ("header:search", 5, result_links, (12, 30)),
        # the user, clients
        ("header:quick_log_clients", 2, quick_log_picks, (3, 10)),
    ],
)
def test_search_pages_run_constant_queries(
    client, department, django_assert_num_queries, url_name, expected, shown, rows
):
    grow(department, 3)
    client.force_login(department.rep_north)
    for size, count in enumerate(rows):
        if size:
            grow(department, 12)
        with django_assert_num_queries(expected):
            response = client.get(reverse(url_name), {"q": "polar"})
        assert response.status_code == 200
        assert shown(response) == count, ("rows shown at size", size)


def test_search_api_runs_constant_queries(api_as, department, django_assert_num_queries):
    grow(department, 3)
    api = api_as(department.head)
    for size, count in enumerate((6, 10)):
        if size:
            grow(department, 12)
        # token, clients, contacts, deals, tasks
        with django_assert_num_queries(5):
            response = api.get("/api/v1/search/", {"q": "polar"})
        assert response.status_code == 200
        body = response.json()
        assert [len(body[key]) for key in ("clients", "contacts", "deals")] == [count, 10, count]
