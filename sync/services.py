"""Tombstones: recorded as rows are deleted, purged when older than the retention."""

from __future__ import annotations

import datetime
import weakref

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.models.signals import post_delete, pre_delete
from django.utils import timezone

from accounts.visibility import owner_path_of
from sync.models import Tombstone


def tombstone_models() -> dict[str, type]:
    """API name → model, for every model that keeps tombstones."""
    return {
        model.tombstone_name: model
        for model in apps.get_models()
        if getattr(model, "tombstone_name", None) and not model.__name__.startswith("Historical")
    }


class _Deletion:
    """What one deletion (one ``Collector.delete()``, named by its ``origin``) has recorded so
    far: its tombstones, written in one INSERT once its rows start going, and the owners of
    the parents its cascaded children were resolved through (one query per parent, not per
    child: a client's 500 activities ask for the client's owner once)."""

    def __init__(self, origin):
        self.origin = weakref.ref(origin)
        self.stones: dict[tuple[str, int], Tombstone] = {}
        self.owners: dict[tuple[str, int, str], int | None] = {}


def _pending(using: str) -> list[_Deletion]:
    """The deletions under way on this connection (a deletion's receivers may start another)."""
    connection = connections[using]
    if not hasattr(connection, "_tombstone_deletions"):
        connection._tombstone_deletions = []
    return connection._tombstone_deletions


def _deletion_of(origin, using: str, *, create: bool) -> _Deletion | None:
    pending = _pending(using)
    pending[:] = [deletion for deletion in pending if deletion.origin() is not None]
    for deletion in pending:
        if deletion.origin() is origin:
            return deletion
    if not create:
        return None
    deletion = _Deletion(origin)
    pending.append(deletion)
    return deletion


def _owner_id(instance, owners: dict | None = None) -> int | None:
    """The owner's id along the model's ``visibility_owner_path`` (``owner``, ``client__owner``,
    ``installment__deal__owner``). A path through a parent is read with one query on the
    parent's table, remembered in ``owners`` for the parent's other children."""
    model = type(instance)
    hop, _, rest = owner_path_of(model).partition("__")
    if not rest:
        return getattr(instance, f"{hop}_id", None)
    field = model._meta.get_field(hop)
    parent_id = getattr(instance, field.attname, None)
    if parent_id is None:
        return None
    key = (field.related_model._meta.label, parent_id, rest)
    if owners is None or key not in owners:
        found = field.related_model._base_manager.filter(pk=parent_id).values_list(f"{rest}_id", flat=True)
        owner = next(iter(found), None)
        if owners is None:
            return owner
        owners[key] = owner
    return owners[key]


def _stone(sender, instance, owners=None) -> Tombstone:
    return Tombstone(
        model=sender.tombstone_name,
        object_id=instance.pk,
        owner_id=_owner_id(instance, owners),
        merged_into=getattr(instance, "_merged_into", None),
    )


def tombstone_record(sender, instance, using="default", origin=None, **kwargs) -> None:
    """Record the tombstone of ``instance``. Connected to ``pre_delete``: Django sends it inside
    the deletion's transaction and before any row of the cascade is gone, so the owner can
    still be read. The tombstones of one deletion are kept until its first row is deleted
    (``tombstones_write``, on ``post_delete``) and written together, so deleting a client
    with N activities costs the same few queries for any N; a deletion that fails writes none."""
    if origin is None:  # not a Collector's deletion: write at once
        _stone(sender, instance).save(using=using)
        return
    deletion = _deletion_of(origin, using, create=True)
    deletion.stones[(sender.tombstone_name, instance.pk)] = _stone(sender, instance, deletion.owners)


def tombstones_write(sender, instance, using="default", origin=None, **kwargs) -> None:
    """The deletion's rows are going (every ``pre_delete`` of it has been sent): write its
    tombstones in one INSERT, inside its transaction."""
    if origin is None:
        return
    deletion = _deletion_of(origin, using, create=False)
    if deletion is None:
        return
    _pending(using).remove(deletion)
    Tombstone.objects.using(using).bulk_create(deletion.stones.values())


def connect_tombstones() -> None:
    for model in tombstone_models().values():
        label = model._meta.label
        pre_delete.connect(tombstone_record, sender=model, dispatch_uid=f"tombstone-{label}")
        post_delete.connect(tombstones_write, sender=model, dispatch_uid=f"tombstone-write-{label}")


def tombstones_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete tombstones older than ``TOMBSTONE_RETENTION_DAYS``; the number deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.TOMBSTONE_RETENTION_DAYS)
    deleted, _ = Tombstone.objects.filter(deleted_at__lt=cutoff).delete()
    return deleted
