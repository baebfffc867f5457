"""The attachments panel every parent page loads by URL (client, deal, contract pages),
upload into it, download and delete. Visibility is the parent's: a hidden parent, or a
file of one, answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.visibility import get_visible_or_404
from clients.models import Client
from core.forms import apply_service_errors
from deals.models import Deal, Quote
from documents import services
from documents.api import attachment_response
from documents.forms import AttachmentForm
from documents.models import Contract
from documents.rules import attachment_deleter, may_attach_to
from documents.selectors import attachment_detail, attachments_of

PARENTS = {
    "client": (Client.objects.all(), "clients:detail"),
    "deal": (Deal.objects.select_related("owner"), "deals:detail"),
    "contract": (Contract.objects.select_related("deal__owner"), "documents:contract_detail"),
    "quote": (Quote.objects.select_related("deal__owner"), "deals:quote"),
}


def _parent(request, kind: str, pk):
    if kind not in PARENTS:
        raise Http404
    queryset, _url = PARENTS[kind]
    return get_visible_or_404(queryset, request.user, pk=pk)


def parent_url(kind: str, parent) -> str:
    return reverse(PARENTS[kind][1], args=[parent.pk])


def render_panel(request, kind: str, parent, *, form=None, status: int = 200, notice: str = ""):
    may_delete = attachment_deleter(request.user, parent)
    # A contract's signed scan stays (attachment_delete refuses it): no button for it.
    kept = getattr(parent, "signed_scan_id", None)

    def deletable(attachment) -> bool:
        return attachment.pk != kept and may_delete(attachment)

    rows = [
        (attachment, deletable(attachment))
        for attachment in attachments_of(viewer=request.user, **{kind: parent})
    ]
    can_attach = may_attach_to(request.user, parent)
    context = {
        "kind": kind,
        "parent": parent,
        "rows": rows,
        "can_attach": can_attach,
        "form": form if form is not None else (AttachmentForm() if can_attach else None),
        "panel_url": reverse("documents:attachments", args=[kind, parent.pk]),
        "notice": notice,
    }
    return render(request, "documents/partials/attachments.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def panel(request, kind: str, pk: int):
    """GET: the parent's files and the upload form. POST: upload a file into it."""
    parent = _parent(request, kind, pk)
    if request.method == "GET":
        return render_panel(request, kind, parent)
    form = AttachmentForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            services.attachment_add(by=request.user, upload=form.cleaned_data["file"], **{kind: parent})
            status = 200
        except ValidationError as exc:
            apply_service_errors(form, exc)
    if not request.htmx:
        if status == 200:
            messages.success(request, _("File uploaded."))
        else:
            messages.error(
                request, " ".join(message for errors in form.errors.values() for message in errors)
            )
        return redirect(parent_url(kind, parent))
    if status == 200:
        response = render_panel(request, kind, parent, notice=_("File uploaded."))
        if kind == "contract":
            # The contract page offers the new file as its signed scan: reload it.
            response["HX-Refresh"] = "true"
        return response
    return render_panel(request, kind, parent, form=form, status=400)


@login_required
@require_GET
def download(request, pk: int):
    return attachment_response(attachment_detail(viewer=request.user, pk=pk))


@login_required
@require_POST
def delete(request, pk: int):
    attachment = attachment_detail(viewer=request.user, pk=pk)
    kind = next(name for name in PARENTS if getattr(attachment, f"{name}_id"))
    parent = _parent(request, kind, getattr(attachment, f"{kind}_id"))
    error = ""
    try:
        services.attachment_delete(by=request.user, attachment=attachment)
    except (ValidationError, PermissionDenied) as exc:
        error = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("File deleted."))
        return redirect(parent_url(kind, parent))
    return render_panel(
        request, kind, parent, notice=error or _("File deleted."), status=400 if error else 200
    )
