"""The payment schedule generator and who may keep a deal's schedule."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from targets.models import Installment
from targets.services import installment_schedule_create, installment_update
from tests.factories import PaymentFactory

D = Decimal


def schedule(deal):
    return [
        (line.due_date, line.amount)
        for line in Installment.objects.filter(deal=deal).order_by("due_date", "pk")
    ]


def test_a_thousand_in_three_monthly_installments(department, won_deal):
    deal = won_deal(department.rep_north, "1000.00")
    lines = installment_schedule_create(
        actor=department.assistant_north,
        deal=deal,
        installments=3,
        first_due=datetime.date(2027, 1, 31),
        interval_months=1,
    )
    assert [(line.due_date, line.amount) for line in lines] == [
        (datetime.date(2027, 1, 31), D("333.33")),
        (datetime.date(2027, 2, 28), D("333.33")),
        (datetime.date(2027, 3, 31), D("333.34")),
    ]
    assert schedule(deal) == [(line.due_date, line.amount) for line in lines]
    assert Installment.history.filter(deal_id=deal.pk, history_type="+").count() == 3
    assert set(Installment.history.values_list("history_user__username", flat=True)) == {"assistant_north"}


def test_quarterly_schedule(department, won_deal):
    deal = won_deal(department.rep_north, "1000.01")
    installment_schedule_create(
        actor=department.rep_north,
        deal=deal,
        installments=4,
        first_due=datetime.date(2027, 2, 15),
        interval_months=3,
    )
    assert schedule(deal) == [
        (datetime.date(2027, 2, 15), D("250.00")),
        (datetime.date(2027, 5, 15), D("250.00")),
        (datetime.date(2027, 8, 15), D("250.00")),
        (datetime.date(2027, 11, 15), D("250.01")),
    ]


def test_regenerating_keeps_paid_installments_and_spreads_the_rest(department, won_deal):
    deal = won_deal(department.rep_north, "1000.00")
    first, second, third = installment_schedule_create(
        actor=department.rep_north, deal=deal, installments=3, first_due=datetime.date(2027, 1, 10)
    )
    PaymentFactory(installment=first, amount=D("333.33"))
    PaymentFactory(installment=second, amount=D("100.00"))  # partly paid: kept as well
    installment_schedule_create(
        actor=department.rep_north,
        deal=deal,
        installments=2,
        first_due=datetime.date(2027, 6, 1),
        interval_months=2,
    )
    assert schedule(deal) == [
        (datetime.date(2027, 1, 10), D("333.33")),
        (datetime.date(2027, 2, 10), D("333.33")),
        (datetime.date(2027, 6, 1), D("166.67")),
        (datetime.date(2027, 8, 1), D("166.67")),
    ]
    assert Installment.objects.filter(pk=first.pk).exists()
    assert Installment.objects.filter(pk=second.pk).exists()
    assert not Installment.objects.filter(pk=third.pk).exists()


def test_nothing_left_to_schedule_is_refused(department, won_deal):
    deal = won_deal(department.rep_north, "1000.00")
    (line,) = installment_schedule_create(
        actor=department.rep_north, deal=deal, installments=1, first_due=datetime.date(2027, 1, 10)
    )
    PaymentFactory(installment=line, amount=D("1.00"))
    with pytest.raises(ValidationError) as error:
        installment_schedule_create(
            actor=department.rep_north, deal=deal, installments=2, first_due=datetime.date(2027, 2, 10)
        )
    assert error.value.message_dict == {
        "installments": [
            "The installments with payments already cover the deal's 1,000.00; "
            "there is nothing left to schedule."
        ]
    }
    assert schedule(deal) == [(datetime.date(2027, 1, 10), D("1000.00"))]


@pytest.mark.parametrize(
    ("arguments", "errors"),
    [
        ({"installments": 0}, {"installments": ["Choose between 1 and 60 installments."]}),
        ({"installments": 61}, {"installments": ["Choose between 1 and 60 installments."]}),
        ({"interval_months": 0}, {"interval_months": ["Choose an interval of 1 to 12 months."]}),
        ({"first_due": None}, {"first_due": ["Give the first due date."]}),
    ],
)
def test_bad_schedule_input_is_refused(department, won_deal, arguments, errors):
    deal = won_deal(department.rep_north, "1000.00")
    values = {"installments": 3, "first_due": datetime.date(2027, 1, 1), "interval_months": 1, **arguments}
    with pytest.raises(ValidationError) as error:
        installment_schedule_create(actor=department.rep_north, deal=deal, **values)
    assert error.value.message_dict == errors
    assert schedule(deal) == []


def test_an_open_deal_gets_no_schedule(department, open_deal):
    deal = open_deal(department.rep_north, "1000.00")
    with pytest.raises(ValidationError) as error:
        installment_schedule_create(
            actor=department.rep_north, deal=deal, installments=2, first_due=datetime.date(2027, 1, 1)
        )
    assert error.value.message_dict == {
        "deal": ["Only a won deal gets a payment schedule; this deal is at Proposal."]
    }
    assert schedule(deal) == []


def test_splitting_a_cent_into_two_is_refused(department, won_deal):
    deal = won_deal(department.rep_north, "0.01")
    with pytest.raises(ValidationError) as error:
        installment_schedule_create(
            actor=department.rep_north, deal=deal, installments=2, first_due=datetime.date(2027, 1, 1)
        )
    assert error.value.message_dict == {"installments": ["0.01 cannot be split into 2 installments."]}


@pytest.mark.parametrize("role", ["head", "lead_north", "rep_north", "assistant_north"])
def test_who_may_create_a_schedule_for_a_north_reps_deal(department, won_deal, role):
    deal = won_deal(department.rep_north, "900.00")
    installment_schedule_create(
        actor=getattr(department, role), deal=deal, installments=3, first_due=datetime.date(2027, 1, 1)
    )
    assert [amount for _due, amount in schedule(deal)] == [D("300.00")] * 3


@pytest.mark.parametrize(
    ("role", "error"),
    [
        ("analyst", PermissionDenied),
        ("rep_north_2", Http404),
        ("lead_south", Http404),
        ("assistant_without_team", Http404),
        ("sdr_north", Http404),
        ("inactive_rep_north", Http404),
    ],
)
def test_who_may_not_create_a_schedule_for_a_north_reps_deal(department, won_deal, role, error):
    deal = won_deal(department.rep_north, "900.00")
    with pytest.raises(error):
        installment_schedule_create(
            actor=getattr(department, role), deal=deal, installments=3, first_due=datetime.date(2027, 1, 1)
        )
    assert schedule(deal) == []


def test_rescheduling_an_installment(department, won_deal):
    deal = won_deal(department.rep_north, "900.00")
    (line,) = installment_schedule_create(
        actor=department.rep_north, deal=deal, installments=1, first_due=datetime.date(2027, 1, 1)
    )
    installment_update(
        actor=department.assistant_north, installment=line, due_date=datetime.date(2027, 2, 1), note="moved"
    )
    line.refresh_from_db()
    assert (line.due_date, line.note, line.amount) == (datetime.date(2027, 2, 1), "moved", D("900.00"))
    with pytest.raises(PermissionDenied):
        installment_update(actor=department.analyst, installment=line, due_date=datetime.date(2027, 3, 1))
    line.refresh_from_db()
    assert line.due_date == datetime.date(2027, 2, 1)
