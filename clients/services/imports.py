"""The client import: every row checked against the references, the rules and each other;
nothing is written unless every row is good."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from dataclasses import field as dataclass_field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import Territory, User
from clients.history import IMPORTED
from clients.imports import IMPORT_KEYS, ImportFileError, ImportRow, read_import_file
from clients.models import Client, ClientStatus, Contact, Industry, Segment, Source, Tier
from clients.rules import assignable_owner_check, ensure_can_add_clients
from clients.services.checks import duplicate_message, name_key, same_company, tax_id_clean
from clients.services.contacts import contact_cleaned, contact_errors


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


@dataclass
class _References:
    """What the file's words refer to, read once for the whole file."""

    industries: dict[str, Industry]
    territories: dict[str, Territory]
    owners: dict[str, User]  # by lower-cased username, only people the importer sees


@dataclass
class _SeenRows:
    """The good rows' identities so far: (row, tax id, normalised name)."""

    keys: list[tuple[int, str | None, str]] = dataclass_field(default_factory=list)


def _import_references(*, by: User, rows: list[ImportRow]) -> _References:
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
    return _References(
        industries={industry.name.casefold(): industry for industry in Industry.objects.all()},
        territories={territory.name.casefold(): territory for territory in Territory.objects.all()},
        owners=owners,
    )


def _damaged_cells(row: ImportRow) -> list[ImportIssue]:
    """PostgreSQL can neither store nor look up text with NUL, and nobody types it: the file
    is damaged there. Those cells are reported and the row is checked no further."""
    return [
        ImportIssue(
            row=row.number,
            field=column,
            message=_("Contains a NUL character (a damaged cell); remove it."),
        )
        for column, value in row.values.items()
        if "\x00" in value
    ]


def _check_tax_id(values: Mapping[str, str], errors: dict) -> str | None:
    try:
        return tax_id_clean(values["tax_id"])
    except ValidationError as error:
        errors["tax_id"] = error.messages[0]
        return None


def _check_references(values: Mapping[str, str], references: _References, errors: dict) -> dict:
    found = {}
    for column, table, message in (
        ("industry", references.industries, _("Unknown industry “%(value)s”.")),
        ("territory", references.territories, _("Unknown territory “%(value)s”.")),
    ):
        if values[column]:
            found[column] = table.get(values[column].casefold())
            if found[column] is None:
                errors[column] = message % {"value": values[column]}
    return found


def _check_choices(values: Mapping[str, str], errors: dict) -> dict[str, str | None]:
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
    return choices


def _check_owner(
    values: Mapping[str, str], *, by: User, references: _References, errors: dict
) -> User | None:
    owner = by
    if values["owner"]:
        owner = references.owners.get(values["owner"].casefold())
        if owner is None:
            errors["owner"] = _("Unknown owner “%(value)s”.") % {"value": values["owner"]}
            return None
    try:
        assignable_owner_check(by=by, owner=owner)
    except ValidationError as error:
        errors["owner"] = error.message_dict["owner"][0]
    return owner


_CLIENT_LENGTHS = {
    "name": "name",
    "legal_name": "legal_name",
    "phone": "phone",
    "website": "website",
    "address": "address",
}
_CONTACT_LENGTHS = {"contact_name": "name", "contact_position": "position", "contact_phone": "phone"}
_CONTACT_COLUMNS = ("contact_name", "contact_position", "contact_phone", "contact_email")


def _check_contact(values: Mapping[str, str], errors: dict) -> dict | None:
    """The row's contact (None when it has none)."""
    decision = values["contact_decision_maker"].strip().casefold()
    if not any(values[column] for column in _CONTACT_COLUMNS):
        if decision not in _NO:
            errors["contact_name"] = _("The contact's name is missing.")
        return None
    contact = {
        "name": values["contact_name"],
        "position": values["contact_position"],
        "phone": values["contact_phone"],
        "email": values["contact_email"],
    }
    for field, message in contact_errors(contact).items():
        errors[f"contact_{field}"] = message
    errors.update(_max_length_errors(Contact, values, _CONTACT_LENGTHS))
    if decision in _YES:
        contact["is_decision_maker"] = True
    elif decision not in _NO:
        errors["contact_decision_maker"] = _("Write yes or no.")
    return contact


def _check_twin_in_file(
    row: ImportRow, *, tax_id: str | None, normalized: str, seen: _SeenRows, errors: dict
) -> None:
    """A row naming the same company as an earlier good row is a twin; else it joins them."""
    if not row.values["name"] or "tax_id" in errors:
        return
    for other_row, other_tax_id, other_name in seen.keys:
        if same_company(tax_id, normalized, other_tax_id, other_name):
            field = "tax_id" if tax_id and tax_id == other_tax_id else "name"
            errors[field] = _("Duplicates row %(row)d of this file.") % {"row": other_row}
            return
    seen.keys.append((row.number, tax_id, normalized))


def _check_row(
    row: ImportRow, *, by: User, references: _References, seen: _SeenRows
) -> tuple[dict[str, str], dict]:
    """The row's problems by column, and the client (with its contact) it would create."""
    values = row.values
    errors: dict[str, str] = {}
    name = values["name"]
    if not name:
        errors["name"] = _("The name is missing.")
    tax_id = _check_tax_id(values, errors)
    found = _check_references(values, references, errors)
    choices = _check_choices(values, errors)
    owner = _check_owner(values, by=by, references=references, errors=errors)
    errors.update(_max_length_errors(Client, values, _CLIENT_LENGTHS))
    contact = _check_contact(values, errors)
    normalized = name_key(name) if name else ""
    _check_twin_in_file(row, tax_id=tax_id, normalized=normalized, seen=seen, errors=errors)
    item = {
        "row": row.number,
        "client": {
            "name": name,
            "normalized_name": normalized,
            "legal_name": values["legal_name"],
            "tax_id": tax_id,
            "industry": found.get("industry"),
            "territory": found.get("territory"),
            "owner": owner,
            "phone": values["phone"],
            "website": values["website"],
            "address": values["address"],
            "notes": values["notes"],
            **choices,
        },
        "contact": contact,
    }
    return errors, item


def _twins_in_base(*, by: User, seen: _SeenRows) -> tuple[list[ImportIssue], set[int]]:
    """Rows naming a client already in the base: one query for every name and tax id in the
    file. Returns the issues and the rows they are on."""
    condition = Q(normalized_name__in=[normalized for _row, _tax, normalized in seen.keys])
    condition |= Q(tax_id__in=[tax for _row, tax, _name in seen.keys if tax])
    existing = list(Client.objects.filter(condition).only("pk", "name", "tax_id", "normalized_name"))
    if not existing:
        return [], set()
    visible = set(
        Client.objects.visible_to(by)
        .filter(pk__in=[client.pk for client in existing])
        .values_list("pk", flat=True)
    )
    issues, duplicate_rows = [], set()
    for row_number, tax_id, normalized in seen.keys:
        twin = next(
            (
                client
                for client in existing
                if same_company(tax_id, normalized, client.tax_id, client.normalized_name)
            ),
            None,
        )
        if twin is None:
            continue
        by_tax_id = bool(tax_id) and twin.tax_id == tax_id
        message = duplicate_message(
            viewer=by, duplicate=twin, by_tax_id=by_tax_id, visible=twin.pk in visible
        )
        issues.append(ImportIssue(row=row_number, field="tax_id" if by_tax_id else "name", message=message))
        duplicate_rows.add(row_number)
    return issues, duplicate_rows


def _import_prepare(*, by: User, rows: list[ImportRow]) -> tuple[list[dict], list[ImportIssue]]:
    """Check every row against the references, the rules and each other; return the
    clients to create (as keyword dicts) and every problem found."""
    references = _import_references(by=by, rows=rows)
    seen = _SeenRows()
    issues: list[ImportIssue] = []
    prepared: list[dict] = []
    for row in rows:
        damaged = _damaged_cells(row)
        if damaged:
            issues.extend(damaged)
            continue
        errors, item = _check_row(row, by=by, references=references, seen=seen)
        issues.extend(
            ImportIssue(row=row.number, field=field, message=str(message))
            for field, message in errors.items()
        )
        if not errors:
            prepared.append(item)
    twin_issues, duplicate_rows = _twins_in_base(by=by, seen=seen)
    issues.extend(twin_issues)
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
                clients, Client, batch_size=500, default_user=by, default_change_reason=IMPORTED
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
        Contact(client=client, **contact_cleaned(item["contact"]))
        for client, item in zip(clients, prepared, strict=True)
        if item["contact"]
    ]
    Contact.objects.bulk_create(contacts, batch_size=500)
    result.created = clients
    result.contacts_created = len(contacts)
    return result
