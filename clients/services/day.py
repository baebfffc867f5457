"""A person's day settings: the calendar feed's secret address and the reminders."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import is_usable
from clients.models import DaySettings, new_feed_token
from core.validation import full_clean

MAX_REMIND_MINUTES = 24 * 60


def day_settings_of(user: User) -> DaySettings:
    """The user's settings, made with the defaults (a fresh feed token, 15 minutes, 08:00)
    the first time they are asked for."""
    if not is_usable(user):
        raise PermissionDenied(_("Sign in first."))
    try:
        return DaySettings.objects.get(user=user)
    except DaySettings.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            return DaySettings.objects.create(user=user)
    except IntegrityError:  # made meanwhile by another request
        return DaySettings.objects.get(user=user)


@transaction.atomic
def feed_rotate(*, by: User) -> DaySettings:
    """A new secret feed address; the old one answers 404 from now on."""
    day = day_settings_of(by)
    DaySettings.objects.filter(pk=day.pk).update(
        feed_token=new_feed_token(), feed_rotated_at=timezone.now(), updated_at=timezone.now()
    )
    day.refresh_from_db()
    return day


@transaction.atomic
def day_settings_update(
    *, by: User, remind_minutes: int | None, digest_time: datetime.time | None
) -> DaySettings:
    """Minutes before a timed task to be reminded (None: no reminders) and the time of the
    morning digest (None: none)."""
    if remind_minutes is not None and not 0 <= remind_minutes <= MAX_REMIND_MINUTES:
        raise ValidationError(
            {"remind_minutes": _("From 0 to %(limit)d minutes.") % {"limit": MAX_REMIND_MINUTES}}
        )
    day = day_settings_of(by)
    day.remind_minutes, day.digest_time = remind_minutes, digest_time
    full_clean(day)
    day.save()
    return day
