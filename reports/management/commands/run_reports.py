"""Compute the reports in-process — what the nightly Celery task does, without a broker."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.models import ReportKind, ReportRun, RunStatus
from reports.services.runs import (
    MAX_YEARS_BACK,
    MONTHS_SERVICES,
    REPORT_KINDS,
    earliest_run_date,
    report_run_execute,
    report_runs_execute_months,
    report_tables_analyze,
)


def _month_ends(last: datetime.date, months: int) -> list[datetime.date]:
    """``last`` and the last day of each of the ``months`` - 1 months before it."""
    days = [last]
    first = last.replace(day=1)
    for _month in range(months - 1):
        previous = first - datetime.timedelta(days=1)
        days.append(previous)
        first = previous.replace(day=1)
    return sorted(days)


class Command(BaseCommand):
    help = "Compute the report tables and refresh the overdue alerts for a date (default: today)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="The date, YYYY-MM-DD (default: today in the department's time zone)."
        )
        parser.add_argument(
            "--kind",
            action="append",
            choices=REPORT_KINDS,
            help="Only this report (repeatable; default: all).",
        )
        parser.add_argument(
            "--months",
            type=int,
            default=1,
            help="Also compute the months before: the last day of each of the previous N-1 months.",
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Skip a report that already ran successfully for a date.",
        )
        parser.add_argument(
            "--no-email", action="store_true", help="Create in-app notifications but send no e-mail for them."
        )

    def handle(self, *args, **options):
        try:
            day = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError("--date must be YYYY-MM-DD.") from error
        if not 1 <= options["months"] <= 12 * MAX_YEARS_BACK:
            raise CommandError(f"--months must be between 1 and {12 * MAX_YEARS_BACK}.")
        # The future stays allowed here (a test data set may live there); the distant past,
        # where the services' date arithmetic overflows, does not.
        earliest = earliest_run_date()
        run_dates = _month_ends(day, options["months"]) if day >= earliest else [day]
        if run_dates[0] < earliest:
            raise CommandError(f"The dates must be {earliest.isoformat()} or later.")
        kinds = options["kind"] or REPORT_KINDS
        self.failed = 0
        self.written: set[str] = set()
        # Kinds that compute many months in one pass do so when there are several dates.
        together = [kind for kind in kinds if kind in MONTHS_SERVICES and len(run_dates) > 1]
        for kind in together:
            self._run_months(kind, [date for date in run_dates if self._wanted(options, date, kind)])
        for run_date in run_dates:
            for kind in kinds:
                # Alerts describe the present; only the latest date brings them up to date.
                if kind in together or (kind == ReportKind.ALERTS and run_date != day):
                    continue
                if not self._wanted(options, run_date, kind):
                    continue
                try:
                    run = report_run_execute(
                        kind=kind, run_date=run_date, send_email=not options["no_email"], analyze=False
                    )
                except Exception as error:
                    self.failed += 1
                    self.stderr.write(f"{run_date} {kind}: failed: {error}")
                    continue
                self._report(run)
        written, failed = self.written, self.failed
        # Once, after every date: the planner sees the tables as the runs left them.
        analyzed = report_tables_analyze(sorted(written))
        if analyzed:
            self.stdout.write(f"Analyzed {', '.join(analyzed)}.")
        if failed:
            raise CommandError(f"{failed} report run(s) failed.")

    def _wanted(self, options, run_date: datetime.date, kind: str) -> bool:
        """False when ``--if-missing`` and the kind already ran successfully for the date."""
        return not (
            options["if_missing"]
            and ReportRun.objects.filter(
                run_date=run_date, kind=kind, status__in=[RunStatus.SUCCEEDED, RunStatus.SKIPPED]
            ).exists()
        )

    def _run_months(self, kind: str, run_dates: list[datetime.date]) -> None:
        if not run_dates:
            return
        try:
            runs = report_runs_execute_months(kind=kind, run_dates=run_dates)
        except Exception as error:
            self.failed += len(run_dates)
            self.stderr.write(f"{run_dates[0]}..{run_dates[-1]} {kind}: failed: {error}")
            return
        for run in runs:
            self._report(run)

    def _report(self, run: ReportRun) -> None:
        if run.rows_written:
            self.written.add(run.kind)
        self.stdout.write(
            f"{run.run_date} {run.kind}: {run.status}, {run.rows_written} rows written, "
            f"{run.rows_total} rows, {run.duration_seconds or 0:.2f} s"
        )
