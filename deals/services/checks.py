"""What the deals services check before they write: whether ``by`` may change the deal
(``_ensure_can_change``, and ``_lock`` for the row itself), and the field checks they
share (amounts, dates in range, text length)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.visibility import ensure_can_write
from core.filters import check_date_in_range
from core.locks import lock_one
from deals.models import Deal
from deals.rules import explains_read_only_as_sdr


def _as_amount(value) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


def _date_errors(values: Mapping[str, Any], names) -> dict[str, str]:
    """Dates far outside what a sales department plans (year 1, 9999) would overflow the
    date arithmetic of the board and the reports: refuse them as field errors."""
    errors = {}
    for name in names:
        try:
            check_date_in_range(values.get(name))
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    return errors


def _too_long(text: str, limit: int) -> str:
    return _("Keep this under %(limit)s characters (it has %(length)s).") % {
        "limit": limit,
        "length": len(text),
    }


def read_only_message(user: User) -> str:
    if explains_read_only_as_sdr(user):
        return _(
            "SDRs do not open or change deals: hand the qualified lead over to a rep, who opens the deal."
        )
    return _("You have read-only access to deals.")


def _ensure_can_change(by: User, deal: Deal, *, current: bool = False) -> None:
    """404 when the deal is hidden from ``by``; PermissionDenied (saying why, for an SDR)
    when it is visible but not theirs to change. ``current``: ``deal`` is the row locked in
    this transaction (accounts.visibility.ensure_can_write)."""
    try:
        ensure_can_write(by, deal, current=current)
    except PermissionDenied:
        if explains_read_only_as_sdr(by):
            raise PermissionDenied(read_only_message(by)) from None
        raise


def _lock(deal: Deal, by: User) -> Deal:
    """The deal's current row, locked until the transaction ends: a concurrent move or
    update waits here and then works on what the first one wrote."""
    _ensure_can_change(by, deal)
    # No joins in the locking query: after waiting, PostgreSQL re-checks a locked row
    # against the rows it joined before the wait, so a join on the (changed) stage would
    # drop the row. The stage and owner are read after the lock instead.
    return lock_one(Deal.objects, pk=deal.pk, check=lambda row: _ensure_can_change(by, row, current=True))
