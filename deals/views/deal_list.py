"""The deal list with its filters, sorting and CSV/XLSX export: one table, deals/tables.py,
for the page and its export (``?export=csv`` / ``xlsx`` on the same address)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.shortcuts import render

from core.bulk_views import bulk_context
from core.exports import EXPORT_FORMATS
from core.http import filter_query, query_without
from core.money import money
from core.tables import export_table, table_for_request
from core.versions import page_part_key
from deals.filters import DealFilter
from deals.rules import changes_no_deal
from deals.selectors.deals import Clock, deal_list, warning_label
from deals.selectors.versions import PIPELINE_CACHE_SECONDS, deal_list_totals, deal_list_versions
from deals.tables import DealTable

LIST_PAGE_SIZE = 50


def _ordering_from_sort(request) -> None:
    """Addresses saved before the list sorted by ``?ordering=`` said ``?sort=``: read them as
    ``ordering`` once, here, so the page's links carry only the one parameter."""
    if "sort" not in request.GET:
        return
    query = request.GET.copy()
    sort = query.pop("sort")
    if "ordering" not in query:
        query.setlist("ordering", sort)
    request.GET = query


@login_required
def deal_list_page(request):
    _ordering_from_sort(request)
    clock = Clock.for_request(request)
    base = deal_list(viewer=request.user, clock=clock)
    filterset = DealFilter(request.GET, queryset=base, request=request)
    deals = filterset.qs if filterset.is_valid() else base.none()
    export_format = request.GET.get("export")
    if export_format in EXPORT_FORMATS:
        return export_table(DealTable, request, deals, export_format)
    versions = deal_list_versions()
    totals = deal_list_totals(
        viewer=request.user,
        day=clock.today,
        query=filter_query(request),
        compute=lambda: deals.order_by().aggregate(count=Count("pk"), amount=Sum("amount")),
        version=versions["rows"],
    )
    # the aggregate already counted the rows: the table's paginator does not count again
    table = table_for_request(DealTable, request, deals, per_page=LIST_PAGE_SIZE, count=totals["count"])
    return render(
        request,
        "deals/deal_list.html",
        {
            "filter": filterset,
            "table": table,
            "total_amount": money(totals["amount"]),
            "total_count": totals["count"],
            "can_move": not changes_no_deal(request.user),
            "active_warning": _warning_label(filterset, clock),
            # The saved views and the filter form, kept while their choices stay (3-4 ms of a
            # list's 14-18 ms of CPU: the selects' options and three queries for them)
            "filters_key": page_part_key(request, versions["filters"]),
            "filters_seconds": PIPELINE_CACHE_SECONDS,
            **bulk_context(
                request,
                "deals",
                table=table,
                total=totals["count"],
                filter_query=query_without(request, "page", "export"),
            ),
        },
    )


def _warning_label(filterset, clock: Clock) -> str | None:
    warning = filterset.form.cleaned_data.get("warning") if filterset.is_valid() else None
    return warning_label(warning, clock.policy) if warning else None
