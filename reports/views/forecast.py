"""The forecast page (/forecast/): a period's quota, closed, commit, best case, pipeline
and gap per department, team and person (reports.forecast), with each row's months."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.http import query_without
from reports.filters import ForecastSnapshotFilter
from reports.forecast import forecast
from reports.forms import ForecastForm
from reports.models import ForecastSnapshot, Scope
from reports.services.snapshots import week_of
from reports.snapshots import forecast_accuracy, previous_week_taken, week_changes
from reports.views.reports import period_choices

FIGURE_LABELS = ("quota", "closed", "commit", "best_case", "pipeline", "gap")
# A quarter's months under each of a department's 120 people was 565 rows and 200 KB: with
# more people than a team's worth in view, their rows show the period alone (the department
# and the teams keep their months; choosing a team or a person brings the people's back).
PEOPLE_WITH_MONTHS = 25


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
    people = sum(1 for row in rows if row.scope == Scope.REP)
    people_months = people <= PEOPLE_WITH_MONTHS
    month_scopes = {Scope.DEPARTMENT, Scope.TEAM} | ({Scope.REP} if people_months else set())
    return render(
        request,
        "reports/forecast.html",
        {
            "form": form,
            "period": period if valid else None,
            "rows": rows,
            "months": months,
            "month_scopes": month_scopes,
            "people_months_hidden": bool(months) and not people_months,
            "period_choices": period_choices(form.today),
            "query": query_without(request, "page"),
        },
        status=200 if valid else 400,
    )


@login_required
def forecast_changes_page(request):
    """What changed in the forecast since the previous week's snapshot."""
    filterset = ForecastSnapshotFilter(request.GET, queryset=ForecastSnapshot.objects.none(), request=request)
    valid = filterset.is_valid()
    cleaned = filterset.form.cleaned_data if valid else {}
    week = week_of(cleaned.get("week") or timezone.localdate())
    changes = (
        week_changes(viewer=request.user, week=week, team=cleaned.get("team"), owner=cleaned.get("owner"))
        if valid
        else {}
    )
    sections = [
        (kind, label, changes.get(kind, []))
        for kind, label in (
            ("added", _("Added")),
            ("slipped", _("Slipped")),
            ("moved", _("Moved category")),
            ("won", _("Won")),
            ("lost", _("Lost")),
        )
    ]
    return render(
        request,
        "reports/forecast_changes.html",
        {
            "filter": filterset,
            "week": week,
            "previous_week": week - datetime.timedelta(days=7),
            "previous_week_taken": previous_week_taken(week),
            "sections": sections,
        },
        status=200 if valid else 400,
    )


@login_required
def forecast_accuracy_page(request):
    """Commit at the start of a period against what closed, per person, team, department."""
    form = ForecastForm(request.GET, viewer=request.user, default="report")
    valid = form.is_valid()
    period = form.cleaned_data.get("period_range") if valid else None
    week, rows = (None, [])
    if period is not None:
        week, rows = forecast_accuracy(
            viewer=request.user,
            period=period,
            team=form.cleaned_data.get("team"),
            owner=form.cleaned_data.get("owner"),
        )
    return render(
        request,
        "reports/forecast_accuracy.html",
        {
            "form": form,
            "period": period,
            "week": week,
            "rows": rows,
            "period_choices": period_choices(form.today),
        },
        status=200 if valid else 400,
    )
