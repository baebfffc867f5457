"""The weekly forecast snapshot: on the week's first day (Monday) the nightly run records
every open deal's effective forecast category, amount, expected close, stage, owner and
team for that week. An upsert keyed by week × deal: a second run on the same day writes
the same rows (and drops the rows of deals closed in between). On a later day of the week
the run takes the week's snapshot only if it is still missing (Monday's run failed)."""

from __future__ import annotations

import datetime

from django.db import transaction

from deals.models import Deal, StageKind, effective_forecast_category
from reports.models import ForecastSnapshot
from reports.services.common import RunResult

FIELDS = ("owner_id", "team_id", "stage_id", "category", "amount", "expected_close")


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of ``day``'s week."""
    return day - datetime.timedelta(days=day.weekday())


@transaction.atomic
def forecast_snapshot_take(*, as_of: datetime.date) -> RunResult:
    week = week_of(as_of)
    existing = ForecastSnapshot.objects.filter(week=week)
    if as_of != week and existing.exists():
        return RunResult(rows_written=0, rows_total=existing.count())
    deals = (
        Deal.objects.filter(stage__kind=StageKind.OPEN)
        .annotate(category=effective_forecast_category())
        .values("pk", "owner_id", "owner__team_id", "stage_id", "category", "amount", "expected_close")
        .order_by("pk")
    )
    wanted = {
        row["pk"]: {
            "owner_id": row["owner_id"],
            "team_id": row["owner__team_id"],
            "stage_id": row["stage_id"],
            "category": row["category"],
            "amount": row["amount"],
            "expected_close": row["expected_close"],
        }
        for row in deals
    }
    current = {row.deal_id: row for row in existing}
    removed = [pk for pk in current if pk not in wanted]
    written = 0
    if removed:
        written += existing.filter(deal_id__in=removed).delete()[0]
    new_rows, changed_rows = [], []
    for deal_id, values in wanted.items():
        row = current.get(deal_id)
        if row is None:
            new_rows.append(ForecastSnapshot(week=week, deal_id=deal_id, taken_on=as_of, **values))
        elif any(getattr(row, name) != values[name] for name in FIELDS):
            for name, value in values.items():
                setattr(row, name, value)
            row.taken_on = as_of
            changed_rows.append(row)
    ForecastSnapshot.objects.bulk_create(new_rows, batch_size=500)
    ForecastSnapshot.objects.bulk_update(changed_rows, [*FIELDS, "taken_on", "updated_at"], batch_size=500)
    written += len(new_rows) + len(changed_rows)
    return RunResult(rows_written=written, rows_total=len(wanted))
