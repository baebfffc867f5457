"""The lost report (page, export and GET /api/v1/reports/lost/): a month's lost deals by
reason, stage reached, competitor, owner and team, and the win rate against each
competitor — every figure recomputed by hand below."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.periods import Period
from deals.models import FactKind
from reports.lost import lost_report
from tests.factories import FactFactory, lost_reason
from tests.reports.conftest import local, make_deal

pytestmark = pytest.mark.django_db

D = datetime.date
NOVEMBER = Period.month(2026, 11)


def lost(owner, amount, reason, path, closed, competitors=()):
    """A deal lost on ``closed`` after walking ``path`` (its stages before Lost)."""
    moments = [local(2026, 9, 1 + index) for index in range(len(path))]
    history = [(None, path[0], moments[0])]
    history += [
        (before, after, moment) for before, after, moment in zip(path, path[1:], moments[1:], strict=False)
    ]
    history.append((path[-1], "Lost", local(closed.year, closed.month, closed.day)))
    deal = make_deal(
        owner,
        stage_name="Lost",
        amount=amount,
        closed=closed,
        history=history,
        lost_reason=lost_reason(reason),
    )
    for text in competitors:
        FactFactory(deal=deal, kind=FactKind.NAMED_COMPETITOR, text=text)
    return deal


def won(owner, amount, closed, competitors=()):
    deal = make_deal(owner, stage_name="Won", amount=amount, closed=closed)
    for text in competitors:
        FactFactory(deal=deal, kind=FactKind.NAMED_COMPETITOR, text=text)
    return deal


@pytest.fixture
def deals(department):
    north, north_2, south = department.rep_north, department.rep_north_2, department.rep_south
    result = {
        # Lost in November 2026: A B C D E (7000.49 in all).
        "A": lost(north, "1000.00", "Price", ["Lead", "Proposal"], D(2026, 11, 5), ["Acme"]),
        # Acme twice (the second spelled otherwise) counts once; Globex too.
        "B": lost(
            north,
            "2500.50",
            "Price",
            ["Lead", "Negotiation"],
            D(2026, 11, 12),
            ["Acme", " acme ", "Globex"],
        ),
        "C": lost(north_2, "400.00", "Competitor", ["Qualified"], D(2026, 11, 20), ["Initech"]),
        "D": lost(south, "3000.00", "No budget", ["Lead", "Negotiation"], D(2026, 11, 30)),
        "E": lost(south, "99.99", "Price", ["Lead"], D(2026, 11, 1)),
        # Outside the month: lost on 31 October, won on 1 December.
        "F": lost(north, "5000.00", "Price", ["Lead"], D(2026, 10, 31), ["Acme"]),
        "late_win": won(north, "9000.00", D(2026, 12, 1), ["Acme"]),
        # Won in November: G against Acme, H against Globex, I against nobody.
        "G": won(north, "7000.00", D(2026, 11, 15), ["Acme"]),
        "H": won(south, "1200.00", D(2026, 11, 16), ["Globex"]),
        "I": won(north_2, "800.00", D(2026, 11, 17)),
    }
    # An open deal naming Acme and a price question mentioning Acme count nowhere.
    open_deal = make_deal(north, stage_name="Negotiation", amount="4000.00")
    FactFactory(deal=open_deal, kind=FactKind.NAMED_COMPETITOR, text="Acme")
    FactFactory(deal=result["D"], kind=FactKind.ASKED_PRICE, text="Acme")
    return result


def rows(report):
    return [(row.label, row.count, row.amount, row.share) for row in report.rows]


def test_by_reason_for_the_head(department, deals):
    report = lost_report(viewer=department.head, period=NOVEMBER, group_by="reason")
    assert (report.totals.count, report.totals.amount) == (5, Decimal("7000.49"))
    assert rows(report) == [
        ("Price", 3, Decimal("3600.49"), Decimal("60.0")),
        ("No budget", 1, Decimal("3000.00"), Decimal("20.0")),
        ("Competitor", 1, Decimal("400.00"), Decimal("20.0")),
    ]


def test_by_stage_reached(department, deals):
    report = lost_report(viewer=department.head, period=NOVEMBER, group_by="stage")
    assert rows(report) == [
        ("Negotiation", 2, Decimal("5500.50"), Decimal("40.0")),
        ("Proposal", 1, Decimal("1000.00"), Decimal("20.0")),
        ("Qualified", 1, Decimal("400.00"), Decimal("20.0")),
        ("Lead", 1, Decimal("99.99"), Decimal("20.0")),
    ]


def test_by_competitor_with_the_win_rate_against_each(department, deals):
    report = lost_report(viewer=department.head, period=NOVEMBER, group_by="competitor")
    assert [(row.label, row.count, row.amount, row.share, row.won, row.win_rate) for row in report.rows] == [
        # Acme: lost A and B, won G → 1 / 3.
        ("Acme", 2, Decimal("3500.50"), Decimal("40.0"), 1, Decimal("33.3")),
        # Globex: lost B, won H → 1 / 2.
        ("Globex", 1, Decimal("2500.50"), Decimal("20.0"), 1, Decimal("50.0")),
        ("Initech", 1, Decimal("400.00"), Decimal("20.0"), 0, Decimal("0.0")),
        ("No competitor named", 2, Decimal("3099.99"), Decimal("40.0"), None, None),
    ]
    # Of the deals closed in November that named a competitor: won G H, lost A B C → 2 / 5.
    totals = report.totals
    assert (
        totals.won_against_competitors,
        totals.lost_to_competitors,
        totals.win_rate_against_competitors,
    ) == (2, 3, Decimal("40.0"))


def test_by_owner_and_by_team(department, deals):
    by_owner = lost_report(viewer=department.head, period=NOVEMBER, group_by="owner")
    assert [(row.key, row.count, row.amount) for row in by_owner.rows] == [
        (department.rep_north.pk, 2, Decimal("3500.50")),
        (department.rep_south.pk, 2, Decimal("3099.99")),
        (department.rep_north_2.pk, 1, Decimal("400.00")),
    ]
    by_team = lost_report(viewer=department.head, period=NOVEMBER, group_by="team")
    assert rows(by_team) == [
        ("North", 3, Decimal("3900.50"), Decimal("60.0")),
        ("South", 2, Decimal("3099.99"), Decimal("40.0")),
    ]


def test_a_quarter_and_a_person(department, deals):
    quarter = Period.quarter(2026, 4)  # F (31 October) joins
    report = lost_report(viewer=department.head, period=quarter, owner=department.rep_north)
    assert rows(report) == [("Price", 3, Decimal("8500.50"), Decimal("100.0"))]


@pytest.mark.parametrize(
    ("viewer", "count", "amount"),
    [
        ("rep_north", 2, "3500.50"),
        ("lead_north", 3, "3900.50"),
        ("lead_south", 2, "3099.99"),
        ("analyst", 5, "7000.49"),
        ("head", 5, "7000.49"),
        ("assistant_without_team", 0, "0.00"),
    ],
)
def test_each_sees_the_lost_deals_they_may_see(department, deals, api_as, viewer, count, amount):
    response = api_as(getattr(department, viewer)).get("/api/v1/reports/lost/", {"period": "2026-11"})
    assert response.status_code == 200
    assert (response.json()["totals"]["count"], response.json()["totals"]["amount"]) == (count, amount)


def test_the_api_answers_rows_and_totals(department, deals, api_as):
    response = api_as(department.lead_north).get(
        "/api/v1/reports/lost/", {"period": "2026-11", "group_by": "competitor"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["period"]["value"] == "2026-11"
    assert body["totals"] == {
        "count": 3,
        "amount": "3900.50",
        "won_against_competitors": 1,
        "lost_to_competitors": 3,
        "win_rate_against_competitors": "25.0",
    }
    assert [
        (row["key"], row["count"], row["amount"], row["won"], row["win_rate"]) for row in body["rows"]
    ] == [
        ("acme", 2, "3500.50", 1, "33.3"),
        ("globex", 1, "2500.50", 0, "0.0"),
        ("initech", 1, "400.00", 0, "0.0"),
    ]


def test_the_api_narrows_to_a_team(department, deals, api_as):
    response = api_as(department.head).get(
        "/api/v1/reports/lost/", {"from": "2026-11-01", "to": "2026-11-30", "team": department.south.pk}
    )
    assert response.status_code == 200
    assert [(row["label"], row["count"], row["amount"]) for row in response.json()["rows"]] == [
        ("No budget", 1, "3000.00"),
        ("Price", 1, "99.99"),
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "2026-13"}, "period"),
        ({"period": "last week"}, "period"),
        ({"from": "2026-11-01"}, "to"),
        ({"from": "2026-11-30", "to": "2026-11-01"}, "to"),
        ({"group_by": "colour"}, "group_by"),
        ({"team": "abc"}, "team"),
        ({"owner": "99999999999999999999"}, "owner"),
    ],
)
def test_bad_parameters_are_a_400(department, api_as, params, field):
    response = api_as(department.head).get("/api/v1/reports/lost/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_a_rep_may_not_ask_for_another_team(department, deals, api_as):
    response = api_as(department.rep_north).get(
        "/api/v1/reports/lost/", {"period": "2026-11", "team": department.south.pk}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["team"]


@pytest.mark.parametrize("group_by", ["reason", "stage", "competitor", "owner", "team"])
def test_the_api_runs_a_constant_number_of_queries(department, deals, api_as, group_by):
    client = api_as(department.head)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/reports/lost/", {"period": "2026-11", "group_by": group_by})
        assert response.status_code == 200
        return len(queries), len(response.json()["rows"])

    few = measure()
    for number in range(4):
        lost(
            department.rep_north_2,
            "10.00",
            ["Price", "Lost contact", "Other", "Product fit"][number],
            ["Lead", "Qualified", "Proposal", "Contract"][: number + 1],
            D(2026, 11, 3),
            [f"Rival {number}"],
        )
    many = measure()
    assert many[0] == few[0]
    assert many[1] > few[1] or group_by in ("owner", "team")


def test_the_page_shows_the_rows_a_chart_and_the_competitor_win_rate(client, department, deals):
    client.force_login(department.head)
    response = client.get(reverse("reports:lost"), {"period": "2026-11", "group_by": "competitor"})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<dd data-testid="competitor-win-rate">40.0%</dd>' in page
    assert 'data-testid="lost-table"' in page
    assert '<th scope="row">Acme</th>' in page
    assert "Win rate against each competitor" in page
    assert '<figure class="chart chart-bars"' in page


def test_the_page_in_russian_translates_the_seeded_reasons(client, department, deals):
    client.force_login(department.head)
    with translation.override("ru"):
        response = client.get(reverse("reports:lost"), {"period": "2026-11"}, HTTP_ACCEPT_LANGUAGE="ru")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<th scope="row">Цена</th>' in page
    assert '<th scope="row">Нет бюджета</th>' in page
    # The comparison's column is the difference ("Изменение"), not the verb ("Сменить").
    assert page.count('class="num">Изменение</th>') == 2 and "Сменить</th>" not in page
    # The chart's geometry stays in dots whatever the language (ru writes 44,9).
    assert 'class="chart-bar' in page
    assert re.search(r'(width|x|y)="[\d.]*,', page) is None


def test_a_bad_period_on_the_page_is_a_400_with_the_message(client, department):
    client.force_login(department.head)
    response = client.get(reverse("reports:lost"), {"period": "2026-13"})
    assert response.status_code == 400
    assert "Give the period as 2026-11" in response.content.decode()


def test_the_export_has_the_rows(client, department, deals):
    client.force_login(department.lead_north)
    response = client.get(
        reverse("reports:lost"), {"period": "2026-11", "group_by": "reason", "export": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="lost-by-reason-2026-11.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines() == [
        'Reason,Lost deals,Lost amount,"Share of lost deals, %"',
        "Price,2,3500.50,66.7",
        "Competitor,1,400.00,33.3",
    ]


# --- beside the previous period and the same period last year ------------------------------------


@pytest.fixture
def november_2025(deals, department):
    """A year earlier: one deal lost naming Acme, two won naming Acme and Globex."""
    north = department.rep_north
    lost(north, "2000.00", "Price", ["Lead"], D(2025, 11, 10), ["Acme"])
    won(north, "500.00", D(2025, 11, 11), ["Acme"])
    won(department.rep_south, "300.00", D(2025, 11, 12), ["Globex"])


def summary_cells(page: str, figure: str) -> list[str]:
    start = page.index('data-testid="period-summary"')
    summary = page[start : page.index("</section>", start)]
    row = summary[summary.index(f'data-figure="{figure}"') :]
    row = row[: row.index("</tr>")]
    return [cell.rsplit(">", 1)[1] for cell in row.split("</td>")[:-1]]


def test_the_api_compares_the_totals_with_october_and_november_2025(department, november_2025, api_as):
    # November 2026: 5 lost, 7000.49, 2 won / 3 lost naming a competitor = 40.0%.
    # October 2026: F only: 1 lost, 5000.00, 0 won / 1 lost = 0.0%.
    # November 2025: 1 lost, 2000.00, 2 won / 1 lost = 66.7%.
    body = api_as(department.head).get("/api/v1/reports/lost/", {"period": "2026-11"}).json()
    assert (body["previous"]["value"], body["last_year"]["value"]) == ("2026-10", "2025-11")
    assert [
        (f["name"], f["current"], f["previous"], f["last_year"], f["change_previous"], f["change_last_year"])
        for f in body["figures"]
    ] == [
        (
            "count",
            5,
            1,
            1,
            {"delta": 4, "percent": "400.0"},
            {"delta": 4, "percent": "400.0"},
        ),
        (
            "amount",
            "7000.49",
            "5000.00",
            "2000.00",
            {"delta": "2000.49", "percent": "40.0"},
            {"delta": "5000.49", "percent": "250.0"},
        ),
        (
            "competitor_win_rate",
            "40.0",
            "0.0",
            "66.7",
            {"delta": "40.0", "percent": None},
            {"delta": "-26.7", "percent": "-40.0"},
        ),
    ]


def test_the_comparison_follows_the_team_and_a_year_without_deals(department, deals, api_as):
    body = (
        api_as(department.head)
        .get("/api/v1/reports/lost/", {"period": "2026-11", "team": department.south.pk})
        .json()
    )
    figures = {f["name"]: f for f in body["figures"]}
    # South: D and E lost in November (3099.99), nothing in October nor a year earlier.
    assert (figures["count"]["current"], figures["count"]["previous"], figures["count"]["last_year"]) == (
        2,
        0,
        0,
    )
    assert figures["amount"]["change_previous"] == {"delta": "3099.99", "percent": None}
    assert figures["competitor_win_rate"]["last_year"] is None


def test_the_page_shows_the_totals_beside_october_and_november_2025(client, department, november_2025):
    client.force_login(department.head)
    page = client.get(reverse("reports:lost"), {"period": "2026-11"}).content.decode()
    assert summary_cells(page, "count") == ["5", "1", "+4 (+400.0%)", "1", "+4 (+400.0%)"]
    assert summary_cells(page, "amount") == [
        "7,000.49\xa0₽",
        "5,000.00\xa0₽",
        "+2,000.49\xa0₽ (+40.0%)",
        "2,000.00\xa0₽",
        "+5,000.49\xa0₽ (+250.0%)",
    ]
    assert summary_cells(page, "competitor_win_rate") == ["40.0%", "0.0%", "+40.0 pt", "66.7%", "-26.7 pt"]
