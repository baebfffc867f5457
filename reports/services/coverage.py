"""Market coverage for a month: the won amount and the number of clients it came from, by
industry and by segment, and the share of the won amount that came from the top 20% of
those clients (the first of five equal tiles by amount: ceil(n / 5) clients)."""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.db.models import Count, F, QuerySet, Sum, Window
from django.db.models.functions import Ntile

from core.money import money
from deals.models import Deal, StageKind
from reports.models import CoverageReport, Scope
from reports.services.common import (
    DEPARTMENT,
    Month,
    RunResult,
    ScopeKey,
    groups_by_scope,
    key_of,
    people_in,
    percent,
    scope_universe,
    totals_by_scope,
    upsert_report_rows,
)


def top_clients_by_scope(won: QuerySet[Deal]) -> dict[ScopeKey, dict]:
    """For each scope: how many clients make its top 20% and what they brought.

    Each client's amount within the scope is ranked in the database (NTILE(5) over the
    amounts, largest first, client id breaking ties); the outer query sums the first tile.
    Django cannot aggregate over a window, so that outer query wraps the ORM's own SQL."""
    result: dict[ScopeKey, dict] = {}
    levels = [
        (Scope.DEPARTMENT, None, won),
        (Scope.TEAM, "owner__team", won.filter(owner__team__isnull=False)),
        (Scope.REP, "owner", won),
    ]
    for scope, partition, queryset in levels:
        group = [partition] if partition else []
        ranked = (
            queryset.order_by()
            .values(*group, "client")
            .annotate(revenue=Sum("amount"))
            .annotate(
                tile=Window(
                    Ntile(5),
                    partition_by=[F(partition)] if partition else None,
                    order_by=[F("revenue").desc(), F("client").asc()],
                )
            )
        )
        sql, params = ranked.query.sql_with_params()
        scope_column = f'"{partition}"' if partition else "NULL"
        grouping = f" GROUP BY {scope_column}" if partition else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT {scope_column}, COUNT(*), SUM("revenue") '
                f'FROM ({sql}) ranked WHERE "tile" = 1{grouping}',
                params,
            )
            for scope_id, clients, amount in cursor.fetchall():
                if scope == Scope.TEAM:
                    key = (Scope.TEAM, scope_id, None)
                elif scope == Scope.REP:
                    key = (Scope.REP, None, scope_id)
                else:
                    key = DEPARTMENT
                result[key] = {"clients": clients, "amount": money(amount)}
    return result


def _breakdown(rows: list[dict], *, key: str, name: str | None, total) -> list[dict]:
    items = [
        {
            "key": row[key],
            "name": row[name] if name else row[key],
            "amount": str(money(row["amount"])),
            "clients": row["clients"],
            "deals": row["deals"],
            "share": None if (share := percent(money(row["amount"]), total)) is None else str(share),
        }
        for row in rows
    ]
    return sorted(items, key=lambda item: (-money(item["amount"]), str(item["name"] or ""), str(item["key"])))


@transaction.atomic
def coverage_compute(*, as_of: datetime.date) -> RunResult:
    month = Month.of(as_of)
    won = Deal.objects.filter(
        stage__kind=StageKind.WON, closed_at__gte=month.start, closed_at__lte=month.as_of
    )
    measures = {"amount": Sum("amount"), "clients": Count("client", distinct=True), "deals": Count("pk")}
    totals = totals_by_scope(won, person="owner", aggregates=measures)
    industries = groups_by_scope(
        won, person="owner", group=["client__industry", "client__industry__name"], aggregates=measures
    )
    segments = groups_by_scope(won, person="owner", group=["client__segment"], aggregates=measures)
    top = top_clients_by_scope(won)

    rows = {}
    for scope in scope_universe(people=people_in(totals)):
        figures = totals.get(scope, {})
        amount = money(figures.get("amount"))
        best = top.get(scope, {"clients": 0, "amount": money(None)})
        rows[key_of(scope, month.start)] = {
            "won_amount": amount,
            "won_deals": figures.get("deals") or 0,
            "clients": figures.get("clients") or 0,
            "top_clients": best["clients"],
            "top_clients_amount": best["amount"],
            "top_share": percent(best["amount"], amount),
            "by_industry": _breakdown(
                industries.get(scope, []), key="client__industry", name="client__industry__name", total=amount
            ),
            "by_segment": _breakdown(segments.get(scope, []), key="client__segment", name=None, total=amount),
        }
    return upsert_report_rows(
        CoverageReport, rows=rows, existing=CoverageReport.objects.filter(period=month.start), as_of=as_of
    )
