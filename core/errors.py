"""Errors a service raises that every caller answers the same way.

``Conflict``: a concurrent change got there first (the row was removed or changed between
the caller's read and the service's lock, or the database gave up on a deadlock). The API
answers it 409 ``{"detail": ...}`` (core.api.exception_handler), pages a 409 with the
message (core.middleware.ConflictMiddleware); never a 500."""

from __future__ import annotations

from django.db import OperationalError
from django.utils.translation import gettext as _

# PostgreSQL: deadlock_detected, serialization_failure.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})


class Conflict(Exception):
    """Someone else changed or removed the record at the same time."""

    def __init__(self, message: str | None = None):
        self.message = message or _(
            "Someone else changed this record at the same time; reload the page and try again."
        )
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


class RecordChanged(Conflict):
    """The fields a write was based on changed since the writer read them (an edit page's
    shown values, an API client's ``If-Match``): a 409 on pages, a 412 to an ``If-Match``.
    ``fields``: their names, for a page to name them by its own labels (``labels``)."""

    def __init__(self, fields: list[str], labels: list[str]):
        self.fields = fields
        super().__init__(record_changed_message(labels))


def record_changed_message(labels) -> str:
    quoted = ", ".join(_("“%(field)s”") % {"field": label} for label in labels)
    return _(
        "Someone else changed %(fields)s after you opened this page. Your changes are below, "
        "with everything else as it is now: save again to put yours over theirs."
    ) % {"fields": quoted}


def is_lost_race(exc: BaseException) -> bool:
    """A database error that only says two transactions collided (a deadlock, a
    serialization failure): trying again, or telling the user to, is the answer."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return code in RETRYABLE_SQLSTATES or "deadlock detected" in str(exc)
