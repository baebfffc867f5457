"""A deal's change history for everyone who may see the deal (core.history over
django-simple-history's records): who changed what, when, old → new."""

from __future__ import annotations

from django.core.paginator import Page

from accounts.models import User
from clients.models import Client
from core.history import HISTORY_PAGE_SIZE, history_page
from deals.models import Deal, Stage

__all__ = ["HISTORY_PAGE_SIZE", "deal_history", "user_names"]


def user_names(ids: set[int]) -> dict[int, str]:
    return {user.pk: user.full_name for user in User.objects.filter(pk__in=ids)}


def _stage_names(ids: set[int]) -> dict[int, str]:
    return {stage.pk: stage.display_name for stage in Stage.objects.filter(pk__in=ids)}


def _client_names(ids: set[int]) -> dict[int, str]:
    return dict(Client.objects.filter(pk__in=ids).values_list("pk", "name"))


def deal_titles(ids: set[int]) -> dict[int, str]:
    return dict(Deal.objects.filter(pk__in=ids).values_list("pk", "title"))


DEAL_RELATED = {
    "stage": _stage_names,
    "owner": user_names,
    "client": _client_names,
    "renewal_of": deal_titles,
    "forecast_override_by": user_names,
}


def deal_history(*, deal: Deal, page: str | int | None = 1) -> Page:
    """One page of the deal's history, newest first. Three queries and one per related kind
    the page names: count, the records with their users, stages, owners, clients, renewals."""
    return history_page(records=deal.history.all(), model=Deal, related=DEAL_RELATED, page=page)
