"""Fixtures for plans and receivables: won deals, schedules and a fixed "today"."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import DealFactory, InstallmentFactory, PaymentFactory, PlanFactory, stage


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def won_deal(db):
    """``won_deal(owner, amount="1000.00", closed_at=date)``: a won deal of ``owner``."""

    def make(owner, amount="1000.00", closed_at=None, **extra):
        return DealFactory(
            owner=owner,
            client__owner=owner,
            amount=Decimal(amount),
            stage=stage("Won"),
            closed_at=closed_at or timezone.localdate(),
            **extra,
        )

    return make


@pytest.fixture
def open_deal(db):
    def make(owner, amount="1000.00", expected_close=None, stage_name="Proposal", probability=None, **extra):
        return DealFactory(
            owner=owner,
            client__owner=owner,
            amount=Decimal(amount),
            stage=stage(stage_name),
            expected_close=expected_close,
            probability=probability,
            **extra,
        )

    return make


@pytest.fixture
def installment_of(db):
    """``installment_of(deal, amount, due_date, paid=None)``: an installment, optionally paid."""

    def make(deal, amount="500.00", due_date=None, paid=None, paid_on=None):
        line = InstallmentFactory(
            deal=deal, amount=Decimal(amount), due_date=due_date or timezone.localdate()
        )
        if paid:
            PaymentFactory(installment=line, amount=Decimal(paid), paid_on=paid_on or timezone.localdate())
        return line

    return make


@pytest.fixture
def plan(department):
    return PlanFactory(
        year=timezone.localdate().year, amount=Decimal("1200000.00"), created_by=department.head
    )
