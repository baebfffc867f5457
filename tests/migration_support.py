"""A data migration's function run outside `migrate`: after a transactional test flushed the
default stages, or on rows a test wrote."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

from django.apps import apps as project_apps
from django.db import connection


def run_data_migration(module: str, function: str, apps=project_apps) -> None:
    """Calls ``function`` of the migration ``module`` (``"deals.migrations.0002_default_stages"``)
    with ``apps`` (the project's models unless given) on the default database, as `migrate`
    calls it with its schema editor (the functions write through its connection's alias)."""
    getattr(importlib.import_module(module), function)(apps, SimpleNamespace(connection=connection))


def restore_default_stages() -> dict:
    """The default pipeline, as its data migration creates it (a transactional test's flush
    removes it): every stage by name."""
    from deals.models import Stage

    run_data_migration("deals.migrations.0002_default_stages", "create_default_stages")
    return {stage.name: stage for stage in Stage.objects.all()}
