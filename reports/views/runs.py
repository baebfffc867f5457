"""The reports overview (latest headlines, alert summary) and the report runs: the list the
page polls, and starting a run by hand (head and analyst, see reports.rules)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import apply_service_errors
from reports.forms import RunTriggerForm
from reports.models import (
    ActivityStat,
    ConversionReport,
    CoverageReport,
    PeriodKind,
    PlanFulfilment,
    RenewalReport,
    ReportRow,
    RunStatus,
)
from reports.rules import may_trigger_runs
from reports.selectors import alert_summary, headline_scope, run_list
from reports.services.runs import report_runs_trigger


def _latest_headline(model: type[ReportRow], viewer, scope: dict, **filters):
    return (
        model.objects.visible_to(viewer)
        .filter(**scope, **filters)
        .select_related("team", "rep")
        .order_by("-period")
        .first()
    )


def _runs_context(request) -> dict:
    runs = list(run_list(viewer=request.user)[:12])
    return {
        "runs": runs,
        "runs_busy": any(run.status in (RunStatus.QUEUED, RunStatus.RUNNING) for run in runs),
        "may_trigger": may_trigger_runs(request.user),
    }


@login_required
def index(request, trigger_form: RunTriggerForm | None = None):
    viewer = request.user
    scope = headline_scope(viewer)
    context = {
        "conversion": _latest_headline(ConversionReport, viewer, scope),
        "renewal": _latest_headline(RenewalReport, viewer, scope),
        "activity": _latest_headline(ActivityStat, viewer, scope, period_kind=PeriodKind.MONTH),
        "fulfilment": _latest_headline(PlanFulfilment, viewer, scope),
        "coverage": _latest_headline(CoverageReport, viewer, scope),
        "alerts": alert_summary(viewer=viewer),
        "trigger_form": trigger_form or RunTriggerForm(),
        **_runs_context(request),
    }
    return render(request, "reports/index.html", context, status=400 if trigger_form else 200)


@login_required
def runs(request):
    """The latest runs (the reports page polls this while a run is under way). Opened as a
    page of its own (a bookmark, a link copied from the poll), the reports page at its runs."""
    if not request.htmx:
        return redirect(reverse("reports:index") + "#runs")
    return render(request, "reports/partials/runs.html", _runs_context(request))


@login_required
@require_POST
def run_trigger(request):
    if not may_trigger_runs(request.user):
        # Checked before the form, so nobody else learns anything from its validation.
        raise PermissionDenied(_("Only the head of sales and the analyst may start report runs."))
    form = RunTriggerForm(request.POST)
    if form.is_valid():
        try:
            started = report_runs_trigger(
                by=request.user, run_date=form.cleaned_data["run_date"], kinds=form.cleaned_data["kinds"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if started:
                messages.success(
                    request,
                    _("%(count)s report run(s) queued for %(date)s.")
                    % {"count": len(started), "date": date_format(form.cleaned_data["run_date"])},
                )
            else:
                messages.warning(request, _("Those reports are already queued or running for that date."))
            return redirect("reports:index")
    return index(request, trigger_form=form)
