"""Why a client changed, as its history keeps it: in English, the catalogues' msgids, shown in
the reader's language on the client page (core.reasons). Kept already translated, a reason
read in the language of whoever made the change, for every reader."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from accounts.handover import HAND_OVER
from core.reasons import KeptReasons

REASSIGNED = gettext_noop("Reassigned")
REASSIGNED_WITH_CLIENT = gettext_noop("Reassigned with its client")  # its deals' and tasks' reason
STATUS_CHANGED = gettext_noop("Status changed")
DEAL_WON = gettext_noop("A deal was won")
HANDED_OVER = gettext_noop("Handed over")
IMPORTED = gettext_noop("Imported")
MERGED_INTO = gettext_noop("Merged into #%(id)s %(name)s")
MERGED_FROM = gettext_noop("Merged from #%(id)s %(name)s")
DEMO_DATA = gettext_noop("Demo data")

REASONS = KeptReasons(
    REASSIGNED,
    REASSIGNED_WITH_CLIENT,
    STATUS_CHANGED,
    DEAL_WON,
    HANDED_OVER,
    IMPORTED,
    MERGED_INTO,
    MERGED_FROM,
    DEMO_DATA,
    HAND_OVER,
)
