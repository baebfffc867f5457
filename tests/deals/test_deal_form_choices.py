"""The new deal form over a department's whole book: a head sees every client and every won
deal, and the form listed them all (6.7 MB and 4.8 s of CPU for the head at department scale).
Its client and renewal selects now list a page of choices (the chosen one always among them)
and search the rest; the choice is still checked against everything the user may choose."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.widgets import OPTIONS_SHOWN
from deals.models import Deal
from tests.deals.conftest import make_deal
from tests.factories import ClientFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
OPTION = re.compile(r'<option value="(\d*)"( selected)?( disabled)?>([^<]*)</option>')


def options(html: str, select: str) -> list[tuple[str, bool, str]]:
    body = html[html.index(f'<select name="{select}"') :]
    body = body[: body.index("</select>")]
    return [(value, bool(selected), label) for value, selected, _disabled, label in OPTION.findall(body)]


@pytest.fixture
def book(department):
    """60 clients of rep_north, named so that their order is known."""
    return [ClientFactory(owner=department.rep_north, name=f"Firm {number:02d}") for number in range(60)]


def test_the_form_lists_a_page_of_clients_and_the_chosen_one_beyond_it(client, department, book):
    client.force_login(department.rep_north)
    page = client.get("/deals/new/").content.decode()
    listed = options(page, "client")
    assert len(listed) == 1 + OPTIONS_SHOWN and listed[0] == ("", True, "---------")
    assert [label for _value, _selected, label in listed[1:4]] == ["Firm 00", "Firm 01", "Firm 02"]
    assert 'class="search-select-box"' in page and 'hx-get="/deals/new/clients/"' in page
    chosen = book[57]  # beyond the first page, as when the form is opened from its client's page
    listed = options(client.get("/deals/new/", {"client": chosen.pk}).content.decode(), "client")
    assert listed[1] == (str(chosen.pk), True, "Firm 57") and len(listed) == 2 + OPTIONS_SHOWN


def test_a_client_beyond_the_listed_page_is_chosen_and_the_deal_created(client, department, book):
    client.force_login(department.rep_north)
    stage = options(client.get("/deals/new/").content.decode(), "stage")[0][0]
    response = client.post(
        "/deals/new/",
        {"title": "Late one", "client": book[59].pk, "amount": "100", "stage": stage, "deal_type": "new"},
    )
    assert response.status_code == 302
    assert Deal.objects.get(title="Late one").client == book[59]


def test_the_search_box_answers_the_matching_clients_the_user_sees(client, department, book):
    ClientFactory(owner=department.rep_south, name="Firm of the south")
    client.force_login(department.rep_north)
    answer = client.get("/deals/new/clients/", {"search": "irm 5"}, **HTMX)
    assert answer.status_code == 200
    found = OPTION.findall(answer.content.decode())
    assert [label for *_rest, label in found] == ["---------", *(f"Firm 5{n}" for n in range(10))]
    everything = client.get("/deals/new/clients/", {"search": "firm"}, **HTMX).content.decode()
    assert "Firm of the south" not in everything  # not hers
    assert everything.count('<option value="') == 1 + OPTIONS_SHOWN + 1
    assert everything.rstrip().endswith(
        '<option value="" disabled>More match: type more of the name.</option>'
    )
    nothing = client.get("/deals/new/clients/", {"search": "zzz"}, **HTMX).content.decode()
    assert '<option value="" disabled>Nothing matches.</option>' in nothing


@pytest.mark.parametrize("term", ["\x00", "%", "_", "x" * 5000, "' OR 1=1 --", "<script>"])
def test_a_garbled_search_is_an_answer_not_an_error(client, department, book, term):
    client.force_login(department.rep_north)
    answer = client.get("/deals/new/clients/", {"search": term}, **HTMX)
    assert answer.status_code == 200 and "<script>" not in answer.content.decode()


def test_the_renewal_search_offers_the_chosen_clients_won_deals(client, department, book):
    won = make_deal(department.rep_north, client=book[0], stage="Won", title="Licence 2025")
    make_deal(department.rep_north, client=book[0], stage="Proposal", title="Open one")
    make_deal(department.rep_north, client=book[1], stage="Won", title="Other client's")
    make_deal(department.rep_south, stage="Won", title="South's")
    client.force_login(department.rep_north)
    found = client.get("/deals/new/renews/", {"client": book[0].pk, "search": ""}, **HTMX).content.decode()
    assert [value for value, *_rest in OPTION.findall(found)] == ["", str(won.pk)]
    anyone = client.get("/deals/new/renews/", {"client": "", "search": ""}, **HTMX).content.decode()
    assert "Other client&#x27;s" in anyone and "South" not in anyone
    garbled = client.get("/deals/new/renews/", {"client": "abc", "search": "Lic"}, **HTMX)
    assert garbled.status_code == 200 and "Licence 2025" in garbled.content.decode()
    page = client.get(f"/deals/{won.pk}/edit/").content.decode()
    assert f'hx-get="/deals/new/renews/?deal={won.pk}"' in page
    # on a won deal's edit page its own deal is not offered as what it renews
    another = make_deal(department.rep_north, client=book[0], stage="Won", title="Licence 2026")
    found = client.get("/deals/new/renews/", {"deal": won.pk, "search": "Licence"}, **HTMX).content.decode()
    assert [value for value, *_rest in OPTION.findall(found)] == ["", str(another.pk)]
    # the client's name finds its deals too, and the dates read as the language writes them
    by_client = client.get("/deals/new/renews/", {"search": "Firm 00"}, **HTMX).content.decode()
    assert "Firm 00 — Licence 2026" in by_client and "Firm 01" not in by_client


def test_the_searches_answer_only_who_may_make_deals_and_only_htmx(client, department, book):
    client.force_login(department.rep_north)
    assert client.get("/deals/new/clients/", {"search": "Firm"})["Location"] == "/deals/new/"
    deal = make_deal(department.rep_north, client=book[0])
    assert client.get("/deals/new/renews/", {"deal": deal.pk})["Location"] == f"/deals/{deal.pk}/edit/"
    client.force_login(department.analyst)
    for url in ("/deals/new/clients/", "/deals/new/renews/"):
        assert client.get(url, {"search": "Firm"}, **HTMX).status_code == 403


def test_the_form_costs_the_same_queries_with_60_or_600_clients(client, department, book):
    client.force_login(department.rep_north)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/deals/new/").status_code == 200
    for number in range(540):
        ClientFactory(owner=department.rep_north, name=f"More {number:03d}")
    with CaptureQueriesContext(connection) as large:
        page = client.get("/deals/new/")
    assert page.status_code == 200 and len(options(page.content.decode(), "client")) == 1 + OPTIONS_SHOWN
    assert len(large) == len(small)
