"""An id of thousands of digits is refused like any other wrong id, not a 500: Python 3.11's
int() refuses a string of more than 4,300 digits (ValueError), and every "is it an id" check
called it after checking only for digits (core.filters.parse_id now checks the length first)."""

from __future__ import annotations

import pytest

from core.filters import MAX_ID, parse_id
from deals.models import Deal
from tests.factories import ClientFactory, DealFactory, stage

BIG = "9" * 5000


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        (" 7 ", 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("0", None),
        ("-3", None),
        ("²", None),
        ("1e3", None),
        ("", None),
        (None, None),
        (BIG, None),
        ("0" * 30 + "5", None),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected


@pytest.mark.django_db
def test_a_huge_id_on_the_new_deal_form_is_a_400_that_creates_nothing(client, department):
    customer = ClientFactory(owner=department.rep_north)
    client.force_login(department.rep_north)
    lead = stage("Lead").pk
    base = {"title": "x", "amount": "1", "stage": lead, "deal_type": "new"}
    for posted in ({"client": BIG}, {"client": customer.pk, "renewal_of": BIG}):
        response = client.post("/deals/new/", {**base, **posted})
        assert response.status_code == 400
        assert "Select a valid choice." in response.content.decode()
    assert not Deal.objects.filter(title="x").exists()
    assert client.get("/deals/new/renews/", {"client": BIG}, HTTP_HX_REQUEST="true").status_code == 200


@pytest.mark.django_db
def test_a_huge_shown_id_on_an_edit_is_not_a_crash(client, department):
    deal = DealFactory(owner=department.rep_north, client=ClientFactory(owner=department.rep_north))
    client.force_login(department.rep_north)
    response = client.post(
        f"/deals/{deal.pk}/edit/",
        {"title": "Renamed", "amount": "10", "deal_type": "new", "initial-renewal_of": BIG, "renewal_of": ""},
    )
    assert response.status_code in (302, 409), response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"/clients/?owner={BIG}", 200),
        (f"/deals/list/?owner={BIG}", 200),
        (f"/tasks/?person={BIG}", 200),
        (f"/documents/contracts/new/?deal={BIG}", 302),  # back to the contracts, with a message
    ],
)
def test_a_huge_id_in_an_address_is_an_answer(client, department, url, status):
    client.force_login(department.head)
    assert client.get(url).status_code == status
