"""The department-scale receivables (installments and payments) and the yearly plans."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from decimal import Decimal

from demo.scale.common import Scale, say
from demo.scale.writer import TableWriter, next_id, reset_sequences


def seed_large_receivables(
    *,
    rng: random.Random,
    scale: Scale,
    won_deals: list[tuple[int, Decimal, datetime.date, int]],
    today: datetime.date,
    now: datetime.datetime,
    out: Callable[[str], None],
    started: float,
) -> None:
    """Monthly installments for the won deals and their payments: most paid, some half, some not."""
    from targets.models import Installment, Payment
    from targets.services import installment_paid_refresh

    installment_start = next_id(Installment)
    installment_writer = TableWriter(Installment, ["id", "deal", "due_date", "amount", "note"], now)
    payment_writer = TableWriter(
        Payment, ["installment", "amount", "paid_on", "is_overpayment", "note", "recorded_by"], now
    )
    installments, payments = [], []
    installment_id = installment_start
    per_deal = max(1, -(-scale.installments // max(1, len(won_deals))))
    for deal_id, amount, closed_at, owner in won_deals:
        if installment_id - installment_start >= scale.installments:
            break
        share = (amount / per_deal).quantize(Decimal("0.01"))
        for number in range(per_deal):
            part = share if number < per_deal - 1 else amount - share * (per_deal - 1)
            due = closed_at + datetime.timedelta(days=30 * (number + 1))
            installments.append((installment_id, deal_id, due, part, ""))
            if due <= today:
                payment = _payment_row(rng, installment_id=installment_id, part=part, due=due, owner=owner)
                if payment is not None:
                    payments.append(payment)
            installment_id += 1
    installment_writer.write(installments)
    payment_writer.write(payments)
    reset_sequences(Installment, Payment)
    installment_paid_refresh()
    say(out, started, f"installments: {installment_writer.count:,}, payments: {payment_writer.count:,}")


def _payment_row(rng: random.Random, *, installment_id: int, part: Decimal, due: datetime.date, owner: int):
    """A due installment is paid in full (80%), half paid on the day (10%) or not at all."""
    roll = rng.random()
    if roll < 0.8:
        return (installment_id, part, due + datetime.timedelta(days=rng.randrange(-5, 10)), False, "", owner)
    if roll < 0.9:
        return (installment_id, (part / 2).quantize(Decimal("0.01")), due, False, "", owner)
    return None


def seed_large_plans(*, head, years, out, started) -> None:
    """A booked-revenue plan for every year, decomposed by the product's own service: months
    by last year's actual shares (even for the first year), then evenly to teams and reps."""
    from targets.models import MonthMethod, PlanMetric
    from targets.services import plan_create, plan_decompose

    years = list(years)
    for index, year in enumerate(years):
        plan = plan_create(actor=head, year=year, metric=PlanMetric.BOOKED, amount=Decimal("1800000000.00"))
        plan_decompose(
            actor=head, plan=plan, month_method=MonthMethod.LAST_YEAR if index else MonthMethod.EVEN
        )
    say(out, started, f"plans: {len(years)} years decomposed to months, teams and reps")
