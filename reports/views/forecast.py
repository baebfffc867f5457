"""The forecast page (/forecast/): a period's quota, closed, commit, best case, pipeline
and gap per department, team and person (reports.forecast), with each row's months."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.http import query_without
from reports.forecast import forecast
from reports.forms import ForecastForm
from reports.views.reports import period_choices

FIGURE_LABELS = ("quota", "closed", "commit", "best_case", "pipeline", "gap")


@login_required
def forecast_page(request):
    form = ForecastForm(request.GET, viewer=request.user)
    valid = form.is_valid()
    cleaned = form.cleaned_data if valid else {}
    period = cleaned.get("period_range")
    rows = []
    if valid and period is not None:
        rows = forecast(
            viewer=request.user, period=period, team=cleaned.get("team"), owner=cleaned.get("owner")
        )
    months = period.months() if period is not None and valid and len(period.months()) > 1 else []
    return render(
        request,
        "reports/forecast.html",
        {
            "form": form,
            "period": period if valid else None,
            "rows": rows,
            "months": months,
            "period_choices": period_choices(form.today),
            "query": query_without(request, "page"),
        },
        status=200 if valid else 400,
    )
