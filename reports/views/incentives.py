"""Incentives pages: the leaderboard (/reports/incentives/, with its payroll export) and the
bonus schemes (/reports/incentives/schemes/: everyone reads them, the head sets them)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.exports import EXPORT_FORMATS, export_response
from core.http import query_without
from reports.forms import BonusSchemeForm, IncentivesForm
from reports.incentives import (
    COMPARED_MONEY,
    export_headers,
    export_rows,
    leaderboard,
    leaderboard_comparison,
)
from reports.models import SCHEME_ROLE_CHOICES, BonusScheme
from reports.rules import may_set_bonus_schemes
from reports.services.incentives import bonus_scheme_save
from reports.views.reports import period_choices, shown_summary


@login_required
def leaderboard_page(request):
    form = IncentivesForm(request.GET, viewer=request.user)
    valid = form.is_valid()
    board = summary = None
    if valid:
        scope = {"team": form.cleaned_data.get("team"), "owner": form.cleaned_data.get("owner")}
        board = leaderboard(viewer=request.user, period=form.cleaned_data["period_range"], **scope)
        export_format = request.GET.get("export")
        if export_format in EXPORT_FORMATS:
            period = board.period
            name = f"bonuses-{period.value or f'{period.start:%Y-%m}-{period.end:%Y-%m}'}"
            return export_response(
                filename=name, headers=export_headers(), rows=export_rows(board), export_format=export_format
            )
        summary = shown_summary(
            leaderboard_comparison(board, viewer=request.user, **scope), money=COMPARED_MONEY
        )
    return render(
        request,
        "reports/incentives.html",
        {
            "form": form,
            "board": board,
            "summary": summary,
            "period": board.period if board else None,
            "period_choices": period_choices(form.today),
            "export_query": query_without(request, "export"),
            "may_set_schemes": may_set_bonus_schemes(request.user),
        },
        status=200 if valid else 400,
    )


def _scheme_forms(schemes: dict, bound_role: str | None = None, bound=None) -> list:
    forms = []
    for role, label in SCHEME_ROLE_CHOICES:
        scheme = schemes.get(role)
        form = (
            bound
            if role == bound_role
            else BonusSchemeForm(prefix=role, initial=BonusSchemeForm.initial_for(scheme))
        )
        forms.append({"role": role, "label": label, "scheme": scheme, "form": form})
    return forms


@login_required
@require_http_methods(["GET", "POST"])
def schemes_page(request):
    schemes = {
        scheme.role: scheme
        for scheme in BonusScheme.objects.visible_to(request.user).prefetch_related("tiers")
    }
    may_set = may_set_bonus_schemes(request.user)
    bound_role, bound, status = None, None, 200
    if request.method == "POST":
        if not may_set:
            raise PermissionDenied(_("Only the head of sales sets bonus schemes."))
        bound_role = request.POST.get("role", "")
        if bound_role not in dict(SCHEME_ROLE_CHOICES):
            messages.error(request, _("Bonus schemes are set for roles that carry a plan."))
            return redirect("reports:incentive_schemes")
        bound = BonusSchemeForm(request.POST, prefix=bound_role)
        if bound.is_valid():
            try:
                bonus_scheme_save(
                    by=request.user,
                    role=bound_role,
                    basis=bound.cleaned_data["basis"],
                    active=bound.cleaned_data["active"],
                    tiers=bound.cleaned_data["tiers"],
                )
            except ValidationError as error:
                for message in error.messages:
                    bound.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Saved. Bonuses follow the new scheme from the next report run."),
                )
                return redirect("reports:incentive_schemes")
        status = 400
    return render(
        request,
        "reports/incentive_schemes.html",
        {"schemes": _scheme_forms(schemes, bound_role, bound), "may_set": may_set},
        status=status,
    )
