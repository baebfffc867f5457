"""Contacts of a client: add, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.visibility import ensure_can_write, get_visible_or_404
from clients import rules, services
from clients.forms import ContactForm
from clients.models import Client, Contact
from clients.views.common import posted
from core.forms import apply_service_errors, edit_page


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request, pk: int):
    client = get_visible_or_404(Client.objects.all(), request.user, pk=pk)
    rules.ensure_can_write_client_records(request.user, client)
    form = ContactForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_create(by=request.user, client=client, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Contact added."))
            return redirect("clients:detail", pk=client.pk)
    return render(
        request,
        "clients/contact_form.html",
        {"form": form, "client": client, "contact": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk: int):
    contact = get_visible_or_404(Contact.objects.select_related("client"), request.user, pk=pk)
    ensure_can_write(request.user, contact)
    return edit_page(
        request,
        ContactForm(posted(request), instance=contact),
        values=lambda form: dict(form.cleaned_data),
        save=lambda edits, shown: services.contact_update(
            by=request.user, contact=contact, shown=shown, **edits
        ),
        reopen=lambda data: ContactForm(
            data, instance=get_visible_or_404(Contact.objects.all(), request.user, pk=pk)
        ),
        done=reverse("clients:detail", args=[contact.client_id]),
        template="clients/contact_form.html",
        context={"client": contact.client, "contact": contact},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_delete(request, pk: int):
    contact = get_visible_or_404(Contact.objects.select_related("client"), request.user, pk=pk)
    ensure_can_write(request.user, contact)
    if request.method == "POST":
        services.contact_delete(by=request.user, contact=contact)
        messages.success(request, _("Contact “%(name)s” deleted.") % {"name": contact.name})
        return redirect("clients:detail", pk=contact.client_id)
    return render(
        request,
        "clients/confirm_delete.html",
        {
            "client": contact.client,
            "object": contact,
            "cancel_url": reverse("clients:detail", args=[contact.client_id]),
        },
    )
