"""The checks every way into the client base shares: the stored form of a tax id and a
name, and whether a client already exists (the forms, the API and the import all ask)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from clients.models import Client, normalize_name, normalize_tax_id
from core.locks import hold_row

_TAX_ID_ALLOWED = re.compile(r"^[0-9A-Za-z\s./-]+$")


def tax_id_clean(value: str | None) -> str | None:
    """The stored form of a tax id, or ValidationError when it cannot be one: letters and
    digits (separators such as spaces, dashes, dots and slashes are dropped), at least one
    digit, 8 to 20 characters."""
    if value is None or not str(value).strip():
        return None
    raw = str(value).strip()
    normalized = normalize_tax_id(raw)
    if (
        not _TAX_ID_ALLOWED.match(raw)
        or normalized is None
        or not 8 <= len(normalized) <= 20
        or not any(ch.isdigit() for ch in normalized)
    ):
        raise ValidationError(
            _("A tax id is 8 to 20 letters and digits (spaces, dashes, dots and slashes are ignored)."),
            code="bad_tax_id",
        )
    return normalized


def name_key(name: str) -> str:
    """The normalised name stored for duplicate detection (never empty for a non-empty name)."""
    return normalize_name(name) or name.casefold().strip()


def same_company(tax_id_a: str | None, name_a: str, tax_id_b: str | None, name_b: str) -> bool:
    """Deduplication rule: the same tax id is the same company; otherwise the same normalised
    name is, unless both carry (different) tax ids — namesakes with their own tax ids are
    different companies."""
    if tax_id_a and tax_id_b:
        return tax_id_a == tax_id_b
    return name_a == name_b


def client_duplicate_of(*, tax_id: str | None, normalized_name: str, exclude_pk: int | None = None):
    """An existing client that would be a twin of one with this tax id and name, or None."""
    condition = Q(normalized_name=normalized_name)
    if tax_id:
        condition |= Q(tax_id=tax_id)
    candidates = Client.objects.filter(condition).only("pk", "name", "tax_id", "normalized_name")
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    for candidate in candidates.order_by("pk"):
        if same_company(tax_id, normalized_name, candidate.tax_id, candidate.normalized_name):
            return candidate
    return None


def duplicate_message(
    *, viewer: User, duplicate: Client, by_tax_id: bool, visible: bool | None = None
) -> str:
    """Name the twin when the viewer may see it; otherwise only say that it exists (not
    who owns it, nor that it is someone else's)."""
    if visible is None:
        visible = Client.objects.visible_to(viewer).filter(pk=duplicate.pk).exists()
    if not visible:
        if by_tax_id:
            return _("A client with this tax id already exists.")
        return _("A client with this name already exists.")
    if by_tax_id:
        return _("A client with this tax id already exists: %(name)s.") % {"name": duplicate.name}
    return _("A client with this name already exists: %(name)s.") % {"name": duplicate.name}


def hold_client(client: Client) -> None:
    """Keep ``client`` from being deleted until the transaction ends, before a row that points
    at it is added (core.locks.hold_row); a client deleted meanwhile is a Conflict."""
    hold_row(Client, client.pk, gone=_("This client was deleted meanwhile."))
