"""Contacts: the people at a client."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.visibility import ensure_can_write, lock_writable
from clients.models import Client, Contact
from clients.rules import ensure_can_write_client_records
from clients.services.checks import hold_client
from core.locks import ensure_unchanged
from core.validation import full_clean

CONTACT_FIELDS = ("name", "position", "phone", "email", "is_decision_maker", "notes")


def contact_errors(data: Mapping[str, Any]) -> dict[str, str]:
    errors = {}
    if not (data.get("name") or "").strip():
        errors["name"] = _("Give the contact a name.")
    email = (data.get("email") or "").strip()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
    return errors


def contact_cleaned(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": (data.get("name") or "").strip(),
        "position": (data.get("position") or "").strip(),
        "phone": (data.get("phone") or "").strip(),
        "email": (data.get("email") or "").strip(),
        "is_decision_maker": bool(data.get("is_decision_maker")),
        "notes": (data.get("notes") or "").strip(),
    }


@transaction.atomic
def contact_create(
    *,
    by: User,
    client: Client,
    name: str,
    position: str = "",
    phone: str = "",
    email: str = "",
    is_decision_maker: bool = False,
    notes: str = "",
) -> Contact:
    """A person at a client. Whoever may keep the client's records may add one (assistants
    for their team)."""
    client = ensure_can_write_client_records(by, client)
    hold_client(client)
    data = {
        "name": name,
        "position": position,
        "phone": phone,
        "email": email,
        "is_decision_maker": is_decision_maker,
        "notes": notes,
    }
    errors = contact_errors(data)
    if errors:
        raise ValidationError(errors)
    contact = Contact(client=client, **contact_cleaned(data))
    full_clean(contact)
    contact.save()
    return contact


@transaction.atomic
def contact_update(
    *, by: User, contact: Contact, shown: dict[str, Any] | None = None, **changes: Any
) -> Contact:
    """Change a contact. ``shown``: what the edit page showed for the fields it changes; one
    someone else changed meanwhile is a ``Conflict`` and nothing is written."""
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"contact_update() got unexpected fields: {sorted(unknown)}")
    contact = lock_writable(by, contact)
    if shown:
        ensure_unchanged(contact, shown)
    data = {field: getattr(contact, field) for field in CONTACT_FIELDS}
    data.update(changes)
    errors = contact_errors(data)
    if errors:
        raise ValidationError(errors)
    for field, value in contact_cleaned(data).items():
        setattr(contact, field, value)
    full_clean(contact)
    contact.save()
    return contact


@transaction.atomic
def contact_delete(*, by: User, contact: Contact) -> None:
    """Remove a contact; activities with them stay, no longer naming the person."""
    ensure_can_write(by, contact)
    contact.delete()
