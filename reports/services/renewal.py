"""Renewal rate (续费率) for a month.

A won deal whose service period ends in the month is due for renewal; it is renewed once
a won deal names it as ``renewal_of`` (closed by the date the figures are computed for).
The rate is renewed / due by count, and the renewal deals' amount / the due amount by
amount (upsells make that one exceed 100%). Beside it, the after-sales figures that decide
renewals: client requests open at the date, overdue ones, and open complaints, per owner."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from core.money import money
from deals.models import Deal, StageKind
from documents.models import ClientRequest, RequestKind, RequestStatus
from reports.models import RenewalReport
from reports.services.common import (
    Month,
    RunResult,
    day_start,
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


def requests_open_on(as_of: datetime.date) -> QuerySet[ClientRequest]:
    """Client requests logged by the end of ``as_of`` and not closed by then (resolved or
    rejected later, or not yet)."""
    moment = min(day_start(as_of + datetime.timedelta(days=1)), timezone.now())
    return ClientRequest.objects.filter(created_at__lt=moment).filter(
        Q(closed_at__isnull=True, status__in=[RequestStatus.OPEN, RequestStatus.IN_PROGRESS])
        | Q(closed_at__gte=moment)
    )


def request_totals(*, as_of: datetime.date) -> dict:
    moment = min(day_start(as_of + datetime.timedelta(days=1)), timezone.now())
    return totals_by_scope(
        requests_open_on(as_of),
        person="owner",
        aggregates={
            "open": Count("pk"),
            "overdue": Count("pk", filter=Q(due_by__lt=moment)),
            "complaints": Count("pk", filter=Q(kind=RequestKind.COMPLAINT)),
        },
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
    requests = request_totals(as_of=as_of)
    rows = {}
    for scope in scope_universe(people=people_in(totals, requests)):
        figures = totals.get(scope, {})
        after_sales = requests.get(scope, {})
        due, renewed = figures.get("due") or 0, figures.get("renewed") or 0
        due_amount, renewed_amount = money(figures.get("due_amount")), money(figures.get("renewed_amount"))
        rows[key_of(scope, month.start)] = {
            "due": due,
            "due_amount": due_amount,
            "renewed": renewed,
            "renewed_amount": renewed_amount,
            "rate_by_count": percent(renewed, due),
            "rate_by_amount": percent(renewed_amount, due_amount),
            "open_requests": after_sales.get("open") or 0,
            "overdue_requests": after_sales.get("overdue") or 0,
            "open_complaints": after_sales.get("complaints") or 0,
        }
    return upsert_report_rows(
        RenewalReport, rows=rows, existing=RenewalReport.objects.filter(period=month.start), as_of=as_of
    )
