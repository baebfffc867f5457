"""Client request pages: the list (filters, sorting, export), logging a request for a
client, the request page with its status actions, and the client page's panel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.visibility import get_visible_or_404
from clients.models import Client
from core.exports import EXPORT_FORMATS
from core.forms import apply_service_errors
from core.tables import export_table, table_for_request
from documents import services
from documents.filters import ClientRequestFilter
from documents.forms import ClientRequestForm, RequestMoveForm
from documents.models import OPEN_REQUEST_STATUSES, RequestStatus
from documents.rules import may_add_requests, may_handle_request
from documents.selectors import request_detail, request_history, request_list
from documents.services.requests import MOVES
from documents.tables import ClientRequestTable

LIST_PAGE_SIZE = 50
CLIENT_PANEL_SIZE = 10


@login_required
@require_GET
def request_list_page(request):
    base = request_list(viewer=request.user)
    filterset = ClientRequestFilter(request.GET, queryset=base, request=request)
    items = filterset.qs if filterset.is_valid() else base.none()
    export_format = request.GET.get("export")
    if export_format in EXPORT_FORMATS:
        return export_table(ClientRequestTable, request, items, export_format)
    totals = items.order_by().aggregate(
        count=Count("pk"),
        overdue=Count("pk", filter=Q(status__in=OPEN_REQUEST_STATUSES, due_by__lt=timezone.now())),
    )
    table = table_for_request(
        ClientRequestTable, request, items, per_page=LIST_PAGE_SIZE, count=totals["count"]
    )
    return render(
        request,
        "documents/request_list.html",
        {
            "filter": filterset,
            "table": table,
            "total_count": totals["count"],
            "overdue_count": totals["overdue"],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request, client_id: int):
    client = get_visible_or_404(Client.objects.select_related("owner"), request.user, pk=client_id)
    if not may_add_requests(request.user, client):
        raise PermissionDenied(_("You may not log requests for this client."))
    form = ClientRequestForm(request.POST or None, client=client, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.request_create(by=request.user, client=client, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Request logged; the answer is due by %(due)s.")
                % {"due": timezone.localtime(item.due_by).strftime("%Y-%m-%d %H:%M")},
            )
            return redirect("documents:request_detail", pk=item.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/request_form.html", {"form": form, "client": client}, status=status)


def render_request_page(request, pk, *, move_form=None, status: int = 200):
    item = request_detail(viewer=request.user, pk=pk)
    can_move = may_handle_request(request.user, item) and bool(MOVES.get(item.status))
    form = None
    if can_move:
        form = move_form or RequestMoveForm(initial={"status": MOVES[item.status][0]})
        allowed = set(MOVES[item.status])
        form.fields["status"].choices = [c for c in RequestStatus.choices if c[0] in allowed]
    return render(
        request,
        "documents/request_detail.html",
        {"item": item, "history": request_history(item), "move_form": form},
        status=status,
    )


@login_required
@require_GET
def request_page(request, pk: int):
    return render_request_page(request, pk)


@login_required
@require_POST
def request_move(request, pk: int):
    item = request_detail(viewer=request.user, pk=pk)
    form = RequestMoveForm(request.POST)
    if form.is_valid():
        try:
            services.request_move(by=request.user, request=item, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Request updated."))
            return redirect("documents:request_detail", pk=pk)
    return render_request_page(request, pk, move_form=form, status=400)


@login_required
@require_GET
def client_requests_panel(request, client_id: int):
    """The Requests card of the client page (404 when the client is hidden)."""
    client = get_visible_or_404(Client.objects.all(), request.user, pk=client_id)
    items = request_list(viewer=request.user).filter(client=client)
    open_items = items.filter(status__in=OPEN_REQUEST_STATUSES).order_by("due_by", "pk")
    counts = items.aggregate(total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_REQUEST_STATUSES)))
    return render(
        request,
        "documents/partials/client_requests.html",
        {
            "client": client,
            "items": open_items[:CLIENT_PANEL_SIZE],
            "counts": counts,
            "can_add": may_add_requests(request.user, client),
        },
    )
