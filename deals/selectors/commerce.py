"""Reads of a deal's lines and proposals (the deal page's panel, the proposal page, the API)."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.visibility import get_visible_or_404
from deals.models import Deal, DealLine, Quote
from deals.pricing import Totals, sum_totals


def deal_lines(*, deal: Deal) -> list[DealLine]:
    return list(DealLine.objects.filter(deal=deal).select_related("product", "approved_by"))


def lines_totals(lines: list[DealLine]) -> Totals:
    return sum_totals(Totals(line.net, line.tax, line.gross) for line in lines)


def deal_quotes(*, deal: Deal) -> list[Quote]:
    return list(Quote.objects.filter(deal=deal).order_by("-version", "-pk"))


def visible_lines(*, viewer) -> QuerySet[DealLine]:
    return DealLine.objects.visible_to(viewer).select_related("product", "approved_by")


def visible_quotes(*, viewer) -> QuerySet[Quote]:
    return Quote.objects.visible_to(viewer).select_related("deal", "created_by").prefetch_related("lines")


def quote_detail(*, viewer, pk) -> Quote:
    return get_visible_or_404(
        Quote.objects.select_related(
            "deal__client", "deal__owner", "deal__stage", "created_by"
        ).prefetch_related("lines"),
        viewer,
        pk=pk,
    )
