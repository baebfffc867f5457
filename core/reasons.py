"""Change reasons kept in English and shown in the reader's language.

A record's history keeps why each change was made (simple-history's change reason). Kept
already translated, it reads in the language of whoever made the change, for every reader;
kept as the catalogue's msgid (English) it is translated when shown. A reason with values in
it ("Merged into #%(id)s %(name)s") is kept with the values filled in and recognised by its
msgid's pattern when shown.

    REASONS = KeptReasons(MERGED_INTO, HANDED_OVER)     # msgids marked with gettext_noop
    client._change_reason = MERGED_INTO % {"id": 7, "name": "Acme"}    # kept in English
    REASONS.shown("Merged into #7 Acme")                 # "Объединён с #7 Acme" in Russian

A reason the set does not know (typed by a user, or kept before) is shown as it was kept."""

from __future__ import annotations

import re

from django.utils.translation import gettext

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def msgid_pattern(msgid: str) -> re.Pattern:
    """The pattern a kept reason made from ``msgid`` matches, each ``%(name)s`` a named group."""
    parts = _PLACEHOLDER.split(msgid)
    # split() alternates literal text and placeholder names: text, name, text, name, text
    pattern = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)" for index, part in enumerate(parts)
    )
    return re.compile(pattern, re.S)


class KeptReasons:
    """The change reasons one kind of record keeps, as msgids (see the module's doc)."""

    def __init__(self, *msgids: str):
        self.plain = frozenset(msgid for msgid in msgids if not _PLACEHOLDER.search(msgid))
        self.patterns = [(msgid, msgid_pattern(msgid)) for msgid in msgids if _PLACEHOLDER.search(msgid)]

    def shown(self, reason: str | None) -> str:
        """A kept reason in the active language; one this set does not know, as it was kept."""
        if not reason:
            return ""
        if reason in self.plain:
            return gettext(reason)
        for msgid, pattern in self.patterns:
            matched = pattern.fullmatch(reason)
            if matched:
                return gettext(msgid) % matched.groupdict()
        return reason
