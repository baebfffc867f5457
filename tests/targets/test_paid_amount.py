"""Each installment keeps the sum of its payments, which every receivables read relies on."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from targets.models import Installment, Payment
from targets.selectors import installments_with_balance
from targets.services import installment_paid_refresh, payment_delete, payment_record
from tests.factories import ClientFactory, DealFactory, InstallmentFactory, stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def installment(department):
    deal = DealFactory(
        client=ClientFactory(owner=department.rep_north), stage=stage("Won"), amount=Decimal("1000.00")
    )
    return InstallmentFactory(deal=deal, amount=Decimal("1000.00"))


def balance(installment):
    row = installments_with_balance(Installment.objects.filter(pk=installment.pk)).get()
    return row.paid, row.outstanding


def test_recording_payments_keeps_the_paid_sum(department, installment):
    today = timezone.localdate()
    payment_record(actor=department.assistant_north, installment=installment, amount="300.00", paid_on=today)
    payment_record(actor=department.rep_north, installment=installment, amount="200.50", paid_on=today)
    installment.refresh_from_db()
    assert installment.paid_amount == Decimal("500.50")
    assert balance(installment) == (Decimal("500.50"), Decimal("499.50"))


def test_deleting_a_payment_brings_the_balance_back(department, installment):
    today = timezone.localdate()
    payment = payment_record(
        actor=department.rep_north, installment=installment, amount="1000.00", paid_on=today
    )
    assert balance(installment) == (Decimal("1000.00"), Decimal("0.00"))
    payment_delete(actor=department.lead_north, payment=payment)
    assert Payment.objects.count() == 0
    assert balance(installment) == (Decimal("0.00"), Decimal("1000.00"))


def test_read_only_roles_cannot_delete_a_payment(department, installment):
    payment = payment_record(
        actor=department.rep_north, installment=installment, amount="100.00", paid_on=timezone.localdate()
    )
    with pytest.raises(PermissionDenied):
        payment_delete(actor=department.analyst, payment=payment)
    with pytest.raises(Http404):
        payment_delete(actor=department.rep_north_2, payment=payment)
    assert Payment.objects.count() == 1
    installment.refresh_from_db()
    assert installment.paid_amount == Decimal("100.00")


def test_refresh_repairs_sums_written_behind_the_services_back(department, installment):
    Payment.objects.create(
        installment=installment,
        amount=Decimal("250.00"),
        paid_on=timezone.localdate(),
        recorded_by=department.rep_north,
    )
    Installment.objects.filter(pk=installment.pk).update(paid_amount=Decimal("0"))
    assert installment_paid_refresh() == 1
    installment.refresh_from_db()
    assert installment.paid_amount == Decimal("250.00")
