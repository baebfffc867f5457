"""Versions of the data for caches keyed on its last change.

A version is read in one query of index-only maxima (the newest history row, the newest
``updated_at`` of each table a cached figure reads), so its cost does not grow with the
data: a cache keyed on it costs the same for 10 or 1,000 people. The board, the home page,
the receivables and the deal list's totals each name their tables; this module reads them."""

from __future__ import annotations

import hashlib

from django.db import connection


def latest(model, column: str) -> str:
    """A SQL expression for the newest value of ``column`` in ``model``'s table."""
    table = connection.ops.quote_name(model._meta.db_table)
    return f"(SELECT MAX({connection.ops.quote_name(column)}) FROM {table})"


def data_version(parts: list[str], *, salt: object = None) -> str:
    """The maxima ``parts`` (made with :func:`latest`) read in one query, as a short hash.

    ``salt`` is part of the hash: a caller bumps it when what it caches changes shape, so
    values cached by earlier code are never read back."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    payload = row if salt is None else (salt, row)
    return hashlib.sha1(repr(payload).encode()).hexdigest()[:16]
