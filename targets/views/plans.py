"""Pages of plans: the plan grid, creating, editing and splitting a plan, a team's split,
and plan vs actual."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Team, User
from accounts.visibility import get_visible_or_404
from core.charts import plan_chart
from core.forms import apply_service_errors
from targets import rules, selectors, services
from targets.forms import (
    DecomposeForm,
    DepartmentSplitForm,
    PlanEditForm,
    PlanForm,
    TeamSplitForm,
)
from targets.models import Allocation, Plan, PlanMetric
from targets.views.common import int_param, month_names, short_month_names, year_param


def _grid_url(plan: Plan) -> str:
    return f"{reverse('targets:plan_grid')}?year={plan.year}&metric={plan.metric}"


@login_required
def plan_grid(request):
    """Reps × months for one plan, grouped by team, with totals and what is unallocated."""
    today = timezone.localdate()
    year = year_param(request, today.year)
    metric = (
        request.GET.get("metric") if request.GET.get("metric") in PlanMetric.values else PlanMetric.BOOKED
    )
    plans = list(Plan.objects.visible_to(request.user).order_by("-year", "metric"))
    plan = next((p for p in plans if p.year == year and p.metric == metric), None)
    may_set = rules.may_set_plans(request.user)
    adjustable = set(rules.plan_teams_adjustable_by(request.user).values_list("pk", flat=True))
    grid = (
        selectors.plan_grid(plan=plan, viewer=request.user, adjustable_team_ids=adjustable) if plan else None
    )
    years = sorted({p.year for p in plans} | {today.year, today.year + 1}, reverse=True)
    create_form = PlanForm(initial={"year": year, "metric": metric}) if may_set and plan is None else None
    return render(
        request,
        "targets/plan_grid.html",
        {
            "plan": plan,
            "grid": grid,
            "year": year,
            "metric": metric,
            "metrics": PlanMetric.choices,
            "years": years,
            "months": short_month_names(),
            "may_set": may_set,
            "create_form": create_form,
        },
    )


@login_required
@require_POST
def plan_create(request):
    rules.ensure_can_set_plans(request.user)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Plan created. Now split it into months, teams and reps."))
            return redirect("targets:plan_decompose", pk=plan.pk)
    return render(request, "targets/plan_form.html", {"form": form, "title": _("New plan")}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    rules.ensure_can_set_plans(request.user)
    plan = get_object_or_404(Plan, pk=pk)
    form = PlanEditForm(request.POST or None, initial={"amount": plan.amount, "note": plan.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Plan saved."))
            return redirect(_grid_url(plan))
    context = {"form": form, "plan": plan, "title": str(plan)}
    return render(request, "targets/plan_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def plan_delete(request, pk: int):
    rules.ensure_can_set_plans(request.user)
    plan = get_object_or_404(Plan, pk=pk)
    if request.method == "POST":
        services.plan_delete(actor=request.user, plan=plan)
        messages.success(request, _("Plan deleted."))
        return redirect(f"{reverse('targets:plan_grid')}?year={plan.year}")
    return render(request, "targets/plan_confirm_delete.html", {"plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def plan_decompose(request, pk: int):
    """The head chooses how the plan is split; running it replaces any earlier split."""
    rules.ensure_can_set_plans(request.user)
    plan = get_object_or_404(Plan, pk=pk)
    members = list(services.plan_members())
    form = DecomposeForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.plan_decompose(actor=request.user, plan=plan, **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Plan split into months, teams and reps."))
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect(_grid_url(plan))
    return render(
        request,
        "targets/plan_decompose.html",
        {"plan": plan, "form": form, "has_split": Allocation.objects.filter(plan=plan).exists()},
        status=400 if form.errors else 200,
    )


def _team_block(request, plan: Plan, team: Team):
    grid = selectors.plan_grid(
        plan=plan,
        viewer=request.user,
        adjustable_team_ids=set(rules.plan_teams_adjustable_by(request.user).values_list("pk", flat=True)),
    )
    return next((block for block in grid.teams if block.team.pk == team.pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def plan_team_edit(request, pk: int, team_id: int):
    """Edit a team's rep × month split in place; each month must keep the team's total."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    team = get_object_or_404(Team.objects.visible_to(request.user), pk=team_id)
    rules.ensure_can_adjust_team(request.user, team)
    block = _team_block(request, plan, team)
    if block is None:
        raise Http404(_("Not found."))
    reps = [row.rep for row in block.rows]
    amounts = {
        (month, row.rep.pk): amount
        for row in block.rows
        for month, amount in enumerate(row.cells, start=1)
        if amount
    }
    if request.method == "GET" and request.GET.get("view"):
        return render(request, "targets/partials/grid_team.html", {"team_block": block, "plan": plan})
    form = TeamSplitForm(request.POST or None, team=team, reps=reps, amounts=amounts)
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_rep_split_set(
                actor=request.user, plan=plan, team=team, amounts=form.amounts()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("%(team)s's split saved.") % {"team": team.name})
                return redirect(_grid_url(plan))
            block = _team_block(request, plan, team)
            return render(
                request, "targets/partials/grid_team.html", {"team_block": block, "plan": plan, "saved": True}
            )
    context = {"team_block": block, "plan": plan, "form": form, "months": short_month_names()}
    status = 400 if form.errors else 200
    if request.htmx:
        return render(request, "targets/partials/grid_team_edit.html", context, status=status)
    return render(request, "targets/plan_team_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plan_split_edit(request, pk: int):
    """The head's month totals and team-month totals, all on one form."""
    rules.ensure_can_set_plans(request.user)
    plan = get_object_or_404(Plan, pk=pk)
    teams, amounts = selectors.department_split(plan=plan)
    form = DepartmentSplitForm(request.POST or None, teams=teams, amounts=amounts)
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_department_split_set(
                actor=request.user, plan=plan, months=form.months(), team_months=form.team_months()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Months and teams saved."))
            return redirect(_grid_url(plan))
    return render(
        request,
        "targets/plan_split_edit.html",
        {"plan": plan, "form": form, "months": short_month_names()},
        status=400 if form.errors else 200,
    )


# --------------------------------------------------------------------------- plan vs actual

SERIES_LABELS = {
    "plan": gettext_lazy("Plan"),
    "booked": gettext_lazy("Booked"),
    "collected": gettext_lazy("Collected"),
    "forecast": gettext_lazy("Forecast"),
}


@login_required
def plan_vs_actual(request):
    """Month by month plan, booked, collected and forecast for the viewer's scope: the
    department (head, analyst), a team, or a rep (a rep sees their own line)."""
    viewer = request.user
    today = timezone.localdate()
    year = year_param(request, today.year)
    scopes = selectors.plan_scopes_for(viewer)
    teams = list(Team.objects.visible_to(viewer).order_by("name"))
    team_id = int_param(request, "team")
    rep_id = int_param(request, "rep")
    team = next((t for t in teams if t.pk == team_id), None) if team_id else None
    if team_id and team is None:
        raise Http404(_("Not found."))
    rep = get_visible_or_404(User.objects.all(), viewer, pk=rep_id) if rep_id else None
    if scopes[0] == selectors.SCOPE_REP:
        rep = viewer
    if rep is not None:
        scope, breakdown_scope = selectors.SCOPE_REP, None
    elif team is not None:
        scope, breakdown_scope = selectors.SCOPE_TEAM, selectors.SCOPE_REP
    elif selectors.SCOPE_DEPARTMENT in scopes:
        scope, breakdown_scope = selectors.SCOPE_DEPARTMENT, selectors.SCOPE_TEAM
    else:
        team = teams[0] if teams else None
        scope, breakdown_scope = selectors.SCOPE_TEAM, selectors.SCOPE_REP
    lines = []
    if scope != selectors.SCOPE_TEAM or team is not None:
        lines = selectors.plan_vs_actual(
            viewer=viewer,
            year=year,
            scope=scope,
            team_id=team.pk if team and scope == selectors.SCOPE_TEAM else None,
            rep_id=rep.pk if rep else None,
        )
    line = lines[0] if lines else None
    breakdown = []
    if line is not None and breakdown_scope:
        breakdown = selectors.plan_vs_actual(
            viewer=viewer, year=year, scope=breakdown_scope, team_id=team.pk if team else None
        )
    chart = plan_chart(line.months, short_month_names(), SERIES_LABELS) if line else None
    month_index = today.month - 1 if today.year == year else None
    return render(
        request,
        "targets/plan_vs_actual.html",
        {
            "year": year,
            "years": list(range(today.year + 1, today.year - 4, -1)),
            "line": line,
            "chart": chart,
            "breakdown": breakdown,
            "breakdown_scope": breakdown_scope,
            "teams": teams if len(teams) > 1 or selectors.SCOPE_DEPARTMENT in scopes else [],
            "team": team,
            "rep": rep,
            "scope": scope,
            "months": month_names(),
            "short_months": short_month_names(),
            "current": line.months[month_index] if line and month_index is not None else None,
            "show_rep_links": selectors.SCOPE_TEAM in scopes,
        },
    )
