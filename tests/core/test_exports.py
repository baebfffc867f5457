"""CSV and XLSX downloads shared by every list page."""

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from core.exports import export_response

HEADERS = ["Name", "Amount", "Phone", "Note"]
ROWS = [
    ['=HYPERLINK("http://evil")', Decimal("-12.50"), "+7 495 123-45-67", "Plain & simple"],
    [None, 3, "@sum", "-x"],
    ["+SUM(A1:A9)", 0, "-2+3", "ok"],
]


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(body)))


def test_csv_keeps_values_and_defuses_formulas():
    response = export_response(filename="clients", headers=HEADERS, rows=ROWS, export_format="csv")
    assert response["Content-Disposition"] == 'attachment; filename="clients.csv"'
    assert csv_rows(response) == [
        HEADERS,
        ['\'=HYPERLINK("http://evil")', "-12.50", "+7 495 123-45-67", "Plain & simple"],
        ["", "3", "'@sum", "'-x"],
        ["'+SUM(A1:A9)", "0", "'-2+3", "ok"],
    ]


def test_xlsx_keeps_numbers_as_numbers_and_text_as_text():
    response = export_response(filename="clients", headers=HEADERS, rows=ROWS, export_format="xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="clients.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        HEADERS,
        ['\'=HYPERLINK("http://evil")', -12.5, "+7 495 123-45-67", "Plain & simple"],
        [None, 3, "@sum", "-x"],
        ["+SUM(A1:A9)", 0, "-2+3", "ok"],
    ]
