"""Versions of the data for caches keyed on its last change.

A version is read in one query of index-only maxima (the newest history row, the newest
``updated_at`` of each table a cached figure reads), so its cost does not grow with the
data: a cache keyed on it costs the same for 10 or 1,000 people. The board, the home page,
the receivables and the deal list's totals each name their tables; this module reads them."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import get_token
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language


def latest(model, column: str) -> str:
    """A SQL expression for the newest value of ``column`` in ``model``'s table."""
    table = connection.ops.quote_name(model._meta.db_table)
    return f"(SELECT MAX({connection.ops.quote_name(column)}) FROM {table})"


def row_count(model) -> str:
    """A SQL expression for how many rows ``model``'s table holds: with its newest change, it
    sees a deletion too (which leaves the newest change as it was). For small tables only."""
    return f"(SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)})"


def data_version(parts: list[str], *, salt: object = None) -> str:
    """The maxima ``parts`` (made with :func:`latest`) read in one query, as a short hash.

    ``salt`` is part of the hash: a caller bumps it when what it caches changes shape, so
    values cached by earlier code are never read back."""
    return data_versions({"": parts}, salt=salt)[""]


def data_versions(groups: dict[str, list[str]], *, salt: object = None) -> dict[str, str]:
    """Several versions read in one query: each group's ``parts`` hashed apart, so a cache
    keyed on one group keeps while only another's tables change."""
    names = list(groups)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(part for name in names for part in groups[name]))
        row = cursor.fetchone()
    versions, start = {}, 0
    for name in names:
        values = row[start : start + len(groups[name])]
        start += len(groups[name])
        payload = values if salt is None else (salt, values)
        versions[name] = hashlib.sha1(repr(payload).encode()).hexdigest()[:16]
    return versions


def page_part_key(request, version: str) -> str:
    """The cache key of a part of a page rendered for one viewer from data under ``version``
    (a list's filter form and saved views: ``{% cache %}`` in its template): it reads the
    address (the filters, their errors, the active view, the return address), the language
    and time zone, the viewer, and the viewer's CSRF secret, since the part's forms carry a
    token; a token masked for that secret stays valid while the secret does."""
    get_token(request)  # the secret exists before the key reads it (a first visit makes it)
    parts = (
        version,
        request.user.pk,
        get_language(),
        get_current_timezone_name(),
        request.get_full_path(),
        request.META.get("CSRF_COOKIE", ""),
    )
    return hashlib.sha1(repr(parts).encode()).hexdigest()


def kept_figures(name: str, *, viewer_id, query: str, version: str, compute, seconds: int):
    """``compute()`` (a list's count and sum, which read every matching row and grow with the
    department, while its page shows 50), kept in the cache for the same viewer and ``query``
    (the filtering parameters, core.http.filter_query, and anything else the figures read
    that no version sees, such as the day) while ``version`` stays. A count kept this way
    numbers a list's pages (core.tables.CountedPaginator) but never cuts their rows short."""
    digest = hashlib.sha1(query.encode()).hexdigest()[:16]
    return cache.get_or_set(f"{name}:{viewer_id}:{digest}:{version}", compute, seconds)
