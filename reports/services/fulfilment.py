"""Plan fulfilment for a month: the booked plan (won deal amounts by close date) and the
collected plan (payments by date) against the actuals, and the forecast — booked so far
plus the weighted open pipeline expected to close in the month.

Plans come from the decomposition: the month cell (team and rep empty) for the
department, the team-month cells for teams, the rep-month cells for people."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, F, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from core.money import money
from deals.models import Deal, StageKind
from reports.models import PlanFulfilment, Scope
from reports.services.common import (
    DEPARTMENT,
    Month,
    RunResult,
    ScopeKey,
    by_month,
    groups_by_scope,
    key_of,
    months_of,
    people_in,
    percent,
    scope_universe,
    upsert_report_rows,
)
from targets.models import Allocation, Payment, PlanMetric

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _plans(month: Month) -> dict[ScopeKey, dict[str, Decimal]]:
    """Plan amounts by scope and metric, three grouped queries over the allocations."""
    cells = Allocation.objects.filter(plan__year=month.start.year, month=month.start.month).order_by()
    plans: dict[ScopeKey, dict[str, Decimal]] = defaultdict(dict)
    for row in (
        cells.filter(team__isnull=True, rep__isnull=True).values("plan__metric").annotate(total=Sum("amount"))
    ):
        plans[DEPARTMENT][row["plan__metric"]] = money(row["total"])
    for row in (
        cells.filter(team__isnull=False, rep__isnull=True)
        .values("team", "plan__metric")
        .annotate(total=Sum("amount"))
    ):
        plans[(Scope.TEAM, row["team"], None)][row["plan__metric"]] = money(row["total"])
    for row in cells.filter(rep__isnull=False).values("rep", "plan__metric").annotate(total=Sum("amount")):
        plans[(Scope.REP, None, row["rep"])][row["plan__metric"]] = money(row["total"])
    return plans


def month_plans(month: Month) -> dict[ScopeKey, dict[str, Decimal]]:
    """The plan amounts of a month by scope and metric (what incentives measure against)."""
    return _plans(month)


def booked_deals(month: Month):
    """The deals booked in the month through ``as_of``: won, by close date."""
    return Deal.objects.filter(
        stage__kind=StageKind.WON, closed_at__gte=month.start, closed_at__lte=month.as_of
    )


def collected_payments(month: Month):
    """The payments collected in the month through ``as_of`` (counted ones, by date)."""
    return Payment.objects.counted().filter(paid_on__gte=month.start, paid_on__lte=month.as_of)


def weighted_amount():
    """amount × effective probability / 100, in the database (× 0.01 rather than / 100 so
    SQLite does not divide integers)."""
    probability = Coalesce("probability", "stage__default_probability")
    return F("amount") * probability * Value(Decimal("0.01"), output_field=MONEY)


def fulfilment_compute(*, as_of: datetime.date) -> RunResult:
    return fulfilment_compute_months([as_of])[as_of]


def _month_totals(queryset, *, field: str, person: str, aggregates: dict) -> dict:
    """``aggregates`` by month of ``field`` and by scope: {month: {scope: figures}}."""
    grouped = by_month(
        groups_by_scope(
            queryset.annotate(month=TruncMonth(field)), person=person, group=["month"], aggregates=aggregates
        )
    )
    return {start: {scope: rows[0] for scope, rows in scopes.items()} for start, scopes in grouped.items()}


@transaction.atomic
def fulfilment_compute_months(days: list[datetime.date]) -> dict[datetime.date, RunResult]:
    """The fulfilment rows of every month in ``days`` (one date per month, each but the
    latest its month's end): booked, collected and the weighted pipeline each grouped once
    over all the months, by month and scope; the plans month by month (small)."""
    months = months_of(days)
    first, last = months[0], months[-1]
    booked = _month_totals(
        Deal.objects.filter(stage__kind=StageKind.WON, closed_at__gte=first.start, closed_at__lte=last.as_of),
        field="closed_at",
        person="owner",
        aggregates={"booked": Sum("amount")},
    )
    collected = _month_totals(
        Payment.objects.counted().filter(paid_on__gte=first.start, paid_on__lte=last.as_of),
        field="paid_on",
        person="installment__deal__owner",
        aggregates={"collected": Sum("amount")},
    )
    pipeline = _month_totals(
        Deal.objects.filter(
            stage__kind=StageKind.OPEN, expected_close__gte=first.start, expected_close__lte=last.end
        ),
        field="expected_close",
        person="owner",
        aggregates={"weighted": Sum(weighted_amount(), output_field=MONEY)},
    )
    return {
        month.as_of: _month_rows(
            month,
            _plans(month),
            booked.get(month.start, {}),
            collected.get(month.start, {}),
            pipeline.get(month.start, {}),
        )
        for month in months
    }


def _month_rows(month: Month, plans, booked, collected, pipeline) -> RunResult:
    rows = {}
    people = people_in(booked, collected, pipeline) | {key[2] for key in plans if key[0] == Scope.REP}
    for scope in scope_universe(people=people):
        plan = plans.get(scope, {})
        plan_booked, plan_collected = plan.get(PlanMetric.BOOKED), plan.get(PlanMetric.COLLECTED)
        booked_amount = money(booked.get(scope, {}).get("booked"))
        collected_amount = money(collected.get(scope, {}).get("collected"))
        weighted = money(pipeline.get(scope, {}).get("weighted"))
        forecast = booked_amount + weighted
        rows[key_of(scope, month.start)] = {
            "plan_booked": plan_booked,
            "booked": booked_amount,
            "plan_collected": plan_collected,
            "collected": collected_amount,
            "pipeline_weighted": weighted,
            "forecast": forecast,
            "fulfilment_pct": percent(booked_amount, plan_booked),
            "collected_pct": percent(collected_amount, plan_collected),
            "forecast_pct": percent(forecast, plan_booked),
        }
    return upsert_report_rows(
        PlanFulfilment,
        rows=rows,
        existing=PlanFulfilment.objects.filter(period=month.start),
        as_of=month.as_of,
    )
