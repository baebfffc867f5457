"""Small request helpers every app's pages share."""

from __future__ import annotations

from urllib.parse import urlencode

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, fallback: str) -> str:
    """The ``next`` the form or link carries when it is a path on this site, else
    ``fallback`` (never an open redirect). Only a path: ``redirect()`` reads a string with
    no "/" or "." as a URL name ("x" answered 500 after the change was saved)."""
    target = request.POST.get("next") or request.GET.get("next")
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback


def query_without(request, *names: str) -> str:
    """The current query string less ``names`` (e.g. the page, to build export links)."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def filter_query(request) -> str:
    """The parameters that choose a list's rows (not their page, its size or their order), by
    name in a stable order: the part of a cache key that names the filters. A repeated name
    keeps its values in the order given (a filter reads the last one)."""
    skipped = {"page", "ordering", "export", "per_page", "page_size"}
    lists = sorted((name, values) for name, values in request.GET.lists() if name not in skipped)
    return urlencode([(name, value) for name, values in lists for value in values])
