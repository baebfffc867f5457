"""The admin configures stages; deals, facts, reviews and stage history are readable there
but a stage never changes behind deal_move's back."""

import pytest
from django.urls import reverse

from tests.deals.conftest import make_deal
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_stages_are_configured_in_the_admin(admin_client, stages):
    page = admin_client.get(reverse("admin:deals_stage_changelist")).content.decode()
    assert "Negotiation" in page
    response = admin_client.post(
        reverse("admin:deals_stage_add"),
        {
            "name": "Pilot",
            "order": "35",
            "default_probability": "50",
            "kind": "open",
            "default_forecast_category": "best_case",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    pilot = stages["Lead"].__class__.objects.get(name="Pilot")
    assert (pilot.default_probability, pilot.default_forecast_category) == (50, "best_case")


def test_deal_pages_of_the_admin_open_and_keep_the_stage_read_only(admin_client, department, stages):
    deal = make_deal(department.rep_north, stage="Proposal", facts=1)
    assert admin_client.get(reverse("admin:deals_deal_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:deals_deal_change", args=[deal.pk])).content.decode()
    assert 'name="stage"' not in page
    assert admin_client.get(reverse("admin:deals_deal_add")).status_code == 403
    assert admin_client.get(reverse("admin:deals_stagechange_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:deals_fact_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:deals_review_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:deals_deal_history", args=[deal.pk])).status_code == 200


def test_products_proposals_and_lines_open_in_the_admin(admin_client, department, stages):
    from deals.models import DealLine, Quote
    from tests.deals.conftest import make_deal
    from tests.factories import ProductFactory

    product = ProductFactory(name="Licence")
    deal = make_deal(department.rep_north)
    line = DealLine.objects.create(deal=deal, product=product, name="Licence", quantity=1, unit_price=1)
    quote = Quote.objects.create(
        deal=deal,
        number="Q-2026-0001",
        version=1,
        client_name="C",
        valid_until="2030-01-01",
        created_by=department.head,
    )
    for url in (
        "/admin/deals/product/",
        f"/admin/deals/product/{product.pk}/change/",
        f"/admin/deals/product/{product.pk}/history/",
        "/admin/deals/dealline/",
        f"/admin/deals/dealline/{line.pk}/history/",
        "/admin/deals/quote/",
        f"/admin/deals/quote/{quote.pk}/change/",
    ):
        assert admin_client.get(url).status_code == 200, url
    assert admin_client.get("/admin/deals/quote/add/").status_code == 403
