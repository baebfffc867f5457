"""Bad input to the targets pages and API: a form error or a 400, never a 500 and never a
half-written record (huge or non-numeric ids, "²", years out of range, due dates beyond what
a date holds, absurd amounts, unknown pages and orderings, malformed JSON), and the SDR rule
(installments, payments and overdue reasons are read-only to SDRs)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from targets import rules
from targets.models import ActivityNorm, Installment, OverdueReason, Payment, Plan
from targets.services import installment_schedule_create, norm_set_for_user

pytestmark = pytest.mark.django_db

D = Decimal
HUGE = "99999999999999999999999"
DATE_RANGE = "Enter a date between 1900 and 9998."
RECORD_ID = "Give a record id (a whole number)."
WHOLE_NUMBER = "Enter a whole number."
INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."
TOO_FAR = (
    "The last of 12 installments would fall due beyond the dates the system keeps; "
    "choose an earlier first due date."
)


@pytest.fixture
def overdue_line(department, won_deal, installment_of):
    deal = won_deal(department.rep_north, amount="1000.00")
    return installment_of(deal, due_date=timezone.localdate() - datetime.timedelta(days=10))


def _receivables_state():
    return (
        list(Installment.objects.order_by("pk").values_list("pk", "due_date", "amount", "note")),
        Payment.objects.count(),
        OverdueReason.objects.count(),
    )


# --------------------------------------------------------------------------- finding 13: ids


@pytest.mark.parametrize(
    ("url", "name", "value", "message"),
    [
        (
            "/api/v1/installments/",
            "deal",
            HUGE,
            "Ensure this value is less than or equal to 9223372036854775807.",
        ),
        ("/api/v1/installments/", "deal", "²", WHOLE_NUMBER),
        (
            "/api/v1/installments/",
            "client",
            HUGE,
            "Ensure this value is less than or equal to 9223372036854775807.",
        ),
        ("/api/v1/installments/", "owner", HUGE, INVALID_CHOICE),
        ("/api/v1/installments/", "team", "²", INVALID_CHOICE),
        ("/api/v1/installments/", "due_from", "9999-12-31", DATE_RANGE),
        (
            "/api/v1/payments/",
            "installment",
            HUGE,
            "Ensure this value is less than or equal to 9223372036854775807.",
        ),
        ("/api/v1/payments/", "deal", "abc", WHOLE_NUMBER),
        (
            "/api/v1/payments/",
            "client",
            HUGE,
            "Ensure this value is less than or equal to 9223372036854775807.",
        ),
        ("/api/v1/payments/", "paid_from", "0001-01-01", DATE_RANGE),
        (
            "/api/v1/overdue-reasons/",
            "installment",
            HUGE,
            "Ensure this value is less than or equal to 9223372036854775807.",
        ),
        ("/api/v1/overdue-reasons/", "deal", "0", "Ensure this value is greater than or equal to 1."),
        (
            "/api/v1/allocations/",
            "plan",
            HUGE,
            "Ensure this value is less than or equal to 9223372036854775807.",
        ),
        ("/api/v1/allocations/", "rep", HUGE, INVALID_CHOICE),
        ("/api/v1/norms/", "user", HUGE, INVALID_CHOICE),
    ],
)
def test_list_filters_refuse_bad_ids_with_a_400(department, api_as, overdue_line, url, name, value, message):
    response = api_as(department.head).get(url, {name: value})
    assert response.status_code == 400
    assert response.json() == {name: [message]}


@pytest.mark.parametrize("name", ["owner", "team", "client"])
@pytest.mark.parametrize("value", [HUGE, "²", "abc", "0", "-1"])
def test_aging_refuses_bad_ids_with_a_400(department, api_as, overdue_line, name, value):
    response = api_as(department.head).get("/api/v1/receivables/aging/", {name: value})
    assert response.status_code == 400
    assert response.json() == {name: [RECORD_ID]}


def test_aging_with_a_good_id_still_filters(department, api_as, overdue_line):
    response = api_as(department.head).get(
        "/api/v1/receivables/aging/", {"owner": str(department.rep_north.pk)}
    )
    assert response.status_code == 200
    assert [row["key"] for row in response.json()["results"]] == [department.rep_north.pk]


def test_overdue_page_with_a_huge_client_id_lists_nothing(department, client, overdue_line):
    client.force_login(department.head)
    response = client.get("/targets/receivables/overdue/", {"client": HUGE})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []


# --------------------------------------------------------------------------- finding 14: "²"


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/targets/plans/", {"year": "²"}),
        ("/targets/plans/", {"year": "99999"}),
        ("/targets/plan-vs-actual/", {"year": "²"}),
        ("/targets/plan-vs-actual/", {"year": HUGE}),
        ("/targets/plan-vs-actual/", {"rep": "²"}),
        ("/targets/plan-vs-actual/", {"team": "²"}),
        ("/targets/plan-vs-actual/", {"rep": HUGE, "team": HUGE}),
        ("/targets/receivables/", {"team": "²"}),
        ("/targets/receivables/", {"team": HUGE}),
    ],
)
def test_pages_ignore_odd_numbers_in_the_query(department, client, plan, url, query):
    client.force_login(department.head)
    response = client.get(url, query)
    assert response.status_code == 200
    if "year" in response.context:
        assert response.context["year"] == timezone.localdate().year


def test_receivables_page_ignores_an_odd_team(department, client, overdue_line):
    client.force_login(department.head)
    response = client.get("/targets/receivables/", {"team": "²"})
    assert response.status_code == 200
    assert response.context["team_id"] is None


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ({"year": "²"}, {"year": ["Give a year between 2000 and 2100."]}),
        ({"year": "1999"}, {"year": ["Give a year between 2000 and 2100."]}),
        ({"year": HUGE}, {"year": ["Give a year between 2000 and 2100."]}),
        ({"team": "²"}, {"team": [RECORD_ID]}),
        ({"rep": "²"}, {"rep": [RECORD_ID]}),
        ({"rep": HUGE}, {"rep": [RECORD_ID]}),
    ],
)
def test_plan_vs_actual_api_refuses_odd_numbers(department, api_as, plan, query, errors):
    response = api_as(department.head).get("/api/v1/plan-vs-actual/", query)
    assert response.status_code == 400
    assert response.json() == errors


def test_plan_vs_actual_api_takes_a_plain_year(department, api_as, plan):
    response = api_as(department.head).get("/api/v1/plan-vs-actual/", {"year": str(plan.year)})
    assert response.status_code == 200
    assert response.json()["year"] == plan.year


# --------------------------------------------------------------------------- finding 18: dates


def test_a_schedule_running_past_year_9998_is_refused_by_the_service(department, won_deal):
    deal = won_deal(department.rep_north)
    with pytest.raises(ValidationError) as caught:
        installment_schedule_create(
            actor=department.head, deal=deal, installments=12, first_due=datetime.date(9998, 6, 1)
        )
    assert caught.value.message_dict == {"first_due": [TOO_FAR]}
    assert not Installment.objects.exists()


def test_a_schedule_page_with_first_due_in_9999_is_a_form_error(department, client, won_deal, installment_of):
    deal = won_deal(department.rep_north)
    installment_of(deal, amount="1000.00", due_date=datetime.date(2030, 1, 1))
    before = _receivables_state()
    client.force_login(department.rep_north)
    response = client.post(
        f"/targets/deals/{deal.pk}/schedule/generate/",
        {"installments": "12", "first_due": "9999-06-01", "interval_months": "1"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"first_due": [DATE_RANGE]}
    assert _receivables_state() == before


def test_a_schedule_page_ending_after_9998_is_a_form_error(department, client, won_deal):
    deal = won_deal(department.rep_north)
    client.force_login(department.rep_north)
    response = client.post(
        f"/targets/deals/{deal.pk}/schedule/generate/",
        {"installments": "12", "first_due": "9998-06-01", "interval_months": "1"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"first_due": [TOO_FAR]}
    assert not Installment.objects.exists()


@pytest.mark.parametrize(("first_due", "message"), [("9999-06-01", DATE_RANGE), ("9998-12-01", TOO_FAR)])
def test_the_schedule_api_refuses_due_dates_out_of_range(department, api_as, won_deal, first_due, message):
    deal = won_deal(department.rep_north)
    response = api_as(department.rep_north).post(
        f"/api/v1/deals/{deal.pk}/schedule/",
        {"installments": 12, "first_due": first_due, "interval_months": 1},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"first_due": [message]}
    assert not Installment.objects.exists()


def test_rescheduling_to_year_1_is_a_400(department, api_as, overdue_line):
    before = _receivables_state()
    response = api_as(department.rep_north).patch(
        f"/api/v1/installments/{overdue_line.pk}/", {"due_date": "0001-01-01", "note": "moved"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"due_date": [DATE_RANGE]}
    assert _receivables_state() == before


def test_a_payment_dated_year_1_is_refused(department, api_as, client, overdue_line):
    response = api_as(department.rep_north).post(
        "/api/v1/payments/",
        {"installment": overdue_line.pk, "amount": "10.00", "paid_on": "0001-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"paid_on": [DATE_RANGE]}
    client.force_login(department.rep_north)
    response = client.post(
        f"/targets/installments/{overdue_line.pk}/payment/", {"amount": "10.00", "paid_on": "0001-01-01"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"paid_on": [DATE_RANGE]}
    assert not Payment.objects.exists()


def test_a_promise_in_year_9999_is_refused(department, api_as, overdue_line):
    response = api_as(department.rep_north).post(
        "/api/v1/overdue-reasons/",
        {"installment": overdue_line.pk, "reason": "Waiting for budget", "promised_date": "9999-12-31"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"promised_date": [DATE_RANGE]}
    assert not OverdueReason.objects.exists()


# --------------------------------------------------------------------------- amounts, pages, JSON


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1e999", "Ensure that there are no more than 14 digits in total."),
        ("NaN", "A valid number is required."),
        ("99999999999999.99", "Ensure that there are no more than 14 digits in total."),
        ("-5.00", "The amount cannot be negative."),
    ],
)
def test_absurd_payment_amounts_are_a_400(department, api_as, overdue_line, amount, message):
    response = api_as(department.rep_north).post(
        "/api/v1/payments/",
        {"installment": overdue_line.pk, "amount": amount, "paid_on": str(timezone.localdate())},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"amount": [message]}
    assert not Payment.objects.exists()


@pytest.mark.parametrize("amount", ["1e999", "NaN", "99999999999999.99"])
def test_absurd_plan_amounts_are_a_form_error(department, client, amount):
    client.force_login(department.head)
    response = client.post("/targets/plans/new/", {"year": "2050", "metric": "booked", "amount": amount})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["amount"]
    assert not Plan.objects.exists()


@pytest.mark.parametrize("count", ["-3", "0", "61", "abc"])
def test_a_bad_number_of_installments_is_a_400(department, api_as, won_deal, count):
    deal = won_deal(department.rep_north)
    response = api_as(department.rep_north).post(
        f"/api/v1/deals/{deal.pk}/schedule/",
        {"installments": count, "first_due": "2030-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["installments"]
    assert not Installment.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/plans/",
        "/api/v1/payments/",
        "/api/v1/overdue-reasons/",
        "/api/v1/norms/",
    ],
)
def test_malformed_json_is_a_400(department, api_as, url):
    response = api_as(department.head).post(url, "{", content_type="application/json")
    assert response.status_code == 400
    assert Plan.objects.count() == ActivityNorm.objects.count() == Payment.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "query", "status"),
    [
        ("/api/v1/installments/", {"page": "999999"}, 404),
        ("/api/v1/installments/", {"page": "abc"}, 404),
        ("/api/v1/installments/", {"ordering": "nonsense"}, 200),
        ("/api/v1/payments/", {"ordering": "nonsense"}, 200),
        ("/api/v1/installments/", {"ordering": ",,-due_date,"}, 200),
        ("/api/v1/payments/", {"ordering": "-"}, 200),
        ("/api/v1/installments/", {"updated_since": "2026-01-01T00:00:00+20:00"}, 400),
        ("/api/v1/payments/", {"updated_since": "2026-01-01T00:00:00-16:00"}, 400),
        ("/api/v1/norms/effective/", {"page": "999999"}, 404),
        ("/api/v1/receivables/aging/", {"page": "999999"}, 404),
        ("/targets/receivables/overdue/", {"page": "999999", "sort": "nonsense"}, 200),
        ("/targets/receivables/overdue/", {"page": "abc"}, 200),
        ("/targets/receivables/", {"page": "999999"}, 200),
        ("/targets/norms/", {"page": "abc"}, 200),
    ],
)
def test_odd_pages_and_orderings(department, api_as, client, overdue_line, url, query, status):
    if url.startswith("/api/"):
        response = api_as(department.head).get(url, query)
    else:
        client.force_login(department.head)
        response = client.get(url, query)
    assert response.status_code == status


# --------------------------------------------------------------------------- SDRs


@pytest.fixture
def sdr_line(department, won_deal, installment_of):
    deal = won_deal(department.sdr_north, amount="1000.00")
    return installment_of(deal, due_date=timezone.localdate() - datetime.timedelta(days=10))


SDR_REFUSAL = {"detail": "You may not change this deal's payments."}


def test_an_sdr_sees_but_may_not_keep_the_receivables_of_their_own_deal(department, api_as, sdr_line):
    sdr = department.sdr_north
    api = api_as(sdr)
    before = _receivables_state()
    assert api.get(f"/api/v1/installments/{sdr_line.pk}/").status_code == 200
    assert not rules.may_keep_receivables(sdr, sdr_line.deal)
    response = api.post(
        f"/api/v1/deals/{sdr_line.deal_id}/schedule/",
        {"installments": 2, "first_due": "2030-01-01"},
        format="json",
    )
    assert (response.status_code, response.json()) == (403, SDR_REFUSAL)
    response = api.patch(f"/api/v1/installments/{sdr_line.pk}/", {"note": "x"}, format="json")
    assert (response.status_code, response.json()) == (403, SDR_REFUSAL)
    response = api.post(
        "/api/v1/payments/",
        {"installment": sdr_line.pk, "amount": "10.00", "paid_on": str(timezone.localdate())},
        format="json",
    )
    assert (response.status_code, response.json()) == (403, SDR_REFUSAL)
    response = api.post(
        "/api/v1/overdue-reasons/", {"installment": sdr_line.pk, "reason": "Budget"}, format="json"
    )
    assert (response.status_code, response.json()) == (403, SDR_REFUSAL)
    assert _receivables_state() == before


def test_an_sdr_may_not_keep_receivables_on_the_pages(department, client, sdr_line):
    client.force_login(department.sdr_north)
    before = _receivables_state()
    today = str(timezone.localdate())
    assert (
        client.post(
            f"/targets/installments/{sdr_line.pk}/payment/", {"amount": "1", "paid_on": today}
        ).status_code
        == 403
    )
    assert (
        client.post(f"/targets/installments/{sdr_line.pk}/reason/", {"reason": "Budget"}).status_code == 403
    )
    response = client.post(
        f"/targets/deals/{sdr_line.deal_id}/schedule/generate/",
        {"installments": "2", "first_due": "2030-01-01"},
    )
    assert response.status_code == 403
    assert _receivables_state() == before


# --------------------------------------------------------------------------- finding 12: norms


def test_the_norm_people_list_and_the_norm_rule_agree(department, client):
    lead = department.lead_north
    expected = {
        department.rep_north,
        department.rep_north_2,
        department.sdr_north,
        department.assistant_north,
    }
    client.force_login(lead)
    response = client.get("/targets/norms/")
    people = set(response.context["person_form"].fields["person"].queryset)
    assert people == expected
    for person in [*expected, lead, department.rep_south, department.rep_without_team]:
        assert rules.may_set_norm_for(lead, person) is (person in expected)
    assert set(rules.norm_people_for(department.rep_north)) == set()


def test_a_lead_is_not_offered_to_remove_their_own_personal_norm(department, client):
    own = norm_set_for_user(
        actor=department.head, person=department.lead_north, calls_per_day=5, meetings_per_week=1
    )
    rep = norm_set_for_user(
        actor=department.head, person=department.rep_north, calls_per_day=30, meetings_per_week=5
    )
    client.force_login(department.lead_north)
    html = client.get("/targets/norms/").content.decode()
    assert f"/targets/norms/{rep.pk}/delete/" in html
    assert f"/targets/norms/{own.pk}/delete/" not in html
    assert client.post(f"/targets/norms/{own.pk}/delete/").status_code == 403
    assert ActivityNorm.objects.filter(pk=own.pk).exists()
