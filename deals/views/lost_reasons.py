"""The head's list of lost reasons (/deals/lost-reasons/): add a reason, rename, reorder or
deactivate one. Everyone who closes deals may read it; only the head saves."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.forms import apply_service_errors
from deals import services
from deals.forms import LostReasonForm
from deals.models import LostReason
from deals.rules import may_manage_lost_reasons


def _save(request, form: LostReasonForm, reason: LostReason | None) -> bool:
    if not form.is_valid():
        return False
    try:
        if reason is None:
            services.lost_reason_create(by=request.user, **form.cleaned_data)
        else:
            services.lost_reason_update(reason=reason, by=request.user, data=form.cleaned_data)
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def lost_reasons(request):
    may_manage = may_manage_lost_reasons(request.user)
    reasons = list(LostReason.objects.order_by("order", "pk"))
    add_form = LostReasonForm(prefix="new", initial={"order": (reasons[-1].order + 10) if reasons else 10})
    edited, edit_form, status = None, None, 200
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied(_("Only the head keeps the list of lost reasons."))
        pk = request.POST.get("reason")
        if pk:
            if not pk.isdigit() or len(pk) > 9:
                raise Http404
            edited = get_object_or_404(LostReason, pk=pk)
            edit_form = LostReasonForm(request.POST, prefix=f"reason-{edited.pk}")
            saved = _save(request, edit_form, edited)
        else:
            add_form = LostReasonForm(request.POST, prefix="new")
            saved = _save(request, add_form, None)
        if saved:
            messages.success(request, _("Lost reasons saved."))
            return redirect("deals:lost_reasons")
        status = 400
    rows = [
        (
            reason,
            edit_form
            if edited is not None and edited.pk == reason.pk
            else LostReasonForm(
                prefix=f"reason-{reason.pk}",
                initial={"name": reason.name, "order": reason.order, "is_active": reason.is_active},
            ),
        )
        for reason in reasons
    ]
    return render(
        request,
        "deals/lost_reasons.html",
        {"rows": rows, "add_form": add_form, "may_manage": may_manage},
        status=status,
    )
