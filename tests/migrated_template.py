"""The migrated SQLite test database, kept between runs (like pytest-django's --reuse-db, but
always starting from the state `migrate` left).

Each test process (each pytest-xdist worker) builds its in-memory test database by running
every migration: about 14 s here, most of it Django rendering the models' states, and the
largest fixed cost of `make test`. The first run copies the migrated database to a file under
.cache/test-databases/ (sqlite3's online backup); later runs copy that file into their
in-memory database instead of migrating. The file's name carries a digest of everything that
shapes the migrated database (every migration file, the requirements, Django's, SQLite's and
Python's versions, the installed apps), so a new or edited migration or an upgraded package
builds a new one. `--create-db` always migrates (and refreshes the file). PostgreSQL (CI's
second pass) migrates as before.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "test-databases"


def schema_digest(root: Path = ROOT) -> str:
    """What the migrated database depends on, as one digest."""
    import django
    from django.conf import settings

    digest = hashlib.sha256()
    files = sorted(root.glob("*/migrations/*.py")) + sorted(root.glob("requirements*.txt"))
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    for part in (django.__version__, sqlite3.sqlite_version, sys.version, *settings.INSTALLED_APPS):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def template_path(alias: str) -> Path:
    return CACHE / f"{alias}-{schema_digest()}.sqlite3"


def _in_memory_sqlite(connection) -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@contextmanager
def migrated_from_template(*, refresh: bool) -> Iterator[None]:
    """While the test databases are set up: `migrate` on an in-memory SQLite test database
    copies the kept file in instead (or, without one or with ``refresh``, migrates and keeps
    the result)."""
    from django.core import management
    from django.db import connections

    real_call_command = management.call_command
    done: set[str] = set()

    def call_command(name, *args, **options):
        # Only the test database's creation: `migrate` with run_syncdb, once per database.
        if name != "migrate" or not options.get("run_syncdb") or options.get("database") in done:
            return real_call_command(name, *args, **options)
        connection = connections[options["database"]]
        done.add(connection.alias)
        if not _in_memory_sqlite(connection):
            return real_call_command(name, *args, **options)
        template = template_path(connection.alias)
        connection.ensure_connection()
        if not refresh and _restore(template, connection):
            return None
        result = real_call_command(name, *args, **options)
        _keep(connection, template)
        return result

    with mock.patch.object(management, "call_command", call_command):
        yield


def _copy(template: Path, target: sqlite3.Connection) -> bool:
    """Copy the kept database into ``target``; False when there is none (opened read-only, so
    a file removed meanwhile by another run is not created empty)."""
    try:
        source = sqlite3.connect(f"{template.as_uri()}?mode=ro", uri=True)
    except sqlite3.OperationalError:
        return False
    try:
        source.backup(target)
    except sqlite3.DatabaseError:
        return False
    finally:
        source.close()
    return True


def _restore(template: Path, connection) -> bool:
    """The kept database into a Django connection's in-memory database."""
    return _copy(template, connection.connection)


def copy_kept_database(database: Path, alias: str = "default") -> bool:
    """The kept migrated database of this run's schema written to the SQLite file
    ``database``, in WAL mode as the project's SQLite settings leave a migrated file (for a
    server process of its own). False when none is kept (a PostgreSQL run)."""
    target = sqlite3.connect(database)
    try:
        if not _copy(template_path(alias), target):
            return False
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
    return True


def _keep(connection, template: Path, stale: str | None = None) -> None:
    """Write the connection's database to ``template`` atomically (parallel workers may race:
    both write the same content, the last rename wins), and remove the older files of its
    kind (``stale``, a glob; the alias's migrated databases unless given)."""
    template.parent.mkdir(parents=True, exist_ok=True)
    partial = template.with_name(f"{template.name}.{os.getpid()}.partial")
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    except BaseException:
        target.close()
        partial.unlink(missing_ok=True)
        raise
    target.close()
    os.replace(partial, template)
    for kept in template.parent.glob(stale or f"{connection.alias}-*.sqlite3"):
        if kept != template:
            kept.unlink(missing_ok=True)


# --- the seeded demo ----------------------------------------------------------------------

# Top-level directories that are not the project's code (the seed runs the apps' services).
NOT_CODE = {"tests", "node_modules", "static", "staticfiles", "templates", "locale", "docs"}


def seeded_demo_path(root: Path = ROOT, *, day: str | None = None) -> Path:
    """Where the seeded demo is kept: named by the migrated database's digest, every Python
    file of the project's apps (seeding runs their services, so any change to the code seeds
    again) and the day (the demo's dates are relative to today)."""
    from django.utils import timezone

    digest = hashlib.sha256(schema_digest(root).encode())
    for app in sorted(path for path in root.iterdir() if path.is_dir() and path.name not in NOT_CODE):
        if app.name.startswith(".") or not (app / "__init__.py").exists():
            continue
        for path in sorted(app.rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    digest.update((day or timezone.localdate().isoformat()).encode())
    return CACHE / f"seeded-demo-{digest.hexdigest()[:20]}.sqlite3"


def seed_the_demo() -> None:
    """What the kept file holds: the default pipeline and `seed_demo`'s department."""
    from io import StringIO

    from django.core.management import call_command

    from tests.migration_support import restore_default_stages

    restore_default_stages()
    call_command("seed_demo", stdout=StringIO())


@contextmanager
def the_demo_for_a_transactional_test(connection) -> Iterator[None]:
    """The demo department for a test that commits (live_server, transaction=True): copied in
    from the kept file on the in-memory SQLite test database, seeded here elsewhere. The test's
    flush removes it afterwards either way. Without a kept file the demo is seeded and not kept:
    a transactional test starts from a database an earlier one flushed (no lost reasons, content
    types renumbered), not the migrated one the kept file must be seeded on."""
    if seeded_demo_available(connection):
        with seeded_demo_database(connection, seed_the_demo, keep=False):
            yield
    else:
        seed_the_demo()
        yield


def seeded_demo_available(connection) -> bool:
    """Whether :func:`seeded_demo_database` can serve this connection: an in-memory SQLite
    test database outside any transaction."""
    return _in_memory_sqlite(connection) and not connection.in_atomic_block


@contextmanager
def seeded_demo_database(connection, seed, path: Path | None = None, *, keep: bool = True) -> Iterator[None]:
    """The in-memory SQLite test database holds the seeded demo while the block runs, and
    what it held before afterwards. The demo is copied in from the kept file; without one,
    ``seed()`` writes it (committed) and the result is kept for the next module and the next
    run (unless ``keep`` is false). About 6 s of seeding per module that uses the demo becomes
    a copy of a few ms."""
    path = path or seeded_demo_path()
    connection.ensure_connection()
    database = connection.connection
    before = sqlite3.connect(":memory:")
    database.backup(before)
    try:
        if not _copy(path, database):
            seed()
            if keep:
                _keep(connection, path, stale="seeded-demo-*.sqlite3")
        yield
    finally:
        before.backup(database)
        before.close()
