"""Reading client import files (CSV and XLSX) into rows, and the template that shows the
columns. Nothing here writes: ``clients.services.client_import`` validates and creates."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_IMPORT_ROWS = 5000
MAX_IMPORT_BYTES = 5 * 1024 * 1024
# An XLSX is a zip: 5 MB of upload can hold gigabytes of XML. These bound the work a file
# can cause (settings of the same names override them).
MAX_IMPORT_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_IMPORT_COLUMNS = 100
# Every cell, notes included (a text field with no length of its own in the database).
MAX_IMPORT_CELL_LENGTH = 10_000
# Empty rows between the data count too, up to this many beyond the row limit.
EMPTY_ROW_ALLOWANCE = 1000


def _limit(name: str, default: int) -> int:
    return getattr(settings, name, default)


def max_rows() -> int:
    return _limit("IMPORT_MAX_ROWS", MAX_IMPORT_ROWS)


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


class FormulaWithoutValue:
    """An XLSX cell holding a formula whose result was never saved (a file written by a
    program that does not calculate): its value is unknown, which is not the same as empty."""

    def __init__(self, coordinate: str):
        self.coordinate = coordinate

    def __str__(self) -> str:
        return ""


_WORD = re.compile(r"[^\W\d_]+")


def _is_cyrillic(letter: str) -> bool:
    return "\u0400" <= letter <= "\u04ff"


def _looks_cyrillic(text: str) -> bool:
    """Text decoded as Windows-1251 is Russian when it has Cyrillic words and no word mixes
    Cyrillic with Latin letters (Latin-1 "Café" read as Windows-1251 is "Cafй")."""
    words = [word for word in _WORD.findall(text) if not word.isascii()]
    return bool(words) and all(all(_is_cyrillic(letter) for letter in word) for word in words)


def _looks_western(text: str) -> bool:
    """Text decoded as Windows-1252 is Western European when every word with an accented
    letter also has a plain Latin one ("Müller", "Café"); Russian read as Windows-1252 is
    words of accented letters only ("Ðîìàøêà")."""
    words = [word for word in _WORD.findall(text) if not word.isascii()]
    return bool(words) and all(
        any(letter.isascii() for letter in word) and not any(_is_cyrillic(letter) for letter in word)
        for word in words
    )


def decode_csv(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without a byte-order mark); otherwise
    Windows-1251 or Windows-1252 (Latin-1) when the text reads as Russian or as Western
    European for sure. Anything else is refused, never imported as garbage."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding, plausible in (("cp1251", _looks_cyrillic), ("cp1252", _looks_western)):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if plausible(text):
            candidates.append(text)
    if len(candidates) == 1:
        return candidates[0]
    raise ImportFileError(
        _(
            "The file is not UTF-8 text and its encoding cannot be told for sure. Accepted are "
            "UTF-8, Windows-1251 (Cyrillic) and Windows-1252 (Western European). Save the file "
            "as “CSV UTF-8” (in Excel: File › Save As › CSV UTF-8) and import it again."
        )
    )


def _raw_row_limit() -> int:
    return max_rows() + 1 + EMPTY_ROW_ALLOWANCE


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)d rows; split it into smaller files.") % {"limit": max_rows()}
    )


def _read_csv(data: bytes) -> list[list[str]]:
    text = decode_csv(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    rows = []
    limit = _raw_row_limit()
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            rows.append(row)
            if len(rows) > limit:
                raise _too_many_rows()
    except csv.Error as error:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None
    return rows


def _check_uncompressed_size(data: bytes) -> None:
    """Refuse a workbook whose parts unpack to more than the limit, before parsing any of
    it (a zip member never unpacks to more than the size its header declares)."""
    unreadable = ImportFileError(_("The file is not a readable XLSX workbook."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise unreadable from None
    limit = _limit("IMPORT_MAX_UNCOMPRESSED_BYTES", MAX_IMPORT_UNCOMPRESSED_BYTES)
    if total > limit:
        raise ImportFileError(
            _(
                "The workbook unpacks to more than %(limit)d MB; import a smaller file "
                "(only the first sheet, without pictures)."
            )
            % {"limit": limit // (1024 * 1024)}
        )


def _read_xlsx(data: bytes) -> list[list]:
    """The first sheet's rows (at most the column limit wide), read twice in step: once for
    the saved values and once for the formulas, so a formula without a saved value is
    reported instead of read as an empty cell."""
    from openpyxl import load_workbook

    _check_uncompressed_size(data)
    try:
        values_book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas_book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors for a broken file
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from None
    columns = _limit("IMPORT_MAX_COLUMNS", MAX_IMPORT_COLUMNS)
    limit = _raw_row_limit()
    try:
        # The declared dimension may be anything: iterate with explicit bounds, never the
        # sheet's own (a one-cell file can claim a million rows by 16,384 columns).
        value_rows = values_book.worksheets[0].iter_rows(max_col=columns, values_only=True)
        formula_rows = formulas_book.worksheets[0].iter_rows(max_col=columns)
        rows: list[list] = []
        for values, cells in zip(value_rows, formula_rows, strict=False):
            row = []
            for value, cell in zip(values, cells, strict=False):
                if value is None and getattr(cell, "data_type", None) == "f":
                    row.append(FormulaWithoutValue(cell.coordinate))
                else:
                    row.append(_text(value))
            rows.append(row)
            if len(rows) > limit:
                raise _too_many_rows()
        return rows
    except ImportFileError:
        raise
    except Exception:  # a damaged sheet fails while it is read, not only when opened
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from None
    finally:
        values_book.close()
        formulas_book.close()


def read_import_file(uploaded) -> list[ImportRow]:
    """The data rows of an uploaded CSV or XLSX file, keyed by column; empty rows skipped."""
    table = _read_table(uploaded)
    header_row_index, header = _read_header(table)
    rows: list[ImportRow] = []
    cell_length = _limit("IMPORT_MAX_CELL_LENGTH", MAX_IMPORT_CELL_LENGTH)
    for index, cells in enumerate(table[header_row_index + 1 :], start=header_row_index + 2):
        values = _row_values(header, cells, row_number=index, cell_length=cell_length)
        if not any(values.values()):
            continue
        rows.append(ImportRow(number=index, values=values))
        if len(rows) > max_rows():
            raise _too_many_rows()
    if not rows:
        raise ImportFileError(_("The file has no rows of clients under its header."))
    return rows


def _read_table(uploaded) -> list:
    """The uploaded file's cells, row by row, after the size and emptiness checks."""
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
    return table


def _read_header(table: list) -> tuple[int, list[str | None]]:
    """The index of the first non-empty row and the column key of each of its cells (None for a
    column we do not import, or for a repeat of a column already named)."""
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
    return header_row_index, header


def _row_values(header: list[str | None], cells, *, row_number: int, cell_length: int) -> dict[str, str]:
    """One data row as text keyed by column, every import column present (empty when absent)."""
    values = dict.fromkeys(IMPORT_KEYS, "")
    for key, cell in zip(header, cells, strict=False):
        if key is None:
            continue
        if isinstance(cell, FormulaWithoutValue):
            raise ImportFileError(
                _(
                    "Cell %(cell)s is a formula without a saved value; open the file in a "
                    "spreadsheet program, save it with its values and import it again."
                )
                % {"cell": cell.coordinate},
                row=row_number,
                field=key,
            )
        values[key] = _text(cell)
        if len(values[key]) > cell_length:
            raise ImportFileError(
                _("The cell is longer than %(limit)d characters.") % {"limit": cell_length},
                row=row_number,
                field=key,
            )
    return values


def template_headers() -> list[str]:
    return list(IMPORT_KEYS)


def template_help_rows() -> list[list[str]]:
    return [[column.key, str(column.label), str(column.help)] for column in IMPORT_COLUMNS]
