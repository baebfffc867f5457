"""Recording payments and overdue reasons."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from targets.models import OverdueReason, Payment
from targets.selectors import installments_with_balance, overdue_installments
from targets.services import overdue_reason_add, payment_record

D = Decimal


@pytest.fixture
def line(department, won_deal, installment_of, today):
    deal = won_deal(department.rep_north, "1000.00")
    return installment_of(deal, "333.33", today - datetime.timedelta(days=5))


def outstanding(line):
    return installments_with_balance().get(pk=line.pk).outstanding


def test_a_partial_then_the_rest(department, line, today):
    payment = payment_record(
        actor=department.assistant_north, installment=line, amount="100.00", paid_on=today
    )
    assert (payment.amount, payment.is_overpayment, payment.recorded_by) == (
        D("100.00"),
        False,
        department.assistant_north,
    )
    assert outstanding(line) == D("233.33")
    payment_record(actor=department.rep_north, installment=line, amount=D("233.33"), paid_on=today)
    assert outstanding(line) == D("0.00")
    assert payment.history.count() == 1


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5.00", "The amount cannot be negative."),
        ("0", "The amount must be positive."),
        ("0.001", "Amounts are in whole cents (at most two decimals)."),
        ("abc", "Enter an amount such as 1500.00."),
        (
            "333.34",
            "The payment of 333.34\xa0₽ is more than the 333.33\xa0₽ outstanding; "
            "record it as an overpayment if the client really paid that much.",
        ),
    ],
)
def test_bad_amounts_are_refused_and_nothing_changes(department, line, today, amount, message):
    with pytest.raises(ValidationError) as error:
        payment_record(actor=department.rep_north, installment=line, amount=amount, paid_on=today)
    assert error.value.message_dict == {"amount": [message]}
    assert not Payment.objects.exists()
    assert outstanding(line) == D("333.33")


def test_a_payment_dated_in_the_future_is_refused(department, line, today):
    with pytest.raises(ValidationError) as error:
        payment_record(
            actor=department.rep_north,
            installment=line,
            amount="1.00",
            paid_on=today + datetime.timedelta(days=1),
        )
    assert error.value.message_dict == {"paid_on": ["A payment cannot be dated in the future."]}
    assert not Payment.objects.exists()


def test_an_explicit_overpayment_is_recorded_and_flagged(department, line, today):
    payment = payment_record(
        actor=department.rep_north, installment=line, amount="400.00", paid_on=today, is_overpayment=True
    )
    assert payment.is_overpayment is True
    assert outstanding(line) == D("-66.67")
    # the overpaid installment is neither overdue nor owed any more
    assert not overdue_installments(viewer=department.head, today=today).filter(pk=line.pk).exists()
    with pytest.raises(ValidationError) as error:
        payment_record(actor=department.rep_north, installment=line, amount="1.00", paid_on=today)
    assert error.value.message_dict == {
        "amount": [
            "This installment is paid in full; record the payment as an overpayment if the client paid again."
        ]
    }


def test_the_overpayment_flag_on_a_payment_within_the_balance_is_not_kept(department, line, today):
    payment = payment_record(
        actor=department.rep_north, installment=line, amount="10.00", paid_on=today, is_overpayment=True
    )
    assert payment.is_overpayment is False


@pytest.mark.parametrize("role", ["head", "lead_north", "rep_north", "assistant_north"])
def test_who_may_record_a_payment(department, line, today, role):
    payment_record(actor=getattr(department, role), installment=line, amount="1.00", paid_on=today)
    assert Payment.objects.get().recorded_by == getattr(department, role)


@pytest.mark.parametrize(
    ("role", "error"),
    [
        ("analyst", PermissionDenied),
        ("rep_north_2", Http404),
        ("rep_south", Http404),
        ("lead_south", Http404),
        ("account_manager_south", Http404),
        ("assistant_without_team", Http404),
    ],
)
def test_who_may_not_record_a_payment(department, line, today, role, error):
    with pytest.raises(error):
        payment_record(actor=getattr(department, role), installment=line, amount="1.00", paid_on=today)
    assert not Payment.objects.exists()


def test_overdue_reasons_are_kept_as_a_history_and_the_latest_shows(department, line, today):
    overdue_reason_add(
        actor=department.rep_north,
        installment=line,
        reason="Budget frozen until the board meets.",
        promised_date=today + datetime.timedelta(days=20),
    )
    overdue_reason_add(
        actor=department.assistant_north,
        installment=line,
        reason="Their accountant is on leave.",
        promised_date=today + datetime.timedelta(days=7),
    )
    assert OverdueReason.objects.filter(installment=line).count() == 2
    row = overdue_installments(viewer=department.lead_north, today=today).get(pk=line.pk)
    assert row.latest_reason == "Their accountant is on leave."
    assert row.latest_promised_date == today + datetime.timedelta(days=7)


@pytest.mark.parametrize(
    ("arguments", "errors"),
    [
        ({"reason": "  "}, {"reason": ["Say why the payment is late."]}),
        (
            {"reason": "Late", "promised_date": datetime.date(2000, 1, 1)},
            {"promised_date": ["The promised date cannot be in the past."]},
        ),
    ],
)
def test_bad_overdue_reasons_are_refused(department, line, arguments, errors):
    with pytest.raises(ValidationError) as error:
        overdue_reason_add(actor=department.rep_north, installment=line, **arguments)
    assert error.value.message_dict == errors
    assert not OverdueReason.objects.exists()


def test_no_reason_for_a_paid_installment(department, line, today):
    payment_record(actor=department.rep_north, installment=line, amount="333.33", paid_on=today)
    with pytest.raises(ValidationError) as error:
        overdue_reason_add(actor=department.rep_north, installment=line, reason="Late")
    assert error.value.message_dict == {
        "installment": ["This installment is paid in full; there is nothing to explain."]
    }
    assert not OverdueReason.objects.exists()


@pytest.mark.parametrize(("role", "error"), [("analyst", PermissionDenied), ("lead_south", Http404)])
def test_who_may_not_explain_an_overdue_payment(department, line, role, error):
    with pytest.raises(error):
        overdue_reason_add(actor=getattr(department, role), installment=line, reason="Late")
    assert not OverdueReason.objects.exists()


def test_a_payment_against_an_installment_removed_meanwhile_is_a_conflict(department, line, today):
    from core.errors import Conflict
    from targets.models import Installment

    Installment.objects.filter(pk=line.pk).delete()  # the schedule was regenerated after the form opened
    with pytest.raises(Conflict) as error:
        payment_record(actor=department.assistant_north, installment=line, amount="10.00", paid_on=today)
    assert "this installment is gone" in str(error.value)
    assert not Payment.objects.exists()
