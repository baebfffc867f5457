"""The head's deal-warning settings page: thresholds, severities and days allowed per open
stage. Everyone who works with warnings may read it; only the head saves it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.forms import apply_service_errors
from deals import services
from deals.forms import WarningSettingsForm
from deals.models import Stage, StageKind
from deals.rules import may_set_warning_settings


@login_required
@require_http_methods(["GET", "POST"])
def warning_settings(request):
    may_set = may_set_warning_settings(request.user)
    stages = list(Stage.objects.filter(kind=StageKind.OPEN).order_by("order", "pk"))
    current = services.warning_settings_current()
    if request.method == "POST":
        if not may_set:
            raise PermissionDenied(_("Only the head sets the warning thresholds."))
        form = WarningSettingsForm(request.POST, instance=current, stages=stages)
        if form.is_valid():
            try:
                services.warning_settings_update(
                    by=request.user, values=form.setting_values(), stage_days=form.stage_days()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Warning settings saved."))
                return redirect("deals:warning_settings")
        status = 400
    else:
        form = WarningSettingsForm(instance=current, stages=stages)
        status = 200
    if not may_set:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "deals/warning_settings.html",
        {"form": form, "may_set": may_set, "stages": stages},
        status=status,
    )
