"""Merging duplicates on pages: the "possible duplicates" list, and the side-by-side page
where a manager picks, field by field, which value survives before confirming the merge."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.visibility import get_visible_or_404
from clients import rules, services
from clients.duplicates import duplicate_groups, group_members
from clients.merging import pending_moves
from clients.models import Client, Contact
from clients.services.merge import DUPLICATE, SURVIVOR, differing_fields, merge_defaults

DUPLICATE_GROUPS_PER_PAGE = 20


@login_required
@require_GET
def client_duplicates(request):
    """Groups of clients the viewer sees that look like one company, each with merge links."""
    if not rules.may_merge(request.user):
        raise PermissionDenied(_("Only a team lead or the head of sales may merge duplicates."))
    page = Paginator(duplicate_groups(viewer=request.user), DUPLICATE_GROUPS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    groups = group_members(viewer=request.user, groups=list(page.object_list))
    return render(request, "clients/duplicates.html", {"page": page, "groups": groups})


def _display(record, name: str) -> str:
    field = type(record)._meta.get_field(name)
    value = getattr(record, name)
    if field.choices:
        return getattr(record, f"get_{name}_display")()
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field.is_relation:
        return getattr(value, "full_name", None) or ("" if value is None else str(value))
    return "" if value is None else str(value)


def _rows(survivor, duplicate, names, chosen: dict[str, str]) -> list[dict]:
    defaults = merge_defaults(survivor, duplicate, names)
    differing = set(differing_fields(survivor, duplicate, names))
    model = type(survivor)
    return [
        {
            "name": name,
            "label": model._meta.get_field(name).verbose_name,
            "survivor": _display(survivor, name),
            "duplicate": _display(duplicate, name),
            "differs": name in differing,
            "side": chosen.get(name, defaults[name]),
        }
        for name in names
    ]


def _duplicate_of(request, model, survivor):
    """The record named by ``duplicate`` in the request, or None with an error to show."""
    raw = (request.POST if request.method == "POST" else request.GET).get("duplicate", "").strip()
    if not raw:
        return None, None
    if not raw.isdigit() or len(raw) > 18:
        return None, _("Enter the number of the record to merge.")
    found = model.objects.visible_to(request.user).filter(pk=int(raw)).first()
    if found is None:
        return None, _("There is no such record among those you see.")
    if found.pk == survivor.pk:
        return None, _("Choose another record: a record cannot be merged with itself.")
    return found, None


def _merge_page(request, *, survivor, model, names, service, target, context):
    rules.ensure_can_merge(request.user, survivor)
    duplicate, error = _duplicate_of(request, model, survivor)
    chosen = {}
    status = 200
    if duplicate is not None and request.method == "POST":
        chosen = {
            name: request.POST[f"field_{name}"]
            for name in names
            if request.POST.get(f"field_{name}") in (SURVIVOR, DUPLICATE)
        }
        try:
            outcome = service(by=request.user, survivor=survivor, duplicate=duplicate, fields=chosen)
        except ValidationError as failure:
            error = " ".join(failure.messages)
            status = 400
        else:
            messages.success(
                request,
                _("Merged #%(id)s into “%(name)s”; linked records moved: %(rows)s.")
                % {"id": outcome.duplicate_id, "name": str(outcome.survivor), "rows": outcome.rows_moved},
            )
            return redirect(context.pop("done_url"))
    elif request.method == "POST":
        status = 400
        error = error or _("Choose the record to merge.")
    if duplicate is not None:
        rules.ensure_can_merge(request.user, duplicate)
        context.update(
            {
                "duplicate": duplicate,
                "rows": _rows(survivor, duplicate, names, chosen),
                "moves": pending_moves(target, duplicate.pk),
            }
        )
    context.pop("done_url", None)
    context.update({"survivor": survivor, "error": error, "raw_duplicate": request.GET.get("duplicate", "")})
    return render(request, "clients/merge.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def client_merge(request, pk: int):
    survivor = get_visible_or_404(
        Client.objects.select_related("owner", "industry", "territory"), request.user, pk=pk
    )
    return _merge_page(
        request,
        survivor=survivor,
        model=Client,
        names=services.CLIENT_MERGE_FIELDS,
        service=services.client_merge,
        target="clients.Client",
        context={
            "kind": "client",
            "title": _("Merge a duplicate into “%(name)s”") % {"name": survivor.name},
            "back_url": reverse("clients:detail", args=[survivor.pk]),
            "done_url": reverse("clients:detail", args=[survivor.pk]),
            "swap_url_name": "clients:merge",
            "candidates": [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_merge(request, pk: int):
    survivor = get_visible_or_404(Contact.objects.select_related("client"), request.user, pk=pk)
    candidates = survivor.client.contacts.exclude(pk=survivor.pk).order_by("name", "pk")[:50]
    return _merge_page(
        request,
        survivor=survivor,
        model=Contact,
        names=services.CONTACT_MERGE_FIELDS,
        service=services.contact_merge,
        target="clients.Contact",
        context={
            "kind": "contact",
            "title": _("Merge a duplicate into contact “%(name)s”") % {"name": survivor.name},
            "back_url": reverse("clients:detail", args=[survivor.client_id]),
            "done_url": reverse("clients:detail", args=[survivor.client_id]) + f"#contact-{survivor.pk}",
            "swap_url_name": "clients:contact_merge",
            "candidates": list(candidates),
        },
    )
