"""The header's "Log" dialog: pick a client, log what happened. htmx swaps the dialog's body
(#quick-log-body); without JavaScript the same views answer a full page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.visibility import get_visible_or_404
from clients.services import activity_log_with_next_task
from core.forms import apply_service_errors
from deals.quick_log import QuickLogForm, find_loggable_clients, loggable_clients, may_quick_log
from deals.search import MAX_LENGTH, MIN_LENGTH, SearchTermError, clean_term

BODY = "deals/partials/quick_log_body.html"


def _ensure_may_log(user) -> None:
    if not may_quick_log(user):
        raise PermissionDenied(_("You may not log activities."))


def _client_from(request, value):
    """A client the user may log for, or 404 (a hidden, read-only or made-up id alike)."""
    if value in (None, ""):
        return None
    try:
        return get_visible_or_404(loggable_clients(viewer=request.user), request.user, pk=int(value))
    except (TypeError, ValueError, OverflowError):
        raise Http404(_("Not found.")) from None


def _picked(request, term: str) -> dict:
    """The client step: the type-ahead's answers for ``term`` (none for a term too short)."""
    try:
        cleaned = clean_term(term)
    except SearchTermError:
        return {"q": term[:MAX_LENGTH], "clients": [], "searched": False}
    return {
        "q": cleaned,
        "clients": find_loggable_clients(viewer=request.user, term=cleaned),
        "searched": True,
    }


def _answer(request, context: dict, status: int = 200):
    target = request.htmx.target if request.htmx else None
    if target == "quick-log-body":
        return render(request, BODY, context, status=status)
    if request.htmx:
        return render(request, "deals/partials/quick_log_dialog.html", context, status=status)
    return render(request, "deals/quick_log.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def quick_log(request):
    _ensure_may_log(request.user)
    source = request.POST if request.method == "POST" else request.GET
    client = _client_from(request, source.get("client"))
    if client is None:
        return _answer(
            request, {"step": "client", "min_length": MIN_LENGTH, **_picked(request, source.get("q", ""))}
        )
    form = QuickLogForm(request.POST or None, client=client, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            activity, planned = activity_log_with_next_task(
                by=request.user, client=client, next_task=form.next_task(), **form.service_kwargs()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Logged."))
                return redirect("clients:detail", pk=client.pk)
            return _answer(
                request, {"step": "done", "client": client, "activity": activity, "planned": planned}
            )
    status = 400 if form.errors else 200
    return _answer(request, {"step": "form", "client": client, "form": form}, status=status)


@login_required
@require_GET
def quick_log_clients(request):
    """The type-ahead's list of clients (an htmx fragment)."""
    _ensure_may_log(request.user)
    return render(
        request, "deals/partials/quick_log_clients.html", _picked(request, request.GET.get("q", ""))
    )
