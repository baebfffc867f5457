"""The client list and its export come from one table (clients/tables.py): the export's
heading is the table's export columns, sorting is ``?ordering=`` of a column (both ways, rows
without a value last), a bad ordering is ignored, and page and export run a constant number
of queries."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.tables import ClientTable
from tests.factories import ActivityFactory, ClientFactory, IndustryFactory, TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db

ALDER, BIRCH, CEDAR = "Qx Alder", "Qx Birch", "Qx Cedar"


@pytest.fixture
def trio(department):
    """Three clients with a different value in every sortable column (some empty)."""
    owners = [
        UserFactory(username=f"owner_{last}", last_name=last, team=department.north)
        for last in ("Young", "Xu", "Wolf")
    ]
    alder = ClientFactory(
        name=ALDER,
        owner=owners[0],
        status="prospect",
        tier="B",
        industry=IndustryFactory(name="Mining"),
        territory=None,
        tax_id="7701999001",
    )
    birch = ClientFactory(
        name=BIRCH,
        owner=owners[1],
        status="lead",
        tier="A",
        industry=None,
        territory=TerritoryFactory(name="West"),
    )
    cedar = ClientFactory(
        name=CEDAR,
        owner=owners[2],
        status="customer",
        tier="C",
        industry=IndustryFactory(name="Agriculture"),
        territory=TerritoryFactory(name="East"),
    )
    ActivityFactory(client=alder, owner=owners[0], occurred_at=timezone.now() - datetime.timedelta(days=1))
    ActivityFactory(client=birch, owner=owners[1], occurred_at=timezone.now() - datetime.timedelta(days=5))
    return alder, birch, cedar


def shown_in_order(client, **params) -> list[str]:
    response = client.get(reverse("clients:list"), {"search": "Qx", **params})
    assert response.status_code == 200
    page = response.content.decode()
    return sorted((name for name in (ALDER, BIRCH, CEDAR) if name in page), key=page.index)


def exported(client, export_format="csv", **params) -> list[list[str]]:
    response = client.get(reverse("clients:export", args=[export_format]), params)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_export_heading_is_the_tables_export_columns(client, department, trio):
    client.force_login(department.head)
    rows = exported(client, search="Qx")
    assert rows[0] == [str(column.header) for column in ClientTable([]).export_columns()]
    # the import's columns first, so an exported file imports back
    assert rows[0] == [
        "Name",
        "Legal name",
        "Tax id",
        "Industry",
        "Segment",
        "Territory",
        "Tier",
        "Status",
        "Source",
        "Owner (username)",
        "Owner name",
        "Team",
        "Phone",
        "Website",
        "Address",
        "Last activity",
        "Created",
    ]
    alder = next(row for row in rows if row[0] == ALDER)
    assert alder[:11] == [ALDER, "", "7701999001", "Mining", "Small", "", "B", "Prospect", "Inbound"] + [
        "owner_Young",
        trio[0].owner.full_name,
    ]
    assert alder[11] == "North"


def test_the_page_shows_the_visible_columns_and_not_the_export_only_ones(client, department, trio):
    client.force_login(department.head)
    page = client.get(reverse("clients:list"), {"search": "Qx"}).content.decode()
    for heading in ("Name", "Status", "Tier", "Industry", "Territory", "Owner", "Last activity"):
        assert f">{heading}</a>" in page, heading
    assert "Owner (username)" not in page and "Legal name" not in page
    assert page.count('class="client-name"') == 3
    assert '<small class="muted tax-id">7701999001</small>' in page
    assert '<span class="badge tier-B">B</span>' in page


@pytest.mark.parametrize(
    ("column", "ascending", "descending"),
    [
        ("name", [ALDER, BIRCH, CEDAR], [CEDAR, BIRCH, ALDER]),
        ("status", [CEDAR, BIRCH, ALDER], [ALDER, BIRCH, CEDAR]),  # by the stored value
        ("tier", [BIRCH, ALDER, CEDAR], [CEDAR, ALDER, BIRCH]),
        ("industry", [CEDAR, ALDER, BIRCH], [ALDER, CEDAR, BIRCH]),  # none last both ways
        ("territory", [CEDAR, BIRCH, ALDER], [BIRCH, CEDAR, ALDER]),
        ("owner", [CEDAR, BIRCH, ALDER], [ALDER, BIRCH, CEDAR]),  # by last name
        ("last_activity", [BIRCH, ALDER, CEDAR], [ALDER, BIRCH, CEDAR]),  # never last
    ],
)
def test_sorting_by_each_column_both_ways(client, department, trio, column, ascending, descending):
    client.force_login(department.head)
    assert shown_in_order(client, ordering=column) == ascending
    assert shown_in_order(client, ordering=f"-{column}") == descending
    # the export follows the page's order
    assert [row[0] for row in exported(client, search="Qx", ordering=f"-{column}")[1:]] == descending


def test_the_sorted_column_links_to_the_other_direction_through_htmx(client, department, trio):
    client.force_login(department.head)
    page = client.get(reverse("clients:list"), {"search": "Qx", "ordering": "tier"}).content.decode()
    assert 'aria-sort="ascending"' in page
    assert 'href="?search=Qx&amp;ordering=-tier"' in page
    assert 'hx-boost="true"' in page and 'hx-target="#client-results"' in page
    response = client.get(
        reverse("clients:list"),
        {"search": "Qx", "ordering": "-tier"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="client-results",
    )
    assert "<html" not in response.content.decode()
    assert 'aria-sort="descending"' in response.content.decode()


@pytest.mark.parametrize("ordering", [",", "-", "", ",,tier", "unknown", "-phone_secret", "owner__password"])
def test_a_bad_ordering_is_ignored_and_the_default_order_used(client, department, trio, ordering):
    client.force_login(department.head)
    assert shown_in_order(client, ordering=ordering) == [ALDER, BIRCH, CEDAR]  # by name
    assert [row[0] for row in exported(client, search="Qx", ordering=ordering)[1:]] == [ALDER, BIRCH, CEDAR]


def test_page_and_export_answer_with_their_rows_in_a_constant_number_of_queries(
    client, department, trio, django_assert_num_queries
):
    client.force_login(department.head)

    def page_rows() -> int:
        response = client.get(reverse("clients:list"), {"ordering": "-last_activity"})
        assert response.status_code == 200
        return response.content.decode().count('class="client-name"')

    def export_rows() -> int:
        return len(exported(client, "csv", ordering="-owner")) - 1

    # the user, owner and team choices, industry and territory choices, saved views, count, page
    with django_assert_num_queries(8):
        assert page_rows() == 3
    with django_assert_num_queries(2):  # the user, the rows
        assert export_rows() == 3
    for owner in (department.rep_north, department.rep_south):
        for grown in ClientFactory.create_batch(30, owner=owner, industry=IndustryFactory()):
            ActivityFactory(client=grown, owner=owner)
    with django_assert_num_queries(8):
        assert page_rows() == 50  # one page of 63
    with django_assert_num_queries(2):
        assert export_rows() == 63
