"""Bad input to every deals page and API endpoint: a form error or a 400, never a 500 and
never a half-written record (huge or non-numeric ids, dates far out of range, absurd
amounts, unknown pages and orderings, malformed JSON)."""

import pytest
from django.urls import reverse

from clients.models import Activity
from deals.models import Deal, Fact, Review, StageChange
from tests.deals.conftest import make_deal
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
# PostgreSQL refuses UTC offsets beyond ±15:59 (a DataError, so a 500, before they were refused).
OFFSET_TOO_LARGE = "2026-01-01T00:00:00+20:00"
DATE_RANGE = "Enter a date between 1900 and 9998."


@pytest.fixture
def deal(department, stages):
    return make_deal(department.rep_north, stage="Proposal", title="Warehouse automation")


def _counts():
    return (
        Deal.objects.count(),
        StageChange.objects.count(),
        Fact.objects.count(),
        Review.objects.count(),
        Activity.objects.count(),
    )


# --- lists and filters --------------------------------------------------------------------

API_LISTS = ["/api/v1/deals/", "/api/v1/facts/", "/api/v1/reviews/", "/api/v1/stages/"]


@pytest.mark.parametrize(
    ("url", "query", "status"),
    [
        ("/api/v1/deals/", {"client": HUGE}, 400),
        ("/api/v1/deals/", {"client": "abc"}, 400),
        ("/api/v1/deals/", {"client": "-1"}, 400),
        ("/api/v1/deals/", {"owner": HUGE}, 400),
        ("/api/v1/deals/", {"team": HUGE}, 400),
        ("/api/v1/deals/", {"stage": HUGE}, 400),
        ("/api/v1/deals/", {"amount_min": "1e999"}, 400),
        ("/api/v1/deals/", {"amount_max": "-1e999"}, 400),
        ("/api/v1/deals/", {"amount_min": "nan"}, 400),
        ("/api/v1/deals/", {"expected_close_from": "0001-01-01"}, 400),
        ("/api/v1/deals/", {"expected_close_to": "9999-12-31"}, 400),
        ("/api/v1/deals/", {"updated_since": "0001-01-01T00:00"}, 400),
        ("/api/v1/deals/", {"updated_since": OFFSET_TOO_LARGE}, 400),
        ("/api/v1/deals/", {"ordering": ",,-amount,"}, 200),
        ("/api/v1/deals/", {"ordering": "-"}, 200),
        ("/api/v1/deals/", {"ordering": "nonsense"}, 200),
        ("/api/v1/deals/", {"page": "999999"}, 404),
        ("/api/v1/deals/", {"page": "abc"}, 404),
        ("/api/v1/facts/", {"deal": HUGE}, 400),
        ("/api/v1/facts/", {"recorded_by": HUGE}, 400),
        ("/api/v1/facts/", {"deal": "abc"}, 400),
        ("/api/v1/reviews/", {"deal": HUGE}, 400),
        ("/api/v1/reviews/", {"reviewer": HUGE}, 400),
        ("/api/v1/pipeline/", {"owner": HUGE}, 400),
        ("/api/v1/pipeline/", {"expected_close_from": "0001-01-01"}, 400),
        ("/api/v1/pipeline/", {"expected_close_to": "9999-12-31"}, 400),
        ("/api/v1/board/", {"team": HUGE}, 400),
        ("/api/v1/stages/", {"ordering": "nonsense", "page": "abc"}, 404),
    ],
)
def test_bad_api_filters_are_answered_not_crashed(department, deal, api_as, url, query, status):
    response = api_as(department.head).get(url, query)
    assert response.status_code == status, response.content


def test_out_of_range_dates_name_the_filter(department, deal, api_as):
    response = api_as(department.head).get(
        "/api/v1/deals/", {"expected_close_from": "0001-01-01", "expected_close_to": "9999-12-31"}
    )
    assert response.json() == {"expected_close_from": [DATE_RANGE], "expected_close_to": [DATE_RANGE]}


@pytest.mark.parametrize(
    "query",
    [
        {"client": HUGE},
        {"client": "abc"},
        {"owner": HUGE},
        {"stage": HUGE},
        {"team": HUGE},
        {"amount_min": "1e999"},
        {"expected_close_from": "0001-01-01"},
        {"expected_close_to": "9999-12-31"},
        {"updated_since": OFFSET_TOO_LARGE},
    ],
)
def test_bad_list_filters_show_an_error_and_no_deals(client, department, deal, query):
    client.force_login(department.head)
    response = client.get(reverse("deals:list"), query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "No deals match these filters." in page
    assert "Warehouse automation" not in page


def test_the_list_says_which_filter_is_wrong(client, department, deal):
    client.force_login(department.head)
    page = client.get(
        reverse("deals:list"), {"client": HUGE, "amount_min": "1e999", "expected_close_to": "9999-12-31"}
    ).content.decode()
    assert '<p class="field-error">Client: Ensure this value is less than or equal to' in page
    assert "Ensure that there are no more than 16 digits in total." in page
    assert DATE_RANGE in page


@pytest.mark.parametrize(
    "query",
    [
        {"page": "999999"},
        {"page": "abc"},
        {"sort": "nonsense"},
        {"ordering": "nonsense"},
    ],
)
def test_unknown_pages_and_sorts_still_list_the_deals(client, department, deal, query):
    client.force_login(department.head)
    response = client.get(reverse("deals:list"), query)
    assert response.status_code == 200
    assert "Warehouse automation" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"owner": HUGE},
        {"team": HUGE},
        {"expected_close_from": "0001-01-01"},
        {"expected_close_to": "9999-12-31"},
        {"updated_since": OFFSET_TOO_LARGE},
    ],
)
def test_bad_kanban_filters_show_an_empty_board(client, department, deal, query):
    client.force_login(department.head)
    response = client.get(reverse("deals:kanban"), query)
    assert response.status_code == 200
    assert "Warehouse automation" not in response.content.decode()


def test_the_kanban_shows_the_date_range_error(client, department, deal):
    client.force_login(department.head)
    page = client.get(reverse("deals:kanban"), {"expected_close_from": "0001-01-01"}).content.decode()
    assert DATE_RANGE in page


@pytest.mark.parametrize("team", [HUGE, "abc", "-1"])
def test_the_board_ignores_a_bad_team(client, department, deal, team):
    client.force_login(department.head)
    response = client.get(reverse("board"), {"team": team})
    assert response.status_code == 200


# --- the new-deal form's ?client= -------------------------------------------------------


@pytest.mark.parametrize("raw", [HUGE, "abc", "-1", "0", "1e3", " "])
def test_a_bad_client_in_the_address_preselects_nothing(client, department, stages, raw):
    ClientFactory(owner=department.rep_north, name="Polar Foods")
    client.force_login(department.rep_north)
    response = client.get(reverse("deals:create"), {"client": raw})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Polar Foods" in page
    assert "selected>Polar Foods" not in page


def test_a_bad_client_on_post_is_a_form_error(client, department, stages):
    client.force_login(department.rep_north)
    response = client.post(
        reverse("deals:create"),
        {"title": "X", "client": HUGE, "amount": "1", "stage": stages["Lead"].pk, "deal_type": "new"},
    )
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert _counts() == (0, 0, 0, 0, 0)


# --- writes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/deals/", "/api/v1/facts/", "/api/v1/reviews/", "move"])
def test_malformed_json_is_a_400_and_writes_nothing(department, deal, api_as, url):
    if url == "move":
        url = f"/api/v1/deals/{deal.pk}/move/"
    before = _counts()
    response = api_as(department.head).generic("POST", url, "{bad", content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
    assert _counts() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("expected_close", "0001-01-01"),
        ("expected_close", "9999-12-31"),
        ("service_start", "1899-12-31"),
    ],
)
def test_deal_dates_out_of_range_are_refused(department, stages, api_as, field, value):
    customer = ClientFactory(owner=department.rep_north)
    body = {"title": "X", "client": customer.pk, "amount": "1", field: value}
    response = api_as(department.rep_north).post("/api/v1/deals/", body)
    assert response.status_code == 400
    assert response.json() == {field: [DATE_RANGE]}
    assert _counts() == (0, 0, 0, 0, 0)


def test_an_update_with_an_out_of_range_date_changes_nothing(department, deal, api_as):
    before = Deal.objects.values().get(pk=deal.pk)
    response = api_as(department.rep_north).patch(
        f"/api/v1/deals/{deal.pk}/", {"title": "Renamed", "expected_close": "0001-01-01"}
    )
    assert (response.status_code, response.json()) == (400, {"expected_close": [DATE_RANGE]})
    assert Deal.objects.values().get(pk=deal.pk) == before


def test_fact_and_review_dates_out_of_range_are_refused(department, deal, api_as):
    before = _counts()
    fact = api_as(department.rep_north).post(
        "/api/v1/facts/", {"deal": deal.pk, "kind": "other", "text": "x", "happened_on": "0001-01-01"}
    )
    assert (fact.status_code, fact.json()) == (400, {"happened_on": [DATE_RANGE]})
    review = api_as(department.lead_north).post(
        "/api/v1/reviews/",
        {"deal": deal.pk, "verdict": "on_track", "next_action": "Call", "next_action_due": "9999-12-31"},
    )
    assert (review.status_code, review.json()) == (400, {"next_action_due": [DATE_RANGE]})
    assert _counts() == before


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/deals/", {"title": "x", "client": HUGE, "amount": "1"}),
        ("/api/v1/deals/", {"title": "x", "amount": "1", "owner": HUGE}),
        ("/api/v1/deals/", {"title": "x", "amount": "1", "stage": HUGE}),
        ("/api/v1/deals/", {"title": "x", "amount": "1", "renewal_of": HUGE}),
        ("/api/v1/deals/", {"title": "x", "amount": "1e999"}),
        ("/api/v1/facts/", {"deal": HUGE, "kind": "other", "text": "t"}),
        ("/api/v1/facts/", {"kind": "other", "text": "t", "activity": HUGE}),
        ("/api/v1/reviews/", {"deal": HUGE, "verdict": "on_track"}),
        ("move", {"stage": HUGE}),
    ],
)
def test_huge_ids_in_api_bodies_are_400(department, deal, api_as, url, body):
    body = {key: int(value) if value == HUGE else value for key, value in body.items()}
    if url == "move":
        url = f"/api/v1/deals/{deal.pk}/move/"
    elif url == "/api/v1/deals/":
        body.setdefault("client", deal.client_id)
    elif url == "/api/v1/facts/":
        body.setdefault("deal", deal.pk)
    before = _counts()
    response = api_as(department.head).post(url, body)
    assert response.status_code == 400, response.content
    assert _counts() == before
