"""Plan fulfilment: plan cells against booked and collected amounts, and the forecast."""

import datetime
from decimal import Decimal

import pytest

from reports.models import PlanFulfilment
from reports.services.fulfilment import fulfilment_compute
from targets.models import Allocation, PlanMetric
from tests.factories import InstallmentFactory, PaymentFactory, PlanFactory
from tests.reports.conftest import comparable_rows, make_deal, report_row

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)
AS_OF = datetime.date(2026, 3, 18)


@pytest.fixture
def plans_and_actuals(department, east):
    d = department
    booked = PlanFactory(year=2026, metric=PlanMetric.BOOKED, amount=Decimal("120000.00"), created_by=d.head)
    collected = PlanFactory(
        year=2026, metric=PlanMetric.COLLECTED, amount=Decimal("96000.00"), created_by=d.head
    )
    cells = [
        (booked, None, None, "10000.00"),
        (booked, d.north, None, "6000.00"),
        (booked, d.south, None, "4000.00"),
        (booked, d.north, d.rep_north, "3500.00"),
        (booked, d.north, d.rep_north_2, "2500.00"),
        (booked, d.south, d.rep_south, "4000.00"),
        (collected, None, None, "8000.00"),
        # Another month's cell does not count.
        (booked, None, None, "9999.00", 4),
    ]
    for plan, team, rep, amount, *month in cells:
        Allocation.objects.create(
            plan=plan, month=month[0] if month else 3, team=team, rep=rep, amount=Decimal(amount)
        )

    won_north = make_deal(d.rep_north, stage_name="Won", amount="2000.00", closed=datetime.date(2026, 3, 5))
    make_deal(d.rep_south, stage_name="Won", amount="1000.00", closed=datetime.date(2026, 3, 18))
    make_deal(d.rep_north_2, stage_name="Won", amount="5000.00", closed=datetime.date(2026, 3, 20))
    make_deal(
        d.rep_north_2, stage_name="Proposal", amount="1000.00", expected_close=datetime.date(2026, 3, 25)
    )
    make_deal(
        d.rep_north,
        stage_name="Lead",
        amount="999.00",
        probability=15,
        expected_close=datetime.date(2026, 3, 31),
    )
    make_deal(d.rep_south, stage_name="Contract", amount="7000.00", expected_close=datetime.date(2026, 4, 2))

    installment = InstallmentFactory(
        deal=won_north, amount=Decimal("2000.00"), due_date=datetime.date(2026, 3, 10)
    )
    PaymentFactory(installment=installment, amount=Decimal("700.00"), paid_on=datetime.date(2026, 3, 10))
    PaymentFactory(installment=installment, amount=Decimal("300.00"), paid_on=datetime.date(2026, 3, 19))
    earlier = make_deal(d.rep_south, stage_name="Won", amount="500.00", closed=datetime.date(2026, 2, 1))
    PaymentFactory(
        installment=InstallmentFactory(deal=earlier, amount=Decimal("500.00")),
        amount=Decimal("250.00"),
        paid_on=datetime.date(2026, 3, 1),
    )
    return d


def figures(who):
    row = report_row(PlanFulfilment, MARCH, who)
    return {
        "plan": row.plan_booked,
        "booked": row.booked,
        "plan_collected": row.plan_collected,
        "collected": row.collected,
        "pipeline": row.pipeline_weighted,
        "forecast": row.forecast,
        "pct": row.fulfilment_pct,
        "collected_pct": row.collected_pct,
        "forecast_pct": row.forecast_pct,
    }


def money(value):
    return None if value is None else Decimal(value)


def expected(plan, booked, plan_collected, collected, pipeline, forecast, pct, collected_pct, forecast_pct):
    return {
        "plan": money(plan),
        "booked": money(booked),
        "plan_collected": money(plan_collected),
        "collected": money(collected),
        "pipeline": money(pipeline),
        "forecast": money(forecast),
        "pct": money(pct),
        "collected_pct": money(collected_pct),
        "forecast_pct": money(forecast_pct),
    }


def test_department_team_and_person_figures(plans_and_actuals, east):
    d = plans_and_actuals
    fulfilment_compute(as_of=AS_OF)

    assert figures(None) == expected(
        "10000.00", "3000.00", "8000.00", "950.00", "549.85", "3549.85", "30.00", "11.88", "35.50"
    )
    assert figures(d.north) == expected(
        "6000.00", "2000.00", None, "700.00", "549.85", "2549.85", "33.33", None, "42.50"
    )
    assert figures(d.south) == expected(
        "4000.00", "1000.00", None, "250.00", "0.00", "1000.00", "25.00", None, "25.00"
    )
    assert figures(d.rep_north) == expected(
        "3500.00", "2000.00", None, "700.00", "149.85", "2149.85", "57.14", None, "61.42"
    )
    assert figures(d.rep_north_2) == expected(
        "2500.00", "0.00", None, "0.00", "400.00", "400.00", "0.00", None, "16.00"
    )
    assert figures(east) == expected(None, "0.00", None, "0.00", "0.00", "0.00", None, None, None)
    assert figures(d.rep_without_team) == expected(
        None, "0.00", None, "0.00", "0.00", "0.00", None, None, None
    )


def test_running_twice_leaves_identical_rows(plans_and_actuals):
    fulfilment_compute(as_of=AS_OF)
    first = comparable_rows(PlanFulfilment)
    assert fulfilment_compute(as_of=AS_OF).rows_written == 0
    assert comparable_rows(PlanFulfilment) == first
