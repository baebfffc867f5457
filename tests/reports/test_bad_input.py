"""Bad query strings on every report page and API list: a form error or a 400 (an empty
page of the API is a 404), never a 500."""

import pytest
from django.urls import reverse

from reports.models import ConversionReport, RenewalReport

pytestmark = pytest.mark.django_db

REPORT_ENDPOINTS = [
    "/api/v1/reports/conversion/",
    "/api/v1/reports/renewal/",
    "/api/v1/reports/activity/",
    "/api/v1/reports/fulfilment/",
    "/api/v1/reports/coverage/",
    "/api/v1/reports/renewal/not-renewed/",
]
OTHER_ENDPOINTS = ["/api/v1/alerts/", "/api/v1/notifications/", "/api/v1/report-runs/"]
REPORT_PAGES = ["conversion", "renewal", "activity", "fulfilment", "coverage"]
OTHER_PAGES = ["reports:index", "reports:runs", "reports:alerts", "reports:notifications", "home"]
MONTH_RANGE = "Give a month between 2000-01 and 2100-12."
BAD_CHOICE = "Select a valid choice. That choice is not one of the available choices."
HUGE_ID = "99999999999999999999999"


@pytest.mark.parametrize("month", ["0001-03", "1999-12", "2101-01", "9999-12"])
@pytest.mark.parametrize("endpoint", REPORT_ENDPOINTS)
def test_a_month_outside_2000_to_2100_is_a_400(reporting, api_as, endpoint, month):
    response = api_as(reporting.head).get(endpoint, {"month": month})
    assert response.status_code == 400
    assert response.json() == {"month": [MONTH_RANGE]}


@pytest.mark.parametrize("month", ["2000-01", "2100-12"])
def test_the_edge_months_are_accepted(reporting, api_as, month):
    api = api_as(reporting.head)
    assert api.get("/api/v1/reports/renewal/", {"month": month}).json()["count"] == 0
    assert api.get("/api/v1/reports/renewal/not-renewed/", {"month": month}).json()["count"] == 0


@pytest.mark.parametrize("month", ["0001-03", "9999-12"])
@pytest.mark.parametrize("page", REPORT_PAGES)
def test_a_month_outside_the_range_is_a_form_error_on_the_pages(client, reporting, page, month):
    client.force_login(reporting.head)
    response = client.get(reverse(f"reports:{page}"), {"month": month})
    assert response.status_code == 200
    content = response.content.decode()
    assert MONTH_RANGE in content
    assert 'data-testid="empty-report"' in content


def test_the_not_renewed_export_of_a_month_out_of_range_falls_back_to_this_month(client, reporting):
    client.force_login(reporting.head)
    response = client.get(
        reverse("reports:renewal"), {"month": "9999-12", "export": "csv", "list": "not_renewed"}
    )
    assert response.status_code == 200
    assert "9999" not in response["Content-Disposition"]


@pytest.mark.parametrize("name", ["team", "owner"])
@pytest.mark.parametrize("value", [HUGE_ID, "abc", "-1", "0"])
@pytest.mark.parametrize("endpoint", [*REPORT_ENDPOINTS, "/api/v1/alerts/"])
def test_a_team_or_owner_that_is_no_id_is_a_400(reporting, api_as, endpoint, name, value):
    response = api_as(reporting.head).get(endpoint, {name: value})
    assert response.status_code == 400
    assert response.json() == {name: [BAD_CHOICE]}


@pytest.mark.parametrize("page", [*[f"reports:{page}" for page in REPORT_PAGES], "reports:alerts"])
def test_a_huge_team_id_is_a_form_error_on_the_pages(client, reporting, page):
    client.force_login(reporting.head)
    response = client.get(reverse(page), {"team": HUGE_ID, "owner": HUGE_ID})
    assert response.status_code == 200
    assert response.content.decode().count(BAD_CHOICE) == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period_from": "0001-01"}, "period_from"),
        ({"period_from": "0001-01-01"}, "period_from"),
        ({"period_to": "9999-12-31"}, "period_to"),
        ({"scope": "nonsense"}, "scope"),
        ({"updated_since": "0001-01-01T00:00:00"}, "updated_since"),
    ],
)
@pytest.mark.parametrize("endpoint", REPORT_ENDPOINTS)
def test_bad_report_filters_are_a_400(reporting, api_as, endpoint, params, field):
    response = api_as(reporting.head).get(endpoint, params)
    assert response.status_code == 400
    assert set(response.json()) == {field}


@pytest.mark.parametrize("params", [{"day": "0001-01-01"}, {"day": "9999-12-31"}])
def test_a_day_out_of_range_is_a_400(reporting, api_as, params):
    response = api_as(reporting.head).get("/api/v1/reports/activity/", params)
    assert response.status_code == 400
    assert set(response.json()) == {"day"}


@pytest.mark.parametrize("params", [{"date_from": "0001-01-01"}, {"date_to": "9999-12-31"}])
def test_a_run_date_filter_out_of_range_is_a_400(reporting, api_as, params):
    response = api_as(reporting.head).get("/api/v1/report-runs/", params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


@pytest.mark.parametrize("page", ["999999", "abc", "0", "-1"])
@pytest.mark.parametrize("endpoint", [*REPORT_ENDPOINTS, *OTHER_ENDPOINTS])
def test_a_page_beyond_the_last_or_no_page_number_is_a_404(reporting, api_as, endpoint, page):
    assert api_as(reporting.head).get(endpoint, {"page": page}).status_code == 404


@pytest.mark.parametrize("endpoint", [*REPORT_ENDPOINTS, *OTHER_ENDPOINTS])
def test_an_unknown_ordering_is_ignored(reporting, api_as, endpoint):
    api = api_as(reporting.head)
    plain = api.get(endpoint).json()["results"]
    assert api.get(endpoint, {"ordering": "nonsense"}).json()["results"] == plain
    for empty in (",", "-", ",,"):
        assert api.get(endpoint, {"ordering": empty}).json()["results"] == plain


@pytest.mark.parametrize("endpoint", ["/api/v1/alerts/", "/api/v1/notifications/", "/api/v1/report-runs/"])
def test_a_utc_offset_beyond_15_59_is_a_400(reporting, api_as, endpoint):
    response = api_as(reporting.head).get(endpoint, {"updated_since": "2026-01-01T00:00:00+20:00"})
    assert response.status_code == 400
    assert response.json() == {"updated_since": ["Enter a time zone offset between -15:59 and +15:59."]}


@pytest.mark.parametrize("name", [*[f"reports:{page}" for page in REPORT_PAGES], *OTHER_PAGES])
@pytest.mark.parametrize(
    "params",
    [
        {"page": "999999"},
        {"page": "abc"},
        {"deals_page": "abc"},
        {"sort": "nonsense"},
        {"ordering": "nonsense"},
        {"period_from": "0001-01"},
        {"period_from": "0001-01-01"},
        {"day": "0001-01-01"},
        {"scope": "nonsense"},
        {"min_days": HUGE_ID},
        {"updated_since": "0001-01-01T00:00:00"},
        {"updated_since": "2026-01-01T00:00:00+20:00"},
        {"ordering": ",-"},
    ],
)
def test_pages_show_bad_query_strings_without_crashing(client, reporting, name, params):
    client.force_login(reporting.lead_north)
    fragment = {"HTTP_HX_REQUEST": "true"} if name == "reports:runs" else {}  # the page polls it
    assert client.get(reverse(name), params, **fragment).status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/api/v1/report-runs/", "/api/v1/alerts/{alert}/acknowledge/"],
)
@pytest.mark.parametrize(
    "body", ['{"date": ', "[]", '"x"', "null", '{"kinds": [[]]}', '{"comment": ["a"], "kinds": "a"}']
)
def test_malformed_json_is_a_400_and_writes_nothing(reporting, api_as, url, body):
    from reports.models import OverdueAlert, ReportRun

    alert = OverdueAlert.objects.order_by("pk").first()
    before = (
        list(ReportRun.objects.values_list("pk", "status")),
        list(OverdueAlert.objects.values_list("pk", "acknowledgement", "updated_at")),
        ConversionReport.objects.count(),
        RenewalReport.objects.count(),
    )
    response = api_as(reporting.head).generic(
        "POST", url.format(alert=alert.pk), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert (
        list(ReportRun.objects.values_list("pk", "status")),
        list(OverdueAlert.objects.values_list("pk", "acknowledgement", "updated_at")),
        ConversionReport.objects.count(),
        RenewalReport.objects.count(),
    ) == before
