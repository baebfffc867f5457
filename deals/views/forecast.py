"""The deal page's forecast forms: the owner sets the category, the owner's lead or the
head overrides it with a note. Both post, write through deals.services.forecast and come
back to the deal page (with the form's errors and a 400 when refused)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.visibility import get_visible_or_404
from core.forms import apply_service_errors
from deals import services
from deals.forms import ForecastForm, ForecastOverrideForm
from deals.models import Deal
from deals.views.deal import render_deal_page


@login_required
@require_POST
def forecast_set(request, pk):
    deal = get_visible_or_404(Deal.objects.select_related("stage", "owner"), request.user, pk=pk)
    form = ForecastForm(request.POST)
    if form.is_valid():
        try:
            services.deal_forecast_set(
                deal=deal, by=request.user, category=form.cleaned_data["forecast_category"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Forecast category saved."))
            return redirect("deals:detail", pk=deal.pk)
    return render_deal_page(request, deal.pk, forecast_form=form, status=400)


@login_required
@require_POST
def forecast_override(request, pk):
    deal = get_visible_or_404(Deal.objects.select_related("stage", "owner"), request.user, pk=pk)
    form = ForecastOverrideForm(request.POST)
    if form.is_valid():
        try:
            services.deal_forecast_override(
                deal=deal,
                by=request.user,
                category=form.cleaned_data["forecast_override"],
                note=form.cleaned_data["forecast_override_note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Forecast override saved."))
            return redirect("deals:detail", pk=deal.pk)
    return render_deal_page(request, deal.pk, forecast_override_form=form, status=400)
