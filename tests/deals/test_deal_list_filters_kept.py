"""The deal list's saved views and filter form, kept once rendered (deals/views/deal_list.py,
``{% cache %}`` keyed on core.versions.page_part_key): a visit with the same address reads
them back without their four queries, and what they show changes at once when their
choices change: a saved view added or deleted, a stage renamed, a person joining the
viewer's scope. Their forms' CSRF token stays valid for the viewer."""

import re

import pytest
from django.test import Client as BrowserClient
from django.urls import reverse

from accounts.saved_views import saved_view_create, saved_view_delete
from deals.models import Stage
from tests.deals.conftest import make_deal
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = reverse("deals:list")


def panel(page: str) -> str:
    """The saved views and the filter form, as the page shows them."""
    found = re.search(r'<nav class="saved-views".*?<details class="filter-panel".*?</details>', page, re.S)
    return found.group(0)


def owners(page: str) -> list[str]:
    select = re.search(r'<select name="owner".*?</select>', page, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


@pytest.fixture
def deals(department, stages):
    return [make_deal(department.rep_north, stage="Proposal"), make_deal(department.rep_north_2)]


def test_a_second_visit_reads_the_panel_back_without_its_queries(
    client, department, deals, django_assert_num_queries
):
    client.force_login(department.lead_north)
    first = client.get(ADDRESS, {"status": "open"}).content.decode()
    # the user, warning policy, versions, rows; no saved views, no owner, team or stage
    # choices (and no count + sum: nothing changed)
    with django_assert_num_queries(4):
        response = client.get(ADDRESS, {"status": "open"})
    assert response.status_code == 200
    again = response.content.decode()
    assert panel(again) == panel(first)
    assert len(re.findall(r'<td><a href="/deals/\d+/">', again)) == 2
    assert owners(again) == owners(first)
    assert len(owners(again)) == 7  # everyone and the north team's six people
    assert department.rep_north.full_name in owners(again)
    assert 'value="open" selected' in panel(again)
    other = client.get(ADDRESS, {"status": "won"}).content.decode()  # another address: its own panel
    assert 'value="won" selected' in panel(other)


def test_the_panel_shows_a_change_of_its_choices_at_once(client, department, deals):
    client.force_login(department.lead_north)
    client.get(ADDRESS)
    lead = department.lead_north
    view = saved_view_create(by=lead, list_key="deals", name="Big ones", query="amount_min=1000")
    saved_view_create(by=lead, list_key="deals", name="Small ones", query="amount_max=10")
    assert ">Big ones</a>" in client.get(ADDRESS).content.decode()
    Stage.objects.filter(name="Proposal").update(name="Offer sent")
    Stage.objects.filter(name="Offer sent").first().save()  # as the stage settings save it
    assert ">Offer sent</option>" in client.get(ADDRESS).content.decode()
    UserFactory(username="newcomer", first_name="Nora", last_name="Newcomer", team=department.north)
    assert "Nora Newcomer" in owners(client.get(ADDRESS).content.decode())
    saved_view_delete(by=lead, view=view)  # a deletion leaves the newest change
    page = client.get(ADDRESS).content.decode()
    assert "Big ones" not in page and ">Small ones</a>" in page


def token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', panel(page)).group(1)


def save_view(browser, page: str, name: str):
    data = {"list_key": "deals", "name": name, "query": "", "next": ADDRESS}
    return browser.post(reverse("accounts:saved_view_create"), {**data, "csrfmiddlewaretoken": token(page)})


def test_the_kept_panel_is_the_viewers_own_and_its_token_works(department, deals):
    """Each browser (each CSRF secret) gets its own panel: a view saved through the form of
    a kept panel passes the CSRF check, in the browser that rendered it and in another one of
    the same person; another person sees their own choices."""
    browser, second = BrowserClient(enforce_csrf_checks=True), BrowserClient(enforce_csrf_checks=True)
    browser.force_login(department.lead_north)
    second.force_login(department.lead_north)  # both signed in before either visits
    browser.get(ADDRESS)
    kept = browser.get(ADDRESS).content.decode()
    assert save_view(browser, kept, "Mine").status_code == 302
    mine = browser.get(ADDRESS).content.decode()  # kept again, under the new saved view
    assert ">Mine</a>" in mine
    theirs = second.get(ADDRESS).content.decode()
    assert token(theirs) != token(mine)
    assert save_view(second, theirs, "From the other browser").status_code == 302
    rep = BrowserClient()
    rep.force_login(department.rep_north)
    assert owners(rep.get(ADDRESS).content.decode()) != owners(mine)
