"""The kanban and moving a deal from a card or from the deal page."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.visibility import get_visible_or_404
from core.errors import Conflict
from core.forms import apply_service_errors
from core.http import safe_next
from core.versions import page_part_key
from deals import services
from deals.filters import PipelineFilter
from deals.forms import MoveForm
from deals.hooks import win_objections
from deals.models import Deal, LostReason, StageKind
from deals.rules import changes_no_deal, stages_for_moves
from deals.selectors.pipeline import kanban_card, kanban_cards, kanban_columns, pipeline_summary
from deals.selectors.versions import PIPELINE_CACHE_SECONDS, filters_version
from deals.views.deal import render_deal_page


def _kanban_filterset(request, data: QueryDict) -> tuple[PipelineFilter, object]:
    base = Deal.objects.visible_to(request.user)
    filterset = PipelineFilter(data, queryset=base, request=request)
    return filterset, (filterset.qs if filterset.is_valid() else base.none())


def _filters_query(data: QueryDict) -> QueryDict:
    query = data.copy()
    for key in ("view", "filters", "stage", "lost_reason", "lost_comment", "csrfmiddlewaretoken", "offset"):
        query.pop(key, None)
    return query


def _card_context(request, open_stages, closed_stages) -> dict:
    """What a card needs besides its deal: the stages it may move to and whether it may."""
    return {
        "open_stages": open_stages,
        "won_stage": next((s for s in closed_stages if s.kind == StageKind.WON), None),
        "lost_stage": next((s for s in closed_stages if s.kind == StageKind.LOST), None),
        "can_move": not changes_no_deal(request.user),
    }


def _kanban_context(request, data: QueryDict, **extra) -> dict:
    filterset, deals = _kanban_filterset(request, data)
    open_stages, closed_stages = stages_for_moves()
    columns, summary = kanban_columns(deals=deals, stages=open_stages)
    query = _filters_query(data)
    return {
        **_card_context(request, open_stages, closed_stages),
        "filter": filterset,
        "columns": columns,
        "summary": summary,
        "filters": query.urlencode(),
        "kanban_vals": json.dumps({"view": "kanban", "filters": query.urlencode()}),
        "list_query": query.urlencode(),
        # Read only when the board has a lost stage (its dialog lists them).
        "lost_reasons": LostReason.objects.filter(is_active=True),
        # The filter form, kept while its choices stay (the page reads the key: one query for
        # two, the owner and team choices; answers without the form read neither)
        "filters_key": lambda: page_part_key(request, filters_version()),
        "filters_seconds": PIPELINE_CACHE_SECONDS,
        **extra,
    }


@login_required
def kanban(request):
    context = _kanban_context(request, request.GET)
    if request.htmx and request.htmx.target == "kanban":
        return render(request, "deals/partials/kanban_board.html", context)
    return render(request, "deals/kanban.html", context)


# The furthest "show more" goes into a column; beyond it the deal list takes over.
KANBAN_MAX_OFFSET = 10_000


@login_required
def kanban_more(request, stage_id):
    """A column's next cards ("show more"), in the column's order, with the next "show more"
    when more follow. A bad offset or filter answers 400; a stage not on the kanban 404."""
    open_stages, closed_stages = stages_for_moves()
    stage = next((s for s in open_stages if s.pk == stage_id), None)
    if stage is None:
        raise Http404
    try:
        offset = int(request.GET.get("offset", ""))
    except ValueError:
        offset = -1
    filterset, deals = _kanban_filterset(request, request.GET)
    if not 0 <= offset <= KANBAN_MAX_OFFSET or not filterset.is_valid():
        return render(request, "deals/partials/kanban_status.html", {"error": _("Bad request.")}, status=400)
    cards, more = kanban_cards(deals=deals, stage=stage, offset=offset)
    query = _filters_query(request.GET)
    return render(
        request,
        "deals/partials/kanban_cards.html",
        {
            **_card_context(request, open_stages, closed_stages),
            "deals": cards,
            "stage": stage,
            "more": more,
            "offset": offset + len(cards),
            "list_query": query.urlencode(),
        },
    )


def _moved_answer(request, deal: Deal, from_stage_id: int, notice: str):
    """A card moved on the kanban: the notice, the totals, the two columns' headers and the
    moved card only (htmx swaps them out of band), not the whole board again."""
    data = QueryDict(request.POST.get("filters", ""))
    on_board = deal.stage.kind == StageKind.OPEN
    if data:
        _, deals = _kanban_filterset(request, data)
        on_board = on_board and deals.filter(pk=deal.pk).exists()
    else:
        # An unfiltered board shows every deal the viewer sees, and the move found this one
        # among them: no filter set to build, no query to ask whether it is still on it.
        deals = Deal.objects.visible_to(request.user)
    open_stages, closed_stages = stages_for_moves()
    summary = pipeline_summary(deals=deals, stages=open_stages)
    heads = [row for row in summary.stages if row.stage.pk in (from_stage_id, deal.stage_id)]
    return render(
        request,
        "deals/partials/kanban_moved.html",
        {
            **_card_context(request, open_stages, closed_stages),
            "notice": notice,
            "summary": summary,
            "heads": heads,
            "deal": deal,
            "card": kanban_card(deal=deal) if on_board else None,
        },
    )


# --- moving a deal ----------------------------------------------------------------------


@login_required
@require_POST
def move(request, pk):
    deal = get_visible_or_404(Deal.objects.select_related("stage"), request.user, pk=pk)
    from_stage_id = deal.stage_id
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
                lost_comment=form.cleaned_data["lost_comment"],
                from_stage_id=form.cleaned_data["from_stage"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            status = 400
        except PermissionDenied as exc:
            error = str(exc)
            status = 403
        except Conflict as exc:  # moved by someone else meanwhile: the board as it is now
            error = str(exc)
            status = 409
    else:
        status = 400

    if view == "kanban" and request.htmx:
        if status == 200:
            notice = _("Moved “%(deal)s” to %(stage)s.") % {
                "deal": deal.title,
                "stage": deal.stage.display_name,
            }
            if deal.stage.kind == StageKind.WON:
                # A win without an approved contract (documents' check) says so, when set to warn.
                notice = " ".join([notice, *(o.message for o in win_objections(deal))])
            return _moved_answer(request, deal, from_stage_id, notice)
        data = QueryDict(request.POST.get("filters", ""))
        extra = {}
        if form.errors.get("lost_reason") or form.errors.get("lost_comment"):
            extra["lost_form"] = form
            extra["lost_deal"] = deal
        else:
            extra["error"] = error or " ".join(
                str(message) for messages_ in form.errors.values() for message in messages_
            )
        # A refused move answers the whole board (the lost-reason dialog lives in it), in
        # place of the board whatever the control aimed at.
        response = render(
            request,
            "deals/partials/kanban_board.html",
            _kanban_context(request, data, **extra),
            status=status,
        )
        response["HX-Retarget"] = "#kanban"
        response["HX-Reswap"] = "outerHTML"
        return response

    if status == 200:
        messages.success(request, _("Moved to %(stage)s.") % {"stage": deal.stage.display_name})
        if deal.stage.kind == StageKind.WON:
            for objection in win_objections(deal):
                messages.warning(request, objection.message)
        return redirect(safe_next(request, reverse("deals:detail", args=[deal.pk])))
    if status == 403:
        raise PermissionDenied(error)
    if status == 409:
        messages.error(request, error)  # the page shows the deal where it is now
    return render_deal_page(request, deal.pk, move_form=form, status=status)
