"""Clients: creating, changing, reassigning, handing over, moving along the lifecycle and
deleting."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import QUOTA_CARRYING_ROLES
from accounts.visibility import can_write, lock_writable
from clients.history import DEAL_WON, HANDED_OVER, REASSIGNED, REASSIGNED_WITH_CLIENT, STATUS_CHANGED
from clients.hooks import open_work_movers
from clients.models import STATUS_MOVES, Client, ClientStatus, Contact, Industry, Segment, Source, Tier
from clients.rules import (
    assignable_owner_check,
    ensure_can_add_clients,
    ensure_can_hand_over,
    ensure_can_reassign,
    may_hand_over_outside_teams,
)
from clients.services.checks import client_duplicate_of, duplicate_message, name_key, tax_id_clean
from clients.services.contacts import contact_cleaned, contact_errors
from clients.services.handover import client_open_tasks_move
from clients.signals import client_changed
from core.locks import ensure_unchanged, lock_one, lock_value
from core.validation import full_clean

CLIENT_DETAIL_FIELDS = (
    "name",
    "legal_name",
    "tax_id",
    "industry",
    "segment",
    "territory",
    "tier",
    "source",
    "phone",
    "website",
    "address",
    "notes",
)


def _choice(errors: dict, field: str, value: str, choices) -> None:
    if value not in choices.values:
        errors[field] = _("Choose a valid option.")


def _validate_client_details(
    data: Mapping[str, Any], *, errors: dict, exclude_pk: int | None, viewer: User
) -> tuple[str | None, str]:
    """Check name, tax id and choices; return (normalised tax id, normalised name)."""
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("Give the client a name.")
    tax_id = None
    try:
        tax_id = tax_id_clean(data.get("tax_id"))
    except ValidationError as error:
        errors["tax_id"] = error.messages[0]
    for field, choices in (("segment", Segment), ("tier", Tier), ("source", Source)):
        if field in data:
            _choice(errors, field, data[field], choices)
    normalized = name_key(name) if name else ""
    if normalized:
        # No index says one client per name: until this transaction ends, another create or
        # rename to the same name waits here and then sees this one (two at once made two).
        lock_value("client-name", normalized)
    if name and "tax_id" not in errors:
        duplicate = client_duplicate_of(tax_id=tax_id, normalized_name=normalized, exclude_pk=exclude_pk)
        if duplicate is not None:
            by_tax_id = bool(tax_id) and duplicate.tax_id == tax_id
            errors["tax_id" if by_tax_id else "name"] = duplicate_message(
                viewer=viewer, duplicate=duplicate, by_tax_id=by_tax_id
            )
    return tax_id, normalized


def _save_client(client: Client, *, by: User, reason: str | None = None) -> None:
    client._history_user = by
    if reason:
        client._change_reason = reason
    created = client.pk is None
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError:
        # Someone saved the same tax id between our check and this write.
        raise ValidationError({"tax_id": _("A client with this tax id already exists.")}) from None
    client_changed.send(Client, client_id=client.pk, event="created" if created else "updated")


@transaction.atomic
def client_create(
    *,
    by: User,
    name: str,
    owner: User | None = None,
    legal_name: str = "",
    tax_id: str | None = None,
    industry: Industry | None = None,
    segment: str = Segment.SMALL,
    territory=None,
    tier: str = Tier.C,
    status: str = ClientStatus.LEAD,
    source: str = Source.INBOUND,
    phone: str = "",
    website: str = "",
    address: str = "",
    notes: str = "",
    contacts: Iterable[Mapping[str, Any]] = (),
) -> Client:
    """A new client owned by ``owner`` (the creator when not given) with its first contacts.
    A rep owns what they create; a lead may give it to their team, the head to anyone."""
    ensure_can_add_clients(by)
    owner = owner or by
    errors: dict[str, str] = {}
    try:
        assignable_owner_check(by=by, owner=owner)
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    details = {
        "name": name,
        "tax_id": tax_id,
        "segment": segment,
        "tier": tier,
        "source": source,
    }
    normalized_tax_id, normalized_name = _validate_client_details(
        details, errors=errors, exclude_pk=None, viewer=by
    )
    _choice(errors, "status", status, ClientStatus)
    contacts = [dict(contact) for contact in contacts]
    for index, contact in enumerate(contacts):
        for field, message in contact_errors(contact).items():
            errors.setdefault(f"contact_{field}" if index == 0 else f"contacts_{index}_{field}", message)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    client = Client(
        name=name.strip(),
        normalized_name=normalized_name,
        legal_name=legal_name.strip(),
        tax_id=normalized_tax_id,
        industry=industry,
        segment=segment,
        territory=territory,
        tier=tier,
        status=status,
        source=source,
        owner=owner,
        owner_assigned_at=now,
        owner_assigned_by=by,
        phone=phone.strip(),
        website=website.strip(),
        address=address.strip(),
        notes=notes.strip(),
    )
    full_clean(client, exclude=["normalized_name"], validate_constraints=False)
    _save_client(client, by=by)
    if not can_write(by, client):
        # An SDR works leads only (Client.sdr_writable): what they could not change they may
        # not create either. Raising here rolls the insert back.
        raise ValidationError({"status": _("You may not create a client with this status.")})
    for contact in contacts:
        Contact.objects.create(client=client, **contact_cleaned(contact))
    return client


_UNSET: Any = object()


@transaction.atomic
def client_update(
    *,
    by: User,
    client: Client,
    owner: User | None = _UNSET,
    status: str = _UNSET,
    move_open_work: bool = True,
    shown: Mapping[str, Any] | None = None,
    **changes: Any,
) -> Client:
    """Change a client's details. The owner and the status only change through
    ``client_reassign`` and ``client_status_move`` — given here (as the API's PATCH does),
    they are handed to those, in the same transaction. ``shown``: what the edit page showed
    for the fields it changes; one someone else changed meanwhile is a ``Conflict``."""
    unknown = set(changes) - set(CLIENT_DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"client_update() got unexpected fields: {sorted(unknown)}")
    client = lock_writable(by, client)
    if shown:
        ensure_unchanged(client, shown)
    if changes:
        merged = {field: getattr(client, field) for field in ("name", "tax_id", "segment", "tier", "source")}
        merged.update({field: value for field, value in changes.items() if field in merged})
        errors: dict[str, str] = {}
        normalized_tax_id, normalized_name = _validate_client_details(
            merged, errors=errors, exclude_pk=client.pk, viewer=by
        )
        if errors:
            raise ValidationError(errors)
        for field, value in changes.items():
            setattr(client, field, value.strip() if isinstance(value, str) and field != "tax_id" else value)
        client.tax_id = normalized_tax_id
        client.normalized_name = normalized_name
        full_clean(client, exclude=["normalized_name"], validate_constraints=False)
        _save_client(client, by=by)
    if owner is not _UNSET and owner != client.owner:
        client = client_reassign(by=by, client=client, owner=owner, move_open_work=move_open_work)
    if status is not _UNSET and status != client.status:
        client = client_status_move(by=by, client=client, status=status)
    return client


@transaction.atomic
def client_reassign(*, by: User, client: Client, owner: User, move_open_work: bool = True) -> Client:
    """Hand a client to another owner: a lead within their own team, the head anywhere.
    Records who did it and when. With ``move_open_work`` the previous owner's open tasks on
    the client, and what the higher apps registered in ``clients.hooks`` (open deals), go
    with it, in the same transaction; ``client.moved_open_work`` says how many of each."""
    ensure_can_reassign(by, client)
    assignable_owner_check(by=by, owner=owner)
    client = lock_one(Client.objects, pk=client.pk)
    client.moved_open_work = {}
    if client.owner_id == owner.pk:
        return client
    previous_owner_id = client.owner_id
    client.owner = owner
    client.owner_assigned_at = timezone.now()
    client.owner_assigned_by = by
    _save_client(client, by=by, reason=REASSIGNED)
    if move_open_work:
        reason = REASSIGNED_WITH_CLIENT
        work = {"tasks": client_open_tasks_move}
        work.update(open_work_movers())
        client.moved_open_work = {
            key: mover(client=client, previous_owner_id=previous_owner_id, by=by, reason=reason)
            for key, mover in work.items()
        }
    return client


@transaction.atomic
def client_status_move(*, by: User, client: Client, status: str) -> Client:
    """Move a client along its lifecycle (lead → prospect → customer → former customer)."""
    client = lock_writable(by, client)
    if status not in ClientStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if status not in STATUS_MOVES.get(client.status, ()):
        raise ValidationError(
            {
                "status": _("A client cannot move from “%(current)s” to “%(new)s”.")
                % {"current": client.get_status_display(), "new": ClientStatus(status).label}
            }
        )
    client.status = status
    _save_client(client, by=by, reason=STATUS_CHANGED)
    if not can_write(by, client):
        # An SDR would lose the client they just moved: a qualified lead is handed over.
        raise ValidationError(
            {"status": _("You may not move this client on; hand the lead over to a rep instead.")}
        )
    return client


@transaction.atomic
def client_won(*, by: User, client: Client) -> Client:
    """A deal of this client was won (deals.services calls this): a lead, prospect or
    former customer becomes a customer. It is a consequence of the win, which the deal's
    service has authorised, so it asks no write permission on the client itself."""
    client = Client.objects.select_for_update(of=("self",)).get(pk=client.pk)
    if client.status == ClientStatus.CUSTOMER or ClientStatus.CUSTOMER not in STATUS_MOVES.get(
        client.status, ()
    ):
        return client
    client.status = ClientStatus.CUSTOMER
    _save_client(client, by=by, reason=DEAL_WON)
    return client


def hand_over_candidates(*, by: User, client: Client):
    """Whom ``by`` may hand ``client`` (a lead) over to: the active reps and account managers
    of its owner's team, among the people ``by`` sees. A lead owned by someone without a
    team goes to any rep or account manager, and only the head decides that."""
    people = User.objects.visible_to(by).filter(is_active=True, role__in=QUOTA_CARRYING_ROLES)
    people = people.exclude(pk=client.owner_id).select_related("team")
    if client.owner.team_id is not None:
        return people.filter(team_id=client.owner.team_id)
    return people if may_hand_over_outside_teams(by) else people.none()


@transaction.atomic
def client_hand_over(*, client: Client, to: User, by: User) -> Client:
    """An SDR hands a qualified lead over to a rep or account manager of their team: the
    rep owns it from now on, as a prospect. Records who did it and when."""
    ensure_can_hand_over(by, client)
    client = lock_one(Client.objects, pk=client.pk)  # no join: the owner is read after the lock
    if client.status != ClientStatus.LEAD:
        raise ValidationError({"status": _("Only a lead is handed over; this client is no longer one.")})
    if to is None or not hand_over_candidates(by=by, client=client).filter(pk=to.pk).exists():
        # One message for everyone not eligible, so it says nothing about hidden people.
        raise ValidationError({"to": _("Choose an active rep or account manager of the team.")})
    client.owner = to
    client.status = ClientStatus.PROSPECT
    client.owner_assigned_at = timezone.now()
    client.owner_assigned_by = by
    _save_client(client, by=by, reason=HANDED_OVER)
    return client


@transaction.atomic
def client_delete(*, by: User, client: Client) -> None:
    """Delete a client with its contacts and activities — only one without deals: a client
    with history in the pipeline is kept (mark it a former customer instead)."""
    # Locked first: a deal, contact or activity being added holds the row (hold_row) and
    # this waits for it, then sees it; one that comes after waits and finds the client gone.
    client = lock_writable(by, client)
    has_deals = _("This client has deals and cannot be deleted; mark it a former customer instead.")
    if client.deals.exists():
        raise ValidationError(has_deals)
    client._history_user = by
    try:
        client.delete()
    except ProtectedError:
        raise ValidationError(has_deals) from None
