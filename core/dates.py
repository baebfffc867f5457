"""One date policy for the whole product, enforced by the services (forms and the API
inherit it through them):

- what happened (a payment, an activity, a close) is not in the future — beyond today in
  the department's time zone — and not before the record it belongs to existed;
- what is planned (a next step, a task, an expected close, a promised payment) is not in
  the past when it is set, and not more than PLANNING_HORIZON_YEARS ahead.

Each check raises a ValidationError keyed by the field, with a message that says what is
allowed, so a page shows it beside the field and the API answers 400 with it."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

PLANNING_HORIZON_YEARS = 5


def today() -> datetime.date:
    """Today in the department's time zone (settings.TIME_ZONE)."""
    return timezone.localdate()


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _shown(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def horizon(start: datetime.date | None = None) -> datetime.date:
    start = start or today()
    try:
        return start.replace(year=start.year + PLANNING_HORIZON_YEARS)
    except ValueError:  # 29 February
        return start.replace(year=start.year + PLANNING_HORIZON_YEARS, day=28)


def check_happened(
    value: datetime.date | datetime.datetime | None,
    *,
    field: str,
    not_before: datetime.date | datetime.datetime | None = None,
) -> None:
    """A date of something that took place: not after today, not before ``not_before``
    (when the client or deal it belongs to came into the CRM)."""
    if value is None:
        return
    day = _as_date(value)
    if day > today():
        raise ValidationError(
            {field: _("This cannot be in the future (today is %(today)s).") % {"today": _shown(today())}}
        )
    if not_before is not None and day < _as_date(not_before):
        earliest = _as_date(not_before)
        raise ValidationError(
            {
                field: _("This cannot be before %(date)s, when the record was created.")
                % {"date": _shown(earliest)}
            }
        )


def check_planned(
    value: datetime.date | datetime.datetime | None,
    *,
    field: str,
    previous: datetime.date | datetime.datetime | None = None,
) -> None:
    """A date something is planned for: today or later, and within the planning horizon.
    An unchanged date (``previous``) is left alone, so an old record can still be saved."""
    if value is None:
        return
    day = _as_date(value)
    if previous is not None and _as_date(previous) == day:
        return
    if day < today():
        raise ValidationError({field: _("Choose today or a later date.")})
    if day > horizon():
        raise ValidationError(
            {
                field: _("Choose a date no later than %(date)s (%(years)s years ahead).")
                % {"date": _shown(horizon()), "years": PLANNING_HORIZON_YEARS}
            }
        )


def errors_of(check, *args, **kwargs) -> dict[str, str]:
    """Run one of the checks above and give its field message as ``{field: message}``
    (empty when the date is fine), for services that gather every field's errors first."""
    try:
        check(*args, **kwargs)
    except ValidationError as error:
        return {field: messages[0] for field, messages in error.message_dict.items()}
    return {}
