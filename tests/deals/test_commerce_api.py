"""/api/v1/products/, /api/v1/deal-lines/ and /api/v1/quotes/: who may do what, visibility
(404), bad input (400, never 500) and constant query counts."""

import io
from decimal import Decimal

import pytest
from django.core import mail
from pypdf import PdfReader

from deals.models import ApprovalStatus, Deal, DealLine, Product, Quote
from tests.deals.conftest import make_deal
from tests.factories import ContactFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_everyone_reads_the_catalogue_and_only_the_head_changes_it(department, api_as):
    ProductFactory(code="A-1", name="Alpha")
    ProductFactory(code="B-1", name="Beta", is_active=False)
    rep = api_as(department.rep_north)
    body = rep.get("/api/v1/products/?active=true").json()
    assert [row["code"] for row in body["results"]] == ["A-1"]
    assert rep.post("/api/v1/products/", {"code": "C-1", "name": "C", "list_price": "1"}).status_code == 403
    head = api_as(department.head)
    created = head.post(
        "/api/v1/products/", {"code": "C-1", "name": "Gamma", "list_price": "10.50", "tax_rate": "20"}
    )
    assert created.status_code == 201, created.content
    assert created.json()["max_discount_percent"] == "10.00"
    assert head.post("/api/v1/products/", {"code": "c-1", "name": "G", "list_price": "1"}).status_code == 400
    product_id = created.json()["id"]
    assert head.patch(f"/api/v1/products/{product_id}/", {"is_active": False}).json()["is_active"] is False
    assert head.delete(f"/api/v1/products/{product_id}/").status_code == 405
    for bad in ({"list_price": "-1"}, {"list_price": "1e40"}, {"tax_rate": "101"}, {"list_price": "abc"}):
        assert head.patch(f"/api/v1/products/{product_id}/", bad).status_code == 400


def test_lines_set_the_amount_which_the_api_then_refuses_to_set(department, stages, api_as):
    deal = make_deal(department.rep_north, amount="777.00")
    product = ProductFactory(list_price=Decimal("100.00"), tax_rate=Decimal("20"), max_discount_percent=10)
    rep = api_as(department.rep_north)
    response = rep.post("/api/v1/deal-lines/", {"deal": deal.pk, "product": product.pk, "quantity": "2.5"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["net"], body["tax"], body["gross"], body["approval"]) == (
        "250.00",
        "50.00",
        "300.00",
        "not_needed",
    )
    assert rep.get(f"/api/v1/deals/{deal.pk}/").json()["amount"] == "250.00"
    refused = rep.patch(f"/api/v1/deals/{deal.pk}/", {"amount": "999.00"})
    assert refused.status_code == 400 and "amount" in refused.json()
    listed = rep.get(f"/api/v1/deal-lines/?deal={deal.pk}").json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    assert rep.delete(f"/api/v1/deal-lines/{body['id']}/").status_code == 204
    assert Deal.objects.get(pk=deal.pk).amount == Decimal("250.00")  # no lines: the amount stays


def test_a_discount_above_the_limit_waits_for_the_lead_through_the_api(department, stages, api_as):
    deal = make_deal(department.rep_north)
    product = ProductFactory(max_discount_percent=Decimal("10"))
    rep = api_as(department.rep_north)
    line = rep.post(
        "/api/v1/deal-lines/",
        {"deal": deal.pk, "product": product.pk, "quantity": "1", "discount_percent": "25"},
    ).json()
    assert line["approval"] == "pending"
    assert rep.post(f"/api/v1/deal-lines/{line['id']}/approve/").status_code == 403
    assert rep.post("/api/v1/quotes/", {"deal": deal.pk}).status_code == 400
    assert api_as(department.lead_south).post(f"/api/v1/deal-lines/{line['id']}/approve/").status_code == 404
    assert api_as(department.rep_north).post(f"/api/v1/deal-lines/{line['id']}/approve/").status_code == 403
    approved = api_as(department.lead_north).post(f"/api/v1/deal-lines/{line['id']}/approve/")
    assert approved.status_code == 200
    assert (approved.json()["approval"], approved.json()["approved_by"]) == (
        "approved",
        department.lead_north.pk,
    )
    again = api_as(department.lead_north).post(f"/api/v1/deal-lines/{line['id']}/reject/")
    assert again.status_code == 400
    assert DealLine.objects.get(pk=line["id"]).approval == ApprovalStatus.APPROVED


def test_lines_of_hidden_deals_are_404_and_bad_input_is_400(department, stages, api_as):
    deal = make_deal(department.rep_north)
    line = DealLine.objects.create(deal=deal, name="X", quantity=1, unit_price=1)
    south = api_as(department.rep_south)
    assert south.get(f"/api/v1/deal-lines/{line.pk}/").status_code == 404
    assert (
        south.post(
            "/api/v1/deal-lines/", {"deal": deal.pk, "name": "X", "quantity": "1", "unit_price": "1"}
        ).status_code
        == 400
    )
    rep = api_as(department.rep_north)
    for bad in (
        {"quantity": "0"},
        {"quantity": "-1"},
        {"quantity": "abc"},
        {"quantity": "99999999999999"},
        {"discount_percent": "101"},
        {"unit_price": "1e20"},
        {"product": 10**12},
        {"deal": "x"},
        {"name": "", "unit_price": "1"},
        {"name": "", "unit_price": None},
    ):
        body = {"deal": deal.pk, "name": "Work", "quantity": "1", "unit_price": "1"} | bad
        body = {key: value for key, value in body.items() if value is not None}
        assert rep.post("/api/v1/deal-lines/", body, format="json").status_code == 400, bad
    assert rep.get("/api/v1/deal-lines/?deal=abc").status_code == 400
    assert rep.get("/api/v1/deal-lines/?deal=99999999999999999999").status_code == 400
    assert DealLine.objects.count() == 1


def test_quotes_through_the_api_pdf_send_accept(department, stages, api_as):
    deal = make_deal(department.rep_north, stage="Negotiation")
    contact = ContactFactory(client=deal.client, email="buyer@example.com")
    rep = api_as(department.rep_north)
    rep.post("/api/v1/deal-lines/", {"deal": deal.pk, "name": "Работа", "quantity": "2", "unit_price": "100"})
    created = rep.post("/api/v1/quotes/", {"deal": deal.pk, "language": "ru", "contact": contact.pk})
    assert created.status_code == 201, created.content
    quote = created.json()
    assert (quote["status"], quote["net"], quote["lines"][0]["name"]) == ("draft", "200.00", "Работа")
    pdf = rep.get(f"/api/v1/quotes/{quote['id']}/pdf/")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert "Работа" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert api_as(department.rep_south).get(f"/api/v1/quotes/{quote['id']}/pdf/").status_code == 404
    rep = api_as(department.rep_north)  # api_as signs the one client in as someone else
    early = rep.post(f"/api/v1/quotes/{quote['id']}/accept/")
    assert early.status_code == 400, early.content  # not sent yet
    sent = rep.post(f"/api/v1/quotes/{quote['id']}/send/")
    assert (sent.status_code, sent.json()["status"], len(mail.outbox)) == (200, "sent", 1)
    accepted = rep.post(f"/api/v1/quotes/{quote['id']}/accept/", {"move_deal": True})
    assert accepted.json()["status"] == "accepted"
    assert Deal.objects.get(pk=deal.pk).stage.name == "Contract"
    for bad in (
        {"deal": deal.pk, "language": "fr"},
        {"deal": deal.pk, "valid_until": "2000-01-01"},
        {"deal": deal.pk, "contact": ContactFactory().pk},
        {"deal": 10**15},
    ):
        assert rep.post("/api/v1/quotes/", bad).status_code == 400, bad
    assert Quote.objects.count() == 1


def test_the_pdf_endpoint_says_what_to_install_when_weasyprint_is_missing(
    department, stages, api_as, monkeypatch
):
    import builtins

    deal = make_deal(department.rep_north)
    rep = api_as(department.rep_north)
    rep.post("/api/v1/deal-lines/", {"deal": deal.pk, "name": "Work", "quantity": "1", "unit_price": "1"})
    quote = rep.post("/api/v1/quotes/", {"deal": deal.pk}).json()
    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    response = rep.get(f"/api/v1/quotes/{quote['id']}/pdf/")
    assert response.status_code == 503
    assert "libpango-1.0-0" in response.json()["detail"]


def _grow(department, times):
    for _ in range(times):
        deal = make_deal(department.rep_north)
        product = ProductFactory()
        DealLine.objects.create(
            deal=deal,
            product=product,
            name="L",
            quantity=1,
            unit_price=1,
            approval=ApprovalStatus.APPROVED,
            approved_by=department.lead_north,
        )
        quote = Quote.objects.create(
            deal=deal,
            number=f"Q-T-{deal.pk}",
            version=1,
            client_name="C",
            valid_until="2030-01-01",
            created_by=department.rep_north,
        )
        quote.lines.create(
            name="L", quantity=1, unit_price=1, discount_percent=0, tax_rate=0, net=1, tax=0, gross=1
        )
        quote.lines.create(
            name="M", quantity=1, unit_price=1, discount_percent=0, tax_rate=0, net=1, tax=0, gross=1
        )


@pytest.mark.parametrize(
    ("url", "queries"),
    [("/api/v1/products/", 3), ("/api/v1/deal-lines/", 3), ("/api/v1/quotes/", 4)],
)
def test_commerce_lists_run_a_constant_number_of_queries(
    department, stages, api_as, django_assert_num_queries, url, queries
):
    client = api_as(department.lead_north)
    for size, rows in ((2, 2), (7, 7)):
        _grow(department, size - Product.objects.count())
        with django_assert_num_queries(queries):  # token, count, page (+ the quotes' lines)
            response = client.get(url)
        assert response.status_code == 200
        assert response.json()["count"] == rows
