"""Running the reports and recording every run (ReportRun).

``report_run_execute`` is what the Celery task and ``manage.py run_reports`` call: it
marks the run started, computes one kind for one date and records the outcome — rows
written, or the error. Computing is idempotent, so a redelivered or retried task simply
computes the same rows again."""

from __future__ import annotations

import datetime
import traceback
from collections.abc import Callable, Iterable

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from reports.models import (
    ActivityStat,
    ConversionReport,
    CoverageReport,
    IncentiveReport,
    Notification,
    OverdueAlert,
    PlanFulfilment,
    RenewalReport,
    ReportKind,
    ReportRun,
    RunStatus,
)
from reports.rules import may_trigger_runs
from reports.services.activity import activity_compute, activity_compute_months
from reports.services.alerts import alerts_refresh
from reports.services.common import RunResult
from reports.services.conversion import conversion_compute, conversion_compute_months
from reports.services.coverage import coverage_compute
from reports.services.fulfilment import fulfilment_compute, fulfilment_compute_months
from reports.services.incentives import incentives_compute
from reports.services.renewal import renewal_compute
from reports.services.snapshots import forecast_snapshot_take

REPORT_KINDS: list[str] = [kind.value for kind in ReportKind]

# The Celery task that executes one queued run (reports/tasks.py registers it under this
# name). Queued by name so that services never import the tasks that call them.
RUN_REPORT_TASK = "reports.run_report"


def _compute(kind: str, run_date: datetime.date, *, send_email: bool) -> RunResult:
    services: dict[str, Callable[..., RunResult]] = {
        ReportKind.CONVERSION: conversion_compute,
        ReportKind.RENEWAL: renewal_compute,
        ReportKind.ACTIVITY: activity_compute,
        ReportKind.FULFILMENT: fulfilment_compute,
        ReportKind.COVERAGE: coverage_compute,
        ReportKind.FORECAST: forecast_snapshot_take,
        ReportKind.INCENTIVES: incentives_compute,
    }
    if kind == ReportKind.ALERTS:
        return alerts_refresh(today=run_date, send_email=send_email)
    return services[kind](as_of=run_date)


# The tables each kind fills, which the run has PostgreSQL ANALYZE once it wrote them in bulk:
# the planner otherwise keeps the statistics of the tables as they were (empty, after a fresh
# seed) and plans the home page's alerts as a loop over every alert of the department.
REPORT_TABLES = {
    ReportKind.CONVERSION: [ConversionReport],
    ReportKind.RENEWAL: [RenewalReport],
    ReportKind.ACTIVITY: [ActivityStat],
    ReportKind.FULFILMENT: [PlanFulfilment],
    ReportKind.COVERAGE: [CoverageReport],
    ReportKind.ALERTS: [OverdueAlert, Notification],
    ReportKind.INCENTIVES: [IncentiveReport],
}
# A run that writes at least this many rows analyzes its tables (a night's small changes are
# left to autovacuum).
ANALYZE_AFTER_ROWS = 1000


def report_tables_analyze(kinds: Iterable[str]) -> list[str]:
    """ANALYZE the tables the given kinds fill (PostgreSQL only; elsewhere nothing). Returns
    the tables analyzed."""
    if connection.vendor != "postgresql":
        return []
    tables = sorted({model._meta.db_table for kind in kinds for model in REPORT_TABLES.get(kind, [])})
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return tables


def report_run_execute(
    *,
    kind: str,
    run_date: datetime.date,
    run_id: int | None = None,
    send_email: bool = True,
    analyze: bool = True,
) -> ReportRun:
    """Compute one kind of report for one date and record how it went. Errors are recorded
    on the run and raised again so the caller (a task) can retry. A run that wrote rows in
    bulk analyzes its tables unless ``analyze`` is off (a backfill analyzes once, at its end)."""
    if kind not in REPORT_KINDS:
        raise ValidationError({"kind": _("Unknown report kind.")})
    started = timezone.now()
    if run_id is not None and ReportRun.objects.filter(pk=run_id).update(
        status=RunStatus.RUNNING, started_at=started, finished_at=None, error="", attempts=F("attempts") + 1
    ):
        run = ReportRun.objects.get(pk=run_id)
    else:
        run = ReportRun.objects.create(
            kind=kind, run_date=run_date, status=RunStatus.RUNNING, started_at=started, attempts=1
        )
    try:
        result = _compute(kind, run_date, send_email=send_email)
    except Exception:
        run.status = RunStatus.FAILED
        run.error = traceback.format_exc(limit=8)[-4000:]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at", "updated_at"])
        raise
    run.status = RunStatus.SKIPPED if result.skipped else RunStatus.SUCCEEDED
    run.error = result.skipped
    run.rows_written = result.rows_written
    run.rows_total = result.rows_total
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "rows_written", "rows_total", "finished_at", "updated_at"])
    if analyze and result.rows_written >= ANALYZE_AFTER_ROWS:
        report_tables_analyze([kind])
    return run


# The kinds that compute many months in one pass (each aggregate once over all the months,
# grouped by month): a backfill runs them so instead of month by month.
MONTHS_SERVICES: dict[str, Callable[[list[datetime.date]], dict[datetime.date, RunResult]]] = {
    ReportKind.CONVERSION: conversion_compute_months,
    ReportKind.ACTIVITY: activity_compute_months,
    ReportKind.FULFILMENT: fulfilment_compute_months,
}


def report_runs_execute_months(*, kind: str, run_dates: list[datetime.date]) -> list[ReportRun]:
    """Compute one kind for many month dates in one pass (a backfill) and record a run for
    every date, as month-by-month runs would be recorded: each with its rows written and
    total; their start and finish are the pass's. On an error every run is recorded failed
    and the error raised again. The caller analyzes the tables afterwards."""
    started = timezone.now()
    runs = [
        ReportRun.objects.create(
            kind=kind, run_date=run_date, status=RunStatus.RUNNING, started_at=started, attempts=1
        )
        for run_date in run_dates
    ]
    try:
        results = MONTHS_SERVICES[kind](run_dates)
    except Exception:
        error = traceback.format_exc(limit=8)[-4000:]
        ReportRun.objects.filter(pk__in=[run.pk for run in runs]).update(
            status=RunStatus.FAILED, error=error, finished_at=timezone.now(), updated_at=timezone.now()
        )
        raise
    finished = timezone.now()
    for run in runs:
        result = results[run.run_date]
        run.status = RunStatus.SKIPPED if result.skipped else RunStatus.SUCCEEDED
        run.error = result.skipped
        run.rows_written = result.rows_written
        run.rows_total = result.rows_total
        run.finished_at = finished
        run.updated_at = finished
    ReportRun.objects.bulk_update(
        runs, fields=["status", "error", "rows_written", "rows_total", "finished_at", "updated_at"]
    )
    return runs


# No figures exist before the department's records begin, and the date arithmetic of the
# services (a year of months back, the month's end) overflows near year 1.
EARLIEST_RUN_DATE = datetime.date(2000, 1, 1)
MAX_YEARS_BACK = 10


def earliest_run_date(today: datetime.date | None = None) -> datetime.date:
    """The earliest date a run may be started for: ten years back, and never before 2000."""
    today = today or timezone.localdate()
    try:
        ten_years_back = today.replace(year=today.year - MAX_YEARS_BACK)
    except ValueError:  # 29 February
        ten_years_back = today.replace(year=today.year - MAX_YEARS_BACK, day=28)
    return max(EARLIEST_RUN_DATE, ten_years_back)


def run_date_error(run_date: datetime.date) -> str | None:
    """Why reports cannot be computed for ``run_date``, or None when they can."""
    today = timezone.localdate()
    if run_date > today:
        return _("Reports cannot be computed for a date in the future.")
    earliest = earliest_run_date(today)
    if run_date < earliest:
        return _("Reports can be computed for %(date)s or later.") % {"date": earliest.isoformat()}
    return None


def _validate(run_date, kinds: Iterable[str]) -> list[str]:
    kinds = list(dict.fromkeys(kinds))
    errors = {}
    if not isinstance(run_date, datetime.date):
        errors["run_date"] = _("Give the date as YYYY-MM-DD.")
    elif error := run_date_error(run_date):
        errors["run_date"] = error
    if not kinds:
        errors["kinds"] = _("Choose at least one report.")
    elif any(kind not in REPORT_KINDS for kind in kinds):
        errors["kinds"] = _("Unknown report kind.")
    if errors:
        raise ValidationError(errors)
    return kinds


@transaction.atomic
def report_runs_queue(
    *, run_date: datetime.date, kinds: Iterable[str], triggered_by: User | None = None
) -> list[ReportRun]:
    """Record queued runs and hand them to the task queue once the transaction commits. A
    kind already queued or running for the date is not queued twice."""
    kinds = _validate(run_date, kinds)
    # A run that has not moved for longer than a task may take died with its worker.
    alive_since = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    busy = set(
        ReportRun.objects.filter(
            run_date=run_date,
            kind__in=kinds,
            status__in=[RunStatus.QUEUED, RunStatus.RUNNING],
            updated_at__gte=alive_since,
        ).values_list("kind", flat=True)
    )
    runs = [
        ReportRun.objects.create(run_date=run_date, kind=kind, triggered_by=triggered_by)
        for kind in kinds
        if kind not in busy
    ]
    for run in runs:
        transaction.on_commit(lambda run=run: _enqueue(run), robust=False)
    return runs


def _enqueue(run: ReportRun) -> None:
    """Hand one recorded run to the task queue (eagerly executed when no broker is set)."""
    # Looked up by name in the app's registry (reading it imports every app's tasks), so this
    # module needs no import of reports.tasks, and eager mode still runs it in-process.
    current_app.tasks[RUN_REPORT_TASK].delay(run.run_date.isoformat(), run.kind, run.pk)


def report_runs_trigger(*, by: User, run_date: datetime.date, kinds: Iterable[str]) -> list[ReportRun]:
    """A run started by hand from the reports page or the API: head and analyst only."""
    if not may_trigger_runs(by):
        raise PermissionDenied(_("Only the head of sales and the analyst may start report runs."))
    return report_runs_queue(run_date=run_date, kinds=kinds, triggered_by=by)
