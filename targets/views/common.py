"""What the targets pages share: month names and the query-string parameters they read."""

from __future__ import annotations

import datetime

from django.utils import formats

from core.filters import parse_id
from targets.filters import parse_year
from targets.services.common import month_name


def month_names():
    return [month_name(month) for month in range(1, 13)]


def short_month_names():
    return [formats.date_format(datetime.date(2000, month, 1), "M") for month in range(1, 13)]


def int_param(request, name: str):
    """An id from the query string; anything else (letters, "²", beyond a database integer)
    is ignored rather than reaching the database."""
    return parse_id(request.GET.get(name))


def year_param(request, default: int) -> int:
    return parse_year(request.GET.get("year")) or default
