"""Date, time and date-time fields write ISO values in every language (core.forms): the
browser's pickers read nothing else. In Chinese the run date read "2026/12/05" and in Russian
"05.12.2026": an empty picker, and the schedule and payment forms then said "required"."""

import datetime

import pytest
from django.utils import timezone, translation

from core.forms import date_input, datetime_local_input, time_input
from reports.forms import RunTriggerForm
from targets.forms import PaymentForm


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans"])
def test_the_widgets_write_iso_in_every_language(language):
    with translation.override(language):
        assert 'value="2027-01-04"' in date_input().render("day", datetime.date(2027, 1, 4))
        assert 'value="09:05"' in time_input().render("at", datetime.time(9, 5))
        moment = datetime.datetime(2027, 1, 4, 9, 5)
        assert 'value="2027-01-04T09:05"' in datetime_local_input().render("when", moment)


@pytest.mark.parametrize("language", ["ru", "zh-hans"])
def test_the_forms_pickers_show_their_first_value_and_read_it_back(language):
    today = timezone.localdate()
    with translation.override(language):
        assert f'value="{today.isoformat()}"' in str(RunTriggerForm()["run_date"])
        form = PaymentForm(initial={"paid_on": today})
        assert f'value="{today.isoformat()}"' in str(form["paid_on"])
        posted = PaymentForm({"amount": "10.00", "paid_on": today.isoformat(), "note": ""})
        assert posted.is_valid(), posted.errors
        assert posted.cleaned_data["paid_on"] == today
