"""Pages of receivables: the aging overview, the overdue list with payments and reasons
recorded in place, a deal's payment schedule and a client's debts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from accounts.models import Team
from accounts.visibility import get_visible_or_404
from clients.models import Client
from core.exports import EXPORT_FORMATS
from core.forms import apply_service_errors
from core.http import query_without, safe_next
from core.tables import CountedPaginator, export_table, table_for_request
from deals.models import Deal, StageKind
from targets import rules, selectors, services
from targets.filters import OverdueFilter
from targets.forms import OverdueReasonForm, PaymentForm, ScheduleForm
from targets.models import Payment
from targets.tables import OverdueTable
from targets.views.common import int_param

AGING_COLUMNS = [
    ("current", gettext_lazy("Not yet due")),
    ("days_1_30", gettext_lazy("1–30")),
    ("days_31_60", gettext_lazy("31–60")),
    ("days_61_90", gettext_lazy("61–90")),
    ("days_90_plus", gettext_lazy("90+")),
]


def _aging_rows(rows, group: str):
    for row in rows:
        row["name"] = selectors.aging_row_name(group, row) or _("No team")
        row["buckets"] = [row[name] for name, _label in AGING_COLUMNS]
        yield row


@login_required
def receivables(request):
    """Aging buckets by team, rep and client for the viewer's scope, with the totals."""
    viewer = request.user
    today = timezone.localdate()
    teams = list(Team.objects.visible_to(viewer).order_by("name"))
    team_id = int_param(request, "team")
    if team_id and team_id not in {team.pk for team in teams}:
        team_id = None
    filters = {"team_id": team_id}
    # Each aggregate reads every outstanding installment in scope: kept until the receivables
    # change (selectors.ReceivablesCache), keyed on the team and the client page shown.
    cached = selectors.ReceivablesCache(viewer=viewer, today=today)
    totals, team_rows, owner_rows = cached.get(
        "rollup", lambda: selectors.receivables_rollup(viewer=viewer, today=today, **filters), **filters
    )
    by_team = list(_aging_rows(team_rows, "team"))
    by_owner = list(_aging_rows(owner_rows, "owner"))
    client_page = CountedPaginator(
        selectors.receivables_aging(viewer=viewer, today=today, group_by="client", **filters),
        25,
        count=cached.get(
            "client-count", lambda: selectors.receivables_client_count(viewer=viewer, **filters), **filters
        ),
    ).get_page(request.GET.get("page"))
    client_rows = list(
        _aging_rows(
            cached.get("clients", lambda: list(client_page.object_list), page=client_page.number, **filters),
            "client",
        )
    )
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
            "query": query_without(request, "page"),
            "teams": teams if len(teams) > 1 else [],
            "team_id": team_id,
            # the per-team and per-person tables are rendered once per change of the data
            "data_version": cached.version,
        },
    )


def _overdue_queryset(request):
    base = selectors.overdue_installments(viewer=request.user, today=timezone.localdate())
    filterset = OverdueFilter(request.GET, queryset=base, request=request)
    return filterset, (filterset.qs if filterset.is_valid() else base.none())


@login_required
def overdue_list(request):
    """Overdue installments with the latest reason and promised date; filters, sorting,
    CSV/XLSX export, and payments and reasons recorded in place."""
    filterset, queryset = _overdue_queryset(request)
    export_format = request.GET.get("export")
    if export_format in EXPORT_FORMATS:
        return export_table(OverdueTable, request, queryset, export_format)
    table = table_for_request(OverdueTable, request, queryset)
    page = table.page
    lines = [row.record for row in page.object_list]
    writable = set(
        rules.receivable_deals_writable_by(request.user)
        .filter(pk__in=[line.deal_id for line in lines])
        .values_list("pk", flat=True)
    )
    for line in lines:
        line.may_write = line.deal_id in writable
    context = {
        "filter": filterset,
        "table": table,
        "page": page,
        "lines": lines,
        "query": query_without(request, "page"),
        # Someone who sees only their own records has no team or owner to choose.
        "people_filters": selectors.plan_scopes_for(request.user) != (selectors.SCOPE_REP,),
    }
    template = "targets/partials/overdue_results.html" if request.htmx else "targets/overdue_list.html"
    return render(request, template, context)


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
    status = 400 if form.errors else 200
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
        "may_void": rules.may_void_payment(request.user, deal),
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
def payment_void(request, pk: int):
    """Void a payment from the deal's schedule (confirmed, with a reason): it stays listed,
    struck through, and counts no more."""
    payment = get_visible_or_404(Payment.objects.select_related("installment"), request.user, pk=pk)
    deal = get_visible_or_404(
        Deal.objects.select_related("stage", "client", "owner"), request.user, pk=payment.installment.deal_id
    )
    try:
        services.payment_void(actor=request.user, payment=payment, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        message = " ".join(error.messages)
        if request.htmx:
            return _schedule_response(request, deal, message=message, status=400)
        messages.error(request, message)
    else:
        if request.htmx:
            return _schedule_response(request, deal, message=_("Payment voided."))
        messages.success(request, _("Payment voided."))
    return redirect(safe_next(request, reverse("targets:deal_schedule", args=[deal.pk])))


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
    return _schedule_response(request, deal, form=form, status=400)


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
