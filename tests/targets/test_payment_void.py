"""Payments dated by the date policy, and voided (not deleted) with a reason by the
team's assistant, its lead or the head: the row stays, its history shows the void, and it
counts in no paid sum. Every refusal is a field message and changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from core.dates import horizon
from targets.models import Installment, OverdueReason, Payment
from targets.services import overdue_reason_add, payment_record, payment_void
from tests.factories import ClientFactory, DealFactory, InstallmentFactory, stage

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def installment(department):
    deal = DealFactory(
        client=ClientFactory(owner=department.rep_north), stage=stage("Won"), amount=Decimal("1000.00")
    )
    return InstallmentFactory(deal=deal, amount=Decimal("1000.00"))


@pytest.fixture
def payment(department, installment):
    return payment_record(
        actor=department.rep_north, installment=installment, amount="400.00", paid_on=timezone.localdate()
    )


def paid(installment) -> Decimal:
    installment.refresh_from_db()
    return installment.paid_amount


def test_a_payment_dated_1900_or_before_the_client_existed_is_refused(department, installment):
    Client.objects.filter(pk=installment.deal.client_id).update(
        created_at=timezone.now() - datetime.timedelta(days=10)
    )
    for day in (datetime.date(1900, 1, 1), timezone.localdate() - datetime.timedelta(days=11)):
        with pytest.raises(ValidationError) as error:
            payment_record(actor=department.rep_north, installment=installment, amount="100.00", paid_on=day)
        assert "paid_on" in error.value.message_dict
    assert not Payment.objects.exists()
    assert paid(installment) == Decimal("0.00")
    payment_record(
        actor=department.rep_north,
        installment=installment,
        amount="100.00",
        paid_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    assert paid(installment) == Decimal("100.00")


def test_a_promised_date_beyond_five_years_is_refused(department, installment):
    with pytest.raises(ValidationError) as error:
        overdue_reason_add(
            actor=department.rep_north,
            installment=installment,
            reason="Budget",
            promised_date=horizon() + DAY,
        )
    assert "promised_date" in error.value.message_dict
    assert not OverdueReason.objects.exists()


def test_voiding_keeps_the_row_and_takes_it_out_of_the_paid_sum(department, installment, payment):
    assert paid(installment) == Decimal("400.00")
    voided = payment_void(actor=department.assistant_north, payment=payment, reason="The transfer bounced")
    assert (voided.voided_by, voided.void_reason) == (department.assistant_north, "The transfer bounced")
    assert voided.voided_at is not None
    assert Payment.objects.count() == 1
    assert paid(installment) == Decimal("0.00")
    latest = payment.history.first()
    assert (latest.void_reason, latest.history_user) == ("The transfer bounced", department.assistant_north)
    # The voided amount no longer blocks recording the real payment in full.
    payment_record(
        actor=department.rep_north, installment=installment, amount="1000.00", paid_on=timezone.localdate()
    )
    assert paid(installment) == Decimal("1000.00")


def test_a_void_needs_a_reason_and_happens_once(department, installment, payment):
    with pytest.raises(ValidationError) as error:
        payment_void(actor=department.lead_north, payment=payment, reason="  ")
    assert "reason" in error.value.message_dict
    payment.refresh_from_db()
    assert payment.voided_at is None
    assert paid(installment) == Decimal("400.00")
    payment_void(actor=department.head, payment=payment, reason="Entered twice")
    with pytest.raises(ValidationError):
        payment_void(actor=department.head, payment=payment, reason="Again")


@pytest.mark.parametrize("who", ["rep_north", "analyst"])
def test_reps_and_read_only_roles_cannot_void(department, payment, installment, who):
    with pytest.raises(PermissionDenied):
        payment_void(actor=getattr(department, who), payment=payment, reason="Bounced")
    payment.refresh_from_db()
    assert payment.voided_at is None
    assert paid(installment) == Decimal("400.00")


def test_the_api_voids_a_payment_and_refuses_without_reason(department, payment, installment, api_as):
    api = api_as(department.assistant_north)
    response = api.post(f"/api/v1/payments/{payment.pk}/void/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    assert paid(installment) == Decimal("400.00")
    response = api.post(f"/api/v1/payments/{payment.pk}/void/", {"reason": "Bounced"}, format="json")
    assert response.status_code == 200
    assert response.json()["void_reason"] == "Bounced"
    assert paid(installment) == Decimal("0.00")
    rep = api_as(department.rep_north).post(
        f"/api/v1/payments/{payment.pk}/void/", {"reason": "x"}, format="json"
    )
    assert rep.status_code == 403
    hidden = api_as(department.rep_south).post(
        f"/api/v1/payments/{payment.pk}/void/", {"reason": "x"}, format="json"
    )
    assert hidden.status_code == 404


def test_the_schedule_page_voids_a_payment(department, payment, installment, client):
    client.force_login(department.lead_north)
    page = client.get(reverse("targets:deal_schedule", args=[installment.deal_id]))
    assert reverse("targets:payment_void", args=[payment.pk]) in page.content.decode()
    response = client.post(reverse("targets:payment_void", args=[payment.pk]), {"reason": "Bounced"})
    assert response.status_code == 302
    assert paid(installment) == Decimal("0.00")
    page = client.get(reverse("targets:deal_schedule", args=[installment.deal_id]))
    assert "Bounced" in page.content.decode()
    assert Installment.objects.get(pk=installment.pk).paid_amount == Decimal("0.00")
