"""The pipeline's data version (core.versions) and the deal list's totals kept under it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache

from accounts.models import Team, User
from clients.models import Activity, Client
from core.versions import data_version, latest
from deals.models import Deal, Fact, Review, Stage, WarningSettings

# Cached figures are kept this long at most: changes a version does not see (a deal
# crossing a warning's cut-off as the day goes on) show within this time.
PIPELINE_CACHE_SECONDS = 300


def pipeline_parts() -> list[str]:
    """The maxima that change with the pipeline: the newest deal history row (every create,
    change and delete of a deal), the newest change of a deal, a fact, a review, an activity,
    and the head's warning thresholds and the days allowed per stage (they change every
    warning)."""
    return [
        latest(Deal.history.model, "history_id"),
        latest(Deal, "updated_at"),
        latest(Fact, "updated_at"),
        latest(Review, "updated_at"),
        latest(Activity, "updated_at"),
        latest(WarningSettings, "updated_at"),
        latest(Stage, "updated_at"),
    ]


def deal_list_version() -> str:
    """The pipeline's version and the newest change of a client (the search matches client
    names), a person and a team (who sees which deals, the owner and team filters)."""
    people = [latest(User, "updated_at"), latest(Team, "updated_at")]
    return data_version([*pipeline_parts(), latest(Client, "updated_at"), *people])


def deal_list_totals(*, viewer, day, query: str, compute: Callable[[], dict]) -> dict:
    """The count and sum of the deals a list shows (``compute``), once per change of the data
    for the same viewer, day and filters (``query``: the filtering parameters only). They read
    every matching deal, which grows with the department (150,000 for a head at scale, and a
    search too short for the trigram indexes scans them all), while a page shows 50."""
    digest = hashlib.sha1(query.encode()).hexdigest()[:16]
    key = f"deal-list-totals:{viewer.pk}:{day.isoformat()}:{digest}:{deal_list_version()}"
    totals = cache.get(key)
    if totals is None:
        totals = compute()
        cache.set(key, totals, PIPELINE_CACHE_SECONDS)
    return totals
