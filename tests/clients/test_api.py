"""/api/v1/clients/, /contacts/, /activities/ for each role: what is seen, what may change,
and that a refused change changes nothing."""

import datetime

import pytest
from django.utils import timezone

from clients.models import Activity, Client, Contact
from tests.clients.conftest import CLIENTS_SEEN
from tests.factories import ActivityFactory, DealFactory, IndustryFactory

pytestmark = pytest.mark.django_db


def snapshot(instance) -> dict:
    instance = type(instance).objects.get(pk=instance.pk)
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


# --------------------------------------------------------------------------- clients: reading


@pytest.mark.parametrize("viewer", sorted(CLIENTS_SEEN))
def test_client_list_per_role(api_as, department, book, viewer):
    response = api_as(getattr(department, viewer)).get("/api/v1/clients/")
    assert names(response) == {getattr(book, key).name for key in CLIENTS_SEEN[viewer]}


def test_client_detail_includes_contacts_and_money_free_fields(api_as, department, book):
    retail = IndustryFactory(name="Retail")
    Client.objects.filter(pk=book.north.pk).update(industry=retail)
    response = api_as(department.lead_north).get(f"/api/v1/clients/{book.north.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["contacts"] == [
        {
            "id": book.north_contact.pk,
            "name": "Olga Petrova",
            "position": "",
            "phone": "+7 (912) 345-67-89",
            "email": "olga@northwind.example",
            "is_decision_maker": False,
            "notes": "",
            "updated_at": body["contacts"][0]["updated_at"],
        }
    ]
    assert {
        key: body[key]
        for key in ("name", "tax_id", "industry", "industry_name", "owner", "owner_name", "team", "status")
    } == {
        "name": "Northwind Trading",
        "tax_id": "7701000001",
        "industry": retail.pk,
        "industry_name": "Retail",
        "owner": department.rep_north.pk,
        "owner_name": department.rep_north.full_name,
        "team": department.north.pk,
        "status": "lead",
    }
    assert body["last_activity_at"] is not None


@pytest.mark.parametrize("viewer", ["rep_south", "lead_south", "rep_north_2", "assistant_without_team"])
def test_another_teams_client_is_404(api_as, department, book, viewer):
    api = api_as(getattr(department, viewer))
    assert api.get(f"/api/v1/clients/{book.north.pk}/").status_code == 404
    before = snapshot(book.north)
    assert api.patch(f"/api/v1/clients/{book.north.pk}/", {"name": "Hacked"}).status_code == 404
    assert api.delete(f"/api/v1/clients/{book.north.pk}/").status_code == 404
    assert snapshot(book.north) == before


def test_anonymous_gets_401(api_client, book):
    assert api_client.get("/api/v1/clients/").status_code == 401


def test_client_search_filters_ordering_and_updated_since(api_as, department, book):
    api = api_as(department.head)
    assert names(api.get("/api/v1/clients/", {"search": "912 345 67 89"})) == {"Northwind Trading"}
    assert names(api.get("/api/v1/clients/", {"team": department.south.pk})) == {"Southern Foods"}
    assert names(api.get("/api/v1/clients/", {"owner": department.rep_north_2.pk})) == {"Nordic Steel"}
    ordered = api.get("/api/v1/clients/", {"ordering": "-name"}).json()["results"]
    assert [row["name"] for row in ordered] == [
        "Southern Foods",
        "Northwind Trading",
        "Nordic Steel",
        "Lonely Logistics",
    ]
    future = (timezone.now() + datetime.timedelta(minutes=5)).isoformat()
    assert names(api.get("/api/v1/clients/", {"updated_since": future})) == set()
    Client.objects.filter(pk=book.south.pk).update(updated_at=timezone.now() + datetime.timedelta(minutes=10))
    assert names(api.get("/api/v1/clients/", {"updated_since": future})) == {"Southern Foods"}


def test_client_list_with_a_bad_filter_is_400(api_as, department, book):
    response = api_as(department.head).get("/api/v1/clients/", {"status": "vip"})
    assert response.status_code == 400
    assert list(response.json()) == ["status"]


def test_page_size_is_capped(api_as, department, book):
    response = api_as(department.head).get("/api/v1/clients/", {"page_size": 1000})
    assert response.json()["count"] == 4


# --------------------------------------------------------------------------- clients: writing


def test_rep_creates_a_client_owned_by_themselves(api_as, department):
    response = api_as(department.rep_north).post(
        "/api/v1/clients/", {"name": "Acme", "tax_id": "7701-234-567", "tier": "B"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["tax_id"], body["tier"], body["owner"], body["contacts"]) == (
        "Acme",
        "7701234567",
        "B",
        department.rep_north.pk,
        [],
    )
    assert Client.objects.get(pk=body["id"]).owner_assigned_by == department.rep_north


def test_rep_cannot_set_another_owner(api_as, department):
    response = api_as(department.rep_north).post(
        "/api/v1/clients/", {"name": "Acme", "owner": department.rep_north_2.pk}
    )
    assert response.status_code == 400
    assert response.json() == {
        "owner": [f"You may not assign clients to {department.rep_north_2.full_name}."]
    }
    assert Client.objects.count() == 0


def test_lead_creates_for_the_team(api_as, department):
    response = api_as(department.lead_north).post(
        "/api/v1/clients/", {"name": "Acme", "owner": department.rep_north_2.pk}
    )
    assert response.status_code == 201
    assert Client.objects.get(name="Acme").owner == department.rep_north_2


@pytest.mark.parametrize("role", ["analyst", "assistant_north"])
def test_read_only_roles_cannot_create_clients(api_as, department, role):
    response = api_as(getattr(department, role)).post("/api/v1/clients/", {"name": "Acme"})
    assert response.status_code == 403
    assert Client.objects.count() == 0


def test_create_with_bad_input_is_400_with_field_messages(api_as, department, book):
    response = api_as(department.rep_north).post(
        "/api/v1/clients/", {"name": "Northwind Trading", "tax_id": "x1", "segment": "huge"}
    )
    assert response.status_code == 400
    assert response.json() == {"segment": ['"huge" is not a valid choice.']}
    response = api_as(department.rep_north).post(
        "/api/v1/clients/", {"name": "Northwind Trading", "tax_id": "x1"}
    )
    assert response.json() == {
        "tax_id": ["A tax id is 8 to 20 letters and digits (spaces, dashes, dots and slashes are ignored)."]
    }
    assert Client.objects.count() == 4


def test_owner_patches_details(api_as, department, book):
    response = api_as(department.rep_north).patch(
        f"/api/v1/clients/{book.north.pk}/", {"phone": "+7 495 1", "tier": "A"}
    )
    assert response.status_code == 200
    assert (response.json()["phone"], response.json()["tier"]) == ("+7 495 1", "A")


@pytest.mark.parametrize("role", ["analyst", "assistant_north"])
def test_roles_that_see_but_may_not_change_get_403(api_as, department, book, role):
    api = api_as(getattr(department, role))
    before = snapshot(book.north)
    assert api.get(f"/api/v1/clients/{book.north.pk}/").status_code == 200
    assert api.patch(f"/api/v1/clients/{book.north.pk}/", {"name": "Hacked"}).status_code == 403
    assert api.put(f"/api/v1/clients/{book.north.pk}/", {"name": "Hacked"}).status_code == 403
    assert api.delete(f"/api/v1/clients/{book.north.pk}/").status_code == 403
    assert snapshot(book.north) == before


def test_patching_owner_reassigns_only_for_leads_and_head(api_as, department, book):
    before = snapshot(book.north)
    response = api_as(department.rep_north).patch(
        f"/api/v1/clients/{book.north.pk}/", {"owner": department.rep_north_2.pk}
    )
    assert response.status_code == 403
    assert snapshot(book.north) == before
    response = api_as(department.lead_north).patch(
        f"/api/v1/clients/{book.north.pk}/", {"owner": department.rep_south.pk}
    )
    assert response.status_code == 400
    assert snapshot(book.north) == before
    response = api_as(department.lead_north).patch(
        f"/api/v1/clients/{book.north.pk}/", {"owner": department.rep_north_2.pk}
    )
    assert response.status_code == 200
    assert response.json()["owner"] == department.rep_north_2.pk
    assert response.json()["owner_assigned_by"] == department.lead_north.pk


def test_patching_status_follows_the_lifecycle(api_as, department, book):
    api = api_as(department.rep_north)
    assert (
        api.patch(f"/api/v1/clients/{book.north.pk}/", {"status": "customer"}).json()["status"] == "customer"
    )
    response = api.patch(f"/api/v1/clients/{book.north.pk}/", {"status": "lead"})
    assert response.status_code == 400
    assert response.json() == {"status": ["A client cannot move from “Customer” to “Lead”."]}


def test_a_failing_patch_writes_nothing_of_it(api_as, department, book):
    before = snapshot(book.north)
    response = api_as(department.lead_north).patch(
        f"/api/v1/clients/{book.north.pk}/", {"name": "Renamed", "status": "former"}
    )
    assert response.status_code == 400
    assert snapshot(book.north) == before


def test_delete(api_as, department, book):
    DealFactory(client=book.north_2)
    api = api_as(department.lead_north)
    response = api.delete(f"/api/v1/clients/{book.north_2.pk}/")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "This client has deals and cannot be deleted; mark it a former customer instead."
        ]
    }
    assert api.delete(f"/api/v1/clients/{book.north.pk}/").status_code == 204
    assert set(Client.objects.values_list("name", flat=True)) == {
        "Nordic Steel",
        "Southern Foods",
        "Lonely Logistics",
    }


# --------------------------------------------------------------------------- contacts


CONTACTS_SEEN = {
    "head": {"Olga Petrova", "Ivan Sidorov"},
    "analyst": {"Olga Petrova", "Ivan Sidorov"},
    "lead_north": {"Olga Petrova"},
    "rep_south": {"Ivan Sidorov"},
    "rep_north_2": set(),
    "assistant_north": {"Olga Petrova"},
    "assistant_without_team": set(),
}


@pytest.mark.parametrize("viewer", sorted(CONTACTS_SEEN))
def test_contact_list_per_role(api_as, department, book, viewer):
    assert names(api_as(getattr(department, viewer)).get("/api/v1/contacts/")) == CONTACTS_SEEN[viewer]


def test_contact_filters_and_search(api_as, department, book):
    api = api_as(department.head)
    assert names(api.get("/api/v1/contacts/", {"client": book.south.pk})) == {"Ivan Sidorov"}
    assert names(api.get("/api/v1/contacts/", {"search": "9123456789"})) == {"Olga Petrova"}
    assert names(api.get("/api/v1/contacts/", {"team": department.north.pk})) == {"Olga Petrova"}


def test_assistant_creates_and_updates_a_team_contact(api_as, department, book):
    api = api_as(department.assistant_north)
    response = api.post(
        "/api/v1/contacts/", {"client": book.north_2.pk, "name": "Pavel", "email": "pavel@nordic.example"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["client_name"] == "Nordic Steel"
    contact_id = response.json()["id"]
    response = api.patch(f"/api/v1/contacts/{contact_id}/", {"is_decision_maker": True})
    assert response.json()["is_decision_maker"] is True


def test_contact_for_a_client_out_of_sight_is_refused(api_as, department, book):
    response = api_as(department.assistant_north).post(
        "/api/v1/contacts/", {"client": book.south.pk, "name": "Pavel"}
    )
    assert response.status_code == 400
    assert response.json() == {"client": [f'Invalid pk "{book.south.pk}" - object does not exist.']}
    assert book.south.contacts.count() == 1


def test_analyst_cannot_write_contacts(api_as, department, book):
    api = api_as(department.analyst)
    before = snapshot(book.north_contact)
    assert api.post("/api/v1/contacts/", {"client": book.north.pk, "name": "Pavel"}).status_code == 403
    assert api.patch(f"/api/v1/contacts/{book.north_contact.pk}/", {"name": "X"}).status_code == 403
    assert api.delete(f"/api/v1/contacts/{book.north_contact.pk}/").status_code == 403
    assert snapshot(book.north_contact) == before
    assert Contact.objects.count() == 2


def test_a_contact_does_not_move_to_another_client(api_as, department, book):
    before = snapshot(book.north_contact)
    response = api_as(department.lead_north).patch(
        f"/api/v1/contacts/{book.north_contact.pk}/", {"client": book.north_2.pk, "name": "Changed"}
    )
    assert response.status_code == 400
    assert response.json() == {"client": ["A contact cannot move to another client."]}
    assert snapshot(book.north_contact) == before


def test_contact_delete(api_as, department, book):
    assert (
        api_as(department.rep_north).delete(f"/api/v1/contacts/{book.north_contact.pk}/").status_code == 204
    )
    assert not Contact.objects.filter(pk=book.north_contact.pk).exists()


# --------------------------------------------------------------------------- activities


def test_activity_list_per_role(api_as, department, book):
    def ids(user):
        response = api_as(user).get("/api/v1/activities/")
        return {row["id"] for row in response.json()["results"]}

    assert ids(department.head) == {book.north_activity.pk, book.south_activity.pk}
    assert ids(department.lead_north) == {book.north_activity.pk}
    assert ids(department.assistant_north) == {book.north_activity.pk}
    assert ids(department.rep_south) == {book.south_activity.pk}
    assert ids(department.rep_north_2) == set()


def test_rep_logs_a_call_through_the_api(api_as, department, book):
    response = api_as(department.rep_north).post(
        "/api/v1/activities/",
        {
            "client": book.north.pk,
            "kind": "call",
            "direction": "incoming",
            "contact": book.north_contact.pk,
            "duration_minutes": 4,
            "outcome": "They called back.",
            "owner": department.rep_north_2.pk,  # ignored: whoever logs it owns it
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["owner"], body["client_name"], body["outcome"]) == (
        department.rep_north.pk,
        "Northwind Trading",
        "They called back.",
    )


def test_activity_with_foreign_contact_is_400_and_writes_nothing(api_as, department, book):
    response = api_as(department.head).post(
        "/api/v1/activities/", {"client": book.north.pk, "kind": "call", "contact": book.south_contact.pk}
    )
    assert response.status_code == 400
    assert response.json() == {"contact": ["This contact belongs to another client."]}
    assert Activity.objects.count() == 2


def test_analyst_cannot_write_activities(api_as, department, book):
    api = api_as(department.analyst)
    before = snapshot(book.north_activity)
    assert api.post("/api/v1/activities/", {"client": book.north.pk, "kind": "call"}).status_code == 403
    assert api.patch(f"/api/v1/activities/{book.north_activity.pk}/", {"outcome": "x"}).status_code == 403
    assert api.delete(f"/api/v1/activities/{book.north_activity.pk}/").status_code == 403
    assert snapshot(book.north_activity) == before
    assert Activity.objects.count() == 2


def test_other_team_gets_404_for_activities(api_as, department, book):
    api = api_as(department.rep_south)
    before = snapshot(book.north_activity)
    assert api.get(f"/api/v1/activities/{book.north_activity.pk}/").status_code == 404
    assert api.patch(f"/api/v1/activities/{book.north_activity.pk}/", {"outcome": "x"}).status_code == 404
    response = api.post("/api/v1/activities/", {"client": book.north.pk, "kind": "call"})
    assert response.status_code == 400
    assert list(response.json()) == ["client"]
    assert snapshot(book.north_activity) == before


def test_assistant_logs_and_edits_team_activities(api_as, department, book):
    api = api_as(department.assistant_north)
    response = api.post(
        "/api/v1/activities/", {"client": book.north_2.pk, "kind": "email", "direction": "outgoing"}
    )
    assert response.status_code == 201
    response = api.patch(f"/api/v1/activities/{book.north_activity.pk}/", {"outcome": "Corrected."})
    assert response.status_code == 200 and response.json()["outcome"] == "Corrected."


def test_activity_filters(api_as, department, book):
    ActivityFactory(client=book.north, kind="meeting", owner=department.lead_north)
    api = api_as(department.head)
    rows = api.get("/api/v1/activities/", {"kind": "meeting"}).json()["results"]
    assert [(row["kind"], row["owner"]) for row in rows] == [("meeting", department.lead_north.pk)]
    assert api.get("/api/v1/activities/", {"client": book.south.pk}).json()["count"] == 1
    assert api.get("/api/v1/activities/", {"owner": department.rep_north.pk}).json()["count"] == 1
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert api.get("/api/v1/activities/", {"occurred_after": since}).json()["count"] == 2


def test_an_activity_does_not_move_to_another_client(api_as, department, book):
    response = api_as(department.lead_north).patch(
        f"/api/v1/activities/{book.north_activity.pk}/", {"client": book.north_2.pk}
    )
    assert response.status_code == 400
    assert Activity.objects.get(pk=book.north_activity.pk).client == book.north
