"""Webhook pages for the head: register endpoints, see each one's deliveries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import apply_service_errors
from core.tables import table_for_request
from integrations import services
from integrations.forms import WebhookForm
from integrations.selectors import delivery_list, webhook_list
from integrations.tables import DeliveryTable, WebhookTable


@login_required
def webhooks_page(request):
    endpoints = webhook_list(viewer=request.user)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.webhook_create(by=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            apply_service_errors(form, invalid)
        else:
            messages.success(request, _("Webhook added. Its signing secret is on its page."))
            return redirect("integrations:webhook", pk=endpoint.pk)
    table = table_for_request(WebhookTable, request, endpoints)
    context = {"form": form, "table": table}
    return render(request, "integrations/webhooks.html", context, status=400 if form.errors else 200)


def _endpoint(request, pk):
    return get_object_or_404(webhook_list(viewer=request.user), pk=pk)


@login_required
def webhook_page(request, pk: int):
    endpoint = _endpoint(request, pk)
    initial = {"url": endpoint.url, "description": endpoint.description, "events": endpoint.events}
    form = WebhookForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.webhook_update(by=request.user, endpoint=endpoint, **form.cleaned_data)
        except ValidationError as invalid:
            apply_service_errors(form, invalid)
        else:
            messages.success(request, _("Webhook saved."))
            return redirect("integrations:webhook", pk=endpoint.pk)
    table = table_for_request(DeliveryTable, request, delivery_list(viewer=request.user, endpoint=endpoint))
    context = {"endpoint": endpoint, "form": form, "table": table}
    return render(request, "integrations/webhook.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def webhook_toggle(request, pk: int):
    endpoint = _endpoint(request, pk)
    services.webhook_update(by=request.user, endpoint=endpoint, is_active=not endpoint.is_active)
    messages.success(request, _("Webhook switched on.") if endpoint.is_active else _("Webhook switched off."))
    return redirect("integrations:webhook", pk=endpoint.pk)


@login_required
@require_POST
def webhook_rotate(request, pk: int):
    endpoint = services.webhook_rotate_secret(by=request.user, endpoint=_endpoint(request, pk))
    messages.success(request, _("A new signing secret is in use; give it to the receiver."))
    return redirect("integrations:webhook", pk=endpoint.pk)


@login_required
def webhook_delete(request, pk: int):
    endpoint = _endpoint(request, pk)
    if request.method == "POST":
        services.webhook_delete(by=request.user, endpoint=endpoint)
        messages.success(request, _("Webhook deleted."))
        return redirect("integrations:webhooks")
    return render(request, "integrations/webhook_delete.html", {"endpoint": endpoint})
