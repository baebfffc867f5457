"""One strict reading of an ``ordering`` value ("name,-created"), shared by the API's
ordering backend, the FilterSets' ordering filters and the list pages.

Empty terms ("", ",", "-", "name,,") are dropped: they are what a sloppy client or a
hand-edited address sends, and an empty field name reaching ``order_by`` is a 500."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# A field name, optionally descending: letters, digits, underscores and lookups ("owner__last_name").
TERM_PATTERN = re.compile(r"-?[A-Za-z_][A-Za-z0-9_]*")


def ordering_terms(value) -> list[str]:
    """The non-empty, stripped terms of an ordering value (a string or a list of strings)."""
    if value is None:
        return []
    parts = (
        value.split(",")
        if isinstance(value, str)
        else [part for item in value for part in str(item).split(",")]
    )
    return [term for term in (part.strip() for part in parts) if term.lstrip("-")]


def parse_ordering(value, allowed: Iterable[str] | Mapping[str, str]) -> list[str]:
    """The terms of ``value`` that order by an allowed field, in order, each field once.

    ``allowed`` is the names a caller may use, or a mapping of those names to the field
    names to order by (then the result holds the field names, with their "-"). Empty terms,
    malformed terms ("--name", "name.") and unknown fields are dropped."""
    mapping = allowed if isinstance(allowed, Mapping) else {name: name for name in allowed}
    result: list[str] = []
    seen: set[str] = set()
    for term in ordering_terms(value):
        if not TERM_PATTERN.fullmatch(term):
            continue
        descending = term.startswith("-")
        name = term.removeprefix("-")
        if name not in mapping or name in seen:
            continue
        seen.add(name)
        result.append(f"-{mapping[name]}" if descending else mapping[name])
    return result


def unknown_ordering_terms(value, allowed: Iterable[str]) -> list[str]:
    """The non-empty terms of ``value`` that name no allowed field (for a strict 400)."""
    allowed = set(allowed)
    return [
        term
        for term in ordering_terms(value)
        if not TERM_PATTERN.fullmatch(term) or term.removeprefix("-") not in allowed
    ]


__all__ = ["ordering_terms", "parse_ordering", "unknown_ordering_terms"]
