"""Activity statistics: calls, meetings, visits and e-mails each person logged, per day
and per month, against the activity norms.

Norms: a personal ActivityNorm overrides the one of the person's role. A working day
(Monday to Friday) asks for ``calls_per_day`` calls; a month asks for that many calls per
working day so far, and ``meetings_per_week`` face-to-face meetings (meetings and visits)
per five working days. A team's and the department's norm is the sum of their people's."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate

from accounts.models import User
from clients.models import Activity, ActivityKind
from reports.models import ActivityStat, PeriodKind, Scope
from reports.services.common import (
    DEPARTMENT,
    Month,
    RunResult,
    ScopeKey,
    is_workday,
    key_of,
    months_of,
    people_in,
    scope_universe,
    upsert_report_rows,
)
from targets.models import ActivityNorm

COUNTS = {
    "calls": Count("pk", filter=Q(kind=ActivityKind.CALL)),
    "meetings": Count("pk", filter=Q(kind=ActivityKind.MEETING)),
    "visits": Count("pk", filter=Q(kind=ActivityKind.VISIT)),
    "emails": Count("pk", filter=Q(kind=ActivityKind.EMAIL)),
}


def norm_expressions() -> dict:
    """Each person's norms, annotated on a User queryset: their own, else their role's, else 0."""
    own = ActivityNorm.objects.filter(user=OuterRef("pk"))
    by_role = ActivityNorm.objects.filter(user__isnull=True, role=OuterRef("role"))

    def norm(field: str):
        return Coalesce(
            Subquery(own.values(field)[:1]),
            Subquery(by_role.values(field)[:1]),
            Value(0),
            output_field=IntegerField(),
        )

    return {"calls_per_day": norm("calls_per_day"), "meetings_per_week": norm("meetings_per_week")}


def scope_norms(universe: list[ScopeKey]) -> dict[ScopeKey, tuple[int, int]]:
    """(calls per day, meetings per week) for every scope: people's own, summed for teams
    and the department."""
    person_ids = [key[2] for key in universe if key[0] == Scope.REP]
    people = User.objects.filter(pk__in=person_ids).annotate(**norm_expressions())
    norms: dict[ScopeKey, list[int]] = defaultdict(lambda: [0, 0])
    for person in people.values("pk", "team_id", "calls_per_day", "meetings_per_week"):
        figures = (person["calls_per_day"], person["meetings_per_week"])
        scopes = [(Scope.REP, None, person["pk"]), DEPARTMENT]
        if person["team_id"] is not None:
            scopes.append((Scope.TEAM, person["team_id"], None))
        for scope in scopes:
            norms[scope][0] += figures[0]
            norms[scope][1] += figures[1]
    return {scope: (norms[scope][0], norms[scope][1]) for scope in universe}


def _counts(figures: dict) -> dict:
    return {name: figures.get(name) or 0 for name in COUNTS}


def person_day_groups(activities) -> list[tuple]:
    """The activities grouped by person and day in the database: a few thousand rows a
    month, never one row per activity; (owner, team, day, *counts) tuples, compact enough
    to hold three years of a large department."""
    return list(
        activities.annotate(day=TruncDate("occurred_at"))
        .order_by()
        .values("owner", "owner__team", "day")
        .annotate(**COUNTS)
        .values_list("owner", "owner__team", "day", *COUNTS)
    )


def person_day_counts(groups: list[tuple]) -> tuple[dict, dict]:
    """The counts by scope for the month and by (scope, day), summed from the person-day
    groups of one month (activities are by far the largest table, so it is read once)."""
    month_totals: dict[ScopeKey, Counter] = defaultdict(Counter)
    day_totals: dict[tuple[ScopeKey, datetime.date], Counter] = defaultdict(Counter)
    for owner, team, day, *counts in groups:
        scopes = [DEPARTMENT, (Scope.REP, None, owner)]
        if team is not None:
            scopes.append((Scope.TEAM, team, None))
        for scope in scopes:
            for name, count in zip(COUNTS, counts, strict=True):
                month_totals[scope][name] += count
                day_totals[(scope, day)][name] += count
    return month_totals, day_totals


def activity_compute(*, as_of: datetime.date) -> RunResult:
    return activity_compute_months([as_of])[as_of]


@transaction.atomic
def activity_compute_months(days: list[datetime.date]) -> dict[datetime.date, RunResult]:
    """The activity rows of every month in ``days`` (one date per month, each but the latest
    its month's end), reading the activities once: one person-by-day grouping over all the
    months, then each month summed and upserted on its own."""
    months = months_of(days)
    since, until = months[0].datetime_bounds()[0], months[-1].datetime_bounds()[1]
    groups_by_month: dict[datetime.date, list[tuple]] = defaultdict(list)
    for group in person_day_groups(Activity.objects.filter(occurred_at__gte=since, occurred_at__lt=until)):
        groups_by_month[group[2].replace(day=1)].append(group)
    return {month.as_of: _month_compute(month, groups_by_month.pop(month.start, [])) for month in months}


def _month_compute(month: Month, groups: list[tuple]) -> RunResult:
    month_totals, day_totals = person_day_counts(groups)
    universe = scope_universe(people=people_in(month_totals))
    norms = scope_norms(universe)
    days = month.days()
    workdays = sum(1 for day in days if is_workday(day))

    rows = {}
    for scope in universe:
        calls_per_day, meetings_per_week = norms[scope]
        counts = _counts(month_totals.get(scope, {}))
        calls_norm = calls_per_day * workdays
        meetings_norm = (Decimal(meetings_per_week * workdays) / 5).quantize(Decimal("0.1"), ROUND_HALF_UP)
        face_to_face = counts["meetings"] + counts["visits"]
        rows[key_of(scope, PeriodKind.MONTH, month.start)] = {
            **counts,
            "workdays": workdays,
            "calls_norm": calls_norm,
            "meetings_norm": meetings_norm,
            "below_norm": counts["calls"] < calls_norm or face_to_face < meetings_norm,
        }
        for day in days:
            counts = _counts(day_totals.get((scope, day), {}))
            working = is_workday(day)
            calls_norm = calls_per_day if working else 0
            rows[key_of(scope, PeriodKind.DAY, day)] = {
                **counts,
                "workdays": 1 if working else 0,
                "calls_norm": calls_norm,
                "meetings_norm": None,
                "below_norm": counts["calls"] < calls_norm,
            }
    existing = ActivityStat.objects.filter(
        Q(period_kind=PeriodKind.MONTH, period=month.start)
        | Q(period_kind=PeriodKind.DAY, period__gte=month.start, period__lte=month.as_of)
    )
    return upsert_report_rows(ActivityStat, rows=rows, existing=existing, as_of=month.as_of)
