"""Pages of the 抓单 board: the board itself and its side panel, where a lead reviews a deal
without leaving the board. They live here, above deals and targets, because a board row
shows the month's plan; the list of one person's open deals stays in deals.views."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_POST

from accounts.models import Team
from accounts.roles import is_manager
from accounts.visibility import get_visible_or_404
from deals import views as deal_views
from deals.forms import ReviewForm
from deals.models import Deal
from deals.rules import may_review_deal
from deals.selectors import DealWarning, deal_detail, deal_facts, deal_reviews, deal_warnings
from reports.board import board


def board_team(request) -> Team | None:
    """The team a head (or anyone seeing several teams) narrowed the board to."""
    raw = request.GET.get("team")
    if not raw:
        return None
    try:
        return Team.objects.visible_to(request.user).get(pk=int(raw))
    except (ValueError, Team.DoesNotExist):
        return None


@login_required
def board_page(request):
    team = board_team(request)
    teams = list(Team.objects.visible_to(request.user))
    data = board(viewer=request.user, team=team)
    return render(
        request,
        "deals/board.html",
        {
            "board": data,
            "teams": teams if len(teams) > 1 else [],
            "team": team,
            "month": data.clock.month_start,
            "reviews_contracts": is_manager(request.user),
        },
    )


def _render_panel(request, pk, *, review_form=None, status=200):
    deal = deal_detail(viewer=request.user, pk=pk)
    reviewer = may_review_deal(request.user, deal)
    context = {
        "deal": deal,
        "warnings": deal_warnings(deal),
        "warning_labels": dict(DealWarning.choices),
        "facts": deal_facts(deal=deal),
        "reviews": deal_reviews(deal=deal),
        "can_review": reviewer,
        "review_form": review_form or (ReviewForm() if reviewer else None),
        "reviewed": status == 200 and request.method == "POST",
    }
    if context["reviewed"]:
        # The person's card, refreshed out of band: the review changed its warnings.
        rows = board(viewer=request.user, person_ids=[deal.owner_id]).rows
        context["row"] = rows[0] if rows else None
    return render(request, "deals/partials/board_panel.html", context, status=status)


@login_required
def panel(request, pk):
    """A deal in the board's side panel: its facts, its reviews and a review form."""
    return _render_panel(request, pk)


@login_required
@require_POST
def panel_review(request, pk):
    """A review recorded from the panel: the panel again, and the person's refreshed card.
    Without htmx the deal page's review answers (message and redirect, or the form's errors)."""
    if not request.htmx:
        return deal_views.review_add(request, pk)
    deal = get_visible_or_404(Deal.objects.select_related("stage", "owner"), request.user, pk=pk)
    form, status = deal_views.submit_review(request, deal)
    return _render_panel(request, deal.pk, review_form=form if status != 200 else None, status=status)
