"""Reads of plans and receivables that other apps (the board, reports, the client page) share."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from targets.models import Allocation, Installment, Payment, PlanMetric

MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


class AgingBucket:
    """Aging buckets by days past due (SPEC §4). ``current`` = not yet due."""

    CURRENT = "current"
    DAYS_1_30 = "1-30"
    DAYS_31_60 = "31-60"
    DAYS_61_90 = "61-90"
    DAYS_90_PLUS = "90+"
    ORDER = [CURRENT, DAYS_1_30, DAYS_31_60, DAYS_61_90, DAYS_90_PLUS]


def aging_bucket_expression(today: datetime.date) -> Case:
    """The bucket of an installment by its due date, computed in the database by comparing
    with fixed dates (no per-database date arithmetic)."""

    def days_before(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    return Case(
        When(due_date__gte=today, then=Value(AgingBucket.CURRENT)),
        When(due_date__gte=days_before(30), then=Value(AgingBucket.DAYS_1_30)),
        When(due_date__gte=days_before(60), then=Value(AgingBucket.DAYS_31_60)),
        When(due_date__gte=days_before(90), then=Value(AgingBucket.DAYS_61_90)),
        default=Value(AgingBucket.DAYS_90_PLUS),
        output_field=CharField(),
    )


def installments_with_balance(
    queryset: QuerySet[Installment] | None = None, *, today: datetime.date | None = None
):
    """Installments annotated in the database with ``paid``, ``outstanding``, ``is_overdue``
    and (when ``today`` is given) ``bucket``. Paid is a correlated subquery so the
    annotation composes with any other aggregate or filter."""
    queryset = Installment.objects.all() if queryset is None else queryset
    paid = (
        Payment.objects.filter(installment=OuterRef("pk"))
        .order_by()
        .values("installment")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    queryset = queryset.annotate(paid=Coalesce(Subquery(paid, output_field=MONEY), ZERO)).annotate(
        outstanding=F("amount") - F("paid")
    )
    if today is not None:
        queryset = queryset.annotate(
            is_overdue=Case(
                When(Q(due_date__lt=today) & Q(outstanding__gt=0), then=Value(True)),
                default=Value(False),
            ),
            bucket=aging_bucket_expression(today),
        )
    return queryset


def rep_month_plans(*, year: int, month: int, rep_ids: Iterable[int]) -> dict[int, Decimal]:
    """Each rep's booked-revenue plan for one month (reps without an allocation are absent)."""
    rows = (
        Allocation.objects.filter(
            plan__year=year, plan__metric=PlanMetric.BOOKED, month=month, rep_id__in=list(rep_ids)
        )
        .values("rep_id")
        .annotate(total=Sum("amount"))
    )
    return {row["rep_id"]: row["total"] for row in rows}
