"""The overdue list and its export come from one table (targets.tables.OverdueTable):
the export's header is the table's export columns, sorting is ``?ordering=``."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.tables import export_header
from targets.tables import OverdueTable
from tests.factories import OverdueReasonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(department, won_deal, installment_of, today):
    north = won_deal(department.rep_north, "1000.00", title="North deal", client__name="Northwind")
    installment_of(north, "400.00", today - datetime.timedelta(days=45), paid="100.00")
    south = won_deal(department.rep_south, "500.00", title="South deal", client__name="Southwind")
    line = installment_of(south, "500.00", today - datetime.timedelta(days=95))
    OverdueReasonFactory(installment=line, reason="Board approval pending")


def _html(client, params=None) -> str:
    response = client.get(reverse("targets:overdue"), params or {})
    assert response.status_code == 200
    content = response.content.decode()
    return content[content.index('data-testid="overdue-table"') :]


def test_the_export_header_is_the_tables_export_columns(client, department, overdue):
    client.force_login(department.head)
    response = client.get(reverse("targets:overdue"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    expected = [export_header(column) for column in OverdueTable([]).export_columns()]
    assert rows[0] == expected
    # amounts stay plain numbers; their headings name the currency
    assert rows[0][5:8] == ["Amount (RUB)", "Paid (RUB)", "Outstanding (RUB)"]
    assert rows[1][5:8] == ["500.00", "0.00", "500.00"]
    assert len(rows) == 3


@pytest.mark.parametrize(
    ("ordering", "first", "second"),
    [
        ("client", "Northwind", "Southwind"),
        ("-client", "Southwind", "Northwind"),
        ("outstanding", "Northwind", "Southwind"),
        ("-outstanding", "Southwind", "Northwind"),
        ("days", "Northwind", "Southwind"),
        ("-days", "Southwind", "Northwind"),
    ],
)
def test_sorting_both_ways(client, department, overdue, ordering, first, second):
    client.force_login(department.head)
    html = _html(client, {"ordering": ordering})
    assert html.index(first) < html.index(second)
    assert 'aria-sort="' in html


@pytest.mark.parametrize("ordering", [",", "", "-", "nonsense", "-nonsense,,", "deal"])
def test_an_empty_or_unknown_ordering_keeps_the_default_order(client, department, overdue, ordering):
    client.force_login(department.head)
    html = _html(client, {"ordering": ordering})
    assert html.index("Southwind") < html.index("Northwind")  # most days overdue first


def test_the_export_follows_the_ordering(client, department, overdue):
    client.force_login(department.head)
    response = client.get(reverse("targets:overdue"), {"export": "csv", "ordering": "client"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Northwind", "Southwind"]


def test_the_overdue_list_runs_a_constant_number_of_queries(
    client, department, overdue, won_deal, installment_of, today, django_assert_num_queries
):
    client.force_login(department.head)
    url = reverse("targets:overdue")
    with CaptureQueriesContext(connection) as small:
        response = client.get(url, {"ordering": "client"})
    assert response.status_code == 200
    assert response.content.decode().count('class="overdue-row') == 2
    for number in range(8):
        deal = won_deal(
            department.rep_north, "100.00", title=f"Extra {number}", client__name=f"Extra {number}"
        )
        installment_of(deal, "100.00", today - datetime.timedelta(days=5 + number))
    with django_assert_num_queries(len(small)):
        response = client.get(url, {"ordering": "client"})
    assert response.status_code == 200
    assert response.content.decode().count('class="overdue-row') == 10
