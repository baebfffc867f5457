"""Fragments of a page written in Python where the template engine is too slow for how often
they are drawn (a kanban's cards, a client's timeline entries): the two steps a template does
for every value, with the template's own results.

``text(value)`` is ``{{ value }}`` (localized and escaped); ``translated(message)`` is
``{% translate message %}`` (the translation, escaped), looked up once per language. Callers
mark their messages with ``gettext_noop`` so that makemessages keeps them in the catalogues."""

from __future__ import annotations

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import escape
from django.utils.translation import get_language, gettext

_PLAIN = Context()  # autoescape on, as in a page
_TRANSLATED: dict[tuple[str | None, str], str] = {}


def text(value) -> str:
    """``{{ value }}``: localized and escaped. Text and whole numbers (ids, counts) take the
    short way, with the same result: text is only escaped, and a whole number prints as is
    while USE_THOUSAND_SEPARATOR is off."""
    kind = type(value)
    if kind is str:
        return escape(value)
    if kind is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return render_value_in_context(value, _PLAIN)


def translated(message: str) -> str:
    """``{% translate message %}`` in the active language, looked up once per language."""
    key = (get_language(), message)
    html = _TRANSLATED.get(key)
    if html is None:
        html = _TRANSLATED[key] = text(gettext(message))
    return html


@receiver(setting_changed)
def _forget_translations(**kwargs) -> None:
    """A test's other settings (languages, formats) read differently."""
    _TRANSLATED.clear()
