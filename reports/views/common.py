"""What the report views share: the page size and how figures are labelled."""

from __future__ import annotations

import datetime

from django.utils.formats import date_format, number_format

PAGE_SIZE = 50


def money_or_dash(value) -> str:
    return "—" if value is None else number_format(value, 2, force_grouping=True)


def month_label(day: datetime.date) -> str:
    """Short enough for twelve of them side by side: the year only in January."""
    return date_format(day, "M Y" if day.month == 1 else "M")
