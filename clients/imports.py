"""Reading client import files (CSV and XLSX) into rows, and the template that shows the
columns. Nothing here writes: ``clients.services.client_import`` validates and creates."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_IMPORT_ROWS = 5000
MAX_IMPORT_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class ImportColumn:
    key: str
    label: Promise
    help: Promise


IMPORT_COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn("name", gettext_lazy("Name"), gettext_lazy("Required. The company's usual name.")),
    ImportColumn("legal_name", gettext_lazy("Legal name"), gettext_lazy("Optional.")),
    ImportColumn(
        "tax_id",
        gettext_lazy("Tax id"),
        gettext_lazy("Optional; 8 to 20 letters and digits. Unique: a client with it must not exist."),
    ),
    ImportColumn("industry", gettext_lazy("Industry"), gettext_lazy("Optional; one of the industries.")),
    ImportColumn(
        "segment", gettext_lazy("Segment"), gettext_lazy("small, mid or enterprise (default small).")
    ),
    ImportColumn("territory", gettext_lazy("Territory"), gettext_lazy("Optional; one of the territories.")),
    ImportColumn("tier", gettext_lazy("Tier"), gettext_lazy("A, B or C (default C).")),
    ImportColumn(
        "status",
        gettext_lazy("Status"),
        gettext_lazy("lead, prospect, customer or former (default lead)."),
    ),
    ImportColumn(
        "source",
        gettext_lazy("Source"),
        gettext_lazy(
            "inbound, cold_call, referral, exhibition, website, partner or tender (default inbound)."
        ),
    ),
    ImportColumn(
        "owner",
        gettext_lazy("Owner (username)"),
        gettext_lazy("Optional; the username of the owner. Empty: you."),
    ),
    ImportColumn("phone", gettext_lazy("Phone"), gettext_lazy("Optional.")),
    ImportColumn("website", gettext_lazy("Website"), gettext_lazy("Optional.")),
    ImportColumn("address", gettext_lazy("Address"), gettext_lazy("Optional.")),
    ImportColumn("notes", gettext_lazy("Notes"), gettext_lazy("Optional.")),
    ImportColumn(
        "contact_name",
        gettext_lazy("Contact name"),
        gettext_lazy("Optional; required when any other contact column is filled."),
    ),
    ImportColumn("contact_position", gettext_lazy("Contact position"), gettext_lazy("Optional.")),
    ImportColumn("contact_phone", gettext_lazy("Contact phone"), gettext_lazy("Optional.")),
    ImportColumn("contact_email", gettext_lazy("Contact e-mail"), gettext_lazy("Optional.")),
    ImportColumn(
        "contact_decision_maker",
        gettext_lazy("Contact is decision maker"),
        gettext_lazy("yes / no (default no)."),
    ),
)
IMPORT_KEYS = tuple(column.key for column in IMPORT_COLUMNS)


class ImportFileError(Exception):
    """The file cannot be read as a table of clients at all."""

    def __init__(self, message: str, *, row: int | None = None, field: str = "file"):
        super().__init__(message)
        self.message = message
        self.row = row
        self.field = field


@dataclass
class ImportRow:
    number: int  # the row number a spreadsheet program shows (the header is row 1)
    values: dict[str, str]


def _header_lookup() -> dict[str, str]:
    """Header text (case-insensitive) → column key: the key itself, and the column's label
    in English and in the active language (so an exported list can be imported back)."""
    lookup: dict[str, str] = {}
    for column in IMPORT_COLUMNS:
        lookup[column.key] = column.key
        lookup[column.key.replace("_", " ")] = column.key
        lookup[str(column.label).casefold()] = column.key
        with translation.override("en"):
            lookup[str(column.label).casefold()] = column.key
    return lookup


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def _read_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("The file is neither UTF-8 nor Windows-1251 text."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as error:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a broken file
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_text(value) for value in row])
            if len(rows) > MAX_IMPORT_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def read_import_file(uploaded) -> list[ImportRow]:
    """The data rows of an uploaded CSV or XLSX file, keyed by column; empty rows skipped."""
    if uploaded is None:
        raise ImportFileError(_("Choose a CSV or XLSX file to import."))
    if getattr(uploaded, "size", 0) and uploaded.size > MAX_IMPORT_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB; split it into smaller files."))
    data = uploaded.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB; split it into smaller files."))
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    table = _read_xlsx(data) if data[:2] == b"PK" else _read_csv(data)
    if not any(any(_text(cell) for cell in row) for row in table):
        raise ImportFileError(_("The file is empty."))
    lookup = _header_lookup()
    header_row_index = next(index for index, row in enumerate(table) if any(_text(c) for c in row))
    header: list[str | None] = []
    for cell in table[header_row_index]:
        key = lookup.get(_text(cell).casefold())
        header.append(key if key not in header else None)  # the first column of a name wins
    if "name" not in header:
        raise ImportFileError(
            _("The first row must name the columns, including “name”. Download the template to see them."),
            row=header_row_index + 1,
            field="name",
        )
    rows: list[ImportRow] = []
    for index, cells in enumerate(table[header_row_index + 1 :], start=header_row_index + 2):
        values = dict.fromkeys(IMPORT_KEYS, "")
        for key, cell in zip(header, cells, strict=False):
            if key is not None:
                values[key] = _text(cell)
        if not any(values.values()):
            continue
        rows.append(ImportRow(number=index, values=values))
        if len(rows) > MAX_IMPORT_ROWS:
            raise ImportFileError(
                _("The file has more than %(limit)d rows; split it into smaller files.")
                % {"limit": MAX_IMPORT_ROWS}
            )
    if not rows:
        raise ImportFileError(_("The file has no rows of clients under its header."))
    return rows


def template_headers() -> list[str]:
    return list(IMPORT_KEYS)


def template_help_rows() -> list[list[str]]:
    return [[column.key, str(column.label), str(column.help)] for column in IMPORT_COLUMNS]
