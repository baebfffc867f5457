"""What a contract's history says happened at each step (its change reason).

The reason is kept in English, the catalogues' msgid, and put into the reader's language when
shown (``contract_event``): kept already translated, it read in the language of whoever made
the change, for every reader."""

from __future__ import annotations

import re

from django.utils.translation import gettext, gettext_noop

DRAFTED = gettext_noop("Drafted")
CHANGED = gettext_noop("Changed")
SUBMITTED = gettext_noop("Submitted version %(version)s")
APPROVED = gettext_noop("Approved")
RETURNED = gettext_noop("Returned")
SIGNED = gettext_noop("Signed")

PLAIN = (DRAFTED, CHANGED, APPROVED, RETURNED, SIGNED)
_SUBMITTED = re.compile(re.escape(SUBMITTED).replace(re.escape("%(version)s"), r"(\d+)"))


def contract_event(reason: str | None) -> str | None:
    """A kept reason in the reader's language; one this module does not know, as it was kept."""
    if reason in PLAIN:
        return gettext(reason)
    matched = _SUBMITTED.fullmatch(reason or "")
    if matched:
        return gettext(SUBMITTED) % {"version": matched.group(1)}
    return reason
