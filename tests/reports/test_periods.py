"""Report figures over a period beside the previous period and the same period last year,
on the pages and in /api/v1/reports/<report>/summary/ — recomputed by hand."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from reports.models import ConversionReport, PlanFulfilment, Scope
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def conversion(month: datetime.date, *, won: int, lost: int, amount: str, cycle_deals=0, cycle=None, **scope):
    return ConversionReport.objects.create(
        period=month,
        scope=scope.pop("scope", Scope.DEPARTMENT),
        as_of=month,
        updated_at=timezone.now(),
        leads_created=won + lost,
        won=won,
        lost=lost,
        won_amount=Decimal(amount),
        cycle_deals=cycle_deals,
        avg_cycle_days=cycle,
        **scope,
    )


@pytest.fixture
def quarters():
    """Department rows: Q3 2026 (previous), Q4 2026 (chosen), Q4 2025 (last year), and a
    row outside all three (June 2026) that must count nowhere."""
    conversion(D(2026, 10, 1), won=2, lost=1, amount="1000.00", cycle_deals=2, cycle=Decimal("10.0"))
    conversion(D(2026, 11, 1), won=1, lost=3, amount="500.50", cycle_deals=1, cycle=Decimal("40.0"))
    conversion(D(2026, 12, 1), won=0, lost=1, amount="0.00")
    conversion(D(2026, 7, 1), won=1, lost=1, amount="300.00")
    conversion(D(2026, 9, 1), won=1, lost=0, amount="200.00")
    conversion(D(2025, 11, 1), won=3, lost=2, amount="2000.00")
    conversion(D(2026, 6, 1), won=50, lost=50, amount="99999.00")
    head = UserFactory(username="periodhead", role=Role.HEAD)
    return head


def by_name(figures):
    return {figure["name"]: figure for figure in figures}


def test_a_quarter_beside_the_previous_quarter_and_last_year_in_the_api(api_as, quarters):
    response = api_as(quarters).get("/api/v1/reports/conversion/summary/", {"period": "2026-Q4"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["period"] == {
        "kind": "quarter",
        "value": "2026-Q4",
        "label": "Q4 2026",
        "start": "2026-10-01",
        "end": "2026-12-31",
    }
    assert (body["previous"]["start"], body["previous"]["end"]) == ("2026-07-01", "2026-09-30")
    assert (body["last_year"]["start"], body["last_year"]["end"]) == ("2025-10-01", "2025-12-31")
    assert body["scope"] == {"scope": "department", "team": None, "rep": None}
    figures = by_name(body["figures"])
    # Q4 2026: won 2+1+0 = 3, lost 1+3+1 = 5, amount 1500.50; Q3: won 2, lost 1, 500.00;
    # Q4 2025: won 3, lost 2, 2000.00.
    assert figures["won"] == {
        "name": "won",
        "label": "won",
        "current": 3,
        "previous": 2,
        "last_year": 3,
        "change_previous": {"delta": 1, "percent": "50.0"},
        "change_last_year": {"delta": 0, "percent": "0.0"},
    }
    assert (figures["lost"]["current"], figures["lost"]["previous"], figures["lost"]["last_year"]) == (
        5,
        1,
        2,
    )
    assert figures["won_amount"]["current"] == "1500.50"
    assert figures["won_amount"]["change_previous"] == {"delta": "1000.50", "percent": "200.1"}
    assert figures["won_amount"]["change_last_year"] == {"delta": "-499.50", "percent": "-25.0"}
    # Win rate from the sums: 3 / 8 = 37.50 %, Q3 2 / 3 = 66.67 %, Q4 2025 3 / 5 = 60.00 %.
    assert (
        figures["win_rate"]["current"],
        figures["win_rate"]["previous"],
        figures["win_rate"]["last_year"],
    ) == (
        "37.50",
        "66.67",
        "60.00",
    )
    assert figures["win_rate"]["change_previous"]["delta"] == "-29.17"
    # Cycle weighted by deals: (2 × 10 + 1 × 40) / 3 = 20.0 days; none measured a year ago.
    assert figures["avg_cycle_days"]["current"] == "20.0"
    assert figures["avg_cycle_days"]["last_year"] is None


def test_year_to_date_and_a_custom_range(api_as, quarters):
    api = api_as(quarters)
    ytd = by_name(api.get("/api/v1/reports/conversion/summary/", {"period": "2026-YTD"}).json()["figures"])
    # 2026 through today (3 December in the tests' clock or later): Jun, Jul, Sep, Oct, Nov, Dec.
    assert ytd["won"]["current"] == 50 + 1 + 1 + 2 + 1 + 0
    custom = api.get("/api/v1/reports/conversion/summary/", {"from": "2026-10-15", "to": "2026-11-02"}).json()
    assert custom["period"]["kind"] == "range"
    assert by_name(custom["figures"])["won"]["current"] == 3  # October and November, whole
    assert (custom["previous"]["start"], custom["previous"]["end"]) == ("2026-09-26", "2026-10-14")


@pytest.mark.parametrize(
    "params",
    [
        {"period": "2026-Q7"},
        {"period": "yesterday"},
        {"from": "2026-01-01"},
        {"from": "2026-02-01", "to": "2026-01-01"},
        {"from": "2026-02-30", "to": "2026-03-01"},
        {"period": "2026-Q4", "team": "99999999999999999999"},
    ],
)
def test_bad_periods_answer_400(api_as, quarters, params):
    for endpoint in ("conversion", "fulfilment"):
        assert api_as(quarters).get(f"/api/v1/reports/{endpoint}/summary/", params).status_code == 400
        assert api_as(quarters).get(f"/api/v1/reports/{endpoint}/", params).status_code == 400


def test_the_list_api_reads_the_months_of_a_period(api_as, quarters):
    response = api_as(quarters).get("/api/v1/reports/conversion/", {"period": "2026-Q4"})
    assert sorted(row["period"] for row in response.json()["results"]) == [
        "2026-10-01",
        "2026-11-01",
        "2026-12-01",
    ]


def test_a_rep_sees_only_their_own_figures(api_as, quarters):
    team = TeamFactory(name="Periods")
    rep = UserFactory(username="periodrep", role=Role.REP, team=team)
    conversion(D(2026, 11, 1), won=1, lost=0, amount="70.00", scope=Scope.REP, rep=rep)
    body = api_as(rep).get("/api/v1/reports/conversion/summary/", {"period": "2026-Q4"}).json()
    assert body["scope"] == {"scope": "rep", "team": None, "rep": rep.pk}
    assert by_name(body["figures"])["won_amount"]["current"] == "70.00"
    # Another team's person is not a choice for them.
    assert api_as(rep).get("/api/v1/reports/conversion/summary/", {"owner": quarters.pk}).status_code == 400


def test_fulfilment_rates_come_from_the_sums(api_as, quarters):
    for month, plan, booked in (
        (D(2026, 10, 1), "1000.00", "500.00"),
        (D(2026, 11, 1), "3000.00", "3300.00"),
    ):
        PlanFulfilment.objects.create(
            period=month,
            scope=Scope.DEPARTMENT,
            as_of=month,
            updated_at=timezone.now(),
            plan_booked=Decimal(plan),
            booked=Decimal(booked),
        )
    figures = by_name(
        api_as(quarters).get("/api/v1/reports/fulfilment/summary/", {"period": "2026-Q4"}).json()["figures"]
    )
    # (500 + 3300) / (1000 + 3000) = 95.00 %, not the average of 50 % and 110 %.
    assert figures["fulfilment_pct"]["current"] == "95.00"
    assert figures["plan_booked"]["current"] == "4000.00"
    assert figures["fulfilment_pct"]["previous"] is None


def test_the_page_shows_each_figure_beside_the_previous_period_and_last_year(client, quarters):
    client.force_login(quarters)
    response = client.get(reverse("reports:conversion"), {"period": "2026-Q4"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Conversion · Q4 2026" in content
    start = content.index('data-testid="period-summary"')
    summary = content[start : content.index("</section>", start)]
    assert "Q3 2026" in summary and "Q4 2025" in summary
    row = summary[summary.index('data-figure="won_amount"') :]
    row = row[: row.index("</tr>")]
    cells = [cell.split(">", 1)[1] for cell in row.split("</td>")[:-1]]
    cells = [cell[cell.rindex(">") + 1 :] if ">" in cell else cell for cell in cells]
    # an amount carries the department's currency (RUB in tests); a rate does not
    assert cells == [
        "1,500.50\xa0₽",
        "500.00\xa0₽",
        "+1,000.50\xa0₽ (+200.1%)",
        "2,000.00\xa0₽",
        "-499.50\xa0₽ (-25.0%)",
    ]
    rate = summary[summary.index('data-figure="win_rate"') :]
    assert "37.5%" in rate[: rate.index("</tr>")] and "-29.2 pt" in rate[: rate.index("</tr>")]


def test_a_bad_period_on_the_page_is_a_form_error(client, quarters):
    client.force_login(quarters)
    response = client.get(reverse("reports:conversion"), {"period": "2026-Q9"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Give the period as 2026-11 (a month), 2026-Q4, 2026-YTD or 2026." in content
    assert 'data-testid="period-summary"' not in content
