"""The report pages for every role: visibility, filters, sorting, exports, charts, runs."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import ConversionReport, ReportRun
from tests.factories import UserFactory
from tests.reports.conftest import AS_OF, make_deal

pytestmark = pytest.mark.django_db

REPORT_PAGES = ["conversion", "renewal", "activity", "fulfilment", "coverage"]


def table(response) -> str:
    """The report table of a page (its rows, without the filters' choices)."""
    content = response.content.decode()
    start = content.index('data-testid="report-table"')
    return content[start : content.index("</table>", start)]


@pytest.mark.parametrize("page", REPORT_PAGES)
def test_the_head_sees_the_department_teams_and_everyone(client, reporting, page):
    d = reporting
    client.force_login(d.head)
    response = client.get(reverse(f"reports:{page}"))
    assert response.status_code == 200
    rows = table(response)
    assert "Department" in rows
    for name in ("North", "South", "East", d.rep_north.full_name, d.rep_south.full_name):
        assert name in rows
    assert "March 2026" in response.content.decode()


@pytest.mark.parametrize("page", REPORT_PAGES)
def test_a_lead_sees_their_team_and_its_people_only(client, reporting, page):
    d = reporting
    client.force_login(d.lead_north)
    rows = table(client.get(reverse(f"reports:{page}")))
    assert "North <span" in rows and d.rep_north.full_name in rows and d.rep_north_2.full_name in rows
    assert rows.count("scope-team") == 1 and "scope-department" not in rows
    for hidden in ("South", d.rep_south.full_name, d.rep_without_team.full_name):
        assert hidden not in rows


@pytest.mark.parametrize("page", REPORT_PAGES)
def test_a_rep_sees_only_their_own_row(client, reporting, page):
    d = reporting
    client.force_login(d.rep_north)
    rows = table(client.get(reverse(f"reports:{page}")))
    assert d.rep_north.full_name in rows
    assert "scope-department" not in rows and "scope-team" not in rows
    for hidden in (d.rep_north_2.full_name, d.rep_south.full_name):
        assert hidden not in rows


@pytest.mark.parametrize("page", REPORT_PAGES)
def test_the_analyst_sees_everything_read_only(client, reporting, page):
    d = reporting
    client.force_login(d.analyst)
    rows = table(client.get(reverse(f"reports:{page}")))
    assert "Department" in rows and d.rep_south.full_name in rows


@pytest.mark.parametrize("page", REPORT_PAGES)
def test_somebody_without_rows_gets_an_empty_state(client, reporting, page):
    client.force_login(reporting.assistant_without_team)
    response = client.get(reverse(f"reports:{page}"))
    assert response.status_code == 200
    assert 'data-testid="empty-report"' in response.content.decode()


@pytest.mark.parametrize("page", REPORT_PAGES)
def test_pages_need_sign_in(client, page):
    response = client.get(reverse(f"reports:{page}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("page", REPORT_PAGES)
def test_bad_filters_show_an_error_not_a_crash(client, reporting, page):
    client.force_login(reporting.head)
    response = client.get(reverse(f"reports:{page}"), {"month": "March", "team": "nope", "sort": "evil"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Give the month as YYYY-MM." in content
    assert 'data-testid="empty-report"' in content


def test_a_lead_cannot_filter_on_another_team(client, reporting):
    d = reporting
    client.force_login(d.lead_north)
    response = client.get(reverse("reports:conversion"), {"team": d.south.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert d.rep_south.full_name not in response.content.decode()


def test_filters_by_team_and_person(client, reporting):
    d = reporting
    client.force_login(d.head)
    rows = table(client.get(reverse("reports:conversion"), {"team": d.south.pk}))
    assert "South <span" in rows and d.rep_south.full_name in rows
    assert "North" not in rows and "scope-department" not in rows
    rows = table(client.get(reverse("reports:conversion"), {"owner": d.rep_north.pk}))
    assert d.rep_north.full_name in rows and rows.count("<tr>") == 2


def test_an_earlier_month_can_be_chosen(client, reporting):
    from reports.services.runs import report_run_execute

    # February computed too: March (the latest) has the won deals, February has none.
    report_run_execute(kind="conversion", run_date=datetime.date(2026, 2, 28))
    client.force_login(reporting.head)
    response = client.get(reverse("reports:conversion"), {"month": "2026-02"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Conversion · February 2026" in content and "March 2026" not in content
    assert "Give the month as YYYY-MM." not in content
    rows = table(response)
    february = ConversionReport.objects.filter(period=datetime.date(2026, 2, 1))
    assert rows.count("<tr>") == february.count() + 1  # and the header
    assert not february.filter(won__gt=0).exists() and 'class="num">1</td>' not in rows
    march = table(client.get(reverse("reports:conversion"), {"month": "2026-03"}))
    assert 'class="num">1</td>' in march


def test_a_month_that_is_not_a_month_is_refused_and_shows_no_rows(client, reporting):
    client.force_login(reporting.head)
    response = client.get(reverse("reports:conversion"), {"month": "not-a-month"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Give the month as YYYY-MM." in content
    assert 'data-testid="empty-report"' in content and 'data-testid="report-table"' not in content
    # The heading falls back to the latest computed month, whose rows the error keeps hidden.
    assert "Conversion · March 2026" in content


def test_sorting_orders_people_within_their_scope(client, reporting):
    d = reporting
    client.force_login(d.head)
    rows = table(client.get(reverse("reports:fulfilment"), {"ordering": "-booked"}))
    # Department first, then teams, then people by what they booked.
    assert rows.index("Department") < rows.index("North")
    assert (
        rows.index(d.rep_north.full_name)
        < rows.index(d.rep_south.full_name)
        < rows.index(d.rep_north_2.full_name)
    )
    rows = table(client.get(reverse("reports:fulfilment"), {"ordering": "booked"}))
    assert (
        rows.index(d.rep_north_2.full_name)
        < rows.index(d.rep_south.full_name)
        < rows.index(d.rep_north.full_name)
    )


def test_charts_are_inline_svg(client, reporting):
    client.force_login(reporting.head)
    content = client.get(reverse("reports:conversion")).content.decode()
    assert content.count('<svg viewBox="0 0 640') == 2  # the funnel and the trend
    assert "Lead · 3 → 66.67%" in content
    content = client.get(reverse("reports:fulfilment")).content.decode()
    assert 'class="chart-column series-a"' in content


def test_activity_highlights_who_is_below_norm(client, reporting):
    d = reporting
    client.force_login(d.lead_north)
    response = client.get(reverse("reports:activity"))
    rows = table(response)
    # 4 calls against 10 a day for 13 working days.
    assert "4</td>" in rows and "130</td>" in rows
    # North and its two reps fall below; the lead and the SDR have no norm to fall below.
    assert rows.count("<tr") - 1 == 5
    assert rows.count('data-below-norm="true"') == 3
    response = client.get(reverse("reports:activity"), {"day": "2026-03-16"})
    assert "16 Mar 2026" in response.content.decode()
    assert "4</td>" in table(response)


def test_the_renewal_page_lists_the_not_renewed_deals_the_viewer_may_see(client, reporting):
    d = reporting
    mine = make_deal(
        d.rep_north, stage_name="Won", service_end=datetime.date(2026, 3, 20), title="Annual support"
    )
    make_deal(d.rep_south, stage_name="Won", service_end=datetime.date(2026, 3, 21), title="Hidden renewal")
    client.force_login(d.rep_north)
    content = client.get(reverse("reports:renewal")).content.decode()
    assert f'href="/deals/{mine.pk}/"' in content
    assert "Hidden renewal" not in content


def test_exports_have_exactly_the_rows_the_viewer_sees(client, reporting):
    d = reporting
    client.force_login(d.rep_north)
    response = client.get(reverse("reports:fulfilment"), {"export": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="planfulfilment-2026-03.csv"'
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Period,Scope,Name,Booked plan (RUB),Booked (RUB),")
    assert lines[1:] == [f"2026-03-01,Person,{d.rep_north.full_name},,2000.00,,,0.00,,0.00,2000.00,"]
    xlsx = client.get(reverse("reports:coverage"), {"export": "xlsx"})
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_overview_shows_the_viewers_figures_and_the_runs(client, reporting):
    d = reporting
    client.force_login(d.head)
    content = client.get(reverse("reports:index")).content.decode()
    assert '<p class="big-figure">66.67%</p>' in content  # 2 won, 1 lost in the department
    assert "March 2026 · Department" in content
    assert '<p class="big-figure bad-text">2</p>' in content  # two open alerts
    runs = content[content.index('data-testid="runs"') :]
    assert runs.count("Succeeded") == 8  # every kind, the weekly forecast snapshot and the bonuses included

    client.force_login(d.rep_north)
    content = client.get(reverse("reports:index")).content.decode()
    assert '<p class="big-figure">100.00%</p>' in content  # their one won deal
    assert f"March 2026 · {d.rep_north.full_name}" in content
    assert '<p class="big-figure bad-text">1</p>' in content  # their own alert only


@pytest.mark.parametrize("role", ["head", "analyst"])
def test_head_and_analyst_see_the_run_button_and_trigger_a_run(
    client, reporting, role, django_capture_on_commit_callbacks
):
    person = getattr(reporting, role)
    client.force_login(person)
    assert 'data-testid="trigger-form"' in client.get(reverse("reports:index")).content.decode()
    before = ReportRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:run_trigger"), {"run_date": "2026-03-19", "kinds": ["conversion"]}
        )
    assert response.status_code == 302
    run = ReportRun.objects.latest("pk")
    assert ReportRun.objects.count() == before + 1
    assert (run.kind, run.run_date, run.status, run.triggered_by) == (
        "conversion",
        datetime.date(2026, 3, 19),
        "succeeded",
        person,
    )
    assert ConversionReport.objects.filter(as_of=datetime.date(2026, 3, 19)).exists()


@pytest.mark.parametrize("role", ["lead_north", "rep_north", "assistant_north", "sdr_north"])
def test_nobody_else_sees_the_button_or_may_trigger(client, reporting, role):
    person = getattr(reporting, role)
    client.force_login(person)
    assert 'data-testid="trigger-form"' not in client.get(reverse("reports:index")).content.decode()
    before = list(ReportRun.objects.values_list("pk", "status"))
    response = client.post(
        reverse("reports:run_trigger"), {"run_date": "2026-03-19", "kinds": ["conversion"]}
    )
    assert response.status_code == 403
    assert list(ReportRun.objects.values_list("pk", "status")) == before


def test_a_trigger_with_bad_input_shows_errors_and_writes_nothing(client, reporting):
    client.force_login(reporting.head)
    before = ReportRun.objects.count()
    response = client.post(reverse("reports:run_trigger"), {"run_date": "2999-01-01", "kinds": ["nonsense"]})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Select a valid choice" in content
    assert ReportRun.objects.count() == before
    response = client.post(
        reverse("reports:run_trigger"), {"run_date": "2999-01-01", "kinds": ["conversion"]}
    )
    assert response.status_code == 400
    assert "Reports cannot be computed for a date in the future." in response.content.decode()
    assert ReportRun.objects.count() == before


def test_the_runs_partial_polls_while_a_run_is_under_way(client, reporting):
    client.force_login(reporting.rep_north)
    content = client.get(reverse("reports:runs"), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 3s"' not in content
    ReportRun.objects.create(run_date=AS_OF, kind="renewal")
    content = client.get(reverse("reports:runs"), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 3s"' in content
    assert "Queued" in content


def test_the_runs_address_opened_as_a_page_is_the_reports_page_at_its_runs(client, reporting):
    """Not the poll's bare fragment, without the site around it."""
    client.force_login(reporting.rep_north)
    response = client.get(reverse("reports:runs"))
    assert (response.status_code, response["Location"]) == (302, "/reports/#runs")
    page = client.get(response["Location"]).content.decode()
    assert '<section class="card report-section" id="runs">' in page and "</html>" in page


# rows: how often the page shows the marker (table rows, headers included; notifications) before
# and after the data grow
@pytest.mark.parametrize(
    ("page", "marker", "rows"),
    [
        ("conversion", "<tr", (14, 26)),
        ("renewal", "<tr", (16, 40)),
        ("activity", "<tr", (14, 26)),
        ("fulfilment", "<tr", (14, 26)),
        ("coverage", "<tr", (18, 30)),
        ("index", "<tr", (9, 13)),  # one run per report kind (eight), then the latest twelve
        ("alerts", "<tr", (3, 3)),
        ("notifications", 'id="notification-', (1, 1)),
        ("runs", "<tr", (9, 13)),
    ],
)
def test_list_pages_run_a_constant_number_of_queries(
    client, reporting, page, marker, rows, django_assert_num_queries
):
    from reports.services.runs import REPORT_KINDS, report_run_execute

    d = reporting
    client.force_login(d.head)
    url = reverse(f"reports:{page}")
    if page == "runs":  # the fragment the reports page polls
        client.defaults["HTTP_HX_REQUEST"] = "true"

    def shown(response) -> int:
        assert response.status_code == 200
        content = response.content.decode()
        if 'data-testid="period-summary"' in content:  # its figures are not rows of the list
            start = content.index('data-testid="period-summary"')
            content = content[:start] + content[content.index("</section>", start) :]
        return content.count(marker)

    with CaptureQueriesContext(connection) as context:
        assert shown(client.get(url)) == rows[0]
    small = len(context.captured_queries)
    for number in range(12):
        person = UserFactory(username=f"extra{number}", role="rep", team=d.south if number % 2 else d.north)
        make_deal(
            person,
            stage_name="Won",
            closed=datetime.date(2026, 3, 11),
            service_end=datetime.date(2026, 3, 30),
        )
    for kind in REPORT_KINDS:
        report_run_execute(kind=kind, run_date=AS_OF)
    with django_assert_num_queries(small):
        assert shown(client.get(url)) == rows[1]


def test_the_not_renewed_list_exports(client, reporting):
    client.force_login(reporting.rep_south)
    response = client.get(
        reverse("reports:renewal"), {"month": "2026-03", "export": "csv", "list": "not_renewed"}
    )
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "Client,Deal,Owner,Amount (RUB),Service ends,Open complaints"
    assert len(lines) == 2 and lines[1].endswith(",700.00,2026-03-25,0")


def test_a_runs_error_is_shown_only_to_those_who_start_runs(client, reporting, api_as):
    """A failed run's error is a traceback: head and analyst see it, everyone else the status."""
    traceback = 'Traceback (most recent call last):\n  File "/srv/app/reports/services/renewal.py"'
    run = ReportRun.objects.create(run_date=AS_OF, kind="renewal", status="failed", error=traceback)
    for person, sees in (
        (reporting.head, True),
        (reporting.analyst, True),
        (reporting.lead_north, False),
        (reporting.rep_north, False),
        (reporting.assistant_north, False),
    ):
        client.force_login(person)
        for url in (reverse("reports:index"), reverse("reports:runs")):
            content = client.get(url, HTTP_HX_REQUEST="true").content.decode()
            assert "Failed" in content
            assert ("/srv/app/reports/services/renewal.py" in content) == sees
        api = api_as(person)
        listed = api.get("/api/v1/report-runs/", {"status": "failed"}).json()["results"]
        assert [(item["id"], item["status"], item["error"]) for item in listed] == [
            (run.pk, "failed", traceback if sees else "")
        ]
        assert api.get(f"/api/v1/report-runs/{run.pk}/").json()["error"] == (traceback if sees else "")


def test_the_conversion_funnel_names_the_seeded_stages_in_the_readers_language(client, reporting):
    """The report rows keep stage names as text; the page, its chart and its export show them
    in the reader's language like every other page."""
    from django.utils import translation

    client.force_login(reporting.head)
    with translation.override("ru"):
        response = client.get(reverse("reports:conversion"), HTTP_ACCEPT_LANGUAGE="ru")
        export = client.get(reverse("reports:conversion"), {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="ru")
        csv = b"".join(export.streaming_content).decode("utf-8-sig")  # streamed in the request's language
    page = response.content.decode()
    assert response.status_code == 200
    charts = page[page.index('<figure class="chart funnel">') :]
    charts = charts[: charts.index("</figure>")]
    cells = page[page.index('<td class="stage-counts">') :]
    for english, russian in (("Lead", "Лид"), ("Qualified", "Квалификация"), ("Won", "Выиграна")):
        assert russian in charts and f"{english} " not in charts, english
    assert "Лид " in cells and "Квалификация " in cells and "Lead " not in cells
    assert export.status_code == 200 and "Лид " in csv and "Lead " not in csv
