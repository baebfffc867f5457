"""Weekly forecast snapshots (nightly run on Mondays, idempotent), what changed since last
week, and forecast accuracy for a month with known commits — recomputed by hand."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from deals.models import Deal, ForecastCategory
from reports.models import ForecastSnapshot, ReportRun
from reports.services.runs import report_run_execute
from reports.services.snapshots import forecast_snapshot_take
from tests.factories import ClientFactory, DealFactory, TeamFactory, UserFactory, stage

pytestmark = pytest.mark.django_db

D = datetime.date


def deal(owner, stage_name, amount, *, expected=None, **extra):
    return DealFactory(
        owner=owner,
        client=ClientFactory(owner=owner),
        stage=stage(stage_name),
        amount=Decimal(amount),
        expected_close=expected,
        **extra,
    )


def close(deal_, stage_name, day):
    Deal.objects.filter(pk=deal_.pk).update(stage=stage(stage_name), closed_at=day)


class People:
    pass


@pytest.fixture
def people():
    p = People()
    p.north, p.south = TeamFactory(name="North"), TeamFactory(name="South")
    p.head = UserFactory(username="shead", role=Role.HEAD)
    p.lead = UserFactory(username="slead", role=Role.LEAD, team=p.north)
    p.rep_a = UserFactory(username="srepa", role=Role.REP, team=p.north, first_name="Anna", last_name="A")
    p.rep_b = UserFactory(username="srepb", role=Role.REP, team=p.north, first_name="Boris", last_name="B")
    p.rep_c = UserFactory(username="srepc", role=Role.REP, team=p.south, first_name="Chen", last_name="C")
    return p


def test_the_snapshot_is_an_idempotent_upsert_taken_on_mondays(people):
    p = people
    kept = deal(p.rep_a, "Contract", "1000.00", expected=D(2026, 11, 20))
    deal(p.rep_a, "Won", "50.00")
    monday = D(2026, 11, 9)
    result = forecast_snapshot_take(as_of=monday)
    assert (result.rows_written, result.rows_total) == (1, 1)
    row = ForecastSnapshot.objects.get()
    assert (row.week, row.deal, row.owner, row.team, row.category, row.amount, row.expected_close) == (
        monday,
        kept,
        p.rep_a,
        p.north,
        "commit",
        Decimal("1000.00"),
        D(2026, 11, 20),
    )
    assert forecast_snapshot_take(as_of=monday).rows_written == 0  # the same rows again
    Deal.objects.filter(pk=kept.pk).update(amount=Decimal("1200.00"))
    assert forecast_snapshot_take(as_of=D(2026, 11, 10)).rows_written == 0  # Tuesday: the week has one
    assert forecast_snapshot_take(as_of=monday).rows_written == 1  # a re-run on Monday updates
    assert ForecastSnapshot.objects.get().amount == Decimal("1200.00")
    # A week whose Monday run was missed is taken on its next run.
    assert forecast_snapshot_take(as_of=D(2026, 11, 18)).rows_written == 1
    assert sorted(ForecastSnapshot.objects.values_list("week", flat=True)) == [monday, D(2026, 11, 16)]
    run = report_run_execute(kind="forecast", run_date=monday, send_email=False)
    assert (run.status, run.rows_written, run.rows_total) == ("succeeded", 0, 1)
    assert ReportRun.objects.filter(kind="forecast").count() == 1


@pytest.fixture
def two_weeks(people):
    p = people
    d = {
        "slips": deal(p.rep_a, "Lead", "100.00", expected=D(2026, 11, 20)),
        "moves": deal(p.rep_a, "Contract", "200.00", expected=D(2026, 11, 25)),
        "wins": deal(p.rep_b, "Negotiation", "300.00", expected=D(2026, 11, 30)),
        "loses": deal(p.rep_c, "Lead", "400.00", expected=D(2026, 11, 30)),
        "stays": deal(p.rep_c, "Lead", "500.00", expected=D(2026, 11, 30)),
    }
    forecast_snapshot_take(as_of=D(2026, 11, 2))
    Deal.objects.filter(pk=d["slips"].pk).update(expected_close=D(2026, 12, 10))
    Deal.objects.filter(pk=d["moves"].pk).update(forecast_override=ForecastCategory.BEST_CASE)
    close(d["wins"], "Won", D(2026, 11, 5))
    close(d["loses"], "Lost", D(2026, 11, 6))
    d["new"] = deal(p.rep_a, "Lead", "600.00", expected=D(2026, 12, 1))
    forecast_snapshot_take(as_of=D(2026, 11, 9))
    return d


def titles(items) -> list[str]:
    return [item["deal"]["title"] for item in items]


def test_what_changed_since_last_week(people, two_weeks, api_as):
    d = two_weeks
    body = api_as(people.head).get("/api/v1/forecast-snapshots/changes/", {"week": "2026-11-11"}).json()
    assert (body["week"], body["previous_week"], body["previous_week_taken"]) == (
        "2026-11-09",
        "2026-11-02",
        True,
    )
    assert {kind: titles(body[kind]) for kind in ("added", "slipped", "moved", "won", "lost")} == {
        "added": [d["new"].title],
        "slipped": [d["slips"].title],
        "moved": [d["moves"].title],
        "won": [d["wins"].title],
        "lost": [d["loses"].title],
    }
    moved = body["moved"][0]
    assert (moved["before"]["category"], moved["now"]["category"]) == ("commit", "best_case")
    assert (body["slipped"][0]["before"]["expected_close"], body["slipped"][0]["now"]["expected_close"]) == (
        "2026-11-20",
        "2026-12-10",
    )
    # A rep sees only their own deals' changes; a lead their team's.
    body = api_as(people.rep_c).get("/api/v1/forecast-snapshots/changes/", {"week": "2026-11-09"}).json()
    assert {kind: titles(body[kind]) for kind in ("added", "won", "lost")} == {
        "added": [],
        "won": [],
        "lost": [d["loses"].title],
    }
    body = api_as(people.lead).get("/api/v1/forecast-snapshots/changes/", {"week": "2026-11-09"}).json()
    assert titles(body["lost"]) == [] and titles(body["won"]) == [d["wins"].title]


def test_the_snapshot_list_api_and_the_changes_page(people, two_weeks, api_as, client):
    api = api_as(people.rep_a)
    body = api.get("/api/v1/forecast-snapshots/", {"week": "2026-11-09"}).json()
    assert sorted(row["deal"]["title"] for row in body["results"]) == sorted(
        [two_weeks["slips"].title, two_weeks["moves"].title, two_weeks["new"].title]
    )
    assert api.get("/api/v1/forecast-snapshots/", {"week": "tomorrow"}).status_code == 400
    assert api.get("/api/v1/forecast-snapshots/changes/", {"owner": people.rep_c.pk}).status_code == 400
    client.force_login(people.head)
    response = client.get(reverse("forecast_changes"), {"week": "2026-11-09"})
    assert response.status_code == 200
    content = response.content.decode()
    section = content[content.index('data-testid="changes-won"') :]
    assert two_weeks["wins"].title in section[: section.index("</section>")]
    assert client.get(reverse("forecast_changes"), {"week": "99999-01-01"}).status_code == 400
    # The first snapshot has nothing before it: no change is listed, the page says why.
    response = client.get(reverse("forecast_changes"), {"week": "2026-11-02"})
    assert 'data-testid="no-previous-snapshot"' in response.content.decode()
    assert 'data-testid="changes-added"' not in response.content.decode()


@pytest.fixture
def november(people):
    """Commits in the snapshot of the week November starts in (Monday 26 October)."""
    p = people
    a1 = deal(p.rep_a, "Contract", "1000.00", expected=D(2026, 11, 10))
    a2 = deal(p.rep_a, "Contract", "2000.00", expected=D(2026, 11, 20))
    a3 = deal(p.rep_a, "Negotiation", "500.00", expected=D(2026, 11, 15))
    a4 = deal(p.rep_a, "Contract", "700.00", expected=D(2026, 12, 5))
    c1 = deal(p.rep_c, "Lead", "300.00", expected=D(2026, 11, 30), forecast_category=ForecastCategory.COMMIT)
    forecast_snapshot_take(as_of=D(2026, 10, 26))
    close(a1, "Won", D(2026, 11, 12))  # committed and won
    close(a3, "Won", D(2026, 11, 16))  # won, but was best case
    close(a2, "Lost", D(2026, 11, 18))  # committed and lost
    close(a4, "Won", D(2026, 11, 28))  # committed for December, won early
    close(c1, "Won", D(2026, 12, 2))  # committed, won too late
    b1 = deal(p.rep_b, "Won", "900.00")
    close(b1, "Won", D(2026, 11, 5))  # never in the forecast
    return p


def test_forecast_accuracy_for_a_month_with_known_commits(november, api_as):
    p = november
    response = api_as(p.head).get("/api/v1/reports/forecast-accuracy/", {"period": "2026-11"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["snapshot_week"] == "2026-10-26"
    rows = {(row["scope"], row["label"]): row for row in body["rows"]}
    fields = ("commit", "commit_won", "closed", "accuracy", "commit_hit")

    def figures(key):
        return tuple(rows[key][name] for name in fields)

    # Anna: commit 1000 + 2000; of it won 1000; closed 1000 + 500 + 700 = 2200.
    assert figures(("rep", p.rep_a.full_name)) == ("3000.00", "1000.00", "2200.00", "73.33", "33.33")
    assert figures(("rep", p.rep_b.full_name)) == ("0.00", "0.00", "900.00", None, None)
    assert figures(("rep", p.rep_c.full_name)) == ("300.00", "0.00", "0.00", "0.00", "0.00")
    assert figures(("team", "North")) == ("3000.00", "1000.00", "3100.00", "103.33", "33.33")
    assert figures(("team", "South")) == ("300.00", "0.00", "0.00", "0.00", "0.00")
    # 3100 / 3300 = 93.94 %; 1000 / 3300 = 30.30 %.
    assert figures(("department", "Department")) == ("3300.00", "1000.00", "3100.00", "93.94", "30.30")
    lead_rows = api_as(p.lead).get("/api/v1/reports/forecast-accuracy/", {"period": "2026-11"}).json()["rows"]
    assert [row["label"] for row in lead_rows] == ["North", p.rep_a.full_name, p.rep_b.full_name]
    assert api_as(p.lead).get("/api/v1/reports/forecast-accuracy/", {"period": "2026-M1"}).status_code == 400


def test_the_accuracy_page_and_constant_queries(november, client, django_assert_num_queries):
    p = november
    client.force_login(p.head)
    with CaptureQueriesContext(connection) as small:
        response = client.get(reverse("forecast_accuracy"), {"period": "2026-11"})
    assert response.status_code == 200
    content = response.content.decode()
    row = content[content.index('data-row="department-"') :]
    row = row[: row.index("</tr>")]
    for shown in ("3,300.00", "1,000.00", "3,100.00", "93.9%", "30.3%"):
        assert shown in row
    for number in range(5):
        person = UserFactory(username=f"sextra{number}", role=Role.REP, team=p.south)
        extra = deal(person, "Won", "10.00")
        close(extra, "Won", D(2026, 11, 3))
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("forecast_accuracy"), {"period": "2026-11"})
        assert response.content.decode().count('data-row="rep-') == 8
    assert client.get(reverse("forecast_accuracy"), {"period": "2026-11", "owner": "x"}).status_code == 400
