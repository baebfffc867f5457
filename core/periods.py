"""Reporting periods: one parser for what every report page and ``/api/v1/reports/*``
accepts, and the two periods each figure is compared with.

``period=`` is a month (``2026-11``), a quarter (``2026-Q4``), a year to date
(``2026-YTD``: 1 January to today, or to the same day of the year for a past year) or a
whole year (``2026``); ``from=``/``to=`` (ISO dates) is a custom range and wins over
``period``. Without either, the default is this month — or the last full month while this
one is younger than a week (``FRESH_MONTH_DAYS``), so a report on 3 December does not open
on three days of figures.

Each period knows its **previous** period (the month, quarter or year before; for a year to
date the same span of the year before; for a custom range the same number of days just
before it) and the **same period last year**. Bad values raise ``ValidationError`` keyed by
the parameter, which a page shows as a form error and the API answers as a 400."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
# A custom range longer than this is refused (the reports compare at most a year or so).
MAX_RANGE_DAYS = 366 * 5
FRESH_MONTH_DAYS = 7

MONTH, QUARTER, YTD, YEAR, RANGE = "month", "quarter", "ytd", "year", "range"

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER_RE = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YTD_RE = re.compile(r"^(\d{4})-(?:YTD|ytd)$")
_YEAR_RE = re.compile(r"^(\d{4})$")


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _shift_year(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Period:
    """A closed range of days [start, end] and what kind of period it is."""

    kind: str
    start: datetime.date
    end: datetime.date

    # --- construction ------------------------------------------------------------------

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(MONTH, datetime.date(year, month, 1), _month_end(year, month))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls(QUARTER, datetime.date(year, first, 1), _month_end(year, first + 2))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(YEAR, datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def year_to_date(cls, year: int, today: datetime.date) -> Period:
        end = _shift_year(today, year - today.year) if year != today.year else today
        return cls(YTD, datetime.date(year, 1, 1), end)

    # --- what it is ----------------------------------------------------------------------

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def value(self) -> str:
        """The ``period=`` value that names it (a custom range has none)."""
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == YTD:
            return f"{self.start.year}-YTD"
        if self.kind == YEAR:
            return str(self.start.year)
        return ""

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return formats.date_format(self.start, "YEAR_MONTH_FORMAT")
        if self.kind == QUARTER:
            return _("Q%(quarter)s %(year)s") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == YTD:
            return _("%(year)s to date") % {"year": self.start.year}
        if self.kind == YEAR:
            return str(self.start.year)
        return "%s – %s" % (
            formats.date_format(self.start, "SHORT_DATE_FORMAT"),
            formats.date_format(self.end, "SHORT_DATE_FORMAT"),
        )

    def months(self) -> list[datetime.date]:
        """The first day of every month the period touches."""
        result = []
        day = self.start.replace(day=1)
        while day <= self.end:
            result.append(day)
            day = (day + datetime.timedelta(days=32)).replace(day=1)
        return result

    @property
    def first_month(self) -> datetime.date:
        return self.start.replace(day=1)

    @property
    def last_month(self) -> datetime.date:
        return self.end.replace(day=1)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    # --- comparisons ---------------------------------------------------------------------

    def previous(self) -> Period:
        """The period just before: the month, quarter or year before; a year to date the
        same span of the year before; a custom range the same number of days before it."""
        if self.kind == MONTH:
            before = self.start - datetime.timedelta(days=1)
            return Period.month(before.year, before.month)
        if self.kind == QUARTER:
            before = self.start - datetime.timedelta(days=1)
            return Period.quarter(before.year, (before.month - 1) // 3 + 1)
        if self.kind in (YEAR, YTD):
            return self.last_year()
        end = self.start - datetime.timedelta(days=1)
        return Period(RANGE, end - datetime.timedelta(days=self.days - 1), end)

    def last_year(self) -> Period:
        """The same period a year earlier (29 February becomes the 28th)."""
        if self.kind == MONTH:
            return Period.month(self.start.year - 1, self.start.month)
        if self.kind == QUARTER:
            return Period.quarter(self.start.year - 1, (self.start.month - 1) // 3 + 1)
        if self.kind == YEAR:
            return Period.year(self.start.year - 1)
        return Period(self.kind, _shift_year(self.start, -1), _shift_year(self.end, -1))

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "value": self.value,
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def default_period(today: datetime.date) -> Period:
    """This month, or the last full month while this one is younger than a week."""
    if today.day <= FRESH_MONTH_DAYS:
        before = today.replace(day=1) - datetime.timedelta(days=1)
        return Period.month(before.year, before.month)
    return Period.month(today.year, today.month)


def _check_year(year: int, field: str) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValidationError(
            {
                field: _("Give a year between %(first)s and %(last)s.")
                % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
            },
            code="out_of_range",
        )


def parse_named(value: str, today: datetime.date) -> Period:
    """``2026-11``, ``2026-Q4``, ``2026-YTD`` or ``2026``."""
    text = value.strip()
    for pattern, build in (
        (_MONTH_RE, lambda y, m: Period.month(y, m) if 1 <= m <= 12 else None),
        (_QUARTER_RE, lambda y, q: Period.quarter(y, q)),
        (_YTD_RE, lambda y: Period.year_to_date(y, today)),
        (_YEAR_RE, lambda y: Period.year(y)),
    ):
        match = pattern.match(text)
        if match:
            numbers = [int(part) for part in match.groups()]
            _check_year(numbers[0], "period")
            period = build(*numbers)
            if period is not None:
                return period
    raise ValidationError(
        {"period": _("Give the period as 2026-11 (a month), 2026-Q4, 2026-YTD or 2026.")},
        code="invalid",
    )


def _parse_day(value: str, field: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError({field: _("Give the date as YYYY-MM-DD.")}, code="invalid") from None
    _check_year(day.year, field)
    return day


def parse_range(start: str, end: str) -> Period:
    if not start or not end:
        missing = "to" if start else "from"
        raise ValidationError({missing: _("Give both ends of the range.")}, code="required")
    first, last = _parse_day(start, "from"), _parse_day(end, "to")
    if last < first:
        raise ValidationError({"to": _("The end of the range is before its start.")}, code="invalid")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise ValidationError(
            {"to": _("A range may span at most %(days)s days.") % {"days": MAX_RANGE_DAYS}},
            code="too_long",
        )
    return Period(RANGE, first, last)


def parse_period(params, today: datetime.date) -> Period:
    """The period a request asks for (``from``/``to`` over ``period``), or the default."""
    start, end = (params.get("from") or "").strip(), (params.get("to") or "").strip()
    if start or end:
        return parse_range(start, end)
    value = (params.get("period") or "").strip()
    if value:
        return parse_named(value, today)
    return default_period(today)


def change(current, before) -> dict:
    """How a figure moved: the difference and the change in % of the earlier figure (None
    when there is nothing to compare, or the earlier figure is zero)."""
    if current is None or before is None:
        return {"delta": None, "percent": None}
    delta = current - before
    percent = None
    if before:
        percent = (Decimal(delta) * 100 / Decimal(before)).quantize(Decimal("0.1"))
    return {"delta": delta, "percent": percent}
