"""The report pages, the not-renewed list and the alerts list come from one table each
(reports.tables): every export's header is its table's export columns, sorting is
``?ordering=`` and stays within the scope groups."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.tables import export_header
from reports.models import OverdueAlert
from reports.services.runs import REPORT_KINDS, report_run_execute
from reports.tables import (
    ActivityTable,
    AlertTable,
    ConversionTable,
    CoverageTable,
    FulfilmentTable,
    NotRenewedTable,
    RenewalTable,
)
from tests.factories import UserFactory
from tests.reports.conftest import AS_OF, make_deal

pytestmark = pytest.mark.django_db

TABLES = {
    "conversion": ConversionTable,
    "renewal": RenewalTable,
    "activity": ActivityTable,
    "fulfilment": FulfilmentTable,
    "coverage": CoverageTable,
}


def _header(response) -> list[str]:
    return next(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def _export_header(table_class) -> list[str]:
    return [export_header(column) for column in table_class([]).export_columns()]


def _rows(response) -> str:
    assert response.status_code == 200
    content = response.content.decode()
    start = content.index('data-testid="report-table"')
    return content[start : content.index("</table>", start)]


@pytest.mark.parametrize("page", list(TABLES))
def test_each_reports_export_header_is_its_tables_export_columns(client, reporting, page):
    client.force_login(reporting.head)
    response = client.get(reverse(f"reports:{page}"), {"export": "csv"})
    header = _header(response)
    assert header == _export_header(TABLES[page])
    assert header[:3] == ["Period", "Scope", "Name"]


def test_the_not_renewed_and_the_alerts_exports_use_their_tables(client, reporting):
    client.force_login(reporting.head)
    response = client.get(reverse("reports:renewal"), {"export": "csv", "list": "not_renewed"})
    assert _header(response) == _export_header(NotRenewedTable)
    response = client.get(reverse("reports:alerts"), {"export": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="overdue-alerts.csv"'
    assert _header(response) == _export_header(AlertTable)


@pytest.mark.parametrize("column", ["booked", "forecast"])
def test_a_report_sorts_both_ways_within_each_scope_group(client, reporting, column):
    d = reporting
    client.force_login(d.head)
    people = (d.rep_north, d.rep_south, d.rep_north_2)
    up = _rows(client.get(reverse("reports:fulfilment"), {"ordering": column}))
    down = _rows(client.get(reverse("reports:fulfilment"), {"ordering": f"-{column}"}))
    for rows in (up, down):
        # Department first, then teams, then people.
        assert rows.index("Department") < rows.index("North <span") < rows.index(d.rep_north.full_name)
    order_up = sorted(people, key=lambda person: up.index(person.full_name))
    order_down = sorted(people, key=lambda person: down.index(person.full_name))
    assert order_up == list(reversed(order_down)) or column == "forecast"
    assert 'aria-sort="ascending"' in up and 'aria-sort="descending"' in down


@pytest.mark.parametrize("ordering", [",", "", "-", "nonsense", "who,,", "-nope"])
def test_an_empty_or_unknown_ordering_answers_the_default_order(client, reporting, ordering):
    client.force_login(reporting.head)
    default = _rows(client.get(reverse("reports:conversion")))
    assert _rows(client.get(reverse("reports:conversion"), {"ordering": ordering})).count(
        "<tr"
    ) == default.count("<tr")
    response = client.get(reverse("reports:alerts"), {"ordering": ordering})
    assert response.status_code == 200


def test_alerts_sort_both_ways(client, reporting):
    client.force_login(reporting.head)
    north = OverdueAlert.objects.get(installment__deal__owner=reporting.rep_north)
    south = OverdueAlert.objects.get(installment__deal__owner=reporting.rep_south)

    def order(value):
        content = client.get(reverse("reports:alerts"), {"ordering": value}).content.decode()
        return content.index(f'id="alert-{north.pk}"') < content.index(f'id="alert-{south.pk}"')

    assert order("days") is True and order("-days") is False
    assert order("-days") is order("")  # most days overdue first by default


def test_a_report_page_runs_a_constant_number_of_queries(client, reporting, django_assert_num_queries):
    d = reporting
    client.force_login(d.head)
    url = reverse("reports:fulfilment")
    with CaptureQueriesContext(connection) as small:
        rows = _rows(client.get(url, {"ordering": "-booked"}))
    before = rows.count("<tr>")
    for number in range(6):
        person = UserFactory(username=f"more{number}", role="rep", team=d.north)
        make_deal(person, stage_name="Won", closed=datetime.date(2026, 3, 11))
    for kind in REPORT_KINDS:
        report_run_execute(kind=kind, run_date=AS_OF)
    with django_assert_num_queries(len(small)):
        rows = _rows(client.get(url, {"ordering": "-booked"}))
    assert rows.count("<tr>") == before + 6
