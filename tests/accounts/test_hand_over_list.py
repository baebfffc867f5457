"""Past hand-overs: a page linked from People and `GET /api/v1/hand-overs/`; the head sees
every one, a lead their teams', anyone else is refused; paginated, constant query count."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.handover import book_hand_over
from accounts.handover_views import HAND_OVERS_PER_PAGE
from tests.factories import ClientFactory, DealFactory, TaskFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/hand-overs/"
ZERO = {"clients": 0, "tasks": 0, "alerts": 0, "installments": 0, "deals": 0}


NAMES = itertools.count()


def hand_over(department, owner, receivers, *, by=None, clients=2):
    for _index in range(clients):
        client = ClientFactory(name=f"Client {next(NAMES)}", owner=owner)
        DealFactory(client=client, owner=owner)
    TaskFactory(client=client, owner=owner)
    return book_hand_over(by=by or department.head, owner=owner, to=[person.pk for person in receivers])


@pytest.fixture
def records(department):
    north = hand_over(department, department.rep_north, [department.rep_north_2, department.rep_without_team])
    south = hand_over(
        department, department.rep_south, [department.account_manager_south], by=department.lead_south
    )
    return north, south


def test_the_api_lists_who_when_from_to_whom_and_counts(department, records, api_as):
    north, south = records
    body = api_as(department.head).get(URL).json()
    assert body["count"] == 2
    first, second = body["results"]
    assert (first["id"], second["id"]) == (south.pk, north.pk)  # newest first
    assert first["by"] == department.lead_south.pk and first["by_name"] == department.lead_south.full_name
    assert (first["from"], first["from_name"]) == (department.rep_south.pk, department.rep_south.full_name)
    assert first["to"] == [
        {
            "user": department.account_manager_south.pk,
            "name": department.account_manager_south.full_name,
            **ZERO,
            "clients": 2,
            "deals": 2,
            "tasks": 1,
        }
    ]
    assert first["totals"] == {**ZERO, "clients": 2, "deals": 2, "tasks": 1}
    # the even split: the clients dealt out in turn, the second client's task with it
    by_person = {row["user"]: (row["clients"], row["deals"], row["tasks"]) for row in second["to"]}
    assert sorted(by_person.values()) == [(1, 1, 0), (1, 1, 1)]
    assert set(by_person) == {department.rep_north_2.pk, department.rep_without_team.pk}
    assert second["totals"] == {**ZERO, "clients": 2, "deals": 2, "tasks": 1}


def test_a_lead_sees_their_teams_hand_overs_and_a_rep_none(department, records, api_as):
    north, south = records
    assert [row["id"] for row in api_as(department.lead_north).get(URL).json()["results"]] == [north.pk]
    assert [row["id"] for row in api_as(department.lead_south).get(URL).json()["results"]] == [south.pk]
    assert api_as(department.rep_north_2).get(URL).status_code == 403


def test_the_page_is_linked_from_people_and_shows_the_same(department, records, client):
    north, south = records
    client.force_login(department.lead_north)
    people = client.get(reverse("accounts:staff")).content.decode()
    assert reverse("accounts:hand_overs") in people
    response = client.get(reverse("accounts:hand_overs"))
    assert response.status_code == 200
    assert [row["record"].pk for row in response.context["rows"]] == [north.pk]
    page = response.content.decode()
    assert f'data-hand-over="{north.pk}"' in page and f'data-hand-over="{south.pk}"' not in page
    assert department.rep_north_2.full_name in page and department.rep_north.full_name in page
    row = response.context["rows"][0]
    assert row["totals"] == [2, 1, 0, 0, 2]  # clients, tasks, alerts, installments, deals
    client.force_login(department.rep_north_2)
    assert client.get(reverse("accounts:hand_overs")).status_code == 403
    assert reverse("accounts:hand_overs") not in client.get(reverse("accounts:staff")).content.decode()


def test_page_and_api_are_paginated_with_a_constant_query_count(department, records, client, api_as):
    client.force_login(department.head)
    api = api_as(department.head)

    def cost():
        with CaptureQueriesContext(connection) as page_queries:
            response = client.get(reverse("accounts:hand_overs"))
        assert response.status_code == 200
        with CaptureQueriesContext(connection) as api_queries:
            body = api.get(URL).json()
        return len(response.context["rows"]), body["count"], len(page_queries), len(api_queries)

    rows, count, page_two, api_two = cost()
    assert (rows, count) == (2, 2)
    for _index in range(HAND_OVERS_PER_PAGE + 1):
        hand_over(department, department.rep_north, [department.rep_north_2], clients=1)
    rows, count, page_many, api_many = cost()
    assert (rows, count) == (HAND_OVERS_PER_PAGE, HAND_OVERS_PER_PAGE + 3)
    assert (page_many, api_many) == (page_two, api_two)
    second = client.get(reverse("accounts:hand_overs"), {"page": 2})
    assert len(second.context["rows"]) == 3
