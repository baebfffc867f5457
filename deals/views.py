"""Pages of the pipeline: kanban, deal list, deal page, deal forms and the 抓单 board.

Forms validate, services write, selectors read. htmx requests get the fragment they
swap; the same URLs work without JavaScript (post, redirect, message)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.visibility import get_visible_or_404
from clients.forms import ActivityLogForm
from clients.services import activity_log
from core.exports import EXPORT_FORMATS, export_response
from core.http import safe_next
from deals import services
from deals.filters import DealFilter, PipelineFilter, sort_deals
from deals.forms import DealForm, FactForm, MoveForm, ReviewForm, add_service_errors
from deals.models import Deal, StageKind
from deals.rules import (
    changes_no_deal,
    may_change_deal,
    may_log_activities,
    may_review_deal,
    stages_for_moves,
)
from deals.selectors import (
    DealWarning,
    board_open_deals,
    board_people,
    deal_detail,
    deal_list,
    deal_timeline,
    deal_warnings,
    kanban_columns,
    money,
)

LIST_PAGE_SIZE = 50

# The deal list's columns: (sort key or None, label, css class).
LIST_COLUMNS = [
    ("title", gettext_lazy("Deal"), ""),
    ("client", gettext_lazy("Client"), ""),
    ("stage", gettext_lazy("Stage"), ""),
    ("amount", gettext_lazy("Amount"), "num"),
    (None, gettext_lazy("Prob."), "num"),
    ("owner", gettext_lazy("Owner"), ""),
    ("expected_close", gettext_lazy("Expected close"), ""),
    ("facts", gettext_lazy("Facts"), "num"),
    (None, gettext_lazy("Next step"), ""),
    (None, gettext_lazy("Warnings"), ""),
]


def _sort_columns(sort: str) -> list[dict]:
    columns = []
    for key, label, css in LIST_COLUMNS:
        direction = ""
        next_sort = key
        if key and sort == key:
            direction, next_sort = "ascending", f"-{key}"
        elif key and sort == f"-{key}":
            direction = "descending"
        columns.append({"key": key, "label": label, "css": css, "direction": direction, "next": next_sort})
    return columns


# --- kanban -----------------------------------------------------------------------------


def _kanban_filterset(request, data: QueryDict) -> tuple[PipelineFilter, object]:
    base = Deal.objects.visible_to(request.user)
    filterset = PipelineFilter(data, queryset=base, request=request)
    return filterset, (filterset.qs if filterset.is_valid() else base.none())


def _kanban_context(request, data: QueryDict, **extra) -> dict:
    filterset, deals = _kanban_filterset(request, data)
    open_stages, closed_stages = stages_for_moves()
    columns, summary = kanban_columns(deals=deals, stages=open_stages)
    query = data.copy()
    for key in ("view", "filters", "stage", "lost_reason", "csrfmiddlewaretoken"):
        query.pop(key, None)
    return {
        "filter": filterset,
        "columns": columns,
        "summary": summary,
        "open_stages": open_stages,
        "won_stage": next((s for s in closed_stages if s.kind == StageKind.WON), None),
        "lost_stage": next((s for s in closed_stages if s.kind == StageKind.LOST), None),
        "filters": query.urlencode(),
        "kanban_vals": json.dumps({"view": "kanban", "filters": query.urlencode()}),
        "list_query": query.urlencode(),
        "can_move": not changes_no_deal(request.user),
        **extra,
    }


@login_required
def kanban(request):
    context = _kanban_context(request, request.GET)
    if request.htmx and request.htmx.target == "kanban":
        return render(request, "deals/partials/kanban_board.html", context)
    return render(request, "deals/kanban.html", context)


# --- moving a deal ----------------------------------------------------------------------


@login_required
@require_POST
def move(request, pk):
    deal = get_visible_or_404(Deal.objects.select_related("stage"), request.user, pk=pk)
    form = MoveForm(request.POST)
    view = request.POST.get("view", "deal")
    error = None
    status = 200
    if form.is_valid():
        try:
            deal = services.deal_move(
                deal=deal,
                stage=form.cleaned_data["stage"],
                by=request.user,
                lost_reason=form.cleaned_data["lost_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            status = 400
        except PermissionDenied as exc:
            error = str(exc)
            status = 403
    else:
        status = 400

    if view == "kanban" and request.htmx:
        data = QueryDict(request.POST.get("filters", ""))
        extra = {}
        if status == 200:
            extra["notice"] = _("Moved “%(deal)s” to %(stage)s.") % {
                "deal": deal.title,
                "stage": deal.stage.name,
            }
        elif form.errors.get("lost_reason"):
            extra["lost_form"] = form
            extra["lost_deal"] = deal
        else:
            extra["error"] = error or " ".join(
                str(message) for messages_ in form.errors.values() for message in messages_
            )
        return render(
            request,
            "deals/partials/kanban_board.html",
            _kanban_context(request, data, **extra),
            status=status,
        )

    if status == 200:
        messages.success(request, _("Moved to %(stage)s.") % {"stage": deal.stage.name})
        return redirect(safe_next(request, reverse("deals:detail", args=[deal.pk])))
    if status == 403:
        raise PermissionDenied(error)
    return _render_detail(request, deal.pk, move_form=form, status=status)


# --- list -------------------------------------------------------------------------------

EXPORT_HEADERS = [
    ("id", gettext_lazy("ID")),
    ("title", gettext_lazy("Title")),
    ("client", gettext_lazy("Client")),
    ("stage", gettext_lazy("Stage")),
    ("amount", gettext_lazy("Amount")),
    ("probability", gettext_lazy("Probability, %")),
    ("weighted", gettext_lazy("Weighted")),
    ("type", gettext_lazy("Type")),
    ("owner", gettext_lazy("Owner")),
    ("team", gettext_lazy("Team")),
    ("expected_close", gettext_lazy("Expected close")),
    ("facts", gettext_lazy("Facts")),
    ("next_step", gettext_lazy("Next step")),
    ("next_step_due", gettext_lazy("Next step due")),
    ("closed", gettext_lazy("Closed")),
    ("lost_reason", gettext_lazy("Lost reason")),
    ("created", gettext_lazy("Created")),
]


def _export(deals, export_format: str):
    headers = [str(label) for _key, label in EXPORT_HEADERS]

    def rows():
        for deal in deals.iterator(chunk_size=1000):
            yield [
                deal.pk,
                deal.title,
                deal.client.name,
                deal.stage.name,
                deal.amount,
                deal.effective_probability,
                deal.weighted_amount,
                deal.get_deal_type_display(),
                deal.owner.full_name,
                deal.owner.team.name if deal.owner.team_id else "",
                deal.expected_close,
                deal.fact_count,
                deal.next_step,
                deal.next_step_due,
                deal.closed_at,
                deal.lost_reason,
                deal.created_at,
            ]

    return export_response(filename="deals", headers=headers, rows=rows(), export_format=export_format)


@login_required
def deal_list_page(request):
    base = deal_list(viewer=request.user)
    filterset = DealFilter(request.GET, queryset=base, request=request)
    deals = filterset.qs if filterset.is_valid() else base.none()
    deals, sort = sort_deals(deals, request.GET.get("sort"))
    export_format = request.GET.get("export")
    if export_format in EXPORT_FORMATS:
        return _export(deals, export_format)
    totals = deals.order_by().aggregate(count=Count("pk"), amount=Sum("amount"))
    paginator = Paginator(deals, LIST_PAGE_SIZE)
    paginator.count = totals["count"]  # the aggregate already counted them
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "deals/deal_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "sort": sort,
            "total_amount": money(totals["amount"]),
            "total_count": totals["count"],
            "sort_columns": _sort_columns(sort),
            "can_move": not changes_no_deal(request.user),
            "active_warning": dict(DealWarning.choices).get(
                filterset.form.cleaned_data.get("warning") if filterset.is_valid() else None
            ),
        },
    )


# --- one deal ---------------------------------------------------------------------------


def _detail_context(request, deal: Deal, **forms_) -> dict:
    user = request.user
    writable = may_change_deal(user, deal)
    reviewer = may_review_deal(user, deal)
    logs_activities = may_log_activities(user, deal.client)
    open_stages, closed_stages = stages_for_moves()
    context = {
        "deal": deal,
        "warnings": deal_warnings(deal),
        "warning_labels": dict(DealWarning.choices),
        "timeline": deal_timeline(deal=deal, viewer=user),
        "can_write": writable,
        "can_review": reviewer,
        "move_stages": [s for s in open_stages if s.is_active] + closed_stages,
        "lost_stage_ids": [s.pk for s in closed_stages if s.kind == StageKind.LOST],
    }
    if writable:
        context["move_form"] = forms_.get("move_form") or MoveForm(initial={"stage": deal.stage_id})
        context["fact_form"] = forms_.get("fact_form") or FactForm(deal=deal, viewer=user)
    if reviewer:
        context["review_form"] = forms_.get("review_form") or ReviewForm()
    if logs_activities:
        context["activity_form"] = forms_.get("activity_form") or ActivityLogForm(
            client=deal.client, deal=deal, user=user
        )
    return context


def _render_detail(request, pk, *, status: int = 200, **forms_):
    deal = deal_detail(viewer=request.user, pk=pk)
    return render(request, "deals/deal_detail.html", _detail_context(request, deal, **forms_), status=status)


@login_required
def detail(request, pk):
    return _render_detail(request, pk)


def _fragment_after_write(request, deal_pk: int, panel_template: str, panel_context: dict, status: int):
    """An htmx form's own panel, plus (after a successful write) the refreshed timeline and
    signals swapped out of band."""
    deal = deal_detail(viewer=request.user, pk=deal_pk)
    context = _detail_context(request, deal) | panel_context | {"oob": status == 200}
    return render(request, panel_template, context, status=status)


@login_required
@require_POST
def fact_add(request, pk):
    deal = get_visible_or_404(Deal.objects.select_related("stage"), request.user, pk=pk)
    form = FactForm(request.POST, deal=deal, viewer=request.user)
    status = 400
    if form.is_valid():
        try:
            services.fact_add(deal=deal, by=request.user, **form.cleaned_data)
            status = 200
        except ValidationError as exc:
            add_service_errors(form, exc)
    if not request.htmx:
        if status == 200:
            messages.success(request, _("Fact recorded."))
            return redirect("deals:detail", pk=deal.pk)
        return _render_detail(request, deal.pk, fact_form=form, status=status)
    panel = {"fact_form": FactForm(deal=deal, viewer=request.user) if status == 200 else form}
    if status == 200:
        panel["notice"] = _("Fact recorded.")
    return _fragment_after_write(request, deal.pk, "deals/partials/fact_panel.html", panel, status)


@login_required
@require_POST
def review_add(request, pk):
    deal = get_visible_or_404(Deal.objects.select_related("stage", "owner"), request.user, pk=pk)
    form = ReviewForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.review_add(deal=deal, by=request.user, **form.cleaned_data)
            status = 200
        except ValidationError as exc:
            add_service_errors(form, exc)
    if not request.htmx:
        if status == 200:
            messages.success(request, _("Review recorded."))
            return redirect(safe_next(request, reverse("deals:detail", args=[deal.pk])))
        return _render_detail(request, deal.pk, review_form=form, status=status)
    panel = {"review_form": ReviewForm() if status == 200 else form}
    if status == 200:
        panel["notice"] = _("Review recorded.")
    return _fragment_after_write(request, deal.pk, "deals/partials/review_panel.html", panel, status)


@login_required
@require_POST
def activity_add(request, pk):
    deal = get_visible_or_404(Deal.objects.select_related("client"), request.user, pk=pk)
    # The form preselects this deal (initial); what the user submits is what is logged.
    form = ActivityLogForm(request.POST, client=deal.client, deal=deal, user=request.user)
    status = 400
    if form.is_valid():
        try:
            activity_log(by=request.user, client=deal.client, **form.service_kwargs())
            status = 200
        except ValidationError as exc:
            add_service_errors(form, exc)
    if not request.htmx:
        if status == 200:
            messages.success(request, _("Activity logged."))
            return redirect("deals:detail", pk=deal.pk)
        return _render_detail(request, deal.pk, activity_form=form, status=status)
    panel = {
        "activity_form": (
            ActivityLogForm(client=deal.client, deal=deal, user=request.user) if status == 200 else form
        )
    }
    if status == 200:
        panel["notice"] = _("Activity logged.")
    return _fragment_after_write(request, deal.pk, "deals/partials/activity_panel.html", panel, status)


# --- create, edit, delete --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    if request.method == "GET" and changes_no_deal(request.user):
        # Don't offer a form whose every submission would be refused (the service decides).
        raise PermissionDenied(services.read_only_message(request.user))
    initial = {}
    if request.GET.get("client"):
        initial["client"] = request.GET["client"]
    form = DealForm(request.POST or None, viewer=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            deal = services.deal_create(
                by=request.user,
                client=form.cleaned_data["client"],
                stage=form.cleaned_data["stage"],
                **values,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Deal “%(title)s” created.") % {"title": deal.title})
            return redirect("deals:detail", pk=deal.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "deals/deal_form.html", {"form": form, "deal": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    deal = get_visible_or_404(Deal.objects.select_related("client", "stage", "owner"), request.user, pk=pk)
    if not may_change_deal(request.user, deal):
        raise PermissionDenied(_("You may not change this deal."))
    form = DealForm(request.POST or None, viewer=request.user, deal=deal)
    if request.method == "POST" and form.is_valid():
        try:
            services.deal_update(deal=deal, by=request.user, data=form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Deal saved."))
            return redirect("deals:detail", pk=deal.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "deals/deal_form.html", {"form": form, "deal": deal}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, pk):
    deal = get_visible_or_404(Deal.objects.select_related("client", "stage", "owner"), request.user, pk=pk)
    if not may_change_deal(request.user, deal):
        raise PermissionDenied(_("You may not change this deal."))
    error = None
    if request.method == "POST":
        try:
            services.deal_delete(deal=deal, by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Deal “%(title)s” deleted.") % {"title": deal.title})
            return redirect("deals:list")
    return render(
        request,
        "deals/deal_confirm_delete.html",
        {"deal": deal, "error": error},
        status=400 if error else 200,
    )


# --- the 抓单 board ----------------------------------------------------------------------


BOARD_PERSON_DEALS_LIMIT = 100


@login_required
def board_person_deals(request, pk):
    """All open deals of one person on the board, most likely to close first, each opening
    in the panel: every deal can be reviewed without leaving the board."""
    person = get_object_or_404(board_people(viewer=request.user), pk=pk)
    deals = board_open_deals(viewer=request.user, person=person)
    shown = list(deals[:BOARD_PERSON_DEALS_LIMIT])
    more = deals.count() - len(shown) if len(shown) == BOARD_PERSON_DEALS_LIMIT else 0
    return render(request, "deals/partials/rep_deals.html", {"person": person, "deals": shown, "more": more})
