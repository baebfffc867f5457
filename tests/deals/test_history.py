"""The deal page's history tab: everyone who may see the deal sees who changed what and
when, old → new, by the fields' names; paginated; hidden deals are 404."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from deals import services
from deals.selectors.history import HISTORY_PAGE_SIZE
from tests.deals.conftest import make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed(department, stages):
    deal = make_deal(department.rep_north, amount="1000.00", title="History deal")
    services.deal_update(by=department.rep_north, deal=deal, data={"amount": Decimal("2500.00")})
    services.deal_move(by=department.rep_north, deal=deal, stage=stages["Proposal"])
    return deal


def entries(page: str) -> list[str]:
    return re.findall(r'data-testid="history-entry">(.*?)</li>', page, re.S)


def rows(entry: str) -> list[tuple[str, str, str]]:
    return re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", entry)


@pytest.mark.parametrize("viewer", ["lead_north", "rep_north", "head", "analyst"])
def test_everyone_who_sees_the_deal_sees_its_history(client, department, changed, viewer):
    client.force_login(getattr(department, viewer))
    detail = client.get(reverse("deals:detail", args=[changed.pk])).content.decode()
    assert f'href="{reverse("deals:history", args=[changed.pk])}"' in detail
    page = client.get(reverse("deals:history", args=[changed.pk]))
    assert page.status_code == 200
    found = entries(page.content.decode())
    newest, amount_change = rows(found[0]), rows(found[1])
    assert ("Stage", "Lead", "Proposal") in newest
    assert amount_change == [("Amount", "1,000.00\xa0₽", "2,500.00\xa0₽")]
    assert department.rep_north.full_name in found[0]


def test_a_hidden_deal_has_no_history_page(client, department, changed):
    client.force_login(department.rep_south)
    assert client.get(reverse("deals:history", args=[changed.pk])).status_code == 404
    assert client.get(reverse("deals:history", args=[999999999])).status_code == 404


def test_history_is_paginated_in_constant_queries(client, department, changed, django_assert_num_queries):
    client.force_login(department.lead_north)
    url = reverse("deals:history", args=[changed.pk])
    # the user, deal, count, records, and the names of stages, owners, clients (no renewal here)
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
    for number in range(HISTORY_PAGE_SIZE + 5):
        services.deal_update(by=department.rep_north, deal=changed, data={"title": f"Title {number}"})
    with django_assert_num_queries(7):
        first = client.get(url).content.decode()
    assert len(entries(first)) == HISTORY_PAGE_SIZE
    second = client.get(url, {"page": 2}).content.decode()
    assert "Page 2 of 2" in second
    assert client.get(url, {"page": "garbage"}).status_code == 200
    assert client.get(url, {"page": "99999999999999999999"}).status_code == 200
