"""What a contract's history says happened at each step (its change reason), kept in English
and shown in the reader's language (core.reasons)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from core.reasons import KeptReasons

DRAFTED = gettext_noop("Drafted")
CHANGED = gettext_noop("Changed")
SUBMITTED = gettext_noop("Submitted version %(version)s")
APPROVED = gettext_noop("Approved")
RETURNED = gettext_noop("Returned")
SIGNED = gettext_noop("Signed")

REASONS = KeptReasons(DRAFTED, CHANGED, SUBMITTED, APPROVED, RETURNED, SIGNED)


def contract_event(reason: str | None) -> str:
    """A kept step in the reader's language (a function: template filters get attributes set)."""
    return REASONS.shown(reason)
