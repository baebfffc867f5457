"""Deletions leave tombstones, and GET /api/v1/deletions/ lists them to those who could see
the record, so a REST client that syncs with ``updated_since`` can drop what is gone."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clients.services import activity_delete, client_delete, contact_delete
from deals.services import deal_delete
from reports.tasks import run_nightly
from sync.models import Tombstone
from sync.services import tombstones_purge
from tests.factories import (
    ActivityFactory,
    ClientFactory,
    ContactFactory,
    DealFactory,
    FactFactory,
    InstallmentFactory,
    PaymentFactory,
)

pytestmark = pytest.mark.django_db


def stones() -> set[tuple[str, int, int | None]]:
    return set(Tombstone.objects.values_list("model", "object_id", "owner_id"))


def test_deleting_a_client_leaves_a_tombstone_for_it_and_each_contact_and_activity(department):
    rep = department.rep_north
    client = ClientFactory(owner=rep)
    contacts = ContactFactory.create_batch(2, client=client)
    activity = ActivityFactory(client=client, owner=rep)
    other = ClientFactory(owner=rep)  # not deleted: no tombstone
    client_id = client.pk

    client_delete(by=rep, client=client)

    assert stones() == {
        ("client", client_id, rep.pk),
        ("contact", contacts[0].pk, rep.pk),
        ("contact", contacts[1].pk, rep.pk),
        ("activity", activity.pk, rep.pk),
    }
    assert not Tombstone.objects.filter(object_id=other.pk, model="client").exists()


def test_single_contact_and_activity_deletions(department):
    rep = department.rep_north
    contact = ContactFactory(client=ClientFactory(owner=rep))
    activity = ActivityFactory(client=contact.client, owner=rep)
    expected = {("contact", contact.pk, rep.pk), ("activity", activity.pk, rep.pk)}
    contact_delete(by=rep, contact=contact)
    activity_delete(by=rep, activity=activity)
    assert stones() == expected


def test_deleting_a_deal_tombstones_its_facts_and_installments(department):
    rep = department.rep_north
    deal = DealFactory(client=ClientFactory(owner=rep))
    fact = FactFactory(deal=deal)
    installment = InstallmentFactory(deal=deal)
    deal_id = deal.pk
    deal_delete(deal=deal, by=rep)
    assert stones() == {
        ("deal", deal_id, rep.pk),
        ("fact", fact.pk, rep.pk),
        ("installment", installment.pk, rep.pk),
    }


def test_a_refused_deletion_leaves_no_tombstone(department):
    rep = department.rep_north
    client = ClientFactory(owner=rep)
    DealFactory(client=client)
    with pytest.raises(ValidationError):
        client_delete(by=rep, client=client)
    assert Tombstone.objects.count() == 0


def test_a_merge_records_the_survivor(department):
    rep = department.rep_north
    survivor, duplicate = ClientFactory(owner=rep), ClientFactory(owner=rep)
    duplicate_id = duplicate.pk
    duplicate._merged_into = survivor.pk
    duplicate.delete()
    assert list(Tombstone.objects.values_list("model", "object_id", "merged_into")) == [
        ("client", duplicate_id, survivor.pk)
    ]


# ------------------------------------------------------------------------------------ the API


def _deleted(*objects) -> list[int]:
    """Delete each object; their ids (Django clears ``pk`` on delete)."""
    found = []
    for obj in objects:
        found.append(obj.pk)
        obj.delete()
    return found


def _deleted_clients(department):
    return _deleted(
        ClientFactory(owner=department.rep_north),
        ClientFactory(owner=department.rep_north_2),
        ClientFactory(owner=department.rep_south),
    )


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_each_role_sees_deletions_of_what_it_could_see(api_as, department):
    north, north_2, south = _deleted_clients(department)
    assert ids(api_as(department.rep_north).get("/api/v1/deletions/")) == [north]
    assert ids(api_as(department.lead_north).get("/api/v1/deletions/")) == [north, north_2]
    assert ids(api_as(department.head).get("/api/v1/deletions/")) == [north, north_2, south]


def test_since_and_model_filters_and_the_row_shape(api_as, department):
    north, north_2, _south = _deleted_clients(department)
    Tombstone.objects.filter(object_id=north).update(deleted_at=timezone.now() - datetime.timedelta(days=2))
    [contact] = _deleted(ContactFactory(client=ClientFactory(owner=department.rep_north_2)))
    api = api_as(department.lead_north)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()

    response = api.get("/api/v1/deletions/", {"since": since, "model": "client"})
    assert ids(response) == [north_2]
    row = response.json()["results"][0]
    assert set(row) == {"model", "id", "deleted_at", "merged_into"}
    assert (row["model"], row["merged_into"]) == ("client", None)
    assert ids(api.get("/api/v1/deletions/", {"model": "contact"})) == [contact]


@pytest.mark.parametrize(
    "params",
    [{"since": "yesterday"}, {"since": "9999-99-99"}, {"model": "user"}, {"model": "x" * 5000}],
)
def test_bad_filters_are_a_400(api_as, department, params):
    response = api_as(department.head).get("/api/v1/deletions/", params)
    assert response.status_code == 400
    assert set(response.json()) <= {"since", "model"}


def test_the_list_costs_the_same_queries_for_1_and_30_tombstones(api_as, department):
    def count() -> tuple[int, int]:
        api = api_as(department.head)
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/deletions/")
        return len(ids(response)), len(queries)

    ClientFactory(owner=department.rep_north).delete()
    rows_small, small = count()
    for _ in range(29):
        ClientFactory(owner=department.rep_south).delete()
    rows_large, large = count()
    assert (rows_small, rows_large) == (1, 30)
    assert small == large


def test_anonymous_is_refused(api_client):
    assert api_client.get("/api/v1/deletions/").status_code == 401


# ------------------------------------------------------------------------------- retention


def test_purge_keeps_the_retention_window(department, settings):
    settings.TOMBSTONE_RETENTION_DAYS = 180
    old, recent = _deleted(
        ClientFactory(owner=department.rep_north), ClientFactory(owner=department.rep_north)
    )
    Tombstone.objects.filter(object_id=old).update(deleted_at=timezone.now() - datetime.timedelta(days=181))
    Tombstone.objects.filter(object_id=recent).update(
        deleted_at=timezone.now() - datetime.timedelta(days=179)
    )
    assert tombstones_purge() == 1
    assert list(Tombstone.objects.values_list("object_id", flat=True)) == [recent]


def test_the_nightly_run_purges(department, settings):
    settings.TOMBSTONE_RETENTION_DAYS = 30
    client = ClientFactory(owner=department.rep_north)
    client.delete()
    Tombstone.objects.update(deleted_at=timezone.now() - datetime.timedelta(days=31))
    run_nightly()
    assert Tombstone.objects.count() == 0


# ------------------------------------------------------------------------ a whole day of sync


def _pull(api, path: str, **filters) -> list[dict]:
    rows, params = [], {"page_size": 200, **filters}
    url = path
    while url:
        response = api.get(url, params)
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        url, params = body["next"], None
    return rows


def _sync(api, mirror: dict[str, dict], since: str | None) -> None:
    """What a REST client does: upsert what changed since its last sync, drop what was deleted."""
    for model, path, label in [("client", "/api/v1/clients/", "name"), ("deal", "/api/v1/deals/", "title")]:
        for row in _pull(api, path, **({"updated_since": since} if since else {})):
            mirror[model][row["id"]] = row[label] if model == "client" else (row[label], row["client"])
    if since:
        for row in _pull(api, "/api/v1/deletions/", since=since):
            mirror[row["model"]].pop(row["id"], None)


def test_a_client_that_syncs_with_updated_since_and_deletions_ends_with_the_servers_rows(api_as, department):
    from clients.models import Client
    from deals.models import Deal, Stage

    rep = department.rep_north
    kept, renamed, doomed, twin = (
        ClientFactory(owner=rep, name=name) for name in ("Kept", "Old name", "Doomed", "Kept Ltd")
    )
    deal_kept = DealFactory(client=kept, title="Kept deal")
    deal_doomed = DealFactory(client=kept, title="Doomed deal")
    merged_deal = DealFactory(client=twin, title="Twin's deal")
    ClientFactory(owner=department.rep_south, name="Not mine")
    api = api_as(rep)
    mirror: dict[str, dict] = {"client": {}, "deal": {}}
    _sync(api, mirror, None)
    assert sorted(mirror["client"].values()) == ["Doomed", "Kept", "Kept Ltd", "Old name"]

    since = timezone.now().isoformat()
    created = api.post("/api/v1/clients/", {"name": "New client"})
    assert created.status_code == 201, created.content
    assert api.patch(f"/api/v1/clients/{renamed.pk}/", {"name": "New name"}).status_code == 200
    assert api.delete(f"/api/v1/clients/{doomed.pk}/").status_code == 204
    lead = Stage.objects.get(name="Lead")
    new_deal = api.post(
        "/api/v1/deals/",
        {"title": "New deal", "client": kept.pk, "stage": lead.pk, "amount": "10.00"},
    )
    assert new_deal.status_code == 201, new_deal.content
    assert api.patch(f"/api/v1/deals/{deal_kept.pk}/", {"title": "Kept deal v2"}).status_code == 200
    assert api.delete(f"/api/v1/deals/{deal_doomed.pk}/").status_code == 204
    # The lead merges a duplicate of "Kept" (with a deal of its own) into it.
    merged = api_as(department.lead_north).post(
        f"/api/v1/clients/{kept.pk}/merge/", {"duplicate": twin.pk}, format="json"
    )
    assert merged.status_code == 200, merged.content
    api = api_as(rep)
    _sync(api, mirror, since)

    assert mirror["client"] == dict(Client.objects.visible_to(rep).values_list("id", "name"))
    assert mirror["deal"] == {
        pk: (title, client)
        for pk, title, client in Deal.objects.visible_to(rep).values_list("id", "title", "client")
    }
    assert sorted(mirror["client"].values()) == ["Kept", "New client", "New name"]
    assert sorted(title for title, _client in mirror["deal"].values()) == [
        "Kept deal v2",
        "New deal",
        "Twin's deal",
    ]
    # The merged-away client went; its deal came back with the survivor as its client.
    assert twin.pk not in mirror["client"]
    assert mirror["deal"][merged_deal.pk] == ("Twin's deal", kept.pk)


# ------------------------------------------------------------------------ cost of a deletion


def _queries_to_delete_a_client_with(activities: int, department) -> int:
    rep = department.rep_north
    client = ClientFactory(owner=rep)
    ActivityFactory.create_batch(activities, client=client, owner=rep)
    client_id = client.pk
    with CaptureQueriesContext(connection) as queries:
        client_delete(by=rep, client=client)
    found = Tombstone.objects.filter(model="activity", owner=rep).count()
    assert Tombstone.objects.filter(model="client", object_id=client_id, owner=rep).count() == 1
    Tombstone.objects.all().delete()
    assert found == activities
    return len(queries)


def test_deleting_a_client_costs_the_same_queries_for_2_and_20_activities(department):
    """The owner of a cascaded activity is read through its client once per deletion, and the
    tombstones are written in one INSERT: not one query (or two) per activity."""
    assert _queries_to_delete_a_client_with(2, department) == _queries_to_delete_a_client_with(20, department)


def test_payments_deleted_together_name_the_deal_owner_through_two_parents(department):
    from targets.models import Payment

    rep = department.rep_north
    deal = DealFactory(client=ClientFactory(owner=rep), owner=rep)
    installments = InstallmentFactory.create_batch(2, deal=deal)
    payments = [PaymentFactory(installment=installment) for installment in installments]
    PaymentFactory(installment=installments[0])
    Payment.objects.filter(pk__in=[payment.pk for payment in payments]).delete()
    assert set(Tombstone.objects.values_list("model", "object_id", "owner_id")) == {
        ("payment", payments[0].pk, rep.pk),
        ("payment", payments[1].pk, rep.pk),
    }
