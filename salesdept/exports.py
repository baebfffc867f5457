"""CSV and XLSX downloads of a list, shared by every page that exports.

Rows are streamed from an iterator so an export of a large filtered list does not build
the whole file in memory (CSV) or keeps only one row at a time in Python (XLSX in
write-only mode)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

EXPORT_FORMATS = ("csv", "xlsx")


class _Echo:
    def write(self, value):
        return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, Decimal | int | float | datetime.date):
        return value
    return str(value)


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
            yield writer.writerow(["" if value is None else str(value) for value in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
