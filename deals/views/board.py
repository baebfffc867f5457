"""The pure-deals fragment of the 抓单 board: one person's open deals (the board page and
its panel, which show the month plans, are reports.board_views)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from deals.selectors.board import board_open_deals, board_people

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
