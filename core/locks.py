"""Row locks, one way everywhere (PostgreSQL; SQLite serialises writers and ignores them).

- Lock only the rows meant: ``select_for_update(of=("self",))`` and no joins in the
  locking query. After waiting for a lock PostgreSQL re-checks the locked row against the
  rows it joined *before* the wait, so a join on something the other transaction changed
  (a deal's stage, a client's owner) silently drops the row: ``DoesNotExist`` for a row
  that exists. Related rows are read after the lock with a plain query.
- Lock several rows in one fixed order, by pk, and a parent before its children (a deal
  before its installments), so two transactions never wait for each other in a circle.
- A row that disappeared between the caller's read and the lock is a lost race:
  ``Conflict`` (409), not a 500.
- The right to write is checked again on the locked row (``check``): the caller's read may
  be from before a concurrent reassignment that took the row out of the user's hands, and a
  check on it alone let the user write to a record that was no longer theirs.
- A deadlock the database broke anyway is retried once (``retry_on_lost_race``), then
  answered as a ``Conflict``."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection
from django.http import Http404
from django.utils.text import capfirst

from core.errors import Conflict, RecordChanged, is_lost_race


def lock_one(queryset, *, pk, gone: str | None = None, check: Callable | None = None):
    """The row ``pk`` of ``queryset`` (a manager or queryset without joins), locked until the
    transaction ends; ``Conflict(gone)`` when it no longer exists. ``check(row)`` (a rule's
    ``ensure_…``) runs on the locked row: its refusal there is a lost race, a ``Conflict``
    (the caller checked the row as it read it, before someone else's change)."""
    try:
        row = queryset.select_for_update(of=("self",)).get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Conflict(gone) from None
    if check is not None:
        try:
            check(row)
        except (PermissionDenied, Http404):  # refused, or out of sight, since the caller read it
            raise Conflict() from None
    return row


def hold_row(model, pk, *, gone: str | None = None) -> None:
    """Keep the row ``pk`` of ``model`` from being deleted until the transaction ends, for a
    row about to point at it (a client's new deal, contact, activity or task): ``FOR KEY
    SHARE``, which writers of the row's other columns do not wait for. A row already gone, or
    deleted while this waited, is a ``Conflict(gone)``: without it the new row failed its
    foreign key when it was committed, a 500. SQLite serialises writers: nothing to hold."""
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE {column} = %s FOR KEY SHARE", [pk])
        if cursor.fetchone() is None:
            raise Conflict(gone)


def lock_value(namespace: str, value: str) -> None:
    """Hold a lock on ``value`` in ``namespace`` until the transaction ends (a PostgreSQL
    advisory lock), for a rule no index enforces: two clients with the same name, two
    products whose codes differ only in case. Each check-then-insert of the same value runs
    after the other's commit, so the second sees the first. SQLite serialises writers."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(f"{namespace}\x00{value}".encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)])


def lock_all(queryset) -> list:
    """Every row of ``queryset`` (no joins), locked in pk order."""
    return list(queryset.select_for_update(of=("self",)).order_by("pk"))


def retry_on_lost_race(func):
    """Run a transactional service again once when the database broke a deadlock (or a
    serialization failure) by aborting it; a second loss is a ``Conflict``. Put it above
    ``@transaction.atomic``. Inside an outer transaction nothing can be retried: the loss
    is a ``Conflict`` straight away."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        attempts = 1 if connection.in_atomic_block else 2
        for attempt in range(attempts):
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                if not is_lost_race(exc):
                    raise
                if attempt == attempts - 1:
                    raise Conflict() from exc
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper


def _same(now, shown) -> bool:
    if now in (None, "") and shown in (None, ""):
        return True
    if isinstance(now, str) and isinstance(shown, str):
        # A browser sends a text area's line breaks as CRLF; a text written by the API or an
        # import keeps LF: the same text.
        return now.replace("\r\n", "\n") == shown.replace("\r\n", "\n")
    return now == shown


def ensure_unchanged(row, shown: dict) -> None:
    """Compare-and-set for an edit form (``core.forms.edited_values``): every field the user
    changed must still hold what their page showed, on the locked row; one that someone else
    changed meanwhile is a ``RecordChanged`` naming it, and nothing is written."""
    moved = []
    for name, value in shown.items():
        field = row._meta.get_field(name)
        if field.is_relation:
            now, value = getattr(row, field.attname), getattr(value, "pk", value)
        else:
            now = getattr(row, name)
        if not _same(now, value):
            moved.append(field)
    if moved:
        raise RecordChanged(
            [field.name for field in moved], [capfirst(field.verbose_name) for field in moved]
        )
