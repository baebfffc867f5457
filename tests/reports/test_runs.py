"""Report runs: recording, triggering (head and analyst only), the Celery tasks, the
management command, and the nightly task end to end through a real worker."""

import datetime
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone

from reports.models import ConversionReport, Notification, OverdueAlert, ReportRun, RunStatus
from reports.services import runs as run_services
from reports.services.runs import REPORT_KINDS, report_run_execute, report_runs_trigger
from reports.tasks import run_nightly, run_report
from salesdept.celery import app
from tests.factories import InstallmentFactory
from tests.migration_support import restore_default_stages
from tests.reports.conftest import make_deal

AS_OF = datetime.date(2026, 3, 18)


@pytest.mark.django_db
def test_a_run_records_its_outcome(department):
    run = report_run_execute(kind="conversion", run_date=AS_OF)
    run.refresh_from_db()
    assert (run.kind, run.run_date, run.status, run.attempts) == ("conversion", AS_OF, RunStatus.SUCCEEDED, 1)
    assert (run.rows_written, run.rows_total, run.error) == (12, 12, "")
    assert run.started_at <= run.finished_at


@pytest.mark.django_db
def test_a_failing_run_records_the_error_and_raises(department, monkeypatch):
    def broken(*, as_of):
        raise ValueError("the numbers do not add up")

    monkeypatch.setattr(run_services, "conversion_compute", broken)
    with pytest.raises(ValueError):
        report_run_execute(kind="conversion", run_date=AS_OF)
    run = ReportRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert "ValueError: the numbers do not add up" in run.error
    assert run.finished_at is not None
    assert not ConversionReport.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["head", "analyst"])
def test_head_and_analyst_trigger_a_run(department, role, django_capture_on_commit_callbacks):
    person = getattr(department, role)
    with django_capture_on_commit_callbacks(execute=True):
        runs = report_runs_trigger(by=person, run_date=AS_OF, kinds=["conversion", "renewal"])
    assert [run.kind for run in runs] == ["conversion", "renewal"]
    assert list(ReportRun.objects.order_by("kind").values_list("kind", "status", "triggered_by")) == [
        ("conversion", "succeeded", person.pk),
        ("renewal", "succeeded", person.pk),
    ]
    assert ConversionReport.objects.filter(period=datetime.date(2026, 3, 1)).count() == 12


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role",
    [
        "lead_north",
        "rep_north",
        "sdr_north",
        "account_manager_south",
        "assistant_north",
        "inactive_rep_north",
    ],
)
def test_nobody_else_may_trigger_a_run(department, role, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        report_runs_trigger(by=getattr(department, role), run_date=AS_OF, kinds=["conversion"])
    assert not ReportRun.objects.exists()
    assert not ConversionReport.objects.exists()


@pytest.mark.django_db
def test_a_trigger_with_bad_input_writes_nothing(department):
    from django.core.exceptions import ValidationError

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        report_runs_trigger(by=department.head, run_date=tomorrow, kinds=["conversion", "horoscope"])
    assert set(error.value.message_dict) == {"run_date", "kinds"}
    assert not ReportRun.objects.exists()


@pytest.mark.django_db
def test_a_kind_already_queued_is_not_queued_twice(department, django_capture_on_commit_callbacks):
    ReportRun.objects.create(run_date=AS_OF, kind="conversion", status=RunStatus.QUEUED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        runs = report_runs_trigger(by=department.head, run_date=AS_OF, kinds=["conversion", "coverage"])
    assert [run.kind for run in runs] == ["coverage"]
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_the_task_retries_a_database_error(department, monkeypatch):
    calls = []
    real = run_services.conversion_compute

    def flaky(*, as_of):
        calls.append(as_of)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(as_of=as_of)

    monkeypatch.setattr(run_services, "conversion_compute", flaky)
    run = ReportRun.objects.create(run_date=AS_OF, kind="conversion")
    result = run_report.apply(args=[AS_OF.isoformat(), "conversion", run.pk], throw=False)
    assert result.get()["status"] == "succeeded"
    run.refresh_from_db()
    assert (run.status, run.attempts, run.error) == (RunStatus.SUCCEEDED, 2, "")
    assert ReportRun.objects.count() == 1


@pytest.mark.django_db
def test_the_nightly_task_computes_yesterday_and_the_alerts_for_today(
    department, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_nightly.apply(args=["2026-03-19"])
    runs = sorted(ReportRun.objects.values_list("kind", "run_date", "status"))
    assert runs == sorted(
        [(kind, AS_OF, "succeeded") for kind in REPORT_KINDS if kind != "alerts"]
        + [("alerts", datetime.date(2026, 3, 19), "succeeded")]
    )


@pytest.mark.django_db
def test_the_command_runs_every_report_in_process(department, capsys):
    call_command("run_reports", "--date", AS_OF.isoformat())
    assert sorted(ReportRun.objects.values_list("kind", "status")) == sorted(
        (kind, "succeeded") for kind in REPORT_KINDS
    )
    output = capsys.readouterr().out
    assert "2026-03-18 conversion: succeeded, 12 rows written, 12 rows" in output

    call_command("run_reports", "--date", AS_OF.isoformat(), "--if-missing")
    assert ReportRun.objects.count() == len(REPORT_KINDS)


@pytest.mark.django_db
def test_the_command_backfills_month_ends_but_alerts_only_for_the_date(department):
    call_command(
        "run_reports", "--date", AS_OF.isoformat(), "--months", "3", "--kind", "renewal", "--kind", "alerts"
    )
    assert sorted(ReportRun.objects.values_list("kind", "run_date")) == [
        ("alerts", AS_OF),
        ("renewal", datetime.date(2026, 1, 31)),
        ("renewal", datetime.date(2026, 2, 28)),
        ("renewal", AS_OF),
    ]


@pytest.mark.django_db
def test_the_command_rejects_a_bad_date(department):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("run_reports", "--date", "18.03.2026")
    assert not ReportRun.objects.exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not settings.CELERY_BROKER_URL,
    reason="CELERY_BROKER_URL is not set: the real-worker run happens in the PostgreSQL + Redis pass",
)
def test_a_real_worker_runs_the_nightly_task_end_to_end(department):
    from celery.contrib.testing.worker import start_worker

    restore_default_stages()
    today = timezone.localdate()
    deal = make_deal(department.rep_north, stage_name="Won", amount="500.00", closed=today)
    InstallmentFactory(deal=deal, due_date=today - datetime.timedelta(days=3), amount=Decimal("500.00"))

    app.conf.task_always_eager = False
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
        ):
            run_nightly.delay(today.isoformat()).get(timeout=60)
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                statuses = list(ReportRun.objects.values_list("status", flat=True))
                if len(statuses) == len(REPORT_KINDS) and all(s in ("succeeded", "failed") for s in statuses):
                    break
                time.sleep(0.5)
    finally:
        app.conf.task_always_eager = True

    assert sorted(ReportRun.objects.values_list("kind", "status")) == sorted(
        (kind, "succeeded") for kind in REPORT_KINDS
    )
    yesterday = today - datetime.timedelta(days=1)
    assert ConversionReport.objects.filter(period=yesterday.replace(day=1), scope="department").exists()
    alert = OverdueAlert.objects.get()
    assert (alert.days_overdue, alert.outstanding) == (3, Decimal("500.00"))
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "lead_north",
        "rep_north",
    ]


def test_beat_schedules_the_nightly_run_at_half_past_one():
    from celery.schedules import crontab

    entry = settings.CELERY_BEAT_SCHEDULE["reports-nightly"]
    assert entry["task"] == "reports.run_nightly" == run_nightly.name
    assert entry["schedule"] == crontab(hour=1, minute=30)
    assert "reports.run_nightly" in app.tasks and "reports.run_report" in app.tasks


def _everything_written():
    from reports.models import ActivityStat, CoverageReport, PlanFulfilment, RenewalReport

    return [
        list(model.objects.order_by("pk").values_list("pk", "updated_at"))
        for model in (
            ReportRun,
            ConversionReport,
            RenewalReport,
            ActivityStat,
            PlanFulfilment,
            CoverageReport,
            OverdueAlert,
            Notification,
        )
    ]


@pytest.mark.django_db
def test_a_run_for_the_distant_past_is_refused_with_the_earliest_date(department):
    from django.core.exceptions import ValidationError

    today = timezone.localdate()
    earliest = run_services.earliest_run_date(today)
    assert earliest == max(datetime.date(2000, 1, 1), today.replace(year=today.year - 10))
    message = f"Reports can be computed for {earliest.isoformat()} or later."
    for run_date in (
        datetime.date(1, 1, 1),
        datetime.date(1999, 12, 31),
        earliest - datetime.timedelta(days=1),
    ):
        with pytest.raises(ValidationError) as error:
            report_runs_trigger(by=department.head, run_date=run_date, kinds=REPORT_KINDS)
        assert error.value.message_dict == {"run_date": [message]}
    assert not ReportRun.objects.exists()
    [run] = report_runs_trigger(by=department.head, run_date=earliest, kinds=["renewal"])
    assert run.run_date == earliest


def test_the_earliest_run_date_is_ten_years_back_but_never_before_2000():
    assert run_services.earliest_run_date(datetime.date(2026, 11, 23)) == datetime.date(2016, 11, 23)
    assert run_services.earliest_run_date(datetime.date(2028, 2, 29)) == datetime.date(2018, 2, 28)
    assert run_services.earliest_run_date(datetime.date(2005, 6, 1)) == datetime.date(2000, 1, 1)


@pytest.mark.django_db
def test_the_page_refuses_a_run_for_year_one_and_writes_nothing(
    client, reporting, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    client.force_login(reporting.head)
    before = _everything_written()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("reports:run_trigger"), {"run_date": "0001-01-01", "kinds": REPORT_KINDS}
        )
    assert response.status_code == 400
    earliest = run_services.earliest_run_date().isoformat()
    assert f"Reports can be computed for {earliest} or later." in response.content.decode()
    assert callbacks == []
    assert _everything_written() == before


@pytest.mark.django_db
def test_the_api_refuses_a_run_for_year_one_and_writes_nothing(
    reporting, api_as, django_capture_on_commit_callbacks
):
    before = _everything_written()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api_as(reporting.analyst).post(
            "/api/v1/report-runs/", {"date": "0001-01-01", "kinds": ["renewal"]}, format="json"
        )
    assert response.status_code == 400
    earliest = run_services.earliest_run_date().isoformat()
    assert response.json() == {"run_date": [f"Reports can be computed for {earliest} or later."]}
    assert callbacks == []
    assert _everything_written() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "arguments",
    [
        ["--date", "0001-01-01"],
        ["--date", "1999-12-31"],
        ["--date", "2001-01-31", "--months", "120"],
        ["--date", "2026-03-18", "--months", "100000"],
    ],
)
def test_the_command_refuses_the_distant_past_and_writes_nothing(department, arguments):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("run_reports", *arguments)
    assert not ReportRun.objects.exists()
    assert not ConversionReport.objects.exists()


@pytest.mark.django_db
def test_a_run_that_writes_in_bulk_analyzes_its_tables(department, monkeypatch):
    analyzed = []
    monkeypatch.setattr(run_services, "report_tables_analyze", lambda kinds: analyzed.append(list(kinds)))
    report_run_execute(kind="conversion", run_date=AS_OF)  # 12 rows: left to autovacuum
    assert analyzed == []
    monkeypatch.setattr(run_services, "ANALYZE_AFTER_ROWS", 12)
    assert report_run_execute(kind="conversion", run_date=datetime.date(2026, 4, 30)).rows_written == 12
    assert analyzed == [["conversion"]]
    report_run_execute(kind="conversion", run_date=datetime.date(2026, 5, 31), analyze=False)
    assert analyzed == [["conversion"]]


@pytest.mark.django_db
def test_the_command_analyzes_once_after_every_date(department, monkeypatch, capsys):
    from reports.management.commands import run_reports as command

    analyzed = []

    def analyze(kinds):
        analyzed.append(list(kinds))
        return ["reports_renewalreport"]

    monkeypatch.setattr(command, "report_tables_analyze", analyze)
    monkeypatch.setattr(run_services, "ANALYZE_AFTER_ROWS", 1)  # the runs themselves leave it
    call_command("run_reports", "--date", AS_OF.isoformat(), "--months", "3", "--kind", "conversion")
    assert analyzed == [["conversion"]]
    assert "Analyzed reports_renewalreport." in capsys.readouterr().out


@pytest.mark.django_db
def test_analyzing_names_the_tables_of_each_kind(department):
    from django.db import connection

    tables = run_services.report_tables_analyze(["alerts", "conversion"])
    if connection.vendor == "postgresql":
        assert tables == ["reports_conversionreport", "reports_notification", "reports_overduealert"]
    else:
        assert tables == []  # SQLite plans without ANALYZE statistics of this kind
