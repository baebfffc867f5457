"""What the report views share: the page size and how figures are labelled."""

from __future__ import annotations

import datetime

from django.utils.formats import date_format

from core.templatetags.money import money

PAGE_SIZE = 50


def money_or_dash(value) -> str:
    """A chart's figure: the amount with the department's currency, "—" for none."""
    return money(value)


def month_label(day: datetime.date) -> str:
    """Short enough for twelve of them side by side: the year only in January."""
    return date_format(day, "M Y" if day.month == 1 else "M")
