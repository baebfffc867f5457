"""The incentives leaderboard: who sees which rows, the payroll export, the API and its
validation, the bonus schemes page, and a constant number of queries (issue 14)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from reports.models import BonusScheme, IncentiveReport
from reports.services.incentives import incentives_compute
from tests.factories import UserFactory
from tests.reports.conftest import make_deal
from tests.reports.test_incentives import AS_OF, incentives  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

URL = "/reports/incentives/"
API = "/api/v1/reports/incentives/"
MARCH = {"period": "2026-03"}
# Everyone's March, ranked by fulfilment then basis (rep_north_2 and rep_north both show
# 80.00%; the 8 000.00 basis ranks above 7 999.99).
RANKED = ["am_south", "rep_south", "rep_new", "rep_north_2", "rep_north", "rep_without_team"]


@pytest.fixture
def computed(incentives):  # noqa: F811
    incentives_compute(as_of=datetime.date(2026, 2, 28))
    incentives_compute(as_of=AS_OF)
    return incentives


def api_rows(response):
    assert response.status_code == 200, response.content
    return [(row["rank"], row["rep"]["username"]) for row in response.json()["rows"]]


def page_people(response) -> list[str]:
    assert response.status_code == 200
    return [row.rep.username for row in response.context["board"].rows]


def test_head_and_analyst_see_everyone_ranked(computed, api_as, client):
    d = computed
    for viewer in (d.head, d.analyst):
        assert api_rows(api_as(viewer).get(API, MARCH)) == list(enumerate(RANKED, start=1))
        client.force_login(viewer)
        assert page_people(client.get(URL, MARCH)) == RANKED


def test_a_lead_sees_their_team_with_department_ranks(computed, api_as):
    d = computed
    assert api_rows(api_as(d.lead_north).get(API, MARCH)) == [
        (3, "rep_new"),
        (4, "rep_north_2"),
        (5, "rep_north"),
    ]
    assert api_rows(api_as(d.lead_south).get(API, MARCH)) == [(1, "am_south"), (2, "rep_south")]


def test_a_rep_sees_their_own_row_and_rank_and_nobody_elses_bonus(computed, api_as, client):
    d = computed
    response = api_as(d.rep_north).get(API, MARCH)
    assert api_rows(response) == [(5, "rep_north")]
    assert (response.json()["ranked"], response.json()["own_rank"]) == (6, 5)
    client.force_login(d.rep_north)
    page = client.get(URL, MARCH)
    assert page_people(page) == ["rep_north"]
    text = page.content.decode()
    assert "You are number 5 of 6." in text
    assert "800.00" not in text and "rep_south" not in text  # another rep's bonus and name
    export = client.get(URL, {**MARCH, "export": "csv"})
    assert [
        line[1] for line in csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")))
    ][1:] == ["rep_north"]


@pytest.mark.parametrize("role", ["assistant_north", "sdr_north"])
def test_people_without_a_bonus_row_see_none(computed, api_as, role):
    assert api_rows(api_as(getattr(computed, role)).get(API, MARCH)) == []


def test_api_row_figures(computed, api_as):
    d = computed
    rows = api_as(d.head).get(API, {**MARCH, "team": d.south.pk}).json()["rows"]
    assert rows[1] == {
        "rank": 2,
        "ranked": 6,
        "rep": {"id": d.rep_south.pk, "username": "rep_south", "full_name": d.rep_south.full_name},
        "team": {"id": d.south.pk, "name": "South"},
        "role": "rep",
        "basis": "booked",
        "basis_amount": "10000.00",
        "plan": "10000.00",
        "fulfilment_pct": "100.00",
        "tier_pct": "100.00",
        "rate_pct": "8.00",
        "bonus": "800.00",
    }


def test_a_quarter_sums_its_months(computed, api_as):
    d = computed
    response = api_as(d.head).get(API, {"period": "2026-Q1", "owner": d.rep_north.pk})
    (row,) = response.json()["rows"]
    # February 5 000.00 of 4 000.00 (8% → 400.00) + March 7 999.99 of 10 000.00 (nothing).
    assert (row["basis_amount"], row["plan"], row["fulfilment_pct"], row["bonus"]) == (
        "12999.99",
        "14000.00",
        "92.86",
        "400.00",
    )
    assert (row["tier_pct"], row["rate_pct"]) == (None, None)
    assert response.json()["currency"] == "RUB"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "2026-13"}, "period"),
        ({"period": "next month"}, "period"),
        ({"from": "2026-03-05", "to": "2026-03-31"}, "to"),
        ({"from": "2026-03-01"}, "to"),
        ({"team": "north"}, "team"),
        ({"owner": "999999"}, "owner"),
        ({"owner": "1e9"}, "owner"),
    ],
)
def test_bad_parameters_answer_400(computed, api_as, params, field):
    response = api_as(computed.head).get(API, params)
    assert response.status_code == 400
    assert field in response.json()


def test_a_rep_may_not_ask_for_someone_else(computed, api_as, client):
    d = computed
    assert api_as(d.rep_north).get(API, {"owner": d.rep_south.pk}).status_code == 400
    client.force_login(d.rep_north)
    assert client.get(URL, {"owner": d.rep_south.pk}).status_code == 400


def test_whole_months_in_a_custom_range(computed, api_as):
    response = api_as(computed.head).get(API, {"from": "2026-02-01", "to": "2026-03-31"})
    assert [row["bonus"] for row in response.json()["rows"]][:2] == ["523.46", "800.00"]


def test_payroll_export_csv(computed, client):
    d = computed
    client.force_login(d.head)
    response = client.get(URL, {**MARCH, "export": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="bonuses-2026-03.csv"'
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert lines[0] == [
        "Rank",
        "Username",
        "Person",
        "Team",
        "Period",
        "Role",
        "Basis",
        "Basis amount",
        "Plan",
        "% of plan",
        "Tier, from % of plan",
        "Rate, % of basis",
        "Bonus",
        "Currency",
    ]
    assert lines[2] == [
        "2",
        "rep_south",
        d.rep_south.full_name,
        "South",
        "2026-03",
        "Sales rep",
        "Booked revenue (won deals by close date)",
        "10000.00",
        "10000.00",
        "100.00",
        "100.00",
        "8.00",
        "800.00",
        "RUB",
    ]
    assert (
        lines[6][:2] == ["6", "rep_without_team"]
        and lines[6][3] == ""
        and lines[6][8:13] == ["", "", "", "0.00", "0.00"]
    )
    assert len(lines) == 7


def test_payroll_export_xlsx_carries_numbers_and_the_currency(computed, client, settings):
    from openpyxl import load_workbook

    settings.DEPARTMENT_CURRENCY = "CNY"
    client.force_login(computed.lead_south)
    response = client.get(URL, {**MARCH, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[1] for row in values[1:]] == ["am_south", "rep_south"]
    assert values[1][12] == Decimal("523.46") or values[1][12] == pytest.approx(523.46)
    assert values[2][-1] == "CNY"


def test_the_page_shows_the_bar_and_the_figures(computed, client):
    client.force_login(computed.head)
    text = client.get(URL, MARCH).content.decode()
    assert text.count('<span class="meter">') == 5  # rep_without_team has no plan: no bar
    assert "800.00" in text and "523.46" in text


def test_bad_page_input_answers_400_with_a_message(computed, client):
    client.force_login(computed.head)
    response = client.get(URL, {"period": "2026-13"})
    assert response.status_code == 400
    assert "Give the period as 2026-11" in response.content.decode()


def _grow(d, count):
    for number in range(count):
        person = UserFactory(username=f"extra{number}", role=Role.REP, team=d.north)
        make_deal(person, stage_name="Won", amount="100.00", closed=datetime.date(2026, 3, 2))
    incentives_compute(as_of=AS_OF)


def test_page_and_api_run_a_constant_number_of_queries(computed, client, api_as, django_assert_num_queries):
    d = computed
    client.force_login(d.head)
    api = api_as(d.head)
    with CaptureQueriesContext(connection) as page_small:
        assert len(page_people(client.get(URL, MARCH))) == 6
    with CaptureQueriesContext(connection) as api_small:
        assert len(api_rows(api.get(API, MARCH))) == 6
    _grow(d, 7)
    assert IncentiveReport.objects.count() == 13 + 6  # March 13, February 6
    with django_assert_num_queries(len(page_small.captured_queries)):
        assert len(page_people(client.get(URL, MARCH))) == 13
    with django_assert_num_queries(len(api_small.captured_queries)):
        assert len(api_rows(api.get(API, MARCH))) == 13


def test_the_head_sets_a_scheme_on_the_settings_page(department, client):
    d = department
    client.force_login(d.head)
    form = {
        "role": "rep",
        "rep-basis": "collected",
        "rep-active": "on",
        "rep-threshold_1": "80",
        "rep-rate_1": "5",
        "rep-threshold_2": "100",
        "rep-rate_2": "7,5",
    }
    response = client.post("/reports/incentives/schemes/", form)
    assert response.status_code == 302
    scheme = BonusScheme.objects.get(role="rep")
    assert (scheme.basis, scheme.active, scheme.updated_by) == ("collected", True, d.head)
    assert [(t.threshold_pct, t.rate_pct) for t in scheme.tiers.all()] == [
        (Decimal("80.00"), Decimal("5.00")),
        (Decimal("100.00"), Decimal("7.50")),
    ]


def test_bad_tiers_on_the_settings_page_answer_400_and_write_nothing(department, client):
    client.force_login(department.head)
    form = {
        "role": "rep",
        "rep-basis": "booked",
        "rep-threshold_1": "100",
        "rep-rate_1": "5",
        "rep-threshold_2": "80",
        "rep-rate_2": "150",
    }
    response = client.post("/reports/incentives/schemes/", form)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Tier 2: thresholds must ascend" in text and "Tier 2: the rate must be between 0 and 100%." in text
    assert not BonusScheme.objects.exists()


@pytest.mark.parametrize("role", ["analyst", "lead_north", "rep_north"])
def test_only_the_head_may_post_a_scheme(department, client, role):
    client.force_login(getattr(department, role))
    assert client.get("/reports/incentives/schemes/").status_code == 200
    response = client.post(
        "/reports/incentives/schemes/",
        {"role": "rep", "rep-basis": "booked", "rep-threshold_1": "0", "rep-rate_1": "100"},
    )
    assert response.status_code == 403
    assert not BonusScheme.objects.exists()


def test_the_home_card_shows_a_reps_bonus_and_a_leads_team_total(computed, client):
    d = computed
    # March's rows stand for this month's (the card shows the current month).
    IncentiveReport.objects.filter(period=datetime.date(2026, 3, 1)).update(
        period=timezone.localdate().replace(day=1)
    )
    client.force_login(d.rep_south)
    text = client.get("/").content.decode()
    assert "Your bonus this month" in text and "number 2 of 6" in text and "100.0% of plan" in text
    client.force_login(d.lead_north)
    card = client.get("/").context["home_bonus"]
    # rep_new 466.67 + rep_north_2 400.00 + rep_north 0.00
    assert (card.team_total, card.team_people) == (Decimal("866.67"), 3)
    client.force_login(d.head)
    assert client.get("/").context["home_bonus"] is None


def _admin_form(tiers):
    data = {
        "role": "rep",
        "basis": "booked",
        "active": "on",
        "tiers-TOTAL_FORMS": str(len(tiers)),
        "tiers-INITIAL_FORMS": "0",
        "tiers-MIN_NUM_FORMS": "0",
        "tiers-MAX_NUM_FORMS": "1000",
    }
    for number, (threshold, rate) in enumerate(tiers):
        data[f"tiers-{number}-threshold_pct"] = threshold
        data[f"tiers-{number}-rate_pct"] = rate
    return data


def test_the_admin_checks_the_tiers_as_the_settings_page_does(department, client):
    d = department
    d.head.is_staff = d.head.is_superuser = True
    d.head.save()
    client.force_login(d.head)
    url = "/admin/reports/bonusscheme/add/"
    for tiers, message in (
        ([], "Give at least one tier."),
        ([("80", "5"), ("80", "8")], "Please correct the duplicate data for threshold_pct"),
        ([("80", "101")], "Ensure this value is less than or equal to 100."),
    ):
        response = client.post(url, _admin_form(tiers))
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not BonusScheme.objects.exists()
    response = client.post(url, _admin_form([("100", "8"), ("80", "5")]))  # any order, sorted
    assert response.status_code == 302
    scheme = BonusScheme.objects.get()
    assert scheme.updated_by == d.head
    assert [(t.threshold_pct, t.rate_pct) for t in scheme.tiers.all()] == [
        (Decimal("80.00"), Decimal("5.00")),
        (Decimal("100.00"), Decimal("8.00")),
    ]


def summary_cells(page: str, figure: str) -> list[str]:
    start = page.index('data-testid="period-summary"')
    summary = page[start : page.index("</section>", start)]
    row = summary[summary.index(f'data-figure="{figure}"') :]
    row = row[: row.index("</tr>")]
    return [cell.rsplit(">", 1)[1] for cell in row.split("</td>")[:-1]]


def test_the_totals_beside_february_and_march_2025(computed, api_as):
    # March: bonuses 0 + 400.00 + 800.00 + 466.67 + 523.46 + 0 = 2 190.13 on a basis of
    # 7 999.99 + 8 000.00 + 10 000.00 + 9 333.33 + 6 543.21 + 5 000.00 = 46 876.53.
    # February: only rep_north earned (400.00 on 5 000.00). March 2025 was never computed.
    body = api_as(computed.head).get(API, MARCH).json()
    assert (body["previous"]["value"], body["last_year"]["value"]) == ("2026-02", "2025-03")
    assert [
        (f["name"], f["current"], f["previous"], f["last_year"], f["change_previous"], f["change_last_year"])
        for f in body["figures"]
    ] == [
        (
            "bonus",
            "2190.13",
            "400.00",
            None,
            {"delta": "1790.13", "percent": "447.5"},
            {"delta": None, "percent": None},
        ),
        (
            "basis_amount",
            "46876.53",
            "5000.00",
            None,
            {"delta": "41876.53", "percent": "837.5"},
            {"delta": None, "percent": None},
        ),
    ]


def test_a_lead_compares_their_teams_totals(computed, api_as):
    # North: rep_north, rep_north_2, rep_new: 0 + 400.00 + 466.67 in March, 400.00 in February.
    d = computed
    figures = {f["name"]: f for f in api_as(d.lead_north).get(API, MARCH).json()["figures"]}
    assert (figures["bonus"]["current"], figures["bonus"]["previous"]) == ("866.67", "400.00")
    assert figures["bonus"]["change_previous"] == {"delta": "466.67", "percent": "116.7"}
    assert (figures["basis_amount"]["current"], figures["basis_amount"]["previous"]) == (
        "25333.32",
        "5000.00",
    )


def test_the_page_shows_the_totals_beside_february_and_march_2025(computed, client):
    client.force_login(computed.head)
    page = client.get(URL, MARCH).content.decode()
    assert summary_cells(page, "bonus") == [
        "2,190.13\xa0₽",
        "400.00\xa0₽",
        "+1,790.13\xa0₽ (+447.5%)",
        "—",
        "—",
    ]
    assert summary_cells(page, "basis_amount")[:3] == [
        "46,876.53\xa0₽",
        "5,000.00\xa0₽",
        "+41,876.53\xa0₽ (+837.5%)",
    ]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 12, 3), "2026-11"),  # December is three days old: November
        (datetime.date(2026, 12, 7), "2026-11"),
        (datetime.date(2026, 12, 8), "2026-12"),
    ],
)
def test_the_leaderboard_opens_on_the_last_full_month_in_a_months_first_week(department, today, expected):
    from reports.forms import IncentivesForm

    form = IncentivesForm({}, viewer=department.head, today=today)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["period_range"].value == expected
