"""CSV and XLSX downloads of a list, shared by every page that exports.

Rows are streamed from an iterator so an export of a large filtered list does not build
the whole file in memory (CSV) or keeps only one row at a time in Python (XLSX in
write-only mode)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

EXPORT_FORMATS = ("csv", "xlsx")


class _Echo:
    def write(self, value):
        return value


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PHONE_LIKE = re.compile(r"^\+[\d\s()\-]*$")


def _text(value, *, for_csv: bool = True) -> str:
    """Text as a spreadsheet must show it: a cell that would start a formula (a client
    named "=HYPERLINK(...)") is prefixed with an apostrophe so it stays plain text. A phone
    number such as "+7 495 123-45-67" is left alone. In XLSX only "=" starts a formula."""
    text = str(value)
    if for_csv:
        dangerous = text.startswith(FORMULA_TRIGGERS) and not PHONE_LIKE.match(text)
    else:
        dangerous = text.startswith("=")
    return "'" + text if dangerous else text


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, Decimal | int | float | datetime.date):
        return value
    return _text(value, for_csv=False)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | int | float):
        return str(value)  # a negative number is a number, not a formula
    return _text(value)


def export_response(
    *, filename: str, headers: Sequence[str], rows: Iterable[Sequence], export_format: str
) -> HttpResponse:
    """A download of ``rows`` under ``headers`` as ``filename``.csv or .xlsx."""
    if export_format == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=filename[:31])
        sheet.append([str(h) for h in headers])
        for row in rows:
            sheet.append([_cell(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response

    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # a BOM, so that spreadsheet programs read UTF-8 names correctly
        yield writer.writerow([str(h) for h in headers])
        for row in rows:
            yield writer.writerow([_csv_cell(value) for value in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
