"""Every write to activity norms: per role (the head) and per person (head or lead)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from targets import rules
from targets.models import (
    ActivityNorm,
)

MAX_CALLS_PER_DAY = 1000
MAX_MEETINGS_PER_WEEK = 200


def _norm_numbers(calls_per_day, meetings_per_week) -> tuple[int, int]:
    errors = {}
    values = {}
    for name, value, ceiling in (
        ("calls_per_day", calls_per_day, MAX_CALLS_PER_DAY),
        ("meetings_per_week", meetings_per_week, MAX_MEETINGS_PER_WEEK),
    ):
        try:
            number = int(value)
            if str(value).strip() != str(number) and not isinstance(value, int):
                raise ValueError
        except (TypeError, ValueError):
            errors[name] = _("Enter a whole number.")
            continue
        if not 0 <= number <= ceiling:
            errors[name] = _("Enter a number from 0 to %(max)d.") % {"max": ceiling}
        values[name] = number
    if errors:
        raise ValidationError(errors)
    return values["calls_per_day"], values["meetings_per_week"]


@transaction.atomic
def norm_set_for_role(*, actor: User, role: str, calls_per_day, meetings_per_week) -> ActivityNorm:
    rules.ensure_can_set_plans(actor)
    if not rules.is_norm_role(role):
        raise ValidationError({"role": _("Choose a role.")})
    calls, meetings = _norm_numbers(calls_per_day, meetings_per_week)
    norm, _created = ActivityNorm.objects.select_for_update(of=("self",)).update_or_create(
        role=role, user=None, defaults={"calls_per_day": calls, "meetings_per_week": meetings}
    )
    return norm


@transaction.atomic
def norm_set_for_user(*, actor: User, person: User, calls_per_day, meetings_per_week) -> ActivityNorm:
    """A personal norm that overrides the person's role norm."""
    if not User.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise Http404(_("Not found."))
    if not rules.may_set_norm_for(actor, person):
        raise PermissionDenied(_("You may not set this person's norm."))
    calls, meetings = _norm_numbers(calls_per_day, meetings_per_week)
    norm, _created = ActivityNorm.objects.select_for_update(of=("self",)).update_or_create(
        user=person, defaults={"role": "", "calls_per_day": calls, "meetings_per_week": meetings}
    )
    return norm


@transaction.atomic
def norm_save(
    *,
    actor: User,
    norm: ActivityNorm | None = None,
    role: str | None = None,
    person: User | None = None,
    calls_per_day=None,
    meetings_per_week=None,
) -> ActivityNorm:
    """Create a norm (a personal one when ``person`` is given, else the role's) or change
    ``norm``, which keeps its role or person; a number not given (None) keeps the norm's
    value, or is 0 for a new norm."""
    if norm is not None:
        role, person = norm.role, norm.user
    numbers = {
        "calls_per_day": calls_per_day if calls_per_day is not None else (norm.calls_per_day if norm else 0),
        "meetings_per_week": (
            meetings_per_week if meetings_per_week is not None else (norm.meetings_per_week if norm else 0)
        ),
    }
    if person is not None:
        return norm_set_for_user(actor=actor, person=person, **numbers)
    return norm_set_for_role(actor=actor, role=role, **numbers)


@transaction.atomic
def norm_delete(*, actor: User, norm: ActivityNorm) -> None:
    if not rules.may_change_norm(actor, norm):
        raise PermissionDenied(_("You may not remove this norm."))
    norm.delete()
