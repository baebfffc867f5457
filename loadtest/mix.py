"""The load mix, read by both runners: Locust's (loadtest/locustfile.py, `make load`) and the
in-process one (loadtest/inprocess.py --mix). Who uses the CRM how often, what they search
for and log, and how a runner reads the ids it needs off the pages."""

from __future__ import annotations

import re

# Users by weight: 19 reps to 1 head. Their tasks by weight.
REP_WEIGHT = 19
HEAD_WEIGHT = 1
REP_TASKS = {"deal list": 4, "kanban": 3, "move on kanban": 3, "log activity": 3, "deal search": 2}
HEAD_TASKS = {"board": 3, "board person": 2}

SEARCHES = ["12", "Deal 4", "group", "module", "7"]
ACTIVITY = {"kind": "call", "direction": "outgoing", "duration_minutes": "5", "outcome": "Load test call"}

# A card the rep may move: its deal, its stage, and its move URL on its stage form (app.js reads
# the URL from there; the card is written by deals/cards.py).
CARD = re.compile(
    r'draggable="true" data-deal="(\d+)" data-stage="(\d+)".*?'
    r'hx-post="(/deals/\1/move/)" hx-trigger="change" class="card-move"',
    re.S,
)
STAGES = re.compile(r'<template id="kanban-stages">(.*?)</template>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')
CLIENT = re.compile(r'href="/clients/(\d+)/"')
PERSON = re.compile(r'hx-get="(/deals/board/people/\d+/)"')


def kanban_stages(page: str) -> list[str]:
    """The stage ids a card may be moved to, from the kanban page."""
    match = STAGES.search(page)
    return OPTION.findall(match.group(1)) if match else []
