"""Every write to clients, contacts and activities goes through here."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from accounts.roles import QUOTA_CARRYING_ROLES
from accounts.visibility import can_write, ensure_can_write
from clients.imports import IMPORT_KEYS, ImportFileError, ImportRow, read_import_file
from clients.models import (
    STATUS_MOVES,
    Activity,
    ActivityKind,
    Client,
    ClientStatus,
    Contact,
    Direction,
    Industry,
    Segment,
    Source,
    Tier,
    normalize_name,
    normalize_tax_id,
)
from clients.rules import (
    assignable_owner_check,
    ensure_can_add_clients,
    ensure_can_hand_over,
    ensure_can_reassign,
    ensure_can_write_client_records,
    may_hand_over_outside_teams,
)
from core.filters import check_date_in_range

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
CONTACT_FIELDS = ("name", "position", "phone", "email", "is_decision_maker", "notes")

_TAX_ID_ALLOWED = re.compile(r"^[0-9A-Za-z\s./-]+$")


# --------------------------------------------------------------------------- checks


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
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError:
        # Someone saved the same tax id between our check and this write.
        raise ValidationError({"tax_id": _("A client with this tax id already exists.")}) from None


def _contact_errors(data: Mapping[str, Any]) -> dict[str, str]:
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


def _clean_contact(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": (data.get("name") or "").strip(),
        "position": (data.get("position") or "").strip(),
        "phone": (data.get("phone") or "").strip(),
        "email": (data.get("email") or "").strip(),
        "is_decision_maker": bool(data.get("is_decision_maker")),
        "notes": (data.get("notes") or "").strip(),
    }


# --------------------------------------------------------------------------- clients


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
        for field, message in _contact_errors(contact).items():
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
    client.full_clean(exclude=["normalized_name"], validate_constraints=False)
    _save_client(client, by=by)
    if not can_write(by, client):
        # An SDR works leads only (Client.sdr_writable): what they could not change they may
        # not create either. Raising here rolls the insert back.
        raise ValidationError({"status": _("You may not create a client with this status.")})
    for contact in contacts:
        Contact.objects.create(client=client, **_clean_contact(contact))
    return client


_UNSET: Any = object()


@transaction.atomic
def client_update(
    *,
    by: User,
    client: Client,
    owner: User | None = _UNSET,
    status: str = _UNSET,
    **changes: Any,
) -> Client:
    """Change a client's details. The owner and the status only change through
    ``client_reassign`` and ``client_status_move`` — given here (as the API's PATCH does),
    they are handed to those, in the same transaction."""
    unknown = set(changes) - set(CLIENT_DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"client_update() got unexpected fields: {sorted(unknown)}")
    ensure_can_write(by, client)
    client = Client.objects.select_for_update().get(pk=client.pk)
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
        client.full_clean(exclude=["normalized_name"], validate_constraints=False)
        _save_client(client, by=by)
    if owner is not _UNSET and owner != client.owner:
        client = client_reassign(by=by, client=client, owner=owner)
    if status is not _UNSET and status != client.status:
        client = client_status_move(by=by, client=client, status=status)
    return client


@transaction.atomic
def client_reassign(*, by: User, client: Client, owner: User) -> Client:
    """Hand a client to another owner: a lead within their own team, the head anywhere.
    Records who did it and when."""
    ensure_can_reassign(by, client)
    assignable_owner_check(by=by, owner=owner)
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.owner_id == owner.pk:
        return client
    client.owner = owner
    client.owner_assigned_at = timezone.now()
    client.owner_assigned_by = by
    _save_client(client, by=by, reason=_("Reassigned"))
    return client


@transaction.atomic
def client_status_move(*, by: User, client: Client, status: str) -> Client:
    """Move a client along its lifecycle (lead → prospect → customer → former customer)."""
    ensure_can_write(by, client)
    client = Client.objects.select_for_update().get(pk=client.pk)
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
    _save_client(client, by=by, reason=_("Status changed"))
    if not can_write(by, client):
        # An SDR would lose the client they just moved: a qualified lead is handed over.
        raise ValidationError(
            {"status": _("You may not move this client on; hand the lead over to a rep instead.")}
        )
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
    client = Client.objects.select_for_update().select_related("owner").get(pk=client.pk)
    if client.status != ClientStatus.LEAD:
        raise ValidationError({"status": _("Only a lead is handed over; this client is no longer one.")})
    if to is None or not hand_over_candidates(by=by, client=client).filter(pk=to.pk).exists():
        # One message for everyone not eligible, so it says nothing about hidden people.
        raise ValidationError({"to": _("Choose an active rep or account manager of the team.")})
    client.owner = to
    client.status = ClientStatus.PROSPECT
    client.owner_assigned_at = timezone.now()
    client.owner_assigned_by = by
    _save_client(client, by=by, reason=_("Handed over"))
    return client


@transaction.atomic
def client_delete(*, by: User, client: Client) -> None:
    """Delete a client with its contacts and activities — only one without deals: a client
    with history in the pipeline is kept (mark it a former customer instead)."""
    ensure_can_write(by, client)
    if client.deals.exists():
        raise ValidationError(
            _("This client has deals and cannot be deleted; mark it a former customer instead.")
        )
    client._history_user = by
    client.delete()


# --------------------------------------------------------------------------- contacts


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
    data = {
        "name": name,
        "position": position,
        "phone": phone,
        "email": email,
        "is_decision_maker": is_decision_maker,
        "notes": notes,
    }
    errors = _contact_errors(data)
    if errors:
        raise ValidationError(errors)
    contact = Contact(client=client, **_clean_contact(data))
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, by: User, contact: Contact, **changes: Any) -> Contact:
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"contact_update() got unexpected fields: {sorted(unknown)}")
    ensure_can_write(by, contact)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    data = {field: getattr(contact, field) for field in CONTACT_FIELDS}
    data.update(changes)
    errors = _contact_errors(data)
    if errors:
        raise ValidationError(errors)
    for field, value in _clean_contact(data).items():
        setattr(contact, field, value)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_delete(*, by: User, contact: Contact) -> None:
    """Remove a contact; activities with them stay, no longer naming the person."""
    ensure_can_write(by, contact)
    contact.delete()


# --------------------------------------------------------------------------- activities


MAX_ACTIVITY_MINUTES = 24 * 60
MAX_OUTCOME_LENGTH = 5000
MAX_NEXT_STEP_LENGTH = Activity._meta.get_field("next_step").max_length


def _activity_errors(
    *,
    by: User,
    client: Client,
    kind: str,
    contact: Contact | None,
    deal,
    duration_minutes: int,
    next_step: str,
    next_step_due: datetime.date | None,
    direction: str,
    occurred_at: datetime.datetime | None,
    outcome: str,
) -> dict[str, str]:
    from deals.models import Deal

    errors: dict[str, str] = {}
    if kind not in ActivityKind.values:
        errors["kind"] = _("Choose a valid kind of activity.")
    if direction and direction not in Direction.values:
        errors["direction"] = _("Choose a valid direction.")
    if contact is not None and contact.client_id != client.pk:
        errors["contact"] = _("This contact belongs to another client.")
    if deal is not None:
        if not Deal.objects.visible_to(by).filter(pk=deal.pk).exists():
            # Worded like the form's answer to a made-up id: a hidden deal does not exist.
            errors["deal"] = _("Select a valid choice. That choice is not one of the available choices.")
        elif deal.client_id != client.pk:
            errors["deal"] = _("This deal belongs to another client.")
    if next_step_due is not None and not (next_step or "").strip():
        errors["next_step"] = _("Describe the next step that is due on that date.")
    if duration_minutes is None or duration_minutes < 0:
        errors["duration_minutes"] = _("Duration cannot be negative.")
    elif duration_minutes > MAX_ACTIVITY_MINUTES:
        errors["duration_minutes"] = _("An activity lasts at most %(limit)d minutes (a day).") % {
            "limit": MAX_ACTIVITY_MINUTES
        }
    if len(outcome or "") > MAX_OUTCOME_LENGTH:
        errors["outcome"] = _("Longer than %(limit)d characters.") % {"limit": MAX_OUTCOME_LENGTH}
    if len(next_step or "") > MAX_NEXT_STEP_LENGTH:
        errors["next_step"] = _("Longer than %(limit)d characters.") % {"limit": MAX_NEXT_STEP_LENGTH}
    for field, value in (("occurred_at", occurred_at), ("next_step_due", next_step_due)):
        try:
            check_date_in_range(value)
        except ValidationError as error:
            errors[field] = error.messages[0]
    return errors


@transaction.atomic
def activity_log(
    *,
    by: User,
    client: Client,
    kind: str = ActivityKind.CALL,
    occurred_at: datetime.datetime | None = None,
    direction: str = "",
    contact: Contact | None = None,
    deal=None,
    duration_minutes: int = 0,
    outcome: str = "",
    next_step: str = "",
    next_step_due: datetime.date | None = None,
) -> Activity:
    """Record a call, meeting, e-mail, visit or note. The one logging it owns it; they must
    see the client and be allowed to write activities for it (assistants may, for their team)."""
    client = ensure_can_write_client_records(by, client)
    errors = _activity_errors(
        by=by,
        client=client,
        kind=kind,
        contact=contact,
        deal=deal,
        duration_minutes=duration_minutes,
        next_step=next_step,
        next_step_due=next_step_due,
        direction=direction,
        occurred_at=occurred_at,
        outcome=outcome,
    )
    if errors:
        raise ValidationError(errors)
    if kind not in (ActivityKind.CALL, ActivityKind.EMAIL):
        direction = ""
    activity = Activity(
        kind=kind,
        direction=direction,
        client=client,
        contact=contact,
        deal=deal,
        owner=by,
        occurred_at=occurred_at or timezone.now(),
        duration_minutes=duration_minutes,
        outcome=outcome.strip(),
        next_step=next_step.strip(),
        next_step_due=next_step_due,
    )
    activity.full_clean()
    activity.save()
    return activity


ACTIVITY_FIELDS = (
    "kind",
    "direction",
    "contact",
    "deal",
    "occurred_at",
    "duration_minutes",
    "outcome",
    "next_step",
    "next_step_due",
)


@transaction.atomic
def activity_update(*, by: User, activity: Activity, **changes: Any) -> Activity:
    """Correct a logged activity. Who logged it stays its owner; the client does not change."""
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"activity_update() got unexpected fields: {sorted(unknown)}")
    ensure_can_write(by, activity)
    activity = Activity.objects.select_for_update().select_related("client").get(pk=activity.pk)
    data = {field: getattr(activity, field) for field in ACTIVITY_FIELDS}
    data.update(changes)
    data["next_step"] = (data["next_step"] or "").strip()
    data["outcome"] = (data["outcome"] or "").strip()
    data["direction"] = data["direction"] or ""
    errors = _activity_errors(
        by=by,
        client=activity.client,
        kind=data["kind"],
        contact=data["contact"],
        deal=data["deal"],
        duration_minutes=data["duration_minutes"],
        next_step=data["next_step"],
        next_step_due=data["next_step_due"],
        direction=data["direction"],
        occurred_at=data["occurred_at"],
        outcome=data["outcome"],
    )
    if data["occurred_at"] is None:
        errors["occurred_at"] = _("Say when it happened.")
    if errors:
        raise ValidationError(errors)
    if data["kind"] not in (ActivityKind.CALL, ActivityKind.EMAIL):
        data["direction"] = ""
    if not data["next_step"]:
        data["next_step_due"] = None
    for field, value in data.items():
        setattr(activity, field, value)
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def activity_delete(*, by: User, activity: Activity) -> None:
    ensure_can_write(by, activity)
    activity.delete()


@transaction.atomic
def next_step_complete(*, by: User, activity: Activity) -> Activity:
    """Mark an activity's next step done. Completing it twice (a double click, two
    devices) keeps the first completion time."""
    ensure_can_write(by, activity)
    if not activity.next_step:
        raise ValidationError({"next_step": _("This activity has no next step to complete.")})
    now = timezone.now()
    Activity.objects.filter(pk=activity.pk, next_step_done_at__isnull=True).update(
        next_step_done_at=now, updated_at=now
    )
    return Activity.objects.get(pk=activity.pk)


# --------------------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportIssue:
    row: int | None  # the spreadsheet row number; None for the file as a whole
    field: str
    message: str


@dataclass
class ClientImportResult:
    rows: int = 0
    errors: list[ImportIssue] = dataclass_field(default_factory=list)
    created: list[Client] = dataclass_field(default_factory=list)
    contacts_created: int = 0
    checked_only: bool = False
    row_names: dict[int, str] = dataclass_field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def invalid_rows(self) -> int:
        return len({issue.row for issue in self.errors})

    @property
    def error_lines(self) -> list[dict]:
        """The problems with the name written in their row, for the preview table."""
        return [{**asdict(issue), "name": self.row_names.get(issue.row, "")} for issue in self.errors]


_YES = {"yes", "y", "true", "1", "x", "да", "是", "+"}
_NO = {"", "no", "n", "false", "0", "нет", "否", "-"}


def _lookup_choice(value: str, choices) -> str | None:
    """A choice given by its value or its label, in any case; '' means the default."""
    wanted = value.strip().casefold()
    for choice_value, label in choices.choices:
        if wanted in (choice_value.casefold(), str(label).casefold()):
            return choice_value
    with translation.override("en"):
        for choice_value, label in choices.choices:
            if wanted == str(label).casefold():
                return choice_value
    return None


def _max_length_errors(model, values: Mapping[str, str], fields: Mapping[str, str]) -> dict[str, str]:
    errors = {}
    for column, field_name in fields.items():
        limit = model._meta.get_field(field_name).max_length
        if limit and len(values.get(column, "")) > limit:
            errors[column] = _("Longer than %(limit)d characters.") % {"limit": limit}
    return errors


def _import_prepare(*, by: User, rows: list[ImportRow]) -> tuple[list[dict], list[ImportIssue]]:
    """Check every row against the references, the rules and each other; return the
    clients to create (as keyword dicts) and every problem found."""
    from accounts.models import Territory

    industries = {industry.name.casefold(): industry for industry in Industry.objects.all()}
    territories = {territory.name.casefold(): territory for territory in Territory.objects.all()}
    usernames = {
        row.values["owner"] for row in rows if row.values["owner"] and "\x00" not in row.values["owner"]
    }
    # Only people the importer sees: a hidden username reads "unknown", like a made-up one.
    people = User.objects.visible_to(by)
    owners = {user.username.casefold(): user for user in people.filter(username__in=usernames)}
    if len(owners) < len({name.casefold() for name in usernames}):
        lowered = Q()
        for name in usernames:
            lowered |= Q(username__iexact=name)
        owners.update({user.username.casefold(): user for user in people.filter(lowered)})

    issues: list[ImportIssue] = []
    prepared: list[dict] = []
    keys: list[tuple[int, str | None, str]] = []  # (row, tax id, normalised name) of good rows so far
    for row in rows:
        values = row.values
        damaged = [column for column, value in values.items() if "\x00" in value]
        if damaged:
            # PostgreSQL can neither store nor look up text with NUL, and nobody types it: the
            # file is damaged there. Report those cells and check the row no further.
            for column in damaged:
                issues.append(
                    ImportIssue(
                        row=row.number,
                        field=column,
                        message=_("Contains a NUL character (a damaged cell); remove it."),
                    )
                )
            continue
        errors: dict[str, str] = {}
        name = values["name"]
        if not name:
            errors["name"] = _("The name is missing.")
        tax_id = None
        try:
            tax_id = tax_id_clean(values["tax_id"])
        except ValidationError as error:
            errors["tax_id"] = error.messages[0]
        references = {}
        for column, table, message in (
            ("industry", industries, _("Unknown industry “%(value)s”.")),
            ("territory", territories, _("Unknown territory “%(value)s”.")),
        ):
            if values[column]:
                references[column] = table.get(values[column].casefold())
                if references[column] is None:
                    errors[column] = message % {"value": values[column]}
        choices = {}
        for column, choice_class, default in (
            ("segment", Segment, Segment.SMALL),
            ("tier", Tier, Tier.C),
            ("status", ClientStatus, ClientStatus.LEAD),
            ("source", Source, Source.INBOUND),
        ):
            if not values[column]:
                choices[column] = default
                continue
            choices[column] = _lookup_choice(values[column], choice_class)
            if choices[column] is None:
                errors[column] = _("“%(value)s” is not one of: %(allowed)s.") % {
                    "value": values[column],
                    "allowed": ", ".join(choice_class.values),
                }
        owner = by
        if values["owner"]:
            owner = owners.get(values["owner"].casefold())
            if owner is None:
                errors["owner"] = _("Unknown owner “%(value)s”.") % {"value": values["owner"]}
        if "owner" not in errors:
            try:
                assignable_owner_check(by=by, owner=owner)
            except ValidationError as error:
                errors["owner"] = error.message_dict["owner"][0]
        errors.update(
            _max_length_errors(
                Client,
                values,
                {
                    "name": "name",
                    "legal_name": "legal_name",
                    "phone": "phone",
                    "website": "website",
                    "address": "address",
                },
            )
        )
        contact = None
        contact_columns = ("contact_name", "contact_position", "contact_phone", "contact_email")
        if any(values[column] for column in contact_columns):
            contact = {
                "name": values["contact_name"],
                "position": values["contact_position"],
                "phone": values["contact_phone"],
                "email": values["contact_email"],
            }
            for field, message in _contact_errors(contact).items():
                errors[f"contact_{field}"] = message
            errors.update(
                _max_length_errors(
                    Contact,
                    values,
                    {"contact_name": "name", "contact_position": "position", "contact_phone": "phone"},
                )
            )
            decision = values["contact_decision_maker"].strip().casefold()
            if decision in _YES:
                contact["is_decision_maker"] = True
            elif decision not in _NO:
                errors["contact_decision_maker"] = _("Write yes or no.")
        elif values["contact_decision_maker"].strip().casefold() not in _NO:
            errors["contact_name"] = _("The contact's name is missing.")

        normalized = name_key(name) if name else ""
        if name and "tax_id" not in errors:
            for other_row, other_tax_id, other_name in keys:
                if same_company(tax_id, normalized, other_tax_id, other_name):
                    field = "tax_id" if tax_id and tax_id == other_tax_id else "name"
                    errors[field] = _("Duplicates row %(row)d of this file.") % {"row": other_row}
                    break
            else:
                keys.append((row.number, tax_id, normalized))
        for field, message in errors.items():
            issues.append(ImportIssue(row=row.number, field=field, message=str(message)))
        if not errors:
            prepared.append(
                {
                    "row": row.number,
                    "client": {
                        "name": name,
                        "normalized_name": normalized,
                        "legal_name": values["legal_name"],
                        "tax_id": tax_id,
                        "industry": references.get("industry"),
                        "territory": references.get("territory"),
                        "owner": owner,
                        "phone": values["phone"],
                        "website": values["website"],
                        "address": values["address"],
                        "notes": values["notes"],
                        **choices,
                    },
                    "contact": contact,
                }
            )

    # Twins of clients already in the base: one query for every name and tax id in the file.
    condition = Q(normalized_name__in=[normalized for _row, _tax, normalized in keys])
    condition |= Q(tax_id__in=[tax for _row, tax, _name in keys if tax])
    existing = list(Client.objects.filter(condition).only("pk", "name", "tax_id", "normalized_name"))
    if existing:
        visible = set(
            Client.objects.visible_to(by)
            .filter(pk__in=[client.pk for client in existing])
            .values_list("pk", flat=True)
        )
        duplicate_rows = set()
        for row_number, tax_id, normalized in keys:
            for client in existing:
                if same_company(tax_id, normalized, client.tax_id, client.normalized_name):
                    by_tax_id = bool(tax_id) and client.tax_id == tax_id
                    message = duplicate_message(
                        viewer=by, duplicate=client, by_tax_id=by_tax_id, visible=client.pk in visible
                    )
                    issues.append(
                        ImportIssue(row=row_number, field="tax_id" if by_tax_id else "name", message=message)
                    )
                    duplicate_rows.add(row_number)
                    break
        prepared = [item for item in prepared if item["row"] not in duplicate_rows]
    column_order = {key: index for index, key in enumerate(IMPORT_KEYS)}
    issues.sort(key=lambda issue: (issue.row or 0, column_order.get(issue.field, len(column_order))))
    return prepared, issues


@transaction.atomic
def client_import(*, by: User, file, check_only: bool = False) -> ClientImportResult:
    """Import clients (one optional contact per row) from a CSV or XLSX file. Every row is
    checked first — missing name, bad tax id, unknown owner, industry or territory, a twin
    of an existing client or of another row — and nothing is written unless every row is
    good. Twins are found by tax id, then by normalised name, so re-importing a file
    creates nothing twice."""
    ensure_can_add_clients(by)
    try:
        rows = read_import_file(file)
    except ImportFileError as error:
        return ClientImportResult(
            errors=[ImportIssue(row=error.row, field=error.field, message=error.message)]
        )
    prepared, issues = _import_prepare(by=by, rows=rows)
    result = ClientImportResult(
        rows=len(rows),
        errors=issues,
        checked_only=check_only,
        row_names={row.number: row.values["name"] for row in rows},
    )
    if issues or check_only:
        return result
    now = timezone.now()
    clients = [Client(**item["client"], owner_assigned_at=now, owner_assigned_by=by) for item in prepared]
    try:
        with transaction.atomic():
            clients = bulk_create_with_history(
                clients, Client, batch_size=500, default_user=by, default_change_reason=_("Imported")
            )
    except IntegrityError:
        # A client with one of these tax ids was saved while we were checking.
        result.errors = [
            ImportIssue(
                row=None,
                field="tax_id",
                message=_("Another user just added one of these clients; import again."),
            )
        ]
        return result
    contacts = [
        Contact(client=client, **_clean_contact(item["contact"]))
        for client, item in zip(clients, prepared, strict=True)
        if item["contact"]
    ]
    Contact.objects.bulk_create(contacts, batch_size=500)
    result.created = clients
    result.contacts_created = len(contacts)
    return result
