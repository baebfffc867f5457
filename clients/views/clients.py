"""The client's 360 page and the client's own forms: create, edit, reassign, hand over,
move along the lifecycle, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.visibility import ensure_can_write, get_visible_or_404
from clients import rules, selectors, services
from clients.forms import ClientForm, HandOverForm, ReassignForm, StatusForm
from clients.models import Client
from clients.views.common import client_page_context, posted
from core.forms import apply_service_errors, edit_page


@login_required
@require_GET
def client_detail(request, pk: int):
    client = selectors.client_get(viewer=request.user, pk=pk)
    permissions = rules.client_permissions(viewer=request.user, client=client)
    context = client_page_context(request, client, permissions=permissions)
    return render(request, "clients/client_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def client_create(request):
    rules.ensure_can_add_clients(request.user)
    owners = rules.assignable_owners(viewer=request.user)
    form = ClientForm(posted(request), owners=owners, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_create(by=request.user, **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Client “%(name)s” created.") % {"name": client.name})
            return redirect("clients:detail", pk=client.pk)
    return render(
        request,
        "clients/client_form.html",
        {"form": form, "client": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_edit(request, pk: int):
    client = get_visible_or_404(Client.objects.all(), request.user, pk=pk)
    ensure_can_write(request.user, client)
    return edit_page(
        request,
        ClientForm(posted(request), instance=client),
        values=lambda form: form.service_kwargs(),
        save=lambda edits, shown: services.client_update(
            by=request.user, client=client, shown=shown, **edits
        ),
        reopen=lambda data: ClientForm(
            data, instance=get_visible_or_404(Client.objects.all(), request.user, pk=pk)
        ),
        done=reverse("clients:detail", args=[client.pk]),
        template="clients/client_form.html",
        context={"client": client},
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_reassign(request, pk: int):
    client = get_visible_or_404(Client.objects.select_related("owner"), request.user, pk=pk)
    rules.ensure_can_reassign(request.user, client)
    owners = rules.assignable_owners(viewer=request.user).exclude(pk=client.owner_id)
    form = ReassignForm(posted(request), owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_reassign(
                by=request.user,
                client=client,
                owner=form.cleaned_data["owner"],
                move_open_work=form.cleaned_data["move_open_work"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("%(client)s now belongs to %(owner)s.") % {"client": client, "owner": client.owner}
            )
            moved = getattr(client, "moved_open_work", {})
            if any(moved.values()):
                messages.info(
                    request,
                    _("Open deals moved with it: %(deals)d; open tasks: %(tasks)d.")
                    % {"deals": moved.get("deals", 0), "tasks": moved.get("tasks", 0)},
                )
            return redirect("clients:detail", pk=client.pk)
    return render(
        request,
        "clients/client_reassign.html",
        {"form": form, "client": client},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_hand_over(request, pk: int):
    """An SDR hands a qualified lead over to a rep of the team."""
    client = get_visible_or_404(Client.objects.select_related("owner"), request.user, pk=pk)
    rules.ensure_can_hand_over(request.user, client)
    form = HandOverForm(
        posted(request), candidates=services.hand_over_candidates(by=request.user, client=client)
    )
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_hand_over(client=client, to=form.cleaned_data["to"], by=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(client)s handed over to %(owner)s.") % {"client": client, "owner": client.owner},
            )
            if Client.objects.visible_to(request.user).filter(pk=client.pk).exists():
                return redirect("clients:detail", pk=client.pk)
            return redirect("clients:list")
    return render(
        request,
        "clients/client_hand_over.html",
        {"form": form, "client": client},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def client_status(request, pk: int):
    client = get_visible_or_404(Client.objects.all(), request.user, pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect("clients:detail", pk=client.pk)
    try:
        client = services.client_status_move(
            by=request.user, client=client, status=form.cleaned_data["status"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Status: %(status)s.") % {"status": client.get_status_display()})
    return redirect("clients:detail", pk=client.pk)


@login_required
@require_http_methods(["GET", "POST"])
def client_delete(request, pk: int):
    client = get_visible_or_404(Client.objects.all(), request.user, pk=pk)
    ensure_can_write(request.user, client)
    error = None
    if request.method == "POST":
        try:
            services.client_delete(by=request.user, client=client)
        except ValidationError as failure:
            error = failure.messages[0]
        else:
            messages.success(request, _("Client “%(name)s” deleted.") % {"name": client.name})
            return redirect("clients:list")
    counts = {"contacts": client.contacts.count(), "activities": client.activities.count()}
    return render(
        request,
        "clients/confirm_delete.html",
        {
            "client": client,
            "object": client,
            "error": error,
            "counts": counts,
            "cancel_url": reverse("clients:detail", args=[client.pk]),
        },
        status=400 if error else 200,
    )
