"""The forecast (page and GET /api/v1/forecast/): a quarter by category, recomputed by hand."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from deals.models import ForecastCategory
from targets.models import Allocation, Plan, PlanMetric
from tests.factories import ClientFactory, DealFactory, TeamFactory, UserFactory, stage

pytestmark = pytest.mark.django_db

D = datetime.date


def deal(owner, stage_name, amount, *, expected=None, closed=None, **extra):
    return DealFactory(
        owner=owner,
        client=ClientFactory(owner=owner),
        stage=stage(stage_name),
        amount=Decimal(amount),
        expected_close=expected,
        closed_at=closed,
        **extra,
    )


class Department:
    pass


@pytest.fixture
def department():
    d = Department()
    d.north, d.south = TeamFactory(name="North"), TeamFactory(name="South")
    d.head = UserFactory(username="fhead", role=Role.HEAD)
    d.lead = UserFactory(username="flead", role=Role.LEAD, team=d.north, first_name="Lena", last_name="L")
    d.rep_a = UserFactory(username="frepa", role=Role.REP, team=d.north, first_name="Anna", last_name="A")
    d.rep_b = UserFactory(username="frepb", role=Role.REP, team=d.north, first_name="Boris", last_name="B")
    d.rep_c = UserFactory(username="frepc", role=Role.REP, team=d.south, first_name="Chen", last_name="C")
    d.analyst = UserFactory(username="fanalyst", role=Role.ANALYST)
    # rep A: won in October; won in September (outside Q4); Contract (commit by its stage)
    # in November; Negotiation (best case) in December; a Lead in January (outside); a Lead
    # the rep marked commit in October.
    deal(d.rep_a, "Won", "1000.00", closed=D(2026, 10, 15))
    deal(d.rep_a, "Won", "500.00", closed=D(2026, 9, 30))
    deal(d.rep_a, "Contract", "2000.00", expected=D(2026, 11, 20))
    deal(d.rep_a, "Negotiation", "3000.00", expected=D(2026, 12, 10))
    deal(d.rep_a, "Lead", "700.00", expected=D(2027, 1, 5))
    deal(d.rep_a, "Lead", "400.00", expected=D(2026, 10, 20), forecast_category=ForecastCategory.COMMIT)
    # rep B: a Proposal the lead omitted; a Negotiation the lead moved to commit; a lost deal.
    deal(d.rep_b, "Proposal", "1500.00", expected=D(2026, 12, 31), forecast_override=ForecastCategory.OMITTED)
    deal(d.rep_b, "Negotiation", "800.00", expected=D(2026, 11, 1), forecast_override=ForecastCategory.COMMIT)
    deal(d.rep_b, "Lost", "999.00", closed=D(2026, 11, 3), expected=D(2026, 11, 3))
    # rep C (South): won on 1 December; a Lead in October; a deal without an expected close.
    deal(d.rep_c, "Won", "250.50", closed=D(2026, 12, 1))
    deal(d.rep_c, "Lead", "100.00", expected=D(2026, 10, 1))
    deal(d.rep_c, "Contract", "5000.00")
    booked = Plan.objects.create(
        year=2026, metric=PlanMetric.BOOKED, amount=Decimal("24000"), created_by=d.head
    )
    collected = Plan.objects.create(
        year=2026, metric=PlanMetric.COLLECTED, amount=Decimal("99999"), created_by=d.head
    )
    for month, amount in ((10, "4000"), (11, "2000"), (12, "2000"), (9, "7777")):
        Allocation.objects.create(plan=booked, month=month, amount=Decimal(amount))
    for month, amount in ((10, "3000"), (11, "1000"), (12, "1000")):
        Allocation.objects.create(plan=booked, month=month, team=d.north, amount=Decimal(amount))
    for month in (10, 11, 12):
        Allocation.objects.create(plan=booked, month=month, team=d.north, rep=d.rep_a, amount=Decimal("1000"))
    Allocation.objects.create(plan=booked, month=10, team=d.north, rep=d.rep_b, amount=Decimal("2000"))
    Allocation.objects.create(plan=collected, month=10, team=d.north, rep=d.rep_a, amount=Decimal("99999"))
    return d


def rows_of(response) -> dict:
    assert response.status_code == 200, response.content
    return {(row["scope"], row["label"]): row for row in response.json()["rows"]}


def figures(row) -> tuple:
    return tuple(row[name] for name in ("quota", "closed", "commit", "best_case", "pipeline", "gap"))


def test_a_quarter_by_category_for_the_head(api_as, department):
    d = department
    rows = rows_of(api_as(d.head).get("/api/v1/forecast/", {"period": "2026-Q4"}))
    assert list(rows) == [
        ("department", "Department"),
        ("team", "North"),
        ("team", "South"),
        ("rep", d.rep_a.full_name),
        ("rep", d.rep_b.full_name),
        ("rep", d.lead.full_name),
        ("rep", d.rep_c.full_name),
    ]
    # quota, closed, commit, best case, pipeline, gap
    assert figures(rows[("rep", d.rep_a.full_name)]) == (
        "3000.00",
        "1000.00",
        "2400.00",
        "3000.00",
        "0.00",
        "0.00",
    )
    assert figures(rows[("rep", d.rep_b.full_name)]) == (
        "2000.00",
        "0.00",
        "800.00",
        "0.00",
        "0.00",
        "1200.00",
    )
    assert figures(rows[("rep", d.rep_c.full_name)]) == (None, "250.50", "0.00", "0.00", "100.00", None)
    assert figures(rows[("rep", d.lead.full_name)]) == (None, "0.00", "0.00", "0.00", "0.00", None)
    assert figures(rows[("team", "North")]) == ("5000.00", "1000.00", "3200.00", "3000.00", "0.00", "800.00")
    assert figures(rows[("team", "South")]) == (None, "250.50", "0.00", "0.00", "100.00", None)
    assert figures(rows[("department", "Department")]) == (
        "8000.00",
        "1250.50",
        "3200.00",
        "3000.00",
        "100.00",
        "3549.50",
    )
    months = {month["month"]: month for month in rows[("rep", d.rep_a.full_name)]["months"]}
    assert list(months) == ["2026-10", "2026-11", "2026-12"]
    assert figures(months["2026-10"]) == ("1000.00", "1000.00", "400.00", "0.00", "0.00", "0.00")
    assert figures(months["2026-11"]) == ("1000.00", "0.00", "2000.00", "0.00", "0.00", "0.00")
    assert figures(months["2026-12"]) == ("1000.00", "0.00", "0.00", "3000.00", "0.00", "1000.00")


def test_a_month_and_a_custom_range(api_as, department):
    d = department
    body = api_as(d.head).get("/api/v1/forecast/", {"period": "2026-11"}).json()
    assert body["period"]["value"] == "2026-11"
    rows = {(row["scope"], row["label"]): row for row in body["rows"]}
    assert figures(rows[("department", "Department")]) == (
        "2000.00",
        "0.00",
        "2800.00",
        "0.00",
        "0.00",
        "0.00",
    )
    rows = rows_of(api_as(d.head).get("/api/v1/forecast/", {"from": "2026-10-16", "to": "2026-12-01"}))
    # Won on 1 December (250.50) is in; won on 15 October is not; commit 400 (20 Oct) + 2000 + 800.
    assert figures(rows[("department", "Department")])[1:5] == ("250.50", "3200.00", "0.00", "0.00")


def test_a_lead_sees_their_team_and_a_rep_themselves(api_as, department):
    d = department
    rows = rows_of(api_as(d.lead).get("/api/v1/forecast/", {"period": "2026-Q4"}))
    assert list(rows) == [
        ("team", "North"),
        ("rep", d.rep_a.full_name),
        ("rep", d.rep_b.full_name),
        ("rep", d.lead.full_name),
    ]
    rows = rows_of(api_as(d.rep_c).get("/api/v1/forecast/", {"period": "2026-Q4"}))
    assert list(rows) == [("rep", d.rep_c.full_name)]
    assert api_as(d.rep_c).get("/api/v1/forecast/", {"owner": d.rep_a.pk}).status_code == 400
    assert api_as(d.lead).get("/api/v1/forecast/", {"team": d.south.pk}).status_code == 400


def test_narrowed_to_a_team_or_a_person(api_as, department):
    d = department
    rows = rows_of(api_as(d.head).get("/api/v1/forecast/", {"period": "2026-Q4", "team": d.south.pk}))
    assert list(rows) == [("team", "South"), ("rep", d.rep_c.full_name)]
    rows = rows_of(api_as(d.head).get("/api/v1/forecast/", {"period": "2026-Q4", "owner": d.rep_b.pk}))
    assert list(rows) == [("rep", d.rep_b.full_name)]


@pytest.mark.parametrize(
    "params",
    [
        {"period": "2026-Q0"},
        {"period": "x" * 30},
        {"from": "2026-01-01"},
        {"owner": "abc"},
        {"team": "99999999999999999999999"},
        {"owner": "-1"},
    ],
)
def test_bad_parameters_answer_400(api_as, department, params):
    assert api_as(department.head).get("/api/v1/forecast/", params).status_code == 400


def test_the_page_shows_the_same_figures(client, department):
    d = department
    client.force_login(d.head)
    response = client.get(reverse("forecast"), {"period": "2026-Q4"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Forecast · Q4 2026" in content
    row = content[content.index('data-row="department-"') :]
    row = row[: row.index("</tr>")]
    for shown in ("8,000.00", "1,250.50", "3,200.00", "3,000.00", "100.00", "3,549.50"):
        assert shown in row
    bad = client.get(reverse("forecast"), {"period": "2026-13"})
    assert bad.status_code == 400
    assert "Give the period as 2026-11" in bad.content.decode()


def test_the_api_and_page_run_a_constant_number_of_queries(
    api_as, client, department, django_assert_num_queries
):
    d = department
    api = api_as(d.head)
    client.force_login(d.head)
    with CaptureQueriesContext(connection) as api_queries:
        assert len(rows_of(api.get("/api/v1/forecast/", {"period": "2026-Q4"}))) == 7
    with CaptureQueriesContext(connection) as page_queries:
        assert client.get(reverse("forecast"), {"period": "2026-Q4"}).status_code == 200
    for number in range(6):
        person = UserFactory(username=f"fextra{number}", role=Role.REP, team=d.south)
        deal(person, "Contract", "10.00", expected=D(2026, 12, 2))
        deal(person, "Won", "10.00", closed=D(2026, 11, 2))
    with django_assert_num_queries(len(api_queries.captured_queries)):
        assert len(rows_of(api.get("/api/v1/forecast/", {"period": "2026-Q4"}))) == 13
    with django_assert_num_queries(len(page_queries.captured_queries)):
        response = client.get(reverse("forecast"), {"period": "2026-Q4"})
        assert response.status_code == 200
        assert response.content.decode().count('data-row="rep-') == 10


def test_with_more_people_than_a_team_their_rows_show_the_period_without_months(
    client, department, monkeypatch
):
    """A head's quarter with a department's 120 people was 565 rows (200 KB): each person's
    months show once their team (or they) is chosen; the department and teams keep theirs."""
    from reports.views import forecast as forecast_views

    def month_rows_after(content: str, marker: str) -> int:
        rest = content[content.index(marker) :]
        rows = rest.split("<tr")[1:]
        return next((index for index, row in enumerate(rows) if "forecast-month" not in row), len(rows))

    client.force_login(department.head)
    monkeypatch.setattr(forecast_views, "PEOPLE_WITH_MONTHS", 1)
    content = client.get(reverse("forecast"), {"period": "2026-Q4"}).content.decode()
    assert month_rows_after(content, 'data-row="department-"') == 3
    assert month_rows_after(content, f'data-row="team-{department.north.pk}"') == 3
    assert month_rows_after(content, f'data-row="rep-{department.rep_a.pk}"') == 0
    assert "Each person's months: choose their team or them." in content
    one = client.get(reverse("forecast"), {"period": "2026-Q4", "owner": department.rep_a.pk})
    content = one.content.decode()
    assert month_rows_after(content, f'data-row="rep-{department.rep_a.pk}"') == 3
    assert 'data-testid="people-months-hidden"' not in content
