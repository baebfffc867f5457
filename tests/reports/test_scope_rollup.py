"""Counts and sums at the three scopes in one query (reports.services.common): the teams'
and the department's rows are the people's added up, exactly as three grouped queries give
them."""

from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum

from deals.models import Deal
from reports.models import Scope
from reports.services import common
from reports.services.common import DEPARTMENT, groups_by_scope, totals_by_scope
from tests.reports.conftest import make_deal

pytestmark = pytest.mark.django_db


def _as_sets(groups: dict) -> dict:
    return {scope: sorted(sorted(row.items()) for row in rows) for scope, rows in groups.items()}


@pytest.fixture
def pipeline(department):
    make_deal(department.rep_north, stage_name="Lead", amount="100.10")
    make_deal(department.rep_north, stage_name="Proposal", amount="200.20")
    make_deal(department.rep_north_2, stage_name="Lead", amount="0.01")
    make_deal(department.rep_south, stage_name="Won", amount="3000.00")
    make_deal(department.rep_without_team, stage_name="Lead", amount="55.55")  # no team: no team row


AGGREGATES = {
    "deals": Count("pk"),
    "won": Count("pk", filter=Q(stage__kind="won")),
    "total": Sum("amount"),
    "won_total": Sum("amount", filter=Q(stage__kind="won")),  # NULL for those without a win
}


def test_grouped_counts_and_sums_equal_the_three_queries(pipeline, department, monkeypatch):
    rolled = groups_by_scope(Deal.objects.all(), person="owner", group=["stage"], aggregates=AGGREGATES)
    monkeypatch.setattr(common, "_additive", lambda aggregates: False)
    three = groups_by_scope(Deal.objects.all(), person="owner", group=["stage"], aggregates=AGGREGATES)
    assert _as_sets(rolled) == _as_sets(three)
    north = (Scope.TEAM, department.north.pk, None)
    lead = [row for row in rolled[north] if row["won"] == 0 and row["deals"] == 2]
    assert len(lead) == 1 and lead[0]["total"] == Decimal("100.11") and lead[0]["won_total"] is None


def test_totals_equal_the_three_queries_and_the_department_is_there_when_nothing_matched(
    pipeline, department, monkeypatch
):
    rolled = totals_by_scope(Deal.objects.all(), person="owner", aggregates=AGGREGATES)
    assert rolled[DEPARTMENT] == {
        "deals": 5,
        "won": 1,
        "total": Decimal("3355.86"),
        "won_total": Decimal("3000.00"),
    }
    assert (Scope.REP, None, department.rep_without_team.pk) in rolled
    nothing = totals_by_scope(Deal.objects.none(), person="owner", aggregates=AGGREGATES)
    monkeypatch.setattr(common, "_additive", lambda aggregates: False)
    assert rolled == totals_by_scope(Deal.objects.all(), person="owner", aggregates=AGGREGATES)
    assert nothing == totals_by_scope(Deal.objects.none(), person="owner", aggregates=AGGREGATES)
    assert nothing == {DEPARTMENT: {"deals": 0, "won": 0, "total": None, "won_total": None}}


def test_a_distinct_count_is_not_added_up():
    assert common._additive({"deals": Count("pk"), "amount": Sum("amount")})
    assert not common._additive({"clients": Count("client", distinct=True)})
