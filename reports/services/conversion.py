"""Conversion for a month, from the deals and their StageChange history.

- leads created: deals created in the month;
- won / lost: deals closed in the month (``closed_at``) that are now won / lost, and the
  win rate won / (won + lost);
- the funnel of the deals closed in the month, whose path is final: a deal reached an
  open stage when its history went to that stage or further (skipping a stage passes it),
  a won deal reached every stage; stage-to-stage conversion is reached(i+1) / reached(i);
- average days in each stage, over the stays that ended in the month (from the change that
  entered the stage to the one that left it);
- average cycle length from creation to close, over the deals closed in the month.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth

from core.money import money
from deals.models import Deal, Stage, StageChange, StageKind
from reports.models import ConversionReport
from reports.services.common import (
    Month,
    RunResult,
    by_month,
    days_of,
    groups_by_scope,
    key_of,
    months_of,
    people_in,
    percent,
    scope_universe,
    upsert_report_rows,
)


def _furthest_open_stage_order() -> Subquery:
    """The highest order among the open stages a deal's history ever went to."""
    return Subquery(
        StageChange.objects.filter(deal=OuterRef("pk"), to_stage__kind=StageKind.OPEN)
        .order_by()
        .values("deal")
        .annotate(furthest=Max("to_stage__order"))
        .values("furthest"),
        output_field=IntegerField(),
    )


def _stay_duration() -> ExpressionWrapper:
    """How long the deal stayed in the stage a change leaves: since the change before it
    (or, for the first, since the deal was created)."""
    previous = (
        StageChange.objects.filter(deal=OuterRef("deal"))
        .filter(
            Q(changed_at__lt=OuterRef("changed_at"))
            | Q(changed_at=OuterRef("changed_at"), pk__lt=OuterRef("pk"))
        )
        .order_by("-changed_at", "-pk")
        .values("changed_at")[:1]
    )
    entered = Coalesce(Subquery(previous), F("deal__created_at"))
    return ExpressionWrapper(F("changed_at") - entered, output_field=DurationField())


def conversion_compute(*, as_of: datetime.date) -> RunResult:
    return conversion_compute_months([as_of])[as_of]


@transaction.atomic
def conversion_compute_months(days: list[datetime.date]) -> dict[datetime.date, RunResult]:
    """The conversion rows of every month in ``days`` (one date per month; every date but
    the latest the last day of its month, as a backfill runs them), computed in one pass:
    each aggregate runs once over all the months, grouped by month as well as by scope, so
    a 36-month backfill costs about one month's queries, not 36 times them."""
    months = {month.start: month for month in months_of(days)}
    first, last = min(months.values(), key=lambda m: m.start), max(months.values(), key=lambda m: m.start)
    since, until = first.datetime_bounds()[0], last.datetime_bounds()[1]
    open_stages = list(Stage.objects.filter(kind=StageKind.OPEN, is_active=True).order_by("order", "pk"))
    won_stage = Stage.objects.filter(kind=StageKind.WON).order_by("order", "pk").first()
    first_order = open_stages[0].order if open_stages else 0

    created = by_month(
        groups_by_scope(
            Deal.objects.filter(created_at__gte=since, created_at__lt=until).annotate(
                month=TruncMonth("created_at")
            ),
            person="owner",
            group=["month"],
            aggregates={"leads_created": Count("pk")},
        )
    )

    won = Q(stage__kind=StageKind.WON)
    closed_deals = Deal.objects.filter(
        closed_at__gte=first.start,
        closed_at__lte=last.as_of,
        stage__kind__in=[StageKind.WON, StageKind.LOST],
    ).annotate(
        furthest=Coalesce(_furthest_open_stage_order(), Value(first_order)), month=TruncMonth("closed_at")
    )
    closed = by_month(
        groups_by_scope(
            closed_deals,
            person="owner",
            group=["month"],
            aggregates={
                "won": Count("pk", filter=won),
                "lost": Count("pk", filter=Q(stage__kind=StageKind.LOST)),
                "won_amount": Sum("amount", filter=won),
                "cycle_deals": Count("pk"),
                "cycle_total": Sum(
                    ExpressionWrapper(F("closed_at") - TruncDate("created_at"), output_field=DurationField())
                ),
                **{
                    f"reached_{stage.pk}": Count("pk", filter=won | Q(furthest__gte=stage.order))
                    for stage in open_stages
                },
            },
        )
    )

    stays = by_month(
        groups_by_scope(
            StageChange.objects.filter(
                changed_at__gte=since, changed_at__lt=until, from_stage__kind=StageKind.OPEN
            ).annotate(stay=_stay_duration(), month=TruncMonth("changed_at")),
            person="deal__owner",
            group=["from_stage", "month"],
            aggregates={"stay_total": Sum("stay"), "stays": Count("pk")},
        )
    )

    results = {}
    for start, month in months.items():
        month_created = {scope: rows[0] for scope, rows in created.get(start, {}).items()}
        month_closed = {scope: rows[0] for scope, rows in closed.get(start, {}).items()}
        month_stays = stays.get(start, {})
        rows = _rows(month, month_created, month_closed, month_stays, open_stages, won_stage)
        results[month.as_of] = upsert_report_rows(
            ConversionReport,
            rows=rows,
            existing=ConversionReport.objects.filter(period=month.start),
            as_of=month.as_of,
        )
    return results


def _rows(month: Month, created, closed, stays, open_stages, won_stage) -> dict[tuple, dict]:
    rows = {}
    for scope in scope_universe(people=people_in(created, closed, stays)):
        figures = closed.get(scope, {})
        won_count, lost_count = figures.get("won") or 0, figures.get("lost") or 0
        stays_by_stage = {row["from_stage"]: row for row in stays.get(scope, [])}
        reached = [figures.get(f"reached_{stage.pk}") or 0 for stage in open_stages] + [won_count]
        funnel = []
        for index, stage in enumerate(open_stages):
            stay = stays_by_stage.get(stage.pk, {})
            average = days_of(stay.get("stay_total"), stay.get("stays") or 0)
            conversion = percent(reached[index + 1], reached[index])
            funnel.append(
                {
                    "stage": stage.pk,
                    "name": stage.name,
                    "reached": reached[index],
                    "advanced": reached[index + 1],
                    "rate": None if conversion is None else str(conversion),
                    "stays": stay.get("stays") or 0,
                    "avg_days": None if average is None else str(average),
                }
            )
        funnel.append(
            {
                "stage": won_stage.pk if won_stage else None,
                "name": won_stage.name if won_stage else "Won",
                "reached": won_count,
                "advanced": None,
                "rate": None,
                "stays": 0,
                "avg_days": None,
            }
        )
        rows[key_of(scope, month.start)] = {
            "leads_created": created.get(scope, {}).get("leads_created") or 0,
            "won": won_count,
            "lost": lost_count,
            "won_amount": money(figures.get("won_amount")),
            "win_rate": percent(won_count, won_count + lost_count),
            "stages": funnel,
            "cycle_deals": figures.get("cycle_deals") or 0,
            "avg_cycle_days": days_of(figures.get("cycle_total"), figures.get("cycle_deals") or 0),
        }
    return rows
