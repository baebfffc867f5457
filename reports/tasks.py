"""Celery tasks: thin wrappers that take a date string, call a report service and let it
record the run. Database hiccups (a lost connection, a concurrent run inserting the same
row) are retried with exponential backoff; computing is idempotent, so a retry or a
redelivery (acks_late) recomputes the same rows."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import IntegrityError, InterfaceError, OperationalError
from django.utils import timezone

from deals.services import quotes_expire
from reports.models import ReportKind
from reports.services.reminders import reminders_run
from reports.services.runs import REPORT_KINDS, RUN_REPORT_TASK, report_run_execute, report_runs_queue
from sync.services import tombstones_purge

RETRY_ON = (OperationalError, InterfaceError, IntegrityError)


@shared_task(
    bind=True,
    name=RUN_REPORT_TASK,
    autoretry_for=RETRY_ON,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def run_report(self, run_date: str, kind: str, run_id: int | None = None) -> dict:
    run = report_run_execute(kind=kind, run_date=datetime.date.fromisoformat(run_date), run_id=run_id)
    return {"run": run.pk, "kind": run.kind, "status": run.status, "rows_written": run.rows_written}


@shared_task(name="reports.run_nightly")
def run_nightly(today: str | None = None) -> list[int]:
    """The beat-scheduled nightly run: the reports for the day that just ended (so the
    last day of a month completes that month) and the alerts as of today. Sent proposals
    past their validity expire first."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    quotes_expire(today=day)
    reports = [kind for kind in REPORT_KINDS if kind != ReportKind.ALERTS]
    runs = report_runs_queue(run_date=day - datetime.timedelta(days=1), kinds=reports)
    runs += report_runs_queue(run_date=day, kinds=[ReportKind.ALERTS])
    tombstones_purge()
    return [run.pk for run in runs]


@shared_task(name="reports.send_reminders")
def send_reminders() -> dict:
    """Every minute (beat): the reminders before timed tasks and the morning digests, each
    sent once (reports/services/reminders.py)."""
    run = reminders_run()
    return {"reminders": run.reminders, "digests": run.digests, "emails": run.emails}
