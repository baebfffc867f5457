"""Overdue-debt alerts: one per overdue installment, kept current, escalated once past 30
days, resolved when paid; notifications once per alert, level and person."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from reports.models import AlertLevel, AlertStatus, Notification, NotificationPreference, OverdueAlert
from reports.services.alerts import alerts_refresh
from targets.services import payment_delete
from tests.factories import InstallmentFactory, OverdueReasonFactory, PaymentFactory
from tests.reports.conftest import comparable_rows, local, make_deal

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 3, 10)


def day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


@pytest.fixture
def installment(department):
    deal = make_deal(
        department.rep_north, stage_name="Won", amount="3000.00", closed=datetime.date(2026, 2, 1)
    )
    return InstallmentFactory(deal=deal, due_date=DUE, amount=Decimal("1000.00"))


def notified(alert) -> list[tuple[str, int]]:
    return sorted(alert.notifications.values_list("recipient__username", "level"))


def test_an_installment_becoming_overdue_yields_one_alert_and_two_notifications(department, installment):
    alerts_refresh(today=DUE)
    assert not OverdueAlert.objects.exists()

    alerts_refresh(today=day(1))
    alert = OverdueAlert.objects.get()
    assert alert.installment == installment
    assert (alert.status, alert.level, alert.days_overdue, alert.bucket) == (
        "open",
        AlertLevel.OVERDUE,
        1,
        "1-30",
    )
    assert (alert.outstanding, alert.opened_on, alert.escalated_on) == (Decimal("1000.00"), day(1), None)
    assert notified(alert) == [("lead_north", 1), ("rep_north", 1)]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "lead_north@example.com",
        "rep_north@example.com",
    ]
    assert all(
        n.emailed_at is not None and not n.email_pending and not n.digest_pending and n.digested_on == day(1)
        for n in Notification.objects.all()
    )
    # not urgent: it comes in each person's daily digest
    assert mail.outbox[0].subject == "Daily digest: 1 overdue payment"
    assert installment.deal.client.name in mail.outbox[0].body


def test_running_twice_changes_nothing_and_sends_nothing_more(department, installment):
    alerts_refresh(today=day(1))
    first = comparable_rows(OverdueAlert), comparable_rows(Notification)
    again = alerts_refresh(today=day(1))
    assert (comparable_rows(OverdueAlert), comparable_rows(Notification)) == first
    assert again.rows_written == 0
    assert len(mail.outbox) == 2


def test_the_alert_is_kept_current_with_the_latest_reason(department, installment):
    alerts_refresh(today=day(1))
    OverdueReasonFactory(
        installment=installment, reason="Budget frozen", promised_date=day(20), recorded_at=local(2026, 3, 11)
    )
    OverdueReasonFactory(
        installment=installment,
        reason="Director on holiday",
        promised_date=day(25),
        recorded_at=local(2026, 3, 12),
    )
    PaymentFactory(installment=installment, amount=Decimal("400.00"), paid_on=day(2))
    alerts_refresh(today=day(3))
    alert = OverdueAlert.objects.get()
    assert (alert.days_overdue, alert.outstanding) == (3, Decimal("600.00"))
    assert (alert.reason, alert.promised_date, alert.checked_on) == ("Director on holiday", day(25), day(3))
    assert len(mail.outbox) == 2


def test_past_thirty_days_it_escalates_to_the_head_once(department, installment):
    alerts_refresh(today=day(1))
    alerts_refresh(today=day(30))
    alert = OverdueAlert.objects.get()
    assert (alert.level, alert.bucket, alert.escalated_on) == (AlertLevel.OVERDUE, "1-30", None)
    assert len(mail.outbox) == 2

    alerts_refresh(today=day(31))
    alert.refresh_from_db()
    assert (alert.level, alert.days_overdue, alert.bucket, alert.escalated_on) == (
        AlertLevel.ESCALATED,
        31,
        "31-60",
        day(31),
    )
    assert notified(alert) == [("head", 2), ("lead_north", 1), ("rep_north", 1)]
    assert [message.to for message in mail.outbox[2:]] == [["head@example.com"]]
    assert mail.outbox[2].subject == f"Escalated: {installment.deal.client.name}'s payment is 31 days overdue"

    alerts_refresh(today=day(31))
    alerts_refresh(today=day(45))
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 3
    alert.refresh_from_db()
    assert (alert.days_overdue, alert.escalated_on) == (45, day(31))


def test_found_long_overdue_it_notifies_both_levels_at_once(department, installment):
    alerts_refresh(today=day(40))
    alert = OverdueAlert.objects.get()
    assert (alert.level, alert.opened_on, alert.escalated_on) == (AlertLevel.ESCALATED, day(40), day(40))
    assert notified(alert) == [("head", 2), ("lead_north", 1), ("rep_north", 1)]


def test_paying_it_resolves_the_alert(department, installment):
    alerts_refresh(today=day(1))
    PaymentFactory(installment=installment, amount=Decimal("1000.00"), paid_on=day(4))
    alerts_refresh(today=day(5))
    alert = OverdueAlert.objects.get()
    assert (alert.status, alert.resolved_on, alert.outstanding) == (
        AlertStatus.RESOLVED,
        day(5),
        Decimal("0.00"),
    )
    # Resolved stays resolved, with nobody notified again.
    alerts_refresh(today=day(40))
    alert.refresh_from_db()
    assert (alert.status, alert.resolved_on) == (AlertStatus.RESOLVED, day(5))
    assert Notification.objects.count() == 2


def test_a_date_before_the_latest_refresh_is_skipped(department, installment):
    alerts_refresh(today=day(10))
    result = alerts_refresh(today=day(2))
    assert result.skipped
    assert OverdueAlert.objects.get().days_overdue == 10


def test_e_mail_goes_out_in_the_recipients_language_and_only_if_wanted(department, installment):
    NotificationPreference.objects.create(user=department.lead_north, language="ru", email_enabled=True)
    NotificationPreference.objects.create(user=department.rep_north, language="en", email_enabled=False)
    alerts_refresh(today=day(1))
    assert [message.to for message in mail.outbox] == [["lead_north@example.com"]]
    message = mail.outbox[0]
    assert message.extra_headers["Content-Language"] == "ru"
    # Django's own Russian catalogue names the month: the text was rendered in Russian.
    assert "10 марта 2026" in message.body
    # The in-app notification exists for both.
    assert Notification.objects.count() == 2


def test_a_person_without_a_team_notifies_only_themselves(department):
    deal = make_deal(department.rep_without_team, stage_name="Won", closed=datetime.date(2026, 2, 1))
    InstallmentFactory(deal=deal, due_date=DUE, amount=Decimal("100.00"))
    alerts_refresh(today=day(1))
    assert notified(OverdueAlert.objects.get()) == [("rep_without_team", 1)]


def test_a_failed_e_mail_is_retried_on_the_next_run(department, installment, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    original = EmailMultiAlternatives.send

    def broken(self, *args, **kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken)
    alerts_refresh(today=day(1))
    assert Notification.objects.filter(digest_pending=True, emailed_at=None, digested_on=None).count() == 2
    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    alerts_refresh(today=day(1))
    assert len(mail.outbox) == 2
    assert not Notification.objects.filter(digest_pending=True).exists()


def test_an_alert_reopens_when_the_installment_falls_overdue_again(department, installment):
    alerts_refresh(today=day(1))
    payment = PaymentFactory(installment=installment, amount=Decimal("1000.00"), paid_on=day(2))
    alerts_refresh(today=day(3))
    payment_delete(actor=department.head, payment=payment)  # the payment bounced
    alerts_refresh(today=day(3))
    alert = OverdueAlert.objects.get()
    assert (alert.status, alert.resolved_on, alert.days_overdue, alert.outstanding) == (
        AlertStatus.OPEN,
        None,
        3,
        Decimal("1000.00"),
    )
    # Owner and lead were told when it first opened; nobody is told twice.
    assert Notification.objects.count() == 2
    alerts_refresh(today=day(32))
    alert.refresh_from_db()
    assert (alert.level, alert.days_overdue, alert.escalated_on) == (AlertLevel.ESCALATED, 32, day(32))


def test_alert_e_mails_link_to_the_alert_with_an_absolute_address(department, installment, settings):
    settings.SITE_URL = "https://crm.example.com"
    alerts_refresh(today=day(1))
    alert = OverdueAlert.objects.get()
    assert f"https://crm.example.com/reports/alerts/{alert.pk}/" in mail.outbox[0].body
