"""Renewal rate (续费率) for a month.

A won deal whose service period ends in the month is due for renewal; it is renewed once
a won deal names it as ``renewal_of`` (closed by the date the figures are computed for).
The rate is renewed / due by count, and the renewal deals' amount / the due amount by
amount (upsells make that one exceed 100%)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum

from core.money import money
from deals.models import Deal, StageKind
from reports.models import RenewalReport
from reports.services.common import (
    Month,
    RunResult,
    key_of,
    people_in,
    percent,
    scope_universe,
    totals_by_scope,
    upsert_report_rows,
)


def won_renewals_of(deal_reference, *, as_of: datetime.date) -> QuerySet[Deal]:
    return Deal.objects.filter(renewal_of=deal_reference, stage__kind=StageKind.WON).filter(
        Q(closed_at__isnull=True) | Q(closed_at__lte=as_of)
    )


def renewals_due(month: Month) -> QuerySet[Deal]:
    return Deal.objects.filter(
        stage__kind=StageKind.WON, service_end__gte=month.start, service_end__lte=month.end
    )


@transaction.atomic
def renewal_compute(*, as_of: datetime.date) -> RunResult:
    month = Month.of(as_of)
    renewals = won_renewals_of(OuterRef("pk"), as_of=as_of)
    renewal_amount = Subquery(
        renewals.order_by().values("renewal_of").annotate(total=Sum("amount")).values("total"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    totals = totals_by_scope(
        renewals_due(month),
        person="owner",
        aggregates={
            "due": Count("pk"),
            "due_amount": Sum("amount"),
            "renewed": Count("pk", filter=Exists(renewals)),
            "renewed_amount": Sum(renewal_amount),
        },
    )
    rows = {}
    for scope in scope_universe(people=people_in(totals)):
        figures = totals.get(scope, {})
        due, renewed = figures.get("due") or 0, figures.get("renewed") or 0
        due_amount, renewed_amount = money(figures.get("due_amount")), money(figures.get("renewed_amount"))
        rows[key_of(scope, month.start)] = {
            "due": due,
            "due_amount": due_amount,
            "renewed": renewed,
            "renewed_amount": renewed_amount,
            "rate_by_count": percent(renewed, due),
            "rate_by_amount": percent(renewed_amount, due_amount),
        }
    return upsert_report_rows(
        RenewalReport, rows=rows, existing=RenewalReport.objects.filter(period=month.start), as_of=as_of
    )
