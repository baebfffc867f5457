"""The 抓单 board assembled with the month plans: deals.selectors reads the pipeline, the
plans come from targets. Pages and the API of the board (reports.board_views,
reports.board_api) read it from here."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from decimal import Decimal

from django.core.cache import cache
from django.db import connection

from clients.models import Activity
from deals.models import Deal, Fact, Review, Stage, WarningSettings
from deals.selectors import Board, BoardRow, Clock
from deals.selectors import board as pipeline_board
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
BOARD_CACHE_SECONDS = 300


def _latest(model, column: str) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    return f"(SELECT MAX({connection.ops.quote_name(column)}) FROM {table})"


def board_version(*extra: str) -> str:
    """The board's data as of its last change, in one query of index-only maxima: the
    newest deal history row (every create, change and delete of a deal), the newest change
    of a deal, a fact, a review, an activity, and of a month plan's allocation. Its cost does
    not grow with the data, so a cache keyed on it costs the same for 10 or 1,000 people."""
    parts = [
        _latest(Deal.history.model, "history_id"),
        _latest(Deal, "updated_at"),
        _latest(Fact, "updated_at"),
        _latest(Review, "updated_at"),
        _latest(Activity, "updated_at"),
        _latest(Allocation.history.model, "history_id"),
        _latest(Allocation, "updated_at"),
        # The head's warning thresholds and the days allowed per stage change every warning.
        _latest(WarningSettings, "updated_at"),
        _latest(Stage, "updated_at"),
        *extra,  # a caller's own maxima (the home page's alerts), in the same query
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return hashlib.sha1(repr(row).encode()).hexdigest()[:16]


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
