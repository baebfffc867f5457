"""Notifications worth reading: an overdue payment waits for the person's one daily digest;
an escalation (urgent) is e-mailed at once."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from reports.models import AlertLevel, Notification, NotificationPreference
from reports.services.alerts import alerts_refresh
from reports.services.notifications import notifications_send_digests
from tests.factories import InstallmentFactory
from tests.reports.conftest import make_deal

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 3, 10)


def day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


def overdue(owner, client_name: str, *, due=DUE, amount="1000.00"):
    deal = make_deal(owner, stage_name="Won", amount="3000.00", closed=datetime.date(2026, 2, 1))
    deal.client.name = client_name
    deal.client.save(update_fields=["name"])
    return InstallmentFactory(deal=deal, due_date=due, amount=Decimal(amount))


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def test_three_overdue_payments_make_one_digest_per_person(department):
    for name in ("Alpha", "Beta", "Gamma"):
        overdue(department.rep_north, name)
    alerts_refresh(today=day(1))
    assert Notification.objects.count() == 6  # owner and lead, three alerts each
    assert sorted(message.to[0] for message in mail.outbox) == [
        "lead_north@example.com",
        "rep_north@example.com",
    ]
    digest = mails_to("rep_north@example.com")[0]
    assert digest.subject == "Daily digest: 3 overdue payments"
    assert [name for name in ("Alpha", "Beta", "Gamma") if name in digest.body] == ["Alpha", "Beta", "Gamma"]
    assert digest.body.count("/reports/alerts/") == 3


def test_a_second_run_the_same_day_waits_for_the_next_digest(department):
    overdue(department.rep_north, "Alpha")
    alerts_refresh(today=day(1))
    overdue(department.rep_north, "Beta", due=day(0))
    alerts_refresh(today=day(1))
    assert len(mail.outbox) == 2  # nobody gets a second digest on day 1
    waiting = Notification.objects.filter(digest_pending=True)
    assert sorted(waiting.values_list("recipient__username", flat=True)) == ["lead_north", "rep_north"]
    alerts_refresh(today=day(2))
    later = mails_to("rep_north@example.com")
    assert [message.subject for message in later] == [
        "Daily digest: 1 overdue payment",
        "Daily digest: 1 overdue payment",
    ]
    assert "Beta" in later[1].body and "Alpha" not in later[1].body
    assert not Notification.objects.filter(digest_pending=True).exists()


def test_an_escalation_is_urgent_and_mailed_at_once(department):
    overdue(department.rep_north, "Alpha")
    alerts_refresh(today=day(1))
    mail.outbox.clear()
    alerts_refresh(today=day(31))
    escalations = Notification.objects.filter(level=AlertLevel.ESCALATED)
    assert list(escalations.values_list("recipient__username", flat=True)) == ["head"]
    assert not escalations.filter(digest_pending=True).exists()
    assert [message.to[0] for message in mail.outbox] == ["head@example.com"]
    assert mail.outbox[0].subject.startswith("Escalated: Alpha")


def test_the_digest_speaks_the_recipients_language(department):
    NotificationPreference.objects.create(user=department.rep_north, language="ru", email_enabled=True)
    overdue(department.rep_north, "Alpha")
    alerts_refresh(today=day(1))
    digest = mails_to("rep_north@example.com")[0]
    assert digest.extra_headers["Content-Language"] == "ru"
    assert "Alpha" in digest.body


def test_someone_who_declined_e_mails_gets_no_digest(department):
    NotificationPreference.objects.create(user=department.rep_north, language="en", email_enabled=False)
    overdue(department.rep_north, "Alpha")
    alerts_refresh(today=day(1))
    assert [message.to[0] for message in mail.outbox] == ["lead_north@example.com"]
    assert notifications_send_digests(today=day(2)) == 0
