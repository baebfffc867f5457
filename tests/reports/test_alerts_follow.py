"""An installment rescheduled, paid or voided has its overdue alert follow at once (the
targets services send targets.signals.installment_changed; reports receives it), not at
the next nightly run."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from reports.models import AlertStatus, OverdueAlert
from reports.services.alerts import alerts_refresh
from targets.services import installment_update, payment_record, payment_void
from tests.factories import InstallmentFactory
from tests.reports.conftest import make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(department):
    today = timezone.localdate()
    deal = make_deal(
        department.rep_north, stage_name="Won", amount="1000.00", closed=today - datetime.timedelta(days=90)
    )
    installment = InstallmentFactory(
        deal=deal, due_date=today - datetime.timedelta(days=45), amount=Decimal("1000.00")
    )
    alerts_refresh(today=today, send_email=False)
    alert = OverdueAlert.objects.get(installment=installment)
    assert (alert.days_overdue, alert.bucket) == (45, "31-60")
    return installment


def test_moving_the_due_date_refreshes_days_overdue_and_bucket_at_once(department, overdue):
    today = timezone.localdate()
    installment_update(
        actor=department.rep_north, installment=overdue, due_date=today - datetime.timedelta(days=5)
    )
    alert = OverdueAlert.objects.get(installment=overdue)
    assert (alert.status, alert.days_overdue, alert.bucket, alert.due_date) == (
        AlertStatus.OPEN,
        5,
        "1-30",
        today - datetime.timedelta(days=5),
    )
    installment_update(
        actor=department.rep_north, installment=overdue, due_date=today + datetime.timedelta(days=7)
    )
    alert.refresh_from_db()
    assert (alert.status, alert.resolved_on) == (AlertStatus.RESOLVED, today)


def test_a_payment_and_its_void_move_the_alert_at_once(department, overdue):
    payment = payment_record(
        actor=department.rep_north, installment=overdue, amount="1000.00", paid_on=timezone.localdate()
    )
    alert = OverdueAlert.objects.get(installment=overdue)
    assert alert.status == AlertStatus.RESOLVED
    payment_void(actor=department.lead_north, payment=payment, reason="The transfer bounced")
    alert.refresh_from_db()
    assert (alert.status, alert.outstanding, alert.days_overdue) == (AlertStatus.OPEN, Decimal("1000.00"), 45)
