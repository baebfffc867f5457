"""What a single client reassignment takes along that lives above clients.

``client_reassign(move_open_work=True)`` moves the previous owner's open tasks itself and
asks every mover registered here to move its own open work (the deals app registers its
open deals in DealsConfig.ready()); clients never imports deals."""

from __future__ import annotations

from collections.abc import Callable

# mover(client=, previous_owner_id=, by=, reason=) -> rows moved
_MOVERS: dict[str, Callable[..., int]] = {}


def register_open_work_mover(key: str, mover: Callable[..., int]) -> None:
    _MOVERS[key] = mover


def open_work_movers() -> dict[str, Callable[..., int]]:
    return dict(_MOVERS)
