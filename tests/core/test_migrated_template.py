"""The kept migrated test database (tests/migrated_template.py): a new or edited migration
builds a new one, and the database the tests run on is never behind the migrations."""

import sqlite3
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Team
from tests.migrated_template import (
    _copy,
    copy_kept_database,
    schema_digest,
    seeded_demo_available,
    seeded_demo_database,
    seeded_demo_path,
)


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


def _app(root: Path) -> Path:
    _project(root)
    (root / "deals" / "__init__.py").write_text("")
    (root / "deals" / "services.py").write_text("def seed(): pass\n")
    (root / "tests").mkdir()
    (root / "tests" / "test_deals.py").write_text("def test(): pass\n")
    return root


def test_the_seeded_demo_is_kept_per_code_and_day(tmp_path):
    root = _app(tmp_path)
    first = seeded_demo_path(root, day="2026-12-04")
    assert seeded_demo_path(root, day="2026-12-04") == first
    assert first.name.startswith("seeded-demo-")

    (root / "tests" / "test_deals.py").write_text("def test(): assert True\n")
    assert seeded_demo_path(root, day="2026-12-04") == first  # a test is not what is seeded
    next_day = seeded_demo_path(root, day="2026-12-05")
    (root / "deals" / "services.py").write_text("def seed(): return 1\n")
    edited = seeded_demo_path(root, day="2026-12-04")
    assert len({first, next_day, edited}) == 3


def _team_names() -> list[str]:
    return sorted(Team.objects.values_list("name", flat=True))


def test_the_seeded_demo_is_copied_in_and_the_database_as_it_was_copied_back(
    tmp_path, django_db_setup, django_db_blocker
):
    if not seeded_demo_available(connection):
        pytest.skip("the kept seeded demo serves the in-memory SQLite test database only")
    path = tmp_path / "seeded-demo-test.sqlite3"
    seeds = []

    def seed():
        seeds.append(1)
        Team.objects.create(name="Seeded team")

    with django_db_blocker.unblock():
        before = _team_names()
        with seeded_demo_database(connection, seed, path):
            assert _team_names() == sorted([*before, "Seeded team"])
        assert _team_names() == before
        assert seeds == [1] and path.exists()

        def seed_again():
            raise AssertionError("the kept file is copied, not seeded again")

        with seeded_demo_database(connection, seed_again, path):
            assert _team_names() == sorted([*before, "Seeded team"])
        assert _team_names() == before


def test_a_transactional_test_seeds_without_keeping_but_copies_a_kept_file(
    tmp_path, django_db_setup, django_db_blocker
):
    """A transactional test's database may have been flushed by an earlier one (no data
    migrations' rows, content types renumbered): what it seeds must not become the kept file
    the seeded_demo modules copy; a file kept by them is still copied in."""
    if not seeded_demo_available(connection):
        pytest.skip("the kept seeded demo serves the in-memory SQLite test database only")
    path = tmp_path / "seeded-demo-test.sqlite3"

    def seed():
        Team.objects.create(name="Seeded team")

    with django_db_blocker.unblock():
        before = _team_names()
        with seeded_demo_database(connection, seed, path, keep=False):
            assert _team_names() == sorted([*before, "Seeded team"])
        assert not path.exists()
        assert _team_names() == before

        with seeded_demo_database(connection, seed, path):  # a seeded_demo module keeps it
            pass
        assert path.exists()

        def seed_again():
            raise AssertionError("the kept file is copied, not seeded again")

        with seeded_demo_database(connection, seed_again, path, keep=False):
            assert _team_names() == sorted([*before, "Seeded team"])
        assert _team_names() == before
