"""The pipeline's data version (core.versions) and the deal list's totals kept under it."""

from __future__ import annotations

from collections.abc import Callable

from accounts.models import SavedView, Team, User
from clients.models import Activity, Client, Task
from core.versions import data_version, data_versions, kept_figures, latest, row_count
from deals.models import Deal, Fact, Review, Stage, WarningSettings
from sync.models import Tombstone

# Cached figures are kept this long at most: changes a version does not see (a deal
# crossing a warning's cut-off as the day goes on) show within this time.
PIPELINE_CACHE_SECONDS = 300


def pipeline_parts() -> list[str]:
    """The maxima that change with the pipeline: the newest deal history row (every create,
    change and delete of a deal), the newest change of a deal, a fact, a review, an activity,
    the newest task history row (every create, change and delete of a task: "no open task"),
    the newest tombstone (a fact or an activity deleted leaves its table's newest change as
    it was; sync records every deletion), and the head's warning thresholds and the days
    allowed per stage (they change every warning)."""
    return [
        latest(Deal.history.model, "history_id"),
        latest(Task.history.model, "history_id"),
        latest(Tombstone, "id"),
        latest(Deal, "updated_at"),
        latest(Fact, "updated_at"),
        latest(Review, "updated_at"),
        latest(Activity, "updated_at"),
        latest(WarningSettings, "updated_at"),
        latest(Stage, "updated_at"),
    ]


def deal_list_parts() -> list[str]:
    """The pipeline's maxima and the newest change of a client (the search matches client
    names), a person and a team, and how many teams there are (who sees which deals, the
    owner and team filters: a team deleted leaves its people's rows as they were)."""
    return [
        *pipeline_parts(),
        latest(Client, "updated_at"),
        latest(User, "updated_at"),
        latest(Team, "updated_at"),
        row_count(Team),
    ]


def deal_list_version() -> str:
    return data_version(deal_list_parts())


def filter_choices_parts() -> list[str]:
    """What the deal filters' choices and the saved views' tabs read: the people (the owner
    choices, who sees whom, an owner's name on a shared view), the teams, the stages and the
    saved views; with their counts, which see a deletion."""
    models = (User, Team, Stage, SavedView)
    return [part for model in models for part in (latest(model, "updated_at"), row_count(model))]


def filters_version() -> str:
    """The version of the filters' choices alone (:func:`filter_choices_parts`)."""
    return data_version(filter_choices_parts())


def deal_list_versions() -> dict[str, str]:
    """In one query: ``"rows"``, the deal list's version (:func:`deal_list_version`), and
    ``"filters"``, that of the filters' choices and saved views, which stays while deals,
    calls and clients change."""
    return data_versions({"rows": deal_list_parts(), "filters": filter_choices_parts()})


def kept_deal_list_figures(
    name: str, *, viewer, day, query: str, compute: Callable[[], object], version: str | None = None
):
    """``compute()``, figures of the deals a list shows (its count and sum), once per change of
    the data for the same viewer, day and filters (``query``: the filtering parameters only,
    core.http.filter_query). They read every matching deal, which grows with the department
    (150,000 for a head at scale, and a search too short for the trigram indexes scans them
    all), while a page shows 10 to 100. ``name`` tells apart what is kept; ``version``: the
    deal list's version when the caller read it already."""
    return kept_figures(
        name,
        viewer_id=viewer.pk,
        query=f"{day.isoformat()}:{query}",  # the warnings' cut-offs move with the day
        version=version or deal_list_version(),
        compute=compute,
        seconds=PIPELINE_CACHE_SECONDS,
    )


def deal_list_totals(
    *, viewer, day, query: str, compute: Callable[[], dict], version: str | None = None
) -> dict:
    """The deal list page's count and sum (:func:`kept_deal_list_figures`)."""
    return kept_deal_list_figures(
        "deal-list-totals", viewer=viewer, day=day, query=query, compute=compute, version=version
    )
