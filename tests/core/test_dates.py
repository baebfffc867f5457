"""The one date policy: what happened is not in the future nor before its record; what is
planned is not in the past when set nor more than five years ahead."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core import dates

DAY = datetime.timedelta(days=1)


def messages(error: ValidationError, field: str) -> list[str]:
    return error.message_dict[field]


def test_today_and_earlier_happened_dates_pass():
    dates.check_happened(dates.today(), field="paid_on")
    dates.check_happened(dates.today() - 3000 * DAY, field="paid_on")
    dates.check_happened(None, field="paid_on")


def test_a_happened_date_in_the_future_is_refused_with_todays_date():
    with pytest.raises(ValidationError) as caught:
        dates.check_happened(dates.today() + DAY, field="paid_on")
    assert messages(caught.value, "paid_on") == [
        f"This cannot be in the future (today is {dates.today():%-d %b %Y})."
    ]


def test_a_happened_date_before_its_record_is_refused():
    created = datetime.date(2026, 3, 5)
    dates.check_happened(created, field="occurred_at", not_before=created)
    with pytest.raises(ValidationError) as caught:
        dates.check_happened(created - DAY, field="occurred_at", not_before=created)
    assert messages(caught.value, "occurred_at") == [
        "This cannot be before 5 Mar 2026, when the record was created."
    ]


def test_a_datetime_is_judged_by_its_day_in_the_departments_time_zone(settings):
    settings.TIME_ZONE = "Europe/Moscow"
    # 22:30 UTC on the 4th is already the 5th in Moscow (UTC+3)
    late = datetime.datetime(2026, 3, 4, 22, 30, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError):
        dates.check_happened(late, field="occurred_at", not_before=datetime.date(2026, 3, 6))
    dates.check_happened(late, field="occurred_at", not_before=datetime.date(2026, 3, 5))


def test_planned_dates_from_today_to_five_years_ahead_pass():
    dates.check_planned(dates.today(), field="due")
    dates.check_planned(dates.horizon(), field="due")


def test_a_planned_date_in_the_past_is_refused_unless_it_is_unchanged():
    yesterday = dates.today() - DAY
    with pytest.raises(ValidationError) as caught:
        dates.check_planned(yesterday, field="due")
    assert messages(caught.value, "due") == ["Choose today or a later date."]
    dates.check_planned(yesterday, field="due", previous=yesterday)


def test_a_planned_date_beyond_the_horizon_is_refused():
    with pytest.raises(ValidationError) as caught:
        dates.check_planned(dates.horizon() + DAY, field="expected_close")
    assert messages(caught.value, "expected_close") == [
        f"Choose a date no later than {dates.horizon():%-d %b %Y} (5 years ahead)."
    ]


def test_the_horizon_of_a_leap_day_is_the_28th():
    assert dates.horizon(datetime.date(2028, 2, 29)) == datetime.date(2033, 2, 28)
    assert dates.horizon(datetime.date(2026, 12, 3)) == datetime.date(2031, 12, 3)
