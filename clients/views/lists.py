"""List pages and their exports: clients, and open next steps.

The sorting and export column lists stay as they are until the listing is unified."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.visibility import sees_only_own
from clients import rules, selectors
from clients.filters import ClientFilter, NextStepFilter
from clients.models import Activity
from core.exports import EXPORT_FORMATS, export_response
from core.http import query_without

CLIENTS_PER_PAGE = 50
NEXT_STEPS_PER_PAGE = 50

SORTABLE_COLUMNS = ("name", "status", "tier", "industry", "territory", "owner", "last_activity")


def _sort_links(request, columns) -> dict[str, dict[str, str]]:
    """For each sortable column: the link that sorts by it (ascending first, then
    descending) and the arrow showing the current order."""
    current = request.GET.get("ordering", "")
    links = {}
    for column in columns:
        query = request.GET.copy()
        query.pop("page", None)
        query["ordering"] = f"-{column}" if current == column else column
        arrow = "↑" if current == column else "↓" if current == f"-{column}" else ""
        links[column] = {"url": f"?{query.urlencode()}", "arrow": arrow}
    return links


def _client_filter(request):
    queryset = selectors.client_list(viewer=request.user)
    filterset = ClientFilter(request.GET, queryset=queryset, request=request)
    return filterset, (filterset.qs if filterset.is_valid() else queryset.none())


# --------------------------------------------------------------------------- list and export


@login_required
@require_GET
def client_list(request):
    filterset, queryset = _client_filter(request)
    page = Paginator(queryset, CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "query": query_without(request, "page"),
        "export_query": query_without(request, "page"),
        "sort": _sort_links(request, SORTABLE_COLUMNS),
        "filters_people": not sees_only_own(request.user),
        "may_add": rules.may_add_clients(request.user),
        "filtered": any(value for key, value in request.GET.items() if key not in ("page", "ordering")),
    }
    if request.htmx and request.htmx.target == "client-results":
        return render(request, "clients/partials/client_results.html", context)
    return render(request, "clients/client_list.html", context)


@login_required
@require_GET
def client_export(request, export_format: str):
    """The filtered list (all its rows, not one page) as CSV or XLSX. The first columns
    are the import's, so an exported file can be edited and imported elsewhere."""
    if export_format not in EXPORT_FORMATS:
        raise Http404
    _filterset, queryset = _client_filter(request)
    headers = [
        _("Name"),
        _("Legal name"),
        _("Tax id"),
        _("Industry"),
        _("Segment"),
        _("Territory"),
        _("Tier"),
        _("Status"),
        _("Source"),
        _("Owner (username)"),
        _("Owner name"),
        _("Team"),
        _("Phone"),
        _("Website"),
        _("Address"),
        _("Last activity"),
        _("Created"),
    ]

    def rows():
        for client in queryset.iterator(chunk_size=1000):
            yield [
                client.name,
                client.legal_name,
                client.tax_id,
                client.industry.name if client.industry else "",
                client.get_segment_display(),
                client.territory.name if client.territory else "",
                client.tier,
                client.get_status_display(),
                client.get_source_display(),
                client.owner.username,
                client.owner.full_name,
                client.owner.team.name if client.owner.team else "",
                client.phone,
                client.website,
                client.address,
                client.last_activity_at,
                client.created_at,
            ]

    return export_response(filename="clients", headers=headers, rows=rows(), export_format=export_format)


@login_required
@require_GET
def next_steps(request):
    """The viewer's open next steps, overdue first, each completable in place."""
    data = request.GET.copy()
    if "person" not in data:
        data["person"] = str(request.user.pk)
    queryset = selectors.next_step_list(viewer=request.user)
    filterset = NextStepFilter(data, queryset=queryset, request=request)
    filtered = filterset.qs if filterset.is_valid() else queryset.none()
    page = Paginator(filtered, NEXT_STEPS_PER_PAGE).get_page(request.GET.get("page"))
    whose = NextStepFilter(data, queryset=queryset, request=request)
    whose.filters.pop("due")
    counts = selectors.next_step_counts(whose.qs if whose.is_valid() else queryset.none())
    writable_ids = set(
        Activity.objects.writable_by(request.user)
        .filter(pk__in=[step.pk for step in page.object_list])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "clients/next_steps.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without(request, "page"),
            "counts": counts,
            "filters_people": not sees_only_own(request.user),
            "today": timezone.localdate(),
            "writable_ids": writable_ids,
        },
    )
