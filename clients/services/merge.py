"""Merging duplicates: two clients (or two contacts) that are one company (one person).

The survivor keeps its id; field by field, its value or the duplicate's wins. Every row that
points at the duplicate moves to the survivor (``clients.merging``: each app registers its
foreign keys), the duplicate is deleted leaving a tombstone with ``merged_into`` (sync), and
the survivor's history records "Merged from #id name". All in one transaction, both records
locked in pk order: a second merge of the same records waits, then finds one gone (409)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from clients.history import MERGED_FROM, MERGED_INTO
from clients.merging import MergeContext, MoveResult, move_all
from clients.models import Client, Contact
from clients.rules import assignable_owner_check, ensure_can_merge
from clients.services.checks import name_key
from clients.services.contacts import contact_errors
from clients.signals import client_changed
from core.errors import Conflict
from core.locks import lock_all, retry_on_lost_race

SURVIVOR, DUPLICATE = "survivor", "duplicate"

# The fields whose value the person merging chooses, in the order the page shows them.
CLIENT_MERGE_FIELDS = (
    "name",
    "legal_name",
    "tax_id",
    "industry",
    "segment",
    "territory",
    "tier",
    "status",
    "source",
    "owner",
    "phone",
    "website",
    "address",
    "notes",
)
CONTACT_MERGE_FIELDS = ("name", "position", "phone", "email", "is_decision_maker", "notes")


@dataclass
class MergeOutcome:
    survivor: Client | Contact
    duplicate_id: int
    moved: dict[str, MoveResult] = field(default_factory=dict)

    @property
    def rows_moved(self) -> int:
        return sum(result.moved for result in self.moved.values())


def _value(record, name: str):
    """A field's value as compared and copied: the id for a foreign key."""
    model_field = type(record)._meta.get_field(name)
    return getattr(record, model_field.attname)


def _empty(value) -> bool:
    return value is None or value == ""


def merge_defaults(survivor, duplicate, names) -> dict[str, str]:
    """Which side wins each field unless told: the survivor's value, or the duplicate's where
    the survivor has none."""
    return {
        name: DUPLICATE
        if _empty(_value(survivor, name)) and not _empty(_value(duplicate, name))
        else SURVIVOR
        for name in names
    }


def differing_fields(survivor, duplicate, names) -> list[str]:
    return [name for name in names if _value(survivor, name) != _value(duplicate, name)]


def _choices(fields: Mapping[str, str] | None, names, survivor, duplicate) -> dict[str, str]:
    if fields is None:
        fields = {}
    if not isinstance(fields, Mapping):
        raise ValidationError(
            {"fields": _("Give the fields as an object: field name → survivor or duplicate.")}
        )
    unknown = sorted(str(name) for name in fields if name not in names)
    if unknown:
        raise ValidationError(
            {"fields": _("These fields cannot be chosen: %(names)s.") % {"names": ", ".join(unknown)}}
        )
    wrong = sorted(name for name, side in fields.items() if side not in (SURVIVOR, DUPLICATE))
    if wrong:
        raise ValidationError(
            {"fields": _("Choose “survivor” or “duplicate” for: %(names)s.") % {"names": ", ".join(wrong)}}
        )
    return {**merge_defaults(survivor, duplicate, names), **fields}


def _lock_pair(model, survivor_pk: int, duplicate_pk: int, gone: str):
    """Both rows, locked in pk order; Conflict when one is gone (merged or deleted meanwhile)."""
    rows = {row.pk: row for row in lock_all(model._base_manager.filter(pk__in=[survivor_pk, duplicate_pk]))}
    if len(rows) != 2:
        raise Conflict(gone)
    return rows[survivor_pk], rows[duplicate_pk]


def _delete_duplicate(duplicate, *, survivor, by: User) -> None:
    duplicate._merged_into = survivor.pk  # its tombstone points REST clients at the survivor
    duplicate._history_user = by
    duplicate._change_reason = MERGED_INTO % {"id": survivor.pk, "name": survivor.name}
    try:
        duplicate.delete()
    except ProtectedError:
        # A relation nobody registered with clients.merging (a test guards against this).
        raise ValidationError(_("This record still has linked records that a merge cannot move.")) from None


def _same(survivor, duplicate, message: str) -> None:
    if survivor.pk == duplicate.pk:
        raise ValidationError({"duplicate": message})


@retry_on_lost_race
@transaction.atomic
def client_merge(
    *, by: User, survivor: Client, duplicate: Client, fields: Mapping[str, str] | None = None
) -> MergeOutcome:
    """Merge ``duplicate`` into ``survivor``; ``fields`` says which side wins each field of
    ``CLIENT_MERGE_FIELDS`` (default: ``merge_defaults``). Returns what moved."""
    _same(survivor, duplicate, _("Choose another client: a client cannot be merged with itself."))
    ensure_can_merge(by, survivor, duplicate)
    survivor, duplicate = _lock_pair(
        Client,
        survivor.pk,
        duplicate.pk,
        _("One of these clients was merged or deleted meanwhile; reload the page."),
    )
    ensure_can_merge(by, survivor, duplicate)  # as they are now, locked
    choices = _choices(fields, CLIENT_MERGE_FIELDS, survivor, duplicate)
    picked = {
        name: _value(duplicate if side == DUPLICATE else survivor, name) for name, side in choices.items()
    }
    if picked["owner"] != survivor.owner_id:
        assignable_owner_check(by=by, owner=User.objects.get(pk=picked["owner"]))
    duplicate_id, duplicate_name = duplicate.pk, duplicate.name
    reason = MERGED_FROM % {"id": duplicate_id, "name": duplicate_name}
    context = MergeContext(survivor_id=survivor.pk, duplicate_id=duplicate_id, by=by, reason=reason)
    moved = move_all("clients.Client", context)
    _delete_duplicate(duplicate, survivor=survivor, by=by)

    if picked["owner"] != survivor.owner_id:
        survivor.owner_assigned_at = timezone.now()
        survivor.owner_assigned_by = by
    for name, value in picked.items():
        setattr(survivor, Client._meta.get_field(name).attname, value)
    survivor.name = survivor.name.strip()
    survivor.normalized_name = name_key(survivor.name)
    survivor._history_user = by
    survivor._change_reason = reason
    try:
        with transaction.atomic():
            survivor.save()
    except IntegrityError:
        raise ValidationError({"tax_id": _("A client with this tax id already exists.")}) from None
    client_changed.send(Client, client_id=survivor.pk, event="merged")
    return MergeOutcome(survivor=survivor, duplicate_id=duplicate_id, moved=moved)


@retry_on_lost_race
@transaction.atomic
def contact_merge(
    *, by: User, survivor: Contact, duplicate: Contact, fields: Mapping[str, str] | None = None
) -> MergeOutcome:
    """Merge two contacts for one person (of one client or of two): the duplicate's
    activities, tasks and proposals name the survivor, and the duplicate is deleted."""
    _same(survivor, duplicate, _("Choose another contact: a contact cannot be merged with itself."))
    ensure_can_merge(by, survivor, duplicate)
    survivor, duplicate = _lock_pair(
        Contact,
        survivor.pk,
        duplicate.pk,
        _("One of these contacts was merged or deleted meanwhile; reload the page."),
    )
    choices = _choices(fields, CONTACT_MERGE_FIELDS, survivor, duplicate)
    for name, side in choices.items():
        if side == DUPLICATE:
            setattr(survivor, name, getattr(duplicate, name))
    errors = contact_errors({name: getattr(survivor, name) for name in CONTACT_MERGE_FIELDS})
    if errors:
        raise ValidationError(errors)
    duplicate_id, duplicate_client_id = duplicate.pk, duplicate.client_id
    reason = MERGED_FROM % {"id": duplicate_id, "name": duplicate.name}
    context = MergeContext(survivor_id=survivor.pk, duplicate_id=duplicate_id, by=by, reason=reason)
    moved = move_all("clients.Contact", context)
    _delete_duplicate(duplicate, survivor=survivor, by=by)
    survivor.save()
    # The clients' detail (their contacts) changed.
    for client_id in sorted({survivor.client_id, duplicate_client_id}):
        client_changed.send(Client, client_id=client_id, event="updated")
    return MergeOutcome(survivor=survivor, duplicate_id=duplicate_id, moved=moved)
