"""Bad input on the documents pages never gives a 500 or a half-write, and deleting a deal or
a client entered by mistake takes its contracts, requests and files (none left on disk)."""

import pytest
from django.urls import reverse

from clients.services import client_delete
from deals.models import Stage
from deals.services import deal_delete
from documents.models import Attachment, ClientRequest, Contract, ContractStatus
from documents.services import attachment_add, contract_sign, request_create
from tests.documents.conftest import files_on, make_contract, upload
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "query",
    [{}, {"deal": "abc"}, {"deal": HUGE}, {"deal": "-1"}, {"deal": "1.5"}],
)
def test_a_new_contract_without_a_usable_deal_goes_back_to_the_list(department, client, query):
    client.force_login(department.rep_north)
    response = client.get(reverse("documents:contract_create"), query)
    assert response.status_code == 302 and response["Location"] == reverse("documents:contract_list")


def test_another_teams_deal_and_contract_are_404_on_the_pages(department, north_deal, client):
    contract = make_contract(north_deal, status=ContractStatus.SUBMITTED)
    client.force_login(department.rep_south)
    assert client.get(reverse("documents:contract_create"), {"deal": north_deal.pk}).status_code == 404
    for name in ("contract_detail", "contract_edit", "contract_delete"):
        assert client.get(reverse(f"documents:{name}", args=[contract.pk])).status_code == 404
    for name in ("contract_submit", "contract_approve", "contract_return", "contract_sign"):
        assert client.post(reverse(f"documents:{name}", args=[contract.pk])).status_code == 404
    assert client.get(reverse("documents:deal_contracts", args=[north_deal.pk])).status_code == 404
    client.force_login(department.lead_south)
    assert client.post(reverse("documents:contract_approve", args=[contract.pk])).status_code == 404
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SUBMITTED


def test_garbage_in_the_contract_form_is_a_form_error(department, north_deal, client):
    client.force_login(department.rep_north)
    url = reverse("documents:contract_create") + f"?deal={north_deal.pk}"
    response = client.post(
        url, {"number": "X" * 80, "date": "31.02.2026", "amount": "1e99", "term_months": "9999"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"number", "date", "amount", "term_months"}
    assert not Contract.objects.exists()


def test_a_sign_with_someone_elses_scan_is_a_form_error(department, north_deal, south_deal, client, disk):
    contract = make_contract(north_deal, status=ContractStatus.APPROVED)
    foreign = attachment_add(by=department.rep_south, upload=upload(), deal=south_deal)
    client.force_login(department.rep_north)
    for value in (foreign.pk, "abc", HUGE):
        response = client.post(reverse("documents:contract_sign", args=[contract.pk]), {"scan": value})
        assert response.status_code == 400
    contract.refresh_from_db()
    assert contract.status == ContractStatus.APPROVED


def test_the_request_form_refuses_hidden_and_garbage_choices(department, client, stages):
    from tests.deals.conftest import make_deal

    customer = ClientFactory(owner=department.rep_north)
    hidden = make_deal(department.rep_south)
    client.force_login(department.rep_north)
    response = client.post(
        reverse("documents:request_create", args=[customer.pk]),
        {"kind": "x", "priority": "normal", "description": "", "deal": hidden.pk, "owner": HUGE},
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"kind", "description", "deal", "owner"}
    assert not ClientRequest.objects.exists()
    assert client.get(reverse("documents:request_create", args=[HUGE[:18]])).status_code == 404


def test_deleting_a_deal_takes_its_signed_contract_and_files(
    department, north_deal, disk, django_capture_on_commit_callbacks
):
    contract = make_contract(north_deal, status=ContractStatus.APPROVED)
    scan = attachment_add(by=department.rep_north, upload=upload("signed.pdf"), contract=contract)
    attachment_add(by=department.rep_north, upload=upload("spec.pdf"), deal=north_deal)
    contract_sign(by=department.rep_north, contract=contract, scan=scan)
    assert len(files_on(disk)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        deal_delete(deal=north_deal, by=department.rep_north)
    assert not Contract.objects.exists() and not Attachment.objects.exists()
    assert files_on(disk) == []


def test_deleting_a_client_without_deals_takes_its_requests_and_files(
    department, disk, django_capture_on_commit_callbacks
):
    customer = ClientFactory(owner=department.rep_north)
    request_create(by=department.rep_north, client=customer, kind="question", description="?")
    attachment_add(by=department.rep_north, upload=upload(), client=customer)
    with django_capture_on_commit_callbacks(execute=True):
        client_delete(by=department.rep_north, client=customer)
    assert not ClientRequest.objects.exists() and not Attachment.objects.exists()
    assert files_on(disk) == []


def test_the_kanban_tells_a_win_without_a_contract(department, north_deal, client):
    client.force_login(department.rep_north)
    response = client.post(
        reverse("deals:move", args=[north_deal.pk]),
        {"stage": Stage.objects.get(name="Won").pk, "view": "kanban"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert (
        "Moved “North deal” to Won. Note: this deal was won without an approved or signed contract."
        in response.content.decode()
    )
