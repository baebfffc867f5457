"""The reports API for every role: report tables, alerts, notifications, report runs."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.models import ConversionReport, Notification, OverdueAlert, ReportRun
from reports.services.runs import REPORT_KINDS, report_run_execute
from tests.factories import UserFactory
from tests.reports.conftest import AS_OF, make_deal

pytestmark = pytest.mark.django_db

ENDPOINTS = ["conversion", "renewal", "activity", "fulfilment", "coverage"]


def scopes(response) -> set[tuple]:
    assert response.status_code == 200, response.content
    return {
        (
            row["scope"],
            row["team"]["name"] if row["team"] else None,
            row["rep"]["username"] if row["rep"] else None,
        )
        for row in response.json()["results"]
    }


def month_rows(api, endpoint, **params):
    params = {"month": "2026-03", "page_size": 200, **params}
    if endpoint == "activity":
        params.setdefault("period_kind", "month")
    return api.get(f"/api/v1/reports/{endpoint}/", params)


EVERYONE = {
    ("department", None, None),
    ("team", "North", None),
    ("team", "South", None),
    ("team", "East", None),
    ("rep", None, "lead_north"),
    ("rep", None, "lead_south"),
    ("rep", None, "lead_without_team"),
    ("rep", None, "rep_north"),
    ("rep", None, "rep_north_2"),
    ("rep", None, "rep_south"),
    ("rep", None, "rep_without_team"),
    ("rep", None, "sdr_north"),
    ("rep", None, "am_south"),
}
NORTH = {
    ("team", "North", None),
    ("rep", None, "lead_north"),
    ("rep", None, "rep_north"),
    ("rep", None, "rep_north_2"),
    ("rep", None, "sdr_north"),
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("head", EVERYONE),
        ("analyst", EVERYONE),
        ("lead_north", NORTH),
        ("assistant_north", NORTH),
        ("rep_north", {("rep", None, "rep_north")}),
        ("account_manager_south", {("rep", None, "am_south")}),
        ("lead_without_team", {("rep", None, "lead_without_team")}),
        ("assistant_without_team", set()),
    ],
)
def test_each_role_reads_the_rows_of_their_scope(reporting, api_as, endpoint, role, expected):
    assert scopes(month_rows(api_as(getattr(reporting, role)), endpoint)) == expected


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_api_needs_authentication(api_client, endpoint):
    assert api_client.get(f"/api/v1/reports/{endpoint}/").status_code == 401


def test_figures_are_decimal_strings(reporting, api_as):
    api = api_as(reporting.head)
    row = month_rows(api, "fulfilment", scope="department").json()["results"][0]
    assert (row["booked"], row["collected"], row["plan_booked"], row["period"]) == (
        "3000.00",
        "0.00",
        None,
        "2026-03-01",
    )
    row = month_rows(api, "conversion", owner=reporting.rep_north.pk).json()["results"][0]
    assert (row["won"], row["lost"], row["win_rate"], row["won_amount"]) == (1, 0, "100.00", "2000.00")
    assert row["stages"][0] == {
        "stage": row["stages"][0]["stage"],
        "name": "Lead",
        "reached": 1,
        "advanced": 1,
        "rate": "100.00",
        "stays": 0,
        "avg_days": None,
    }


def test_filters_scope_team_owner_and_period(reporting, api_as):
    d = reporting
    api = api_as(d.head)
    assert scopes(month_rows(api, "renewal", scope="team")) == {
        ("team", "North", None),
        ("team", "South", None),
        ("team", "East", None),
    }
    assert scopes(month_rows(api, "renewal", team=d.south.pk)) == {
        ("team", "South", None),
        ("rep", None, "lead_south"),
        ("rep", None, "rep_south"),
        ("rep", None, "am_south"),
    }
    assert scopes(month_rows(api, "renewal", owner=d.rep_south.pk)) == {("rep", None, "rep_south")}
    response = api.get(
        "/api/v1/reports/activity/", {"period_kind": "day", "day": "2026-03-16", "owner": d.rep_north.pk}
    )
    assert [(row["period"], row["calls"], row["below_norm"]) for row in response.json()["results"]] == [
        ("2026-03-16", 4, True)
    ]
    days = api.get(
        "/api/v1/reports/activity/",
        {
            "period_kind": "day",
            "period_from": "2026-03-01",
            "period_to": "2026-03-07",
            "owner": d.rep_north.pk,
        },
    )
    assert days.json()["count"] == 7
    assert month_rows(api, "conversion", month="2026-02").json()["count"] == 0


def test_bad_filters_answer_400(reporting, api_as):
    d = reporting
    api = api_as(d.lead_north)
    response = api.get("/api/v1/reports/conversion/", {"team": d.south.pk, "month": "03/2026"})
    assert response.status_code == 400
    assert set(response.json()) == {"team", "month"}


def test_updated_since_lists_only_rows_a_run_changed(reporting, api_as):
    api = api_as(reporting.head)
    mark = timezone.now()
    report_run_execute(kind="conversion", run_date=AS_OF)
    assert api.get("/api/v1/reports/conversion/", {"updated_since": mark.isoformat()}).json()["count"] == 0
    make_deal(reporting.rep_south, stage_name="Lost", closed=datetime.date(2026, 3, 12))
    report_run_execute(kind="conversion", run_date=AS_OF)
    changed = scopes(api.get("/api/v1/reports/conversion/", {"updated_since": mark.isoformat()}))
    assert changed == {("department", None, None), ("team", "South", None), ("rep", None, "rep_south")}


def test_not_renewed_deals(reporting, api_as):
    d = reporting
    response = api_as(d.rep_south).get("/api/v1/reports/renewal/not-renewed/", {"month": "2026-03"})
    assert response.status_code == 200
    [deal] = response.json()["results"]
    assert (deal["amount"], deal["service_end"], deal["renewal_in_progress"]) == (
        "700.00",
        "2026-03-25",
        False,
    )
    assert (
        api_as(d.rep_north).get("/api/v1/reports/renewal/not-renewed/", {"month": "2026-03"}).json()["count"]
        == 0
    )


# --- alerts -------------------------------------------------------------------------------------


def test_alerts_list_by_visibility(reporting, api_as):
    d = reporting
    owners = {
        role: sorted(
            a["owner"]["username"] for a in api_as(getattr(d, role)).get("/api/v1/alerts/").json()["results"]
        )
        for role in ("head", "analyst", "lead_north", "rep_south", "rep_north_2")
    }
    assert owners == {
        "head": ["rep_north", "rep_south"],
        "analyst": ["rep_north", "rep_south"],
        "lead_north": ["rep_north"],
        "rep_south": ["rep_south"],
        "rep_north_2": [],
    }
    south = api_as(d.head).get("/api/v1/alerts/", {"bucket": "31-60"}).json()["results"]
    assert [(a["days_overdue"], a["outstanding"], a["level"], a["status"]) for a in south] == [
        (36, "600.00", 2, "open")
    ]


def _alert_state(alert):
    return (
        OverdueAlert.objects.filter(pk=alert.pk)
        .values_list("acknowledgement", "acknowledged_by", "updated_at")
        .get()
    )


def test_acknowledge_through_the_api(reporting, api_as):
    d = reporting
    alert = OverdueAlert.objects.get(installment__deal__owner=d.rep_north)
    response = api_as(d.rep_north).post(
        f"/api/v1/alerts/{alert.pk}/acknowledge/", {"comment": "Paying Friday"}
    )
    assert response.status_code == 200
    assert (response.json()["acknowledgement"], response.json()["acknowledged_by"]["username"]) == (
        "Paying Friday",
        "rep_north",
    )


def test_acknowledge_denied_and_bad_input_change_nothing(reporting, api_as):
    d = reporting
    alert = OverdueAlert.objects.get(installment__deal__owner=d.rep_north)
    before = _alert_state(alert)
    url = f"/api/v1/alerts/{alert.pk}/acknowledge/"
    assert api_as(d.analyst).post(url, {"comment": "Seen"}).status_code == 403
    assert api_as(d.rep_south).post(url, {"comment": "Seen"}).status_code == 404
    assert api_as(d.lead_south).post(url, {"comment": "Seen"}).status_code == 404
    response = api_as(d.rep_north).post(url, {"comment": ""})
    assert response.status_code == 400 and "comment" in response.json()
    response = api_as(d.rep_north).post(url, {"comment": "   "})
    assert response.status_code == 400 and "comment" in response.json()
    assert _alert_state(alert) == before


# --- notifications ------------------------------------------------------------------------------------


def test_notifications_are_ones_own(reporting, api_as):
    d = reporting
    for person, count in (
        (d.head, 1),
        (d.lead_north, 1),
        (d.rep_south, 1),
        (d.analyst, 0),
        (d.rep_north_2, 0),
    ):
        response = api_as(person).get("/api/v1/notifications/")
        assert response.json()["count"] == count


def test_a_notification_nests_its_alert_only_while_the_alert_is_visible(reporting, api_as):
    from accounts.models import User

    d = reporting
    alert = OverdueAlert.objects.get(installment__deal__owner=d.rep_north)
    [listed] = api_as(d.lead_north).get("/api/v1/notifications/").json()["results"]
    assert (listed["alert"]["id"], listed["alert"]["client"]["name"], listed["alert"]["outstanding"]) == (
        alert.pk,
        alert.client.name,
        "800.00",
    )

    User.objects.filter(pk=d.rep_north.pk).update(team=d.south)
    api = api_as(d.lead_north)
    assert api.get(f"/api/v1/alerts/{alert.pk}/").status_code == 404
    [listed] = api.get("/api/v1/notifications/").json()["results"]
    assert (listed["level"], listed["alert"]) == (1, None)
    assert api.get(f"/api/v1/notifications/{listed['id']}/").json()["alert"] is None
    read = api.post(f"/api/v1/notifications/{listed['id']}/read/").json()
    assert read["alert"] is None and read["read_at"] is not None


def test_mark_read_and_read_all(reporting, api_as):
    d = reporting
    mine = Notification.objects.get(recipient=d.rep_north)
    response = api_as(d.rep_north).post(f"/api/v1/notifications/{mine.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    assert api_as(d.rep_north).get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 0
    assert api_as(d.rep_south).post("/api/v1/notifications/read-all/").json() == {"marked": 1}


def test_somebody_elses_notification_is_404_and_unchanged(reporting, api_as):
    head_notification = Notification.objects.get(recipient=reporting.head)
    response = api_as(reporting.rep_north).post(f"/api/v1/notifications/{head_notification.pk}/read/")
    assert response.status_code == 404
    assert (
        api_as(reporting.rep_north).get(f"/api/v1/notifications/{head_notification.pk}/").status_code == 404
    )
    assert Notification.objects.get(pk=head_notification.pk).read_at is None


# --- report runs ----------------------------------------------------------------------------------------


def test_everyone_lists_the_runs(reporting, api_as):
    response = api_as(reporting.rep_north).get("/api/v1/report-runs/", {"kind": "alerts"})
    [run] = response.json()["results"]
    assert (run["kind"], run["run_date"], run["status"], run["rows_total"]) == (
        "alerts",
        "2026-03-18",
        "succeeded",
        2,
    )


@pytest.mark.parametrize("role", ["head", "analyst"])
def test_head_and_analyst_start_runs(reporting, api_as, role, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(getattr(reporting, role)).post(
            "/api/v1/report-runs/", {"date": "2026-03-19", "kinds": ["renewal", "coverage"]}
        )
    assert response.status_code == 202
    assert [(run["kind"], run["run_date"], run["triggered_by"]["username"]) for run in response.json()] == [
        ("renewal", "2026-03-19", getattr(reporting, role).username),
        ("coverage", "2026-03-19", getattr(reporting, role).username),
    ]
    assert sorted(
        ReportRun.objects.filter(run_date=datetime.date(2026, 3, 19)).values_list("kind", "status")
    ) == [
        ("coverage", "succeeded"),
        ("renewal", "succeeded"),
    ]


@pytest.mark.parametrize(
    "role",
    ["lead_north", "rep_north", "assistant_north", "sdr_north", "account_manager_south", "lead_without_team"],
)
def test_nobody_else_may_start_a_run(reporting, api_as, role):
    before = ReportRun.objects.count()
    response = api_as(getattr(reporting, role)).post("/api/v1/report-runs/", {"date": "2026-03-19"})
    assert response.status_code == 403
    response = api_as(getattr(reporting, role)).post("/api/v1/report-runs/", {"kinds": ["nonsense"]})
    assert response.status_code == 403
    assert ReportRun.objects.count() == before


def test_a_bad_run_request_is_400_and_starts_nothing(reporting, api_as):
    before = ReportRun.objects.count()
    api = api_as(reporting.head)
    response = api.post("/api/v1/report-runs/", {"date": "yesterday", "kinds": ["nonsense"]})
    assert response.status_code == 400
    assert set(response.json()) == {"date", "kinds"}
    response = api.post("/api/v1/report-runs/", {"date": "2999-01-01"})
    assert response.status_code == 400
    assert response.json() == {"run_date": ["Reports cannot be computed for a date in the future."]}
    assert ReportRun.objects.count() == before


# --- constant query counts ------------------------------------------------------------------------------


def count_and_page(response) -> tuple[int, int]:
    assert response.status_code == 200, response.content
    body = response.json()
    return body["count"], len(body["results"])


# rows as (count, results on the page) before and after the data grow
@pytest.mark.parametrize(
    ("url", "rows"),
    [
        ("/api/v1/reports/conversion/", ((13, 13), (21, 21))),
        ("/api/v1/reports/renewal/", ((13, 13), (21, 21))),
        ("/api/v1/reports/activity/", ((247, 200), (399, 200))),
        ("/api/v1/reports/fulfilment/", ((13, 13), (21, 21))),
        ("/api/v1/reports/coverage/", ((13, 13), (21, 21))),
        ("/api/v1/reports/renewal/not-renewed/?month=2026-03", ((0, 0), (0, 0))),
        ("/api/v1/alerts/", ((2, 2), (10, 10))),
        ("/api/v1/notifications/", ((1, 1), (9, 9))),
        ("/api/v1/report-runs/", ((8, 8), (16, 16))),
    ],
)
def test_api_lists_run_a_constant_number_of_queries(reporting, api_as, url, rows, django_assert_num_queries):
    d = reporting
    api = api_as(d.head)
    with CaptureQueriesContext(connection) as small:
        assert count_and_page(api.get(url, {"page_size": 200})) == rows[0]
    from tests.factories import InstallmentFactory

    for number in range(8):
        person = UserFactory(username=f"api{number}", role="rep", team=d.north)
        deal = make_deal(
            person, stage_name="Won", closed=datetime.date(2026, 3, 3), service_end=datetime.date(2026, 3, 29)
        )
        InstallmentFactory(deal=deal, due_date=datetime.date(2026, 1, 5))
    for kind in REPORT_KINDS:
        report_run_execute(kind=kind, run_date=AS_OF)
    assert ConversionReport.objects.count() > 20
    with django_assert_num_queries(len(small.captured_queries)):
        assert count_and_page(api.get(url, {"page_size": 200})) == rows[1]
