"""The 抓单 board assembled with the month plans: deals.selectors reads the pipeline, the
plans come from targets. Pages and the API of the board (reports.board_views,
reports.board_api) read it from here."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.cache import cache

from core.versions import data_version, latest
from deals.selectors import Board, BoardRow, Clock
from deals.selectors import board as pipeline_board
from deals.selectors.versions import PIPELINE_CACHE_SECONDS, pipeline_parts
from targets.models import Allocation
from targets.selectors import rep_month_plans


def month_plans(person_ids: list[int], clock: Clock) -> Mapping[int, Decimal]:
    """Each person's booked-revenue plan for the clock's month (no allocation, no entry)."""
    return rep_month_plans(year=clock.today.year, month=clock.today.month, rep_ids=person_ids)


def board(**kwargs) -> Board:
    """deals.selectors.board (same arguments) with this month's plans."""
    return pipeline_board(plans=month_plans, **kwargs)


# --- the board page's cached summary -------------------------------------------------------

# The rendered rows are kept this long at most: changes the version below does not see (a
# person renamed or moved to another team, an activity deleted, a deal crossing a warning's
# cut-off as the day goes on) show within this time.
BOARD_CACHE_SECONDS = PIPELINE_CACHE_SECONDS


def board_version(*extra: str) -> str:
    """The board's data as of its last change, in one query of index-only maxima: the
    pipeline's (deals.selectors.versions) and the newest change of a month plan's
    allocation. Its cost does not grow with the data, so a cache keyed on it costs the same
    for 10 or 1,000 people."""
    return data_version(
        [
            *pipeline_parts(),
            latest(Allocation.history.model, "history_id"),
            latest(Allocation, "updated_at"),
            *extra,  # a caller's own maxima (the home page's alerts), in the same query
        ]
    )


def board_cache_key(*, viewer_id: int, team_id: int | None, language: str, clock: Clock, version: str) -> str:
    return f"board-rows:{viewer_id}:{team_id or 0}:{language}:{clock.today.isoformat()}:{version}"


def board_summary(*, viewer, team=None, clock: Clock) -> list[BoardRow]:
    """Every person's summary row (figures, plan, warnings; no top deals) in the board's
    order, computed once per change of the data as the board page's rows are (same version,
    same 5 minutes at most): the figures aggregate the warnings of every open deal in scope,
    which grows with the department, while a page of the API shows 20 people."""
    key = "board-summary:" + board_cache_key(
        viewer_id=viewer.pk,
        team_id=team.pk if team else None,
        language="",
        clock=clock,
        version=board_version(),
    )
    rows = cache.get(key)
    if rows is None:
        rows = board(viewer=viewer, team=team, clock=clock, with_top_deals=False).rows
        cache.set(key, rows, BOARD_CACHE_SECONDS)
    return rows
