"""core.periods: what period= and from=/to= mean, and the periods each is compared with."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.periods import Period, change, default_period, parse_period

TODAY = datetime.date(2026, 12, 3)
D = datetime.date


def parsed(**params) -> Period:
    return parse_period(params, TODAY)


@pytest.mark.parametrize(
    ("value", "start", "end", "previous", "last_year"),
    [
        (
            "2026-11",
            D(2026, 11, 1),
            D(2026, 11, 30),
            (D(2026, 10, 1), D(2026, 10, 31)),
            (D(2025, 11, 1), D(2025, 11, 30)),
        ),
        (
            "2026-01",
            D(2026, 1, 1),
            D(2026, 1, 31),
            (D(2025, 12, 1), D(2025, 12, 31)),
            (D(2025, 1, 1), D(2025, 1, 31)),
        ),
        (
            "2024-02",
            D(2024, 2, 1),
            D(2024, 2, 29),
            (D(2024, 1, 1), D(2024, 1, 31)),
            (D(2023, 2, 1), D(2023, 2, 28)),
        ),
        (
            "2026-Q4",
            D(2026, 10, 1),
            D(2026, 12, 31),
            (D(2026, 7, 1), D(2026, 9, 30)),
            (D(2025, 10, 1), D(2025, 12, 31)),
        ),
        (
            "2026-q1",
            D(2026, 1, 1),
            D(2026, 3, 31),
            (D(2025, 10, 1), D(2025, 12, 31)),
            (D(2025, 1, 1), D(2025, 3, 31)),
        ),
        (
            "2026-YTD",
            D(2026, 1, 1),
            D(2026, 12, 3),
            (D(2025, 1, 1), D(2025, 12, 3)),
            (D(2025, 1, 1), D(2025, 12, 3)),
        ),
        (
            "2025-YTD",
            D(2025, 1, 1),
            D(2025, 12, 3),
            (D(2024, 1, 1), D(2024, 12, 3)),
            (D(2024, 1, 1), D(2024, 12, 3)),
        ),
        (
            "2025",
            D(2025, 1, 1),
            D(2025, 12, 31),
            (D(2024, 1, 1), D(2024, 12, 31)),
            (D(2024, 1, 1), D(2024, 12, 31)),
        ),
    ],
)
def test_named_periods_and_their_comparisons(value, start, end, previous, last_year):
    period = parsed(period=value)
    assert (period.start, period.end) == (start, end)
    assert (period.previous().start, period.previous().end) == previous
    assert (period.last_year().start, period.last_year().end) == last_year


def test_a_custom_range_wins_over_period_and_compares_with_the_days_before():
    period = parsed(period="2026-11", **{"from": "2026-11-10", "to": "2026-11-19"})
    assert (period.kind, period.start, period.end, period.days) == (
        "range",
        D(2026, 11, 10),
        D(2026, 11, 19),
        10,
    )
    assert (period.previous().start, period.previous().end) == (D(2026, 10, 31), D(2026, 11, 9))
    assert (period.last_year().start, period.last_year().end) == (D(2025, 11, 10), D(2025, 11, 19))
    assert period.months() == [D(2026, 11, 1)]
    assert parsed(**{"from": "2024-02-29", "to": "2024-03-01"}).last_year().start == D(2023, 2, 28)


def test_months_a_quarter_touches():
    assert parsed(period="2026-Q4").months() == [D(2026, 10, 1), D(2026, 11, 1), D(2026, 12, 1)]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 12, 3), (D(2026, 11, 1), D(2026, 11, 30))),
        (D(2026, 12, 7), (D(2026, 11, 1), D(2026, 11, 30))),
        (D(2026, 12, 8), (D(2026, 12, 1), D(2026, 12, 31))),
        (D(2027, 1, 2), (D(2026, 12, 1), D(2026, 12, 31))),
    ],
)
def test_the_default_is_the_last_full_month_while_this_one_is_younger_than_a_week(today, expected):
    period = default_period(today)
    assert (period.start, period.end) == expected
    assert parse_period({}, today) == period


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "2026-13"}, "period"),
        ({"period": "2026-00"}, "period"),
        ({"period": "2026-Q5"}, "period"),
        ({"period": "Q4"}, "period"),
        ({"period": "1999"}, "period"),
        ({"period": "9999-01"}, "period"),
        ({"period": "2026-11; drop table"}, "period"),
        ({"period": "2" * 5000}, "period"),
        ({"from": "2026-11-01"}, "to"),
        ({"to": "2026-11-01"}, "from"),
        ({"from": "2026-11-31", "to": "2026-12-01"}, "from"),
        ({"from": "2026-12-01", "to": "2026-11-01"}, "to"),
        ({"from": "2000-01-01", "to": "2026-11-01"}, "to"),
        ({"from": "0001-01-01", "to": "2026-11-01"}, "from"),
    ],
)
def test_bad_values_are_a_validation_error_on_their_field(params, field):
    with pytest.raises(ValidationError) as caught:
        parse_period(params, TODAY)
    assert list(caught.value.message_dict) == [field]


def test_change_gives_the_difference_and_the_percent_of_the_earlier_figure():
    from decimal import Decimal

    assert change(Decimal("150.00"), Decimal("120.00")) == {
        "delta": Decimal("30.00"),
        "percent": Decimal("25.0"),
    }
    assert change(3, 4) == {"delta": -1, "percent": Decimal("-25.0")}
    assert change(5, 0) == {"delta": 5, "percent": None}
    assert change(None, 4) == {"delta": None, "percent": None}
