"""An empty database of the test database's kind, on a connection of its own, for tests that
migrate from nothing (tests/clients/test_task_migration.py): migrating there applies only the
migrations the test needs and leaves the test database as it is, so it is not flushed and
migrated back and forth under the other tests."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections

ALIAS = "scratch"


@contextmanager
def scratch_database(alias: str = ALIAS) -> Iterator[str]:
    """Yields the alias of a new, empty database (SQLite: a private in-memory one; PostgreSQL:
    `<test database>_scratch`, created here and dropped afterwards). Needs database access
    (pytest-django's `django_db_blocker.unblock()`)."""
    default = connections["default"]
    settings_dict = copy.deepcopy(default.settings_dict)
    name = None
    if default.vendor == "sqlite":
        settings_dict["NAME"] = ":memory:"
    elif default.vendor == "postgresql":
        name = f"{default.settings_dict['NAME']}_{alias}"[:63]
        _run_outside_a_database(default, f"DROP DATABASE IF EXISTS {default.ops.quote_name(name)}")
        _run_outside_a_database(default, f"CREATE DATABASE {default.ops.quote_name(name)}")
        settings_dict["NAME"] = name
    else:  # pragma: no cover - the project runs on SQLite and PostgreSQL only
        raise NotImplementedError(default.vendor)
    scratch = default.__class__(settings_dict, alias)
    connections[alias] = scratch
    try:
        yield alias
    finally:
        scratch.close()
        del connections[alias]
        if name:
            _run_outside_a_database(default, f"DROP DATABASE IF EXISTS {default.ops.quote_name(name)}")


def _run_outside_a_database(connection, sql: str) -> None:
    with connection._nodb_cursor() as cursor:
        cursor.execute(sql)
