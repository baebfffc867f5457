"""The deal page and its forms (facts, reviews, activities), and creating, editing and
deleting a deal.

Forms validate, services write, selectors read. htmx requests get the fragment they
swap; the same URLs work without JavaScript (post, redirect, message)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.visibility import get_visible_or_404
from clients.forms import ActivityLogForm
from clients.services import activity_log_with_next_task
from clients.views.common import deal_tasks_context
from core.filters import parse_id
from core.forms import apply_service_errors, edit_page
from core.http import safe_next
from core.widgets import options_response
from deals import services
from deals.forms import DealForm, FactForm, ForecastForm, ForecastOverrideForm, MoveForm, ReviewForm
from deals.models import Deal, StageKind
from deals.rules import (
    changes_no_deal,
    may_change_deal,
    may_log_activities,
    may_override_forecast,
    may_review_deal,
    may_set_forecast,
    stages_for_moves,
)
from deals.selectors.deals import DealWarning, deal_detail, deal_timeline, deal_warnings
from deals.selectors.history import deal_history
from deals.views.commerce import commerce_context


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
        "may_plan_tasks": logs_activities,
        **deal_tasks_context(request, deal),
    }
    context["commerce"] = commerce_context(request, deal)
    if writable:
        context["move_form"] = forms_.get("move_form") or MoveForm(initial={"stage": deal.stage_id})
        context["fact_form"] = forms_.get("fact_form") or FactForm(deal=deal, viewer=user)
    context["may_set_forecast"] = may_set_forecast(user, deal)
    context["may_override_forecast"] = may_override_forecast(user, deal)
    if context["may_set_forecast"]:
        context["forecast_form"] = forms_.get("forecast_form") or ForecastForm(
            initial={"forecast_category": deal.forecast_category}
        )
    if context["may_override_forecast"]:
        context["forecast_override_form"] = forms_.get("forecast_override_form") or ForecastOverrideForm(
            initial={"forecast_override": deal.forecast_override}
        )
    if reviewer:
        context["review_form"] = forms_.get("review_form") or ReviewForm()
    if logs_activities:
        context["activity_form"] = forms_.get("activity_form") or ActivityLogForm(
            client=deal.client, deal=deal, user=user
        )
    return context


def render_deal_page(request, pk, *, status: int = 200, **forms_):
    deal = deal_detail(viewer=request.user, pk=pk)
    return render(request, "deals/deal_detail.html", _detail_context(request, deal, **forms_), status=status)


@login_required
def detail(request, pk):
    return render_deal_page(request, pk)


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
            apply_service_errors(form, exc)
    if not request.htmx:
        if status == 200:
            messages.success(request, _("Fact recorded."))
            return redirect("deals:detail", pk=deal.pk)
        return render_deal_page(request, deal.pk, fact_form=form, status=status)
    panel = {"fact_form": FactForm(deal=deal, viewer=request.user) if status == 200 else form}
    if status == 200:
        panel["notice"] = _("Fact recorded.")
    return _fragment_after_write(request, deal.pk, "deals/partials/fact_panel.html", panel, status)


def submit_review(request, deal: Deal) -> tuple[ReviewForm, int]:
    """The posted review form, recorded through the service: 200 when it was, 400 with the
    form's errors when not. The deal page and the board's panel answer with it."""
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return form, 400
    try:
        services.review_add(deal=deal, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return form, 400
    return form, 200


@login_required
@require_POST
def review_add(request, pk):
    deal = get_visible_or_404(Deal.objects.select_related("stage", "owner"), request.user, pk=pk)
    form, status = submit_review(request, deal)
    if not request.htmx:
        if status == 200:
            messages.success(request, _("Review recorded."))
            return redirect(safe_next(request, reverse("deals:detail", args=[deal.pk])))
        return render_deal_page(request, deal.pk, review_form=form, status=status)
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
            activity_log_with_next_task(
                by=request.user, client=deal.client, next_task=form.next_task(), **form.service_kwargs()
            )
            status = 200
        except ValidationError as exc:
            apply_service_errors(form, exc)
    if not request.htmx:
        if status == 200:
            messages.success(request, _("Activity logged."))
            return redirect("deals:detail", pk=deal.pk)
        return render_deal_page(request, deal.pk, activity_form=form, status=status)
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
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Deal “%(title)s” created.") % {"title": deal.title})
            return redirect("deals:detail", pk=deal.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "deals/deal_form.html", {"form": form, "deal": None}, status=status)


def _options_request(request) -> HttpResponse | None:
    """What the deal form's option searches answer instead of options: the deal form's own
    refusal for who may change no deal, and the form's page for an address opened as a page
    (the options alone are no page): the deal's edit page for a deal's renewal options, else
    the new deal form."""
    if changes_no_deal(request.user):
        raise PermissionDenied(services.read_only_message(request.user))
    if not request.htmx:
        deal_id = parse_id(request.GET.get("deal"))
        return redirect("deals:edit", pk=deal_id) if deal_id is not None else redirect("deals:create")
    return None


@login_required
@require_GET
def client_options(request):
    """The new deal form's clients matching what is typed in its search box."""
    refused = _options_request(request)
    if refused is not None:
        return refused
    field = DealForm(viewer=request.user).fields["client"]
    return options_response(request, field, field.queryset, lookups=("name",))


@login_required
@require_GET
def renewal_options(request):
    """The won deals a renewal may renew matching the search box (by title or client): of the
    chosen client on the new deal form, of the deal's client (not the deal) on its edit page."""
    refused = _options_request(request)
    if refused is not None:
        return refused
    deal_id = parse_id(request.GET.get("deal"))
    if deal_id is not None:
        deal = get_visible_or_404(Deal.objects.select_related("client"), request.user, pk=deal_id)
        form = DealForm(viewer=request.user, deal=deal)
    else:
        form = DealForm(viewer=request.user, initial={"client": request.GET.get("client")})
    field = form.fields["renewal_of"]
    return options_response(request, field, field.queryset, lookups=("title", "client__name"))


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    deal = get_visible_or_404(Deal.objects.select_related("client", "stage", "owner"), request.user, pk=pk)
    if not may_change_deal(request.user, deal):
        raise PermissionDenied(_("You may not change this deal."))

    def reopen(data):
        current = get_visible_or_404(
            Deal.objects.select_related("client", "stage", "owner"), request.user, pk=pk
        )
        return DealForm(data, viewer=request.user, deal=current)

    return edit_page(
        request,
        DealForm(request.POST or None, viewer=request.user, deal=deal),
        values=lambda form: form.values(),
        save=lambda edits, shown: services.deal_update(deal=deal, by=request.user, data=edits, shown=shown),
        reopen=reopen,
        done=reverse("deals:detail", args=[deal.pk]),
        template="deals/deal_form.html",
        context={"deal": deal},
        saved=_("Deal saved."),
    )


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


@login_required
def history(request, pk):
    """The deal's history tab: who changed what and when, for everyone who sees the deal."""
    deal = get_visible_or_404(Deal.objects.select_related("client", "stage"), request.user, pk=pk)
    page = deal_history(deal=deal, page=request.GET.get("page"))
    return render(request, "deals/deal_history.html", {"deal": deal, "page": page})
