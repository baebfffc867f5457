"""Tombstones: recorded as rows are deleted, purged when older than the retention."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.conf import settings
from django.db.models.signals import pre_delete
from django.utils import timezone

from sync.models import Tombstone


def tombstone_models() -> dict[str, type]:
    """API name → model, for every model that keeps tombstones."""
    return {
        model.tombstone_name: model
        for model in apps.get_models()
        if getattr(model, "tombstone_name", None) and not model.__name__.startswith("Historical")
    }


def _owner_id(instance) -> int | None:
    """The owner's id along the model's ``visibility_owner_path`` (``owner``, ``client__owner``)."""
    *hops, last = getattr(type(instance), "visibility_owner_path", "owner").split("__")
    target = instance
    for hop in hops:
        target = getattr(target, hop, None)
        if target is None:
            return None
    return getattr(target, f"{last}_id", None)


def tombstone_record(sender, instance, **kwargs) -> None:
    """Write the tombstone of ``instance``. Connected to ``pre_delete``: Django sends it inside
    the deletion's transaction and before any row of the cascade is gone, so the owner can
    still be read and a deletion that fails leaves no tombstone."""
    Tombstone.objects.create(
        model=sender.tombstone_name,
        object_id=instance.pk,
        owner_id=_owner_id(instance),
        merged_into=getattr(instance, "_merged_into", None),
    )


def connect_tombstones() -> None:
    for model in tombstone_models().values():
        pre_delete.connect(tombstone_record, sender=model, dispatch_uid=f"tombstone-{model._meta.label}")


def tombstones_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete tombstones older than ``TOMBSTONE_RETENTION_DAYS``; the number deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.TOMBSTONE_RETENTION_DAYS)
    deleted, _ = Tombstone.objects.filter(deleted_at__lt=cutoff).delete()
    return deleted
