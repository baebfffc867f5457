"""The kept migrated test database (tests/migrated_template.py): a new or edited migration
builds a new one, and the database the tests run on is never behind the migrations."""

from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migrated_template import _restore, schema_digest


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
    assert _restore(missing, connection=None) is False
    assert not missing.exists()
