"""The deal form's search selects in a browser: a search replaces a select's options, and the
choice already made stays chosen until the user picks another (a search that did not find it
once emptied the select, and saving then dropped the deal's renewal without a word). Another
client lets the renewal go, with the text typed for it. Without script the search boxes stay
hidden: Enter in one submitted the whole form."""

import pytest

from deals.models import Deal
from tests.browser.support import sign_in, wait_for_quiet_network
from tests.deals.conftest import make_deal
from tests.factories import ClientFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def box(page, select: str):
    return page.locator(f".search-select:has(select[name={select}]) .search-select-box")


def search(page, select: str, text: str) -> None:
    box(page, select).fill(text)
    box(page, select).press("Enter")
    wait_for_quiet_network(page)


@pytest.fixture
def book(stages):
    rep = UserFactory(username="rep1", role="rep", password="demo")
    alpha = ClientFactory(owner=rep, name="Alpha Foods")
    beta = ClientFactory(owner=rep, name="Beta Build")
    won = make_deal(rep, client=alpha, stage="Won", title="Alpha licence 2025")
    make_deal(rep, client=beta, stage="Won", title="Beta licence 2025")
    renewal = make_deal(rep, client=alpha, title="Alpha licence 2026", deal_type="renewal", renewal_of=won)
    return {"alpha": alpha, "beta": beta, "won": won, "renewal": renewal}


def test_a_search_keeps_the_renewal_chosen_and_saving_keeps_it(live_server, page, book):
    sign_in(page, live_server.url, "rep1")
    page.goto(f"{live_server.url}/deals/{book['renewal'].pk}/edit/")
    renews = page.locator("select[name=renewal_of]")
    assert renews.input_value() == str(book["won"].pk)

    search(page, "renewal_of", "nothing like it")
    assert renews.input_value() == str(book["won"].pk)
    assert renews.locator("option", has_text="Nothing matches.").count() == 1

    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/deals/{book['renewal'].pk}/")
    assert Deal.objects.get(pk=book["renewal"].pk).renewal_of_id == book["won"].pk


def test_a_client_search_keeps_both_choices_and_another_client_lets_the_renewal_go(live_server, page, book):
    sign_in(page, live_server.url, "rep1")
    page.goto(f"{live_server.url}/deals/new/")
    client, renews = page.locator("select[name=client]"), page.locator("select[name=renewal_of]")
    client.select_option(str(book["alpha"].pk))
    wait_for_quiet_network(page)
    renews.select_option(str(book["won"].pk))

    search(page, "client", "Bet")  # finds Beta only; Alpha stays chosen, and so does its renewal
    assert client.input_value() == str(book["alpha"].pk)
    assert client.locator("option").all_inner_texts() == ["---------", "Alpha Foods", "Beta Build"]
    assert renews.input_value() == str(book["won"].pk)

    search(page, "renewal_of", "licence 2025")
    box(page, "renewal_of").fill("Alpha")
    client.select_option(str(book["beta"].pk))  # another client: Alpha's deal does not renew for it
    wait_for_quiet_network(page)
    assert renews.input_value() == ""
    assert box(page, "renewal_of").input_value() == ""
    listed = renews.locator("option").all_inner_texts()
    assert len(listed) == 2 and listed[0] == "---------" and "Beta licence 2025" in listed[1]


def test_without_script_the_search_boxes_stay_hidden(live_server, browser, page, book):
    sign_in(page, live_server.url, "rep1")
    context = browser.new_context(java_script_enabled=False, storage_state=page.context.storage_state())
    page = context.new_page()
    page.goto(f"{live_server.url}/deals/new/")
    assert page.locator(".search-select-box").count() == 2
    assert page.locator(".search-select-box:visible").count() == 0
    assert page.locator("select[name=client] option").all_inner_texts() == [
        "---------",
        "Alpha Foods",
        "Beta Build",
    ]
    context.close()
