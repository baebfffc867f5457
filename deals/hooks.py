"""Checks a higher app asks deals to run before a deal is won, without deals importing it.

An app above deals (documents: "no approved contract yet") registers a check in its
``AppConfig.ready()``; ``deal_move`` runs every registered check before it moves a deal to a
won stage. A check returns None when it has nothing to say, or a ``WinObjection``: a
blocking one refuses the move (a form error, 400 on the API), a warning lets it happen and
the page shows it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from deals.models import Deal


@dataclass(frozen=True)
class WinObjection:
    message: str
    blocks: bool = False


WinCheck = Callable[[Deal], WinObjection | None]

_win_checks: list[WinCheck] = []


def register_win_check(check: WinCheck) -> None:
    """Add ``check`` once (an app's ready() may run twice in tests)."""
    if check not in _win_checks:
        _win_checks.append(check)


def win_objections(deal: Deal) -> list[WinObjection]:
    """What the registered checks say about winning ``deal`` now."""
    return [objection for check in _win_checks if (objection := check(deal)) is not None]
