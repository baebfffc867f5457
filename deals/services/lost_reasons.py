"""The head's list of lost reasons: added, renamed, reordered and deactivated here (a reason
closed deals point at is never deleted, so their history keeps it)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.locks import lock_one
from core.validation import full_clean
from deals.models import LostReason
from deals.rules import may_manage_lost_reasons

LOST_REASON_FIELDS = ("name", "order", "is_active")


def _check(by: User) -> None:
    if not may_manage_lost_reasons(by):
        raise PermissionDenied(_("Only the head keeps the list of lost reasons."))


def _save(reason: LostReason) -> LostReason:
    reason.name = (reason.name or "").strip()
    if LostReason.objects.filter(name__iexact=reason.name).exclude(pk=reason.pk).exists():
        raise ValidationError({"name": _("A reason with this name exists already.")})
    full_clean(reason)
    reason.save()
    return reason


@transaction.atomic
def lost_reason_create(*, by: User, name: str, order: int = 0, is_active: bool = True) -> LostReason:
    _check(by)
    return _save(LostReason(name=name, order=order, is_active=is_active))


@transaction.atomic
def lost_reason_update(*, reason: LostReason, by: User, data: dict) -> LostReason:
    """Change the name, order or whether it is offered (``is_active``: False deactivates)."""
    _check(by)
    unknown = set(data) - set(LOST_REASON_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    current = lock_one(LostReason.objects, pk=reason.pk, gone=_("This reason was deleted meanwhile."))
    for name, value in data.items():
        setattr(current, name, value)
    return _save(current)
