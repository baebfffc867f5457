"""Pages of the 抓单 board: the board itself and its side panel, where a lead reviews a deal
without leaving the board. They live here, above deals and targets, because a board row
shows the month's plan; the list of one person's open deals stays in deals.views."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Team
from accounts.roles import is_manager
from accounts.visibility import get_visible_or_404
from core.filters import MAX_ID
from deals import views as deal_views
from deals.forms import ReviewForm
from deals.models import Deal
from deals.rules import may_review_deal, may_set_warning_settings
from deals.selectors import (
    Clock,
    DealWarning,
    board_open_deals,
    deal_detail,
    deal_facts,
    deal_reviews,
    deal_warnings,
)
from reports.board import BOARD_CACHE_SECONDS, board, board_cache_key, board_version

# An opened row lists this many of the person's open deals (after the three most likely to
# close): about one screenful; the rest are a link to the deal list.
BOARD_ROW_DEALS = 10


def board_team(request) -> Team | None:
    """The team a head (or anyone seeing several teams) narrowed the board to."""
    raw = request.GET.get("team")
    if not raw:
        return None
    try:
        return Team.objects.visible_to(request.user).get(pk=int(raw))
    except (ValueError, Team.DoesNotExist):
        return None


def _board_rows_html(request, team: Team | None, clock: Clock) -> str:
    """The totals and one summary row per person, rendered once per change of the data: the
    page's cost then follows what is shown, not the department's size (a person's deals load
    when their row is opened)."""
    key = board_cache_key(
        viewer_id=request.user.pk,
        team_id=team.pk if team else None,
        language=get_language() or "",
        clock=clock,
        version=board_version(),
    )
    html = cache.get(key)
    if html is None:
        data = board(viewer=request.user, team=team, clock=clock, with_top_deals=False)
        html = render_to_string("deals/partials/board_rows.html", {"board": data}, request=request)
        cache.set(key, html, BOARD_CACHE_SECONDS)
    return html


@login_required
def board_page(request):
    team = board_team(request)
    teams = list(Team.objects.visible_to(request.user))
    clock = Clock.current()
    return render(
        request,
        "deals/board.html",
        {
            "rows_html": _board_rows_html(request, team, clock),
            "teams": teams if len(teams) > 1 else [],
            "team": team,
            "month": clock.month_start,
            "may_set_warnings": may_set_warning_settings(request.user),
            "reviews_contracts": is_manager(request.user),
        },
    )


@login_required
@require_GET
def board_person(request, pk):
    """One person's row opened: the month against plan, the warnings with links to their
    deals, the deals most likely to close with their latest facts, and the first open deals
    (each opening in the panel). 404 for someone outside the viewer's board."""
    if not 0 < pk <= MAX_ID:  # beyond any id the database can hold
        raise Http404
    clock = Clock.current()
    rows = board(viewer=request.user, person_ids=[pk], clock=clock).rows
    if not rows:
        raise Http404
    row = rows[0]
    top_ids = [top.deal.pk for top in row.top_deals]
    deals = board_open_deals(viewer=request.user, person=row.person, clock=clock).exclude(pk__in=top_ids)
    shown = list(deals[:BOARD_ROW_DEALS])
    more = max(row.open_count - len(top_ids) - len(shown), 0)
    return render(
        request,
        "deals/partials/rep_detail.html",
        {"row": row, "person": row.person, "deals": shown, "more": more},
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
        rows = board(viewer=request.user, person_ids=[deal.owner_id], with_top_deals=False).rows
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
