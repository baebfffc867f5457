"""The deal list with its filters, sorting and CSV/XLSX export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from core.exports import EXPORT_FORMATS, export_response
from core.money import money
from deals.filters import DealFilter, sort_deals
from deals.rules import changes_no_deal
from deals.selectors.deals import DealWarning, deal_list

LIST_PAGE_SIZE = 50

# The deal list's columns: (sort key or None, label, css class).
LIST_COLUMNS = [
    ("title", gettext_lazy("Deal"), ""),
    ("client", gettext_lazy("Client"), ""),
    ("stage", gettext_lazy("Stage"), ""),
    ("amount", gettext_lazy("Amount"), "num"),
    (None, gettext_lazy("Prob."), "num"),
    ("owner", gettext_lazy("Owner"), ""),
    ("expected_close", gettext_lazy("Expected close"), ""),
    ("facts", gettext_lazy("Facts"), "num"),
    (None, gettext_lazy("Next step"), ""),
    (None, gettext_lazy("Warnings"), ""),
]


def _sort_columns(sort: str) -> list[dict]:
    columns = []
    for key, label, css in LIST_COLUMNS:
        direction = ""
        next_sort = key
        if key and sort == key:
            direction, next_sort = "ascending", f"-{key}"
        elif key and sort == f"-{key}":
            direction = "descending"
        columns.append({"key": key, "label": label, "css": css, "direction": direction, "next": next_sort})
    return columns


EXPORT_HEADERS = [
    ("id", gettext_lazy("ID")),
    ("title", gettext_lazy("Title")),
    ("client", gettext_lazy("Client")),
    ("stage", gettext_lazy("Stage")),
    ("amount", gettext_lazy("Amount")),
    ("probability", gettext_lazy("Probability, %")),
    ("weighted", gettext_lazy("Weighted")),
    ("type", gettext_lazy("Type")),
    ("owner", gettext_lazy("Owner")),
    ("team", gettext_lazy("Team")),
    ("expected_close", gettext_lazy("Expected close")),
    ("facts", gettext_lazy("Facts")),
    ("next_step", gettext_lazy("Next step")),
    ("next_step_due", gettext_lazy("Next step due")),
    ("closed", gettext_lazy("Closed")),
    ("lost_reason", gettext_lazy("Lost reason")),
    ("created", gettext_lazy("Created")),
]


def _export(deals, export_format: str):
    headers = [str(label) for _key, label in EXPORT_HEADERS]

    def rows():
        for deal in deals.iterator(chunk_size=1000):
            yield [
                deal.pk,
                deal.title,
                deal.client.name,
                deal.stage.name,
                deal.amount,
                deal.effective_probability,
                deal.weighted_amount,
                deal.get_deal_type_display(),
                deal.owner.full_name,
                deal.owner.team.name if deal.owner.team_id else "",
                deal.expected_close,
                deal.fact_count,
                deal.next_step,
                deal.next_step_due,
                deal.closed_at,
                deal.lost_reason,
                deal.created_at,
            ]

    return export_response(filename="deals", headers=headers, rows=rows(), export_format=export_format)


@login_required
def deal_list_page(request):
    base = deal_list(viewer=request.user)
    filterset = DealFilter(request.GET, queryset=base, request=request)
    deals = filterset.qs if filterset.is_valid() else base.none()
    deals, sort = sort_deals(deals, request.GET.get("sort"))
    export_format = request.GET.get("export")
    if export_format in EXPORT_FORMATS:
        return _export(deals, export_format)
    totals = deals.order_by().aggregate(count=Count("pk"), amount=Sum("amount"))
    paginator = Paginator(deals, LIST_PAGE_SIZE)
    paginator.count = totals["count"]  # the aggregate already counted them
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "deals/deal_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "sort": sort,
            "total_amount": money(totals["amount"]),
            "total_count": totals["count"],
            "sort_columns": _sort_columns(sort),
            "can_move": not changes_no_deal(request.user),
            "active_warning": dict(DealWarning.choices).get(
                filterset.form.cleaned_data.get("warning") if filterset.is_valid() else None
            ),
        },
    )
