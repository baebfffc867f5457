"""What every report service shares: the month being computed, the scopes a report has
rows for, aggregation at the three scope levels in the database, and the upsert that
leaves unchanged rows untouched (so two runs for one date give identical rows)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils import timezone

from accounts.models import Team, User
from accounts.roles import SELLING_ROLES
from core.money import CENT
from reports.models import Scope

ScopeKey = tuple[str, int | None, int | None]
DEPARTMENT: ScopeKey = (Scope.DEPARTMENT, None, None)


@dataclass(frozen=True)
class RunResult:
    rows_written: int
    rows_total: int
    skipped: str = ""


@dataclass(frozen=True)
class Month:
    """The month containing ``as_of``, with figures counted through ``as_of`` inclusive."""

    start: datetime.date
    end: datetime.date
    as_of: datetime.date

    @classmethod
    def of(cls, day: datetime.date) -> Month:
        start = day.replace(day=1)
        following = (start + datetime.timedelta(days=32)).replace(day=1)
        return cls(start=start, end=following - datetime.timedelta(days=1), as_of=day)

    def datetime_bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start of the month, end of ``as_of``) in the department's time zone."""
        return day_start(self.start), day_start(self.as_of + datetime.timedelta(days=1))

    def days(self) -> list[datetime.date]:
        count = (self.as_of - self.start).days + 1
        return [self.start + datetime.timedelta(days=offset) for offset in range(count)]


def months_of(days: Iterable[datetime.date]) -> list[Month]:
    """The months a many-month computation covers, oldest first: one date per month, every
    date but the latest the last day of its month (as a backfill runs them), so that one
    range from the first month's start to the latest date holds exactly their figures."""
    months = sorted((Month.of(day) for day in days), key=lambda month: month.start)
    if not months or len({month.start for month in months}) != len(months):
        raise ValueError("Give one date per month.")
    if any(month.as_of != month.end for month in months[:-1]):
        raise ValueError("Every date but the latest must be the last day of its month.")
    return months


def month_of(value) -> datetime.date:
    """The first day of the month a TruncMonth value names (a date, or an aware datetime
    in the department's time zone)."""
    return value.date() if isinstance(value, datetime.datetime) else value


def by_month(groups: dict, field: str = "month") -> dict[datetime.date, dict]:
    """Split ``groups_by_scope`` rows grouped further by month into {month: {scope: [rows]}}."""
    result: dict[datetime.date, dict] = {}
    for scope, rows in groups.items():
        for row in rows:
            result.setdefault(month_of(row[field]), {}).setdefault(scope, []).append(row)
    return result


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def is_workday(day: datetime.date) -> bool:
    return day.weekday() < 5


def percent(part, whole) -> Decimal | None:
    """part / whole in per cent, to the cent; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def days_of(duration: datetime.timedelta | None, count: int) -> Decimal | None:
    """The average of ``count`` durations summing to ``duration``, in days to one decimal."""
    if not count or duration is None:
        return None
    return (Decimal(duration.total_seconds()) / 86400 / count).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def _levels(person: str) -> list[tuple[str, list[str]]]:
    return [(Scope.DEPARTMENT, []), (Scope.TEAM, [f"{person}__team"]), (Scope.REP, [person])]


def _key(scope: str, row: dict, person: str) -> ScopeKey:
    if scope == Scope.TEAM:
        return (Scope.TEAM, row[f"{person}__team"], None)
    if scope == Scope.REP:
        return (Scope.REP, None, row[person])
    return DEPARTMENT


def totals_by_scope(queryset: models.QuerySet, *, person: str, aggregates: dict) -> dict[ScopeKey, dict]:
    """``aggregates`` computed in the database for the department, each team (by the
    person's team) and each person: three grouped queries."""
    return {
        key: rows[0] for key, rows in groups_by_scope(queryset, person=person, aggregates=aggregates).items()
    }


def groups_by_scope(
    queryset: models.QuerySet, *, person: str, aggregates: dict, group: Iterable[str] = ()
) -> dict[ScopeKey, list[dict]]:
    """Like ``totals_by_scope``, further grouped by ``group`` (e.g. the day or the industry)."""
    group = list(group)
    if _additive(aggregates):
        return _rolled_up(queryset, person=person, aggregates=aggregates, group=group)
    result: dict[ScopeKey, list[dict]] = defaultdict(list)
    for scope, fields in _levels(person):
        queryset_at_level = queryset.order_by()
        if scope == Scope.TEAM:
            queryset_at_level = queryset_at_level.filter(**{f"{person}__team__isnull": False})
        if fields or group:
            rows = queryset_at_level.values(*fields, *group).annotate(**aggregates)
        else:
            rows = [queryset_at_level.aggregate(**aggregates)]
        for row in rows:
            result[_key(scope, row, person)].append(row)
    return result


def _additive(aggregates: dict) -> bool:
    """Counts and sums add up: a team's is the sum of its people's (a distinct count or a
    maximum does not)."""
    return all(
        isinstance(aggregate, models.Count | models.Sum) and not aggregate.distinct
        for aggregate in aggregates.values()
    )


def _add(total, value):
    """SQL's SUM: NULLs are left out, and a sum of nothing but NULLs is NULL."""
    if value is None:
        return total
    return value if total is None else total + value


def _rolled_up(queryset: models.QuerySet, *, person: str, aggregates: dict, group: list[str]):
    """``groups_by_scope`` for counts and sums in one query instead of three: grouped by the
    person (and their team), each team's and the department's rows are the people's added
    up here. The rows have the shape the three queries give (the department's without a
    group is there even when nothing matched)."""
    team = f"{person}__team"
    result: dict[ScopeKey, list[dict]] = defaultdict(list)
    totals: dict[tuple, dict] = {}
    for row in queryset.order_by().values(person, team, *group).annotate(**aggregates):
        shown = (person, *group, *aggregates)
        result[(Scope.REP, None, row[person])].append({key: row[key] for key in shown})
        levels = [(DEPARTMENT, {})]
        if row[team] is not None:
            levels.append(((Scope.TEAM, row[team], None), {team: row[team]}))
        for scope, fields in levels:
            total = totals.setdefault(
                (scope, *(row[name] for name in group)),
                {**fields, **{name: row[name] for name in group}, **dict.fromkeys(aggregates)},
            )
            for name in aggregates:
                total[name] = _add(total[name], row[name])
    for (scope, *_group_values), total in totals.items():
        result[scope].append(total)
    if not group and DEPARTMENT not in result:
        nothing = {name: 0 if isinstance(value, models.Count) else None for name, value in aggregates.items()}
        result[DEPARTMENT].append(nothing)
    return result


def scope_universe(*, people: Iterable[int] = ()) -> list[ScopeKey]:
    """Every scope a report has a row for: the department, every team (an empty team gets
    its zero row), every active seller, and anyone else the figures mention."""
    # Who takes part in the pipeline and its statistics: every one of them gets a row even in
    # a month without any figures, so "nothing happened" is visible.
    sellers = User.objects.filter(is_active=True, role__in=SELLING_ROLES).values_list("pk", flat=True)
    person_ids = sorted(set(sellers) | {pk for pk in people if pk is not None})
    team_ids = Team.objects.order_by("pk").values_list("pk", flat=True)
    return [
        DEPARTMENT,
        *[(Scope.TEAM, pk, None) for pk in team_ids],
        *[(Scope.REP, None, pk) for pk in person_ids],
    ]


def people_in(*groups: dict[ScopeKey, object]) -> set[int]:
    return {key[2] for group in groups for key in group if key[0] == Scope.REP}


def upsert_report_rows(
    model: type[models.Model],
    *,
    rows: dict[tuple, dict],
    existing: models.QuerySet,
    as_of: datetime.date,
) -> RunResult:
    """Make the rows in ``existing`` (the periods being computed) exactly ``rows``: insert
    the new keys, update the rows whose figures changed, delete the keys no longer
    computed. A row whose figures did not change is not written at all."""
    now = timezone.now()
    key_fields = model.KEY_FIELDS
    names = list(model.FIGURES)
    width = len(key_fields)
    # The stored figures are read as plain values (no model instance per stored row: a month
    # of activity statistics is hundreds of rows, and most are unchanged); an instance is
    # made only for a row to write.
    current = {
        values[:width]: values[width:]
        for values in existing.order_by().values_list(*key_fields, "pk", "as_of", *names)
    }
    to_create, to_update = [], []
    for key, figures in rows.items():
        stored = current.pop(key, None)
        if stored is None:
            to_create.append(
                model(**dict(zip(key_fields, key, strict=True)), **figures, as_of=as_of, updated_at=now)
            )
            continue
        pk, stored_as_of, *stored_figures = stored
        stored_by_name = dict(zip(names, stored_figures, strict=True))
        if stored_as_of != as_of or any(stored_by_name[name] != value for name, value in figures.items()):
            to_update.append(
                model(
                    pk=pk,
                    **dict(zip(key_fields, key, strict=True)),
                    **{**stored_by_name, **figures},
                    as_of=as_of,
                    updated_at=now,
                )
            )
    obsolete = [stored[0] for stored in current.values()]
    if obsolete:
        model.objects.filter(pk__in=obsolete).delete()
    model.objects.bulk_create(to_create, batch_size=500)
    model.objects.bulk_update(to_update, fields=[*model.FIGURES, "as_of", "updated_at"], batch_size=500)
    return RunResult(rows_written=len(to_create) + len(to_update) + len(obsolete), rows_total=len(rows))


def key_of(scope_key: ScopeKey, *prefix) -> tuple:
    """A report row's natural key: ``prefix`` (period kind, period) then the scope."""
    return (*prefix, *scope_key)
