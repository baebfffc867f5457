"""``{{ label|hyphenated }}``: soft hyphens (U+00AD) at the syllable breaks of the active
language (Pyphen, the dictionaries WeasyPrint already brings), for the narrow column headers
where a long word ("Unreviewed", Russian "просрочено") would otherwise be cut anywhere:
browsers without a hyphenation dictionary for the language break it without a hyphen, at
whichever letter the column ends. A language Pyphen has no dictionary for (Chinese) is left
as it is. Only for what is shown: an export or an attribute keeps the plain text."""

from __future__ import annotations

import functools

import pyphen
from django import template
from django.utils.translation import get_language

register = template.Library()

SOFT_HYPHEN = "\u00ad"
# Only words this long get break points, each piece at least three letters: a short word
# wraps whole ("Weighted / amount"), not as "amo-unt" because two letters fit on the line.
LONG_WORD = 8


@functools.lru_cache(maxsize=8)
def _dictionary(language: str) -> pyphen.Pyphen | None:
    found = pyphen.language_fallback(language.replace("-", "_"))
    return pyphen.Pyphen(lang=found, left=3, right=3) if found else None


@functools.lru_cache(maxsize=512)
def _hyphenated(text: str, language: str) -> str:
    dictionary = _dictionary(language)
    if dictionary is None:
        return text
    return " ".join(
        dictionary.inserted(word, hyphen=SOFT_HYPHEN) if len(word) >= LONG_WORD else word
        for word in text.split(" ")
    )


@register.filter
def hyphenated(text) -> str:
    """``text`` with soft hyphens where the active language's words may break."""
    return _hyphenated(str(text), get_language() or "en")
