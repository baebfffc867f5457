"""Pages of plans and receivables: forms validate, services write, selectors read."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from accounts.models import Role, Team, User
from accounts.visibility import get_visible_or_404
from clients.models import Client
from core.exports import EXPORT_FORMATS, export_response
from core.http import safe_next
from core.money import CENT
from deals.models import Deal, StageKind
from targets import rules, selectors, services
from targets.charts import plan_chart
from targets.filters import OverdueFilter, parse_id, parse_year
from targets.forms import (
    DecomposeForm,
    DepartmentSplitForm,
    NormPersonForm,
    NormRoleForm,
    OverdueReasonForm,
    PaymentForm,
    PlanEditForm,
    PlanForm,
    ScheduleForm,
    TeamSplitForm,
    apply_service_errors,
)
from targets.models import ActivityNorm, Allocation, Plan, PlanMetric
from targets.services import month_name


def _months():
    return [month_name(month) for month in range(1, 13)]


def _short_months():
    from django.utils import formats

    return [formats.date_format(datetime.date(2000, month, 1), "M") for month in range(1, 13)]


def _int_param(request, name: str):
    """An id from the query string; anything else (letters, "²", beyond a database integer)
    is ignored rather than reaching the database."""
    return parse_id(request.GET.get(name))


def _year_param(request, default: int) -> int:
    return parse_year(request.GET.get("year")) or default


# --------------------------------------------------------------------------- plan grid


def _grid_url(plan: Plan) -> str:
    return f"{reverse('targets:plan_grid')}?year={plan.year}&metric={plan.metric}"


@login_required
def plan_grid(request):
    """Reps × months for one plan, grouped by team, with totals and what is unallocated."""
    today = timezone.localdate()
    year = _year_param(request, today.year)
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
            "months": _short_months(),
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
    return render(request, "targets/plan_form.html", {"form": form, "plan": plan, "title": str(plan)})


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
    context = {"team_block": block, "plan": plan, "form": form, "months": _short_months()}
    if request.htmx:
        return render(request, "targets/partials/grid_team_edit.html", context)
    return render(request, "targets/plan_team_edit.html", context, status=400 if form.errors else 200)


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
        {"plan": plan, "form": form, "months": _short_months()},
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
    year = _year_param(request, today.year)
    scopes = selectors.plan_scopes_for(viewer)
    teams = list(Team.objects.visible_to(viewer).order_by("name"))
    team_id = _int_param(request, "team")
    rep_id = _int_param(request, "rep")
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
    chart = plan_chart(line.months, _short_months(), SERIES_LABELS) if line else None
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
            "months": _months(),
            "short_months": _short_months(),
            "current": line.months[month_index] if line and month_index is not None else None,
            "show_rep_links": selectors.SCOPE_TEAM in scopes,
        },
    )


# --------------------------------------------------------------------------- norms


@login_required
@require_http_methods(["GET", "POST"])
def norms(request):
    viewer = request.user
    may_set_roles = rules.may_set_plans(viewer)
    people_for_norms = (
        rules.norm_people_for(viewer)
        .filter(pk__in=User.objects.visible_to(viewer).values("pk"), is_active=True)
        .order_by("last_name", "first_name")
    )
    role_form = NormRoleForm(prefix="role") if may_set_roles else None
    person_form = NormPersonForm(prefix="person", people=people_for_norms)
    if request.method == "POST":
        try:
            if "role-role" in request.POST:
                role_form = NormRoleForm(request.POST, prefix="role")
                if role_form.is_valid():
                    services.norm_set_for_role(actor=viewer, **role_form.cleaned_data)
                    messages.success(request, _("Role norm saved."))
                    return redirect("targets:norms")
            else:
                person_form = NormPersonForm(request.POST, prefix="person", people=people_for_norms)
                if person_form.is_valid():
                    data = person_form.cleaned_data
                    services.norm_set_for_user(
                        actor=viewer,
                        person=data["person"],
                        calls_per_day=data["calls_per_day"],
                        meetings_per_week=data["meetings_per_week"],
                    )
                    messages.success(request, _("Personal norm saved."))
                    return redirect("targets:norms")
        except ValidationError as error:
            apply_service_errors(role_form if "role-role" in request.POST else person_form, error)
    role_norms = ActivityNorm.objects.filter(user__isnull=True).order_by("role")
    role_labels = dict(Role.choices)
    people = (
        selectors.effective_norms(viewer=viewer)
        .filter(is_active=True)
        .select_related("team")
        .order_by(F("team__name").asc(nulls_last=True), "last_name", "first_name")
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    # Whose personal norm the viewer may remove: the same rule that lists the people above.
    editable_ids = set(
        rules.norm_people_for(viewer)
        .filter(pk__in=[person.pk for person in page.object_list])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "targets/norms.html",
        {
            "role_norms": [(role_labels.get(norm.role, norm.role), norm) for norm in role_norms],
            "page": page,
            "role_form": role_form,
            "person_form": person_form if (may_set_roles or people_for_norms.exists()) else None,
            "may_set_roles": may_set_roles,
            "norm_editable_ids": editable_ids,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def norm_delete(request, pk: int):
    norm = get_object_or_404(ActivityNorm.objects.visible_to(request.user).select_related("user"), pk=pk)
    if request.method == "POST":
        services.norm_delete(actor=request.user, norm=norm)
        messages.success(request, _("Norm removed."))
        return redirect("targets:norms")
    if not rules.may_change_norm(request.user, norm):
        raise PermissionDenied(_("You may not remove this norm."))
    return render(request, "targets/norm_confirm_delete.html", {"norm": norm})


# --------------------------------------------------------------------------- receivables

AGING_COLUMNS = [
    ("current", gettext_lazy("Not yet due")),
    ("days_1_30", gettext_lazy("1–30")),
    ("days_31_60", gettext_lazy("31–60")),
    ("days_61_90", gettext_lazy("61–90")),
    ("days_90_plus", gettext_lazy("90+")),
]


class CountedPaginator(Paginator):
    """A paginator told its length by a cheaper query than COUNT over the grouped rows."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _aging_rows(rows, group: str):
    for row in rows:
        if group == "owner":
            full_name = f"{row['deal__owner__first_name']} {row['deal__owner__last_name']}".strip()
            row["name"] = full_name or row["deal__owner__username"]
        elif group == "team":
            row["name"] = row["deal__owner__team__name"] or _("No team")
        else:
            row["name"] = row["deal__client__name"]
        row["buckets"] = [row[name] for name, _label in AGING_COLUMNS]
        yield row


@login_required
def receivables(request):
    """Aging buckets by team, rep and client for the viewer's scope, with the totals."""
    viewer = request.user
    today = timezone.localdate()
    teams = list(Team.objects.visible_to(viewer).order_by("name"))
    team_id = _int_param(request, "team")
    if team_id and team_id not in {team.pk for team in teams}:
        team_id = None
    filters = {"team_id": team_id}
    totals, team_rows, owner_rows = selectors.receivables_rollup(viewer=viewer, today=today, **filters)
    by_team = list(_aging_rows(team_rows, "team"))
    by_owner = list(_aging_rows(owner_rows, "owner"))
    client_page = CountedPaginator(
        selectors.receivables_aging(viewer=viewer, today=today, group_by="client", **filters),
        25,
        count=selectors.receivables_client_count(viewer=viewer, **filters),
    ).get_page(request.GET.get("page"))
    client_rows = list(_aging_rows(client_page.object_list, "client"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "targets/receivables.html",
        {
            "today": today,
            "totals": totals,
            "total_buckets": [totals[name] for name, _label in AGING_COLUMNS],
            "columns": AGING_COLUMNS,
            "by_team": by_team,
            "by_owner": by_owner,
            "client_rows": client_rows,
            "page": client_page,
            "query": query.urlencode(),
            "teams": teams if len(teams) > 1 else [],
            "team_id": team_id,
        },
    )


# "days" sorts by days overdue, so most days overdue first ("-days", the default) is the
# earliest due date first.
OVERDUE_SORTS = {
    "days": ("-due_date", "-pk"),
    "-days": ("due_date", "pk"),
    "outstanding": ("outstanding", "pk"),
    "-outstanding": ("-outstanding", "-pk"),
    "client": ("deal__client__name", "due_date"),
    "-client": ("-deal__client__name", "due_date"),
    "due": ("due_date", "pk"),
    "-due": ("-due_date", "pk"),
}


def _overdue_queryset(request):
    base = selectors.overdue_installments(viewer=request.user, today=timezone.localdate())
    filterset = OverdueFilter(request.GET, queryset=base, request=request)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    sort = request.GET.get("sort") if request.GET.get("sort") in OVERDUE_SORTS else "-days"
    return filterset, queryset.order_by(*OVERDUE_SORTS[sort]), sort


@login_required
def overdue_list(request):
    """Overdue installments with the latest reason and promised date; filters, sorting,
    CSV/XLSX export, and payments and reasons recorded in place."""
    filterset, queryset, sort = _overdue_queryset(request)
    export_format = request.GET.get("export")
    if export_format in EXPORT_FORMATS:
        return _overdue_export(queryset, export_format)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    writable = set(
        rules.receivable_deals_writable_by(request.user)
        .filter(pk__in=[line.deal_id for line in page.object_list])
        .values_list("pk", flat=True)
    )
    for line in page.object_list:
        line.may_write = line.deal_id in writable
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "sort": sort,
        "query": query.urlencode(),
        # Someone who sees only their own records has no team or owner to choose.
        "people_filters": selectors.plan_scopes_for(request.user) != (selectors.SCOPE_REP,),
    }
    template = "targets/partials/overdue_results.html" if request.htmx else "targets/overdue_list.html"
    return render(request, template, context)


def cents(value):
    """Two decimals for a computed amount (SQLite hands back 500 for 500.00)."""
    return value.quantize(CENT)


def _overdue_export(queryset, export_format: str):
    headers = [
        _("Client"),
        _("Deal"),
        _("Owner"),
        _("Team"),
        _("Due"),
        _("Amount"),
        _("Paid"),
        _("Outstanding"),
        _("Days overdue"),
        _("Latest reason"),
        _("Promised date"),
    ]

    def rows():
        for line in queryset.iterator(chunk_size=500):
            owner = line.deal.owner
            yield [
                line.deal.client.name,
                line.deal.title,
                owner.full_name,
                owner.team.name if owner.team else "",
                line.due_date,
                line.amount,
                cents(line.paid),
                cents(line.outstanding),
                line.days_overdue.days,
                line.latest_reason or "",
                line.latest_promised_date,
            ]

    return export_response(
        filename=f"overdue-{timezone.localdate():%Y-%m-%d}",
        headers=headers,
        rows=rows(),
        export_format=export_format,
    )


def _installment_for(request, pk: int):
    """The installment with balances and the latest reason, if the viewer may see it."""
    queryset = selectors.receivable_installments(viewer=request.user, today=timezone.localdate())
    return get_object_or_404(queryset, pk=pk)


def _overdue_row(request, line, **extra):
    line.may_write = rules.may_keep_receivables(request.user, line.deal)
    return render(request, "targets/partials/overdue_row.html", {"line": line, **extra})


@login_required
def installment_row(request, pk: int):
    """One overdue-list row (used to cancel an in-place form)."""
    return _overdue_row(request, _installment_for(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def payment_new(request, pk: int):
    """Record a payment in place: in the overdue list (context=overdue) or a deal's
    schedule (context=schedule)."""
    line = _installment_for(request, pk)
    rules.ensure_can_keep_receivables(request.user, line.deal)
    context_name = request.POST.get("context") or request.GET.get("context") or "overdue"
    form = PaymentForm(request.POST or None, outstanding=line.outstanding)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_record(actor=request.user, installment=line, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _after_receivable_change(request, line, context_name, _("Payment recorded."))
    return _installment_form(request, line, form, "payment", context_name)


@login_required
@require_http_methods(["GET", "POST"])
def reason_new(request, pk: int):
    """Say why a payment is late and when it is now promised, in place."""
    line = _installment_for(request, pk)
    rules.ensure_can_keep_receivables(request.user, line.deal)
    context_name = request.POST.get("context") or request.GET.get("context") or "overdue"
    form = OverdueReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.overdue_reason_add(actor=request.user, installment=line, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _after_receivable_change(request, line, context_name, _("Reason recorded."))
    return _installment_form(request, line, form, "reason", context_name)


def _installment_form(request, line, form, kind: str, context_name: str):
    context = {
        "line": line,
        "form": form,
        "kind": kind,
        "context_name": context_name,
        "action": reverse(f"targets:{kind}_new", args=[line.pk]),
        "next": safe_next(request, reverse("targets:overdue")),
    }
    if context_name == "schedule":
        context["target"] = f"schedule-line-{line.pk}"
        context["cancel_url"] = reverse("targets:deal_schedule", args=[line.deal_id])
        context["cancel_target"] = f"deal-schedule-{line.deal_id}"
    else:
        context["target"] = context["cancel_target"] = f"installment-{line.pk}"
        context["cancel_url"] = reverse("targets:installment_row", args=[line.pk])
    status = 400 if form.errors and not request.htmx else 200
    if not request.htmx:
        return render(request, "targets/installment_form_page.html", context, status=status)
    template = (
        "targets/partials/schedule_form_row.html"
        if context_name == "schedule"
        else "targets/partials/overdue_form_row.html"
    )
    return render(request, template, context, status=status)


def _after_receivable_change(request, line, context_name: str, message: str):
    if not request.htmx:
        messages.success(request, message)
        return redirect(safe_next(request, reverse("targets:overdue")))
    if context_name == "schedule":
        response = _schedule_response(request, line.deal, message=message)
        return reswap(retarget(response, f"#deal-schedule-{line.deal_id}"), "outerHTML")
    line = _installment_for(request, line.pk)
    return _overdue_row(request, line, message=message)


# --------------------------------------------------------------------------- fragments


def _schedule_response(request, deal: Deal, *, form=None, message=None, status=200):
    today = timezone.localdate()
    may_write = rules.may_keep_receivables(request.user, deal)
    is_won = deal.stage.kind == StageKind.WON
    totals = selectors.schedule_totals(deal=deal, today=today)
    context = {
        "deal": deal,
        "lines": selectors.deal_schedule(deal=deal, today=today),
        "may_write": may_write,
        "is_won": is_won,
        "form": form if form is not None else (ScheduleForm() if may_write and is_won else None),
        "totals": totals,
        "unscheduled": deal.amount - totals["scheduled_total"],
        "message": message,
    }
    template = "targets/partials/deal_schedule.html" if request.htmx else "targets/deal_schedule_page.html"
    return render(request, template, context, status=status)


@login_required
def deal_schedule(request, deal_id: int):
    """A deal's payment schedule with paid and outstanding per installment (a fragment the
    deal page loads; a page of its own when opened directly)."""
    deal = get_visible_or_404(
        Deal.objects.select_related("stage", "client", "owner"), request.user, pk=deal_id
    )
    return _schedule_response(request, deal)


@login_required
@require_POST
def schedule_generate(request, deal_id: int):
    deal = get_visible_or_404(
        Deal.objects.select_related("stage", "client", "owner"), request.user, pk=deal_id
    )
    rules.ensure_can_keep_receivables(request.user, deal)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.installment_schedule_create(actor=request.user, deal=deal, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Payment schedule saved."))
                return redirect("targets:deal_schedule", deal_id=deal.pk)
            return _schedule_response(request, deal, message=_("Payment schedule saved."))
    return _schedule_response(request, deal, form=form, status=200 if request.htmx else 400)


@login_required
def client_receivables(request, client_id: int):
    """The client's installments still owed (due and overdue) and the outstanding total."""
    client = get_visible_or_404(Client.objects.all(), request.user, pk=client_id)
    today = timezone.localdate()
    return render(
        request,
        "targets/partials/client_receivables.html",
        {
            "client": client,
            "lines": selectors.client_receivables(viewer=request.user, client=client, today=today),
            "totals": selectors.receivables_totals(viewer=request.user, today=today, client_id=client.pk),
            "today": today,
        },
    )
