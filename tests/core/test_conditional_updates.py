"""ETag and If-Match on the client and deal APIs: a REST client that sends back a record it
read earlier does not undo a change made in between."""

import pytest
from rest_framework.test import APIClient

from accounts.services import api_token_create
from clients.models import Client
from deals.models import Deal
from tests.deals.conftest import make_deal, stages  # noqa: F401 (the pipeline's stages)
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='etag').key}")
    return client


def test_a_client_update_with_an_old_etag_is_a_412_that_writes_nothing(department):
    customer = ClientFactory(owner=department.rep_north, name="Polar Foods", phone="+7 1")
    rep, lead = token_client(department.rep_north), token_client(department.lead_north)
    url = f"/api/v1/clients/{customer.pk}/"
    read = rep.get(url)
    etag = read["ETag"]
    assert etag == f'"{read.json()["updated_at"]}"'

    changed = lead.patch(url, {"notes": "Buys in spring."}, format="json")
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    stale = rep.patch(url, {"phone": "+7 2"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json() == {
        "detail": "The record changed since you read it (If-Match): read it again and send your change again."
    }
    customer.refresh_from_db()
    assert (customer.phone, customer.notes) == ("+7 1", "Buys in spring.")

    fresh = rep.patch(url, {"phone": "+7 2"}, format="json", HTTP_IF_MATCH=changed["ETag"])
    assert fresh.status_code == 200
    assert Client.objects.get(pk=customer.pk).phone == "+7 2"
    # without the header, or with *, an update is written as before
    assert rep.patch(url, {"phone": "+7 3"}, format="json").status_code == 200
    assert rep.patch(url, {"phone": "+7 4"}, format="json", HTTP_IF_MATCH="*").status_code == 200


@pytest.mark.parametrize("garbage", ['"not a version"', "W/", '"' + "9" * 5000 + '"', '"2026-13-45"'])
def test_an_etag_this_api_did_not_give_matches_nothing(department, garbage):
    customer = ClientFactory(owner=department.rep_north, phone="+7 1")
    answer = token_client(department.rep_north).patch(
        f"/api/v1/clients/{customer.pk}/", {"phone": "+7 2"}, format="json", HTTP_IF_MATCH=garbage
    )
    assert answer.status_code == 412
    assert Client.objects.get(pk=customer.pk).phone == "+7 1"


def test_a_deal_put_with_an_old_etag_does_not_undo_the_reps_amount(department, stages):  # noqa: F811
    deal = make_deal(department.rep_north, amount="100000.00", title="Cold store")
    rep, lead = token_client(department.rep_north), token_client(department.lead_north)
    url = f"/api/v1/deals/{deal.pk}/"
    read = lead.get(url)
    assert read["ETag"] == f'"{read.json()["updated_at"]}"'
    assert rep.patch(url, {"amount": "125000.00"}, format="json").status_code == 200
    body = {name: read.json()[name] for name in ("title", "amount", "client", "stage")} | {
        "title": "Cold store 2027"
    }
    stale = lead.put(url, body, format="json", HTTP_IF_MATCH=read["ETag"])
    assert stale.status_code == 412
    deal.refresh_from_db()
    assert (deal.title, str(deal.amount)) == ("Cold store", "125000.00")
    assert Deal.objects.get(pk=deal.pk).amount == deal.amount


def test_the_schema_documents_if_match_and_412():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in (
        "/api/v1/clients/{id}/",
        "/api/v1/deals/{id}/",
        "/api/v1/contacts/{id}/",
        "/api/v1/tasks/{id}/",
    ):
        for method in ("put", "patch"):
            operation = schema["paths"][path][method]
            assert "If-Match" in [parameter["name"] for parameter in operation["parameters"]], (path, method)
            assert "412" in operation["responses"], (path, method)


@pytest.mark.parametrize("kind", ["contacts", "tasks"])
def test_contacts_and_tasks_refuse_an_update_based_on_an_older_read(department, kind):
    from tests.factories import ContactFactory, TaskFactory

    customer = ClientFactory(owner=department.rep_north)
    record = (
        ContactFactory(client=customer, notes="")
        if kind == "contacts"
        else TaskFactory(client=customer, owner=department.rep_north, notes="")
    )
    rep, lead = token_client(department.rep_north), token_client(department.lead_north)
    url = f"/api/v1/{kind}/{record.pk}/"
    read = rep.get(url)
    assert read["ETag"] == f'"{read.json()["updated_at"]}"'
    assert lead.patch(url, {"notes": "the lead's"}, format="json").status_code == 200
    stale = rep.patch(url, {"notes": "the rep's"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert stale.status_code == 412
    record.refresh_from_db()
    assert record.notes == "the lead's"
    fresh = rep.get(url)
    assert (
        rep.patch(url, {"notes": "the rep's"}, format="json", HTTP_IF_MATCH=fresh["ETag"]).status_code == 200
    )
