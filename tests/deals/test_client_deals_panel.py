"""The client page's Deals card (deals.panels, loaded by URL) offers a new deal for the client
to whoever may open deals: the rep no longer goes to the pipeline and picks the client again."""

import pytest
from django.urls import reverse

from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_the_card_offers_a_new_deal_for_this_client_and_the_form_has_it_chosen(client, department, stages):
    polar = ClientFactory(owner=department.rep_north, name="Polar Foods")
    client.force_login(department.rep_north)
    card = client.get(reverse("deals:client_deals", args=[polar.pk])).content.decode()
    link = f'href="/deals/new/?client={polar.pk}" data-testid="client-new-deal"'
    assert link in card
    form = client.get(f"/deals/new/?client={polar.pk}").content.decode()
    assert f'<option value="{polar.pk}" selected>Polar Foods</option>' in form


def test_a_read_only_role_is_not_offered_one(client, department, stages):
    polar = ClientFactory(owner=department.rep_north, name="Polar Foods")
    client.force_login(department.analyst)
    card = client.get(reverse("deals:client_deals", args=[polar.pk])).content.decode()
    assert "client-new-deal" not in card
