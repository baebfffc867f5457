"""List pages and their exports: clients (one table, clients/tables.py, for the page and its
CSV/XLSX export)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.visibility import sees_only_own
from clients import rules, selectors
from clients.filters import ClientFilter
from clients.tables import ClientTable
from core.bulk_views import bulk_context
from core.http import query_without
from core.tables import export_table, table_for_request

CLIENTS_PER_PAGE = 50


def _client_filter(request):
    """The filters of the list; the order is the table's (``?ordering=`` of a column, an
    unknown one ignored), not the API's ordering filter (where it is a 400)."""
    queryset = selectors.client_list(viewer=request.user)
    filterset = ClientFilter(request.GET, queryset=queryset, request=request)
    filterset.filters.pop("ordering")
    return filterset, (filterset.qs if filterset.is_valid() else queryset.none())


# --------------------------------------------------------------------------- list and export


@login_required
@require_GET
def client_list(request):
    filterset, queryset = _client_filter(request)
    table = table_for_request(ClientTable, request, queryset, per_page=CLIENTS_PER_PAGE)
    context = {
        "filter": filterset,
        "table": table,
        "export_query": query_without(request, "page"),
        "filters_people": not sees_only_own(request.user),
        "may_add": rules.may_add_clients(request.user),
        "may_merge": rules.may_merge(request.user),
        "filtered": any(value for key, value in request.GET.items() if key not in ("page", "ordering")),
    }
    context.update(
        bulk_context(
            request, "clients", table=table, total=table.paginator.count, filter_query=context["export_query"]
        )
    )
    if request.htmx and request.htmx.target == "client-results":
        return render(request, "clients/partials/client_results.html", context)
    return render(request, "clients/client_list.html", context)


@login_required
@require_GET
def client_export(request, export_format: str):
    """The filtered list (all its rows, not one page) as CSV or XLSX, in the page's order:
    the table's export columns, the import's first."""
    _filterset, queryset = _client_filter(request)
    return export_table(ClientTable, request, queryset, export_format)


@login_required
@require_GET
def next_steps(request):
    """The old "My next steps" address: next steps are tasks now, on My day."""
    return redirect("tasks:my_day", permanent=True)
