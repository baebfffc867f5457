"""The kept migrated test database (tests/migrated_template.py): a new or edited migration
builds a new one, and the database the tests run on is never behind the migrations."""

import sqlite3
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migrated_template import _copy, copy_kept_database, schema_digest


def _project(root: Path) -> Path:
    (root / "deals" / "migrations").mkdir(parents=True)
    (root / "deals" / "migrations" / "0001_initial.py").write_text("operations = []\n")
    (root / "requirements.txt").write_text("Django==5.2\n")
    return root


def test_the_digest_changes_with_a_new_or_edited_migration_or_requirement(tmp_path):
    root = _project(tmp_path)
    first = schema_digest(root)
    assert schema_digest(root) == first

    (root / "deals" / "migrations" / "0001_initial.py").write_text("operations = [1]\n")
    edited = schema_digest(root)
    (root / "deals" / "migrations" / "0002_more.py").write_text("operations = []\n")
    added = schema_digest(root)
    (root / "requirements.txt").write_text("Django==5.2.1\n")
    upgraded = schema_digest(root)

    assert len({first, edited, added, upgraded}) == 4


def test_a_file_outside_the_migrations_does_not_change_the_digest(tmp_path):
    root = _project(tmp_path)
    first = schema_digest(root)
    (root / "deals" / "models.py").write_text("class Deal: pass\n")
    assert schema_digest(root) == first


@pytest.mark.django_db
def test_the_test_database_has_every_migration_applied():
    executor = MigrationExecutor(connection)
    applied = set(executor.recorder.applied_migrations())
    on_disk = set(executor.loader.disk_migrations)
    assert on_disk - applied == set()
    assert ("deals", "0002_default_stages") in applied
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


def test_a_missing_kept_database_is_not_created_empty(tmp_path):
    """Another run may remove a stale file between the check and the copy: the copy reports
    there is none (the database is then migrated) instead of creating an empty file."""
    missing = tmp_path / "default-0.sqlite3"
    assert _copy(missing, sqlite3.connect(":memory:")) is False
    assert not missing.exists()


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the migrated database is kept for SQLite test databases only"
)
def test_the_migrated_database_is_kept_for_the_next_run_and_the_server_test(tmp_path):
    """Setting up this run's database kept a copy (or restored from one): a file with every
    applied migration of the database the tests run on, which the SQLite server test starts
    from."""
    copy = tmp_path / "server.sqlite3"
    assert copy_kept_database(copy) is True
    kept = sqlite3.connect(copy)
    try:
        kept_migrations = set(kept.execute("SELECT app, name FROM django_migrations"))
        stages = kept.execute("SELECT count(*) FROM deals_stage").fetchone()[0]
        journal = kept.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        kept.close()
    assert kept_migrations == set(MigrationExecutor(connection).recorder.applied_migrations())
    assert stages == 7
    assert journal == "wal"
