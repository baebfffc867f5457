"""``id_url(name, pk)``: ``reverse(name, args=[pk])`` for the many rows or cards of a page."""

from __future__ import annotations

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

_MARK = "987654321987654321"
_PARTS: dict[tuple, tuple[str, str] | None] = {}


def id_url(name: str, pk: int) -> str:
    """The URL of ``name`` for the integer id ``pk``, as ``reverse(name, args=[pk])`` gives
    it. The URL is reversed once (per script prefix and URL configuration) with a marker
    for the id, and the id is put in its place: a page of fifty rows would otherwise resolve
    the same pattern fifty times. A URL the marker cannot be found in is reversed each time."""
    key = (name, get_script_prefix(), get_urlconf())
    if key not in _PARTS:
        url = reverse(name, args=[int(_MARK)])
        head, found, tail = url.partition(_MARK)
        _PARTS[key] = (head, tail) if found and _MARK not in tail else None
    parts = _PARTS[key]
    if parts is None:
        return reverse(name, args=[pk])
    return f"{parts[0]}{int(pk)}{parts[1]}"


@receiver(setting_changed)
def _forget_patterns(**kwargs) -> None:
    """A test's other URL configuration (ROOT_URLCONF) has other patterns."""
    _PARTS.clear()
