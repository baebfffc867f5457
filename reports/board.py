"""The 抓单 board assembled with the month plans: deals.selectors reads the pipeline, the
plans come from targets. Pages and the API of the board (reports.board_views,
reports.board_api) read it from here."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from deals.selectors import Board, Clock
from deals.selectors import board as pipeline_board
from targets.selectors import rep_month_plans


def month_plans(person_ids: list[int], clock: Clock) -> Mapping[int, Decimal]:
    """Each person's booked-revenue plan for the clock's month (no allocation, no entry)."""
    return rep_month_plans(year=clock.today.year, month=clock.today.month, rep_ids=person_ids)


def board(**kwargs) -> Board:
    """deals.selectors.board (same arguments) with this month's plans."""
    return pipeline_board(plans=month_plans, **kwargs)
