"""POST /api/v1/clients/{id}/merge/ and /api/v1/contacts/{id}/merge/; a merged-away id
answers 410 with a pointer to the survivor."""

from __future__ import annotations

import pytest

from clients.models import Activity, Client, Contact
from sync.models import Tombstone
from tests.factories import ActivityFactory, ClientFactory, ContactFactory, DealFactory

pytestmark = pytest.mark.django_db


def test_the_head_merges_two_clients_and_gets_the_survivors_detail(api_as, department):
    survivor = ClientFactory(owner=department.rep_north, name="Acme", phone="")
    duplicate = ClientFactory(owner=department.rep_south, name="Acme Group", phone="+7 495 1")
    ContactFactory(client=duplicate, name="Olga")
    DealFactory(client=duplicate)
    api = api_as(department.head)

    response = api.post(
        f"/api/v1/clients/{survivor.pk}/merge/",
        {"duplicate": duplicate.pk, "fields": {"name": "duplicate"}},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["name"], body["phone"], [c["name"] for c in body["contacts"]]) == (
        survivor.pk,
        "Acme Group",
        "+7 495 1",
        ["Olga"],
    )
    assert survivor.deals.count() == 1


def test_the_merged_away_id_answers_410_with_the_survivor(api_as, department):
    survivor, duplicate = ClientFactory(owner=department.rep_north), ClientFactory(owner=department.rep_north)
    api = api_as(department.lead_north)
    assert (
        api.post(
            f"/api/v1/clients/{survivor.pk}/merge/", {"duplicate": duplicate.pk}, format="json"
        ).status_code
        == 200
    )

    for method in ("get", "patch", "delete"):
        response = getattr(api, method)(f"/api/v1/clients/{duplicate.pk}/")
        assert response.status_code == 410, (method, response.content)
        assert response.json() == {
            "detail": f"Client #{duplicate.pk} was merged into client #{survivor.pk}.",
            "merged_into": survivor.pk,
            "url": f"http://testserver/api/v1/clients/{survivor.pk}/",
        }
    # Someone who never saw either record learns nothing.
    assert api_as(department.rep_south).get(f"/api/v1/clients/{duplicate.pk}/").status_code == 404
    # A plain deletion stays a 404.
    deleted = ClientFactory(owner=department.rep_north)
    deleted_id = deleted.pk
    deleted.delete()
    assert api_as(department.lead_north).get(f"/api/v1/clients/{deleted_id}/").status_code == 404


def test_a_chain_of_merges_points_at_the_last_survivor(api_as, department):
    a, b, c = (ClientFactory(owner=department.rep_north) for _ in range(3))
    api = api_as(department.head)
    assert api.post(f"/api/v1/clients/{b.pk}/merge/", {"duplicate": a.pk}, format="json").status_code == 200
    assert api.post(f"/api/v1/clients/{c.pk}/merge/", {"duplicate": b.pk}, format="json").status_code == 200
    response = api.get(f"/api/v1/clients/{a.pk}/")
    assert (response.status_code, response.json()["merged_into"]) == (410, c.pk)


@pytest.mark.parametrize(
    "body, expected",
    [
        ({}, {"duplicate": ["This field is required."]}),
        ({"duplicate": "abc"}, {"duplicate": ["Incorrect type. Expected pk value, received str."]}),
        ({"duplicate": 10**12}, {"duplicate": ['Invalid pk "1000000000000" - object does not exist.']}),
        (
            {"duplicate": "SELF"},
            {"duplicate": ["Choose another client: a client cannot be merged with itself."]},
        ),
        ({"duplicate": "HIDDEN"}, {"duplicate": ['Invalid pk "HIDDEN" - object does not exist.']}),
        (
            {"duplicate": "OTHER", "fields": "name"},
            {"fields": ['Expected a dictionary of items but got type "str".']},
        ),
        (
            {"duplicate": "OTHER", "fields": {"name": "x"}},
            {"fields": {"name": ['"x" is not a valid choice.']}},
        ),
        (
            {"duplicate": "OTHER", "fields": {"id": "duplicate"}},
            {"fields": ["These fields cannot be chosen: id."]},
        ),
    ],
)
def test_bad_requests_are_a_400_and_change_nothing(api_as, department, body, expected):
    survivor = ClientFactory(owner=department.rep_north)
    other = ClientFactory(owner=department.rep_north)
    hidden = ClientFactory(owner=department.rep_south)
    ids = {"SELF": survivor.pk, "OTHER": other.pk, "HIDDEN": hidden.pk}
    body = {key: ids.get(value, value) if isinstance(value, str) else value for key, value in body.items()}
    expected = {
        key: [message.replace("HIDDEN", str(hidden.pk)) for message in value]
        if isinstance(value, list)
        else value
        for key, value in expected.items()
    }
    response = api_as(department.lead_north).post(
        f"/api/v1/clients/{survivor.pk}/merge/", body, format="json"
    )
    assert (response.status_code, response.json()) == (400, expected)
    assert Client.objects.count() == 3
    assert Tombstone.objects.count() == 0


def test_unknown_hidden_and_refused(api_as, department):
    mine, mine_2 = ClientFactory(owner=department.rep_north), ClientFactory(owner=department.rep_north)
    south = ClientFactory(owner=department.rep_south)
    lead = api_as(department.lead_north)
    assert (
        lead.post("/api/v1/clients/999999/merge/", {"duplicate": mine.pk}, format="json").status_code == 404
    )
    assert lead.post("/api/v1/clients/abc/merge/", {"duplicate": mine.pk}, format="json").status_code == 404
    assert (
        lead.post(f"/api/v1/clients/{south.pk}/merge/", {"duplicate": mine.pk}, format="json").status_code
        == 404
    )
    rep = api_as(department.rep_north)
    response = rep.post(f"/api/v1/clients/{mine.pk}/merge/", {"duplicate": mine_2.pk}, format="json")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Only a team lead or the head of sales may merge duplicates."},
    )
    assert Client.objects.count() == 3


def test_contacts_merge_through_the_api(api_as, department):
    client = ClientFactory(owner=department.rep_north)
    survivor = ContactFactory(client=client, name="Ivan", email="")
    duplicate = ContactFactory(client=client, name="Ivan P.", email="ivan@acme.example")
    ActivityFactory(client=client, contact=duplicate)
    api = api_as(department.lead_north)

    response = api.post(f"/api/v1/contacts/{survivor.pk}/merge/", {"duplicate": duplicate.pk}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["id"], response.json()["name"], response.json()["email"]) == (
        survivor.pk,
        "Ivan",
        "ivan@acme.example",
    )
    assert Activity.objects.get().contact_id == survivor.pk
    assert not Contact.objects.filter(pk=duplicate.pk).exists()
    gone = api.get(f"/api/v1/contacts/{duplicate.pk}/")
    assert (gone.status_code, gone.json()["merged_into"]) == (410, survivor.pk)


def test_the_schema_documents_the_merge_and_the_410(api_as, department):
    schema = api_as(department.head).get("/api/schema/", {"format": "json"}).json()
    merge = schema["paths"]["/api/v1/clients/{id}/merge/"]["post"]
    assert set(merge["responses"]) >= {"200", "409"}
    assert "410" in schema["paths"]["/api/v1/clients/{id}/"]["get"]["responses"]
    assert "410" in schema["paths"]["/api/v1/contacts/{id}/"]["get"]["responses"]
