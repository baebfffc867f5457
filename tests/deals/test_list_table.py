"""The deal list and its export come from one table (deals/tables.py): the export's heading
is the table's export columns, sorting is ``?ordering=`` of a column (both ways, ties by id),
a bad ordering is ignored, old ``?sort=`` addresses still sort, and page and export run a
constant number of queries."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from core.tables import export_header
from deals.tables import DealTable
from tests.deals.conftest import make_deal
from tests.deals.test_deal_list import listed
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def four(department, stages):
    today = timezone.localdate()
    specs = [
        # title, owner, stage, amount, close in days, facts, client name
        ("Alpha", department.rep_north, "Proposal", "500.00", 10, 1, "Delta Client"),
        ("Bravo", department.rep_north_2, "Lead", "1500.00", -3, 2, "Charlie Client"),
        ("Charlie", department.rep_south, "Won", "3000.00", 30, 0, "Alpha Client"),
        ("Delta", department.lead_north, "Lost", "50.00", 5, 3, "Bravo Client"),
    ]
    return [
        make_deal(
            owner,
            title=title,
            stage=stage,
            amount=amount,
            expected_close=today + datetime.timedelta(days=days),
            facts=facts,
            client=ClientFactory(name=client_name, owner=owner),
        )
        for title, owner, stage, amount, days, facts, client_name in specs
    ]


SORT_KEYS = {
    "title": lambda deal: deal.title,
    "client": lambda deal: deal.client.name,
    "stage": lambda deal: deal.stage.order,
    "amount": lambda deal: deal.amount,
    "owner": lambda deal: deal.owner.last_name,
    "expected_close": lambda deal: deal.expected_close,
    "facts": lambda deal: deal.facts.count(),
}


def exported(client, **params) -> list[list[str]]:
    response = client.get(reverse("deals:list"), {"export": "csv", **params})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_export_heading_is_the_tables_export_columns(client, department, four):
    client.force_login(department.head)
    rows = exported(client)
    assert rows[0] == [export_header(column) for column in DealTable([]).export_columns()]
    assert rows[0] == [
        "ID",
        "Title",
        "Client",
        "Stage",
        "Amount (RUB)",
        "Probability, %",
        "Weighted (RUB)",
        "Type",
        "Owner",
        "Team",
        "Expected close",
        "Facts",
        "Next task",
        "Next task due",
        "Closed",
        "Lost reason",
        "Lost reason comment",
        "Created",
    ]
    alpha = next(row for row in rows if row[1] == "Alpha")
    assert alpha[:5] == [str(four[0].pk), "Alpha", "Delta Client", "Proposal", "500.00"]
    assert alpha[11] == "1"


def test_the_page_shows_the_visible_columns_and_not_the_export_only_ones(client, department, four):
    client.force_login(department.head)
    page = client.get(reverse("deals:list")).content.decode()
    for heading in ("Deal", "Client", "Stage", "Amount", "Owner", "Expected close", "Facts"):
        assert f">{heading}</a>" in page, heading
    for heading in ("Prob.", "Next task", "Warnings"):  # shown, not sortable
        assert heading in page and f">{heading}</a>" not in page, heading
    assert "Probability, %" not in page and "Lost reason" not in page
    assert '<span class="stage-pill kind-won">Won</span>' in page
    assert '<span class="fact-count">✔ 3</span>' in page
    assert '<td class="num">500.00\xa0₽</td>' in page  # an amount carries the department's currency


@pytest.mark.parametrize("column", sorted(SORT_KEYS))
def test_sorting_by_each_column_both_ways(client, department, four, column):
    client.force_login(department.head)
    ascending = [deal.title for deal in sorted(four, key=lambda deal: (SORT_KEYS[column](deal), deal.pk))]
    assert listed(client, ordering=column) == ascending
    assert listed(client, ordering=f"-{column}") == ascending[::-1]
    assert [row[1] for row in exported(client, ordering=f"-{column}")[1:]] == ascending[::-1]


def test_an_old_sort_address_sorts_and_its_links_say_ordering(client, department, four):
    client.force_login(department.head)
    assert listed(client, sort="-amount") == ["Charlie", "Bravo", "Alpha", "Delta"]
    page = client.get(reverse("deals:list"), {"sort": "amount"}).content.decode()
    assert 'href="?ordering=-amount"' in page
    assert 'href="?sort=' not in page and "&amp;sort=" not in page


@pytest.mark.parametrize("ordering", [",", "-", "", ",,amount", "unknown", "-owner__password", "warnings"])
def test_a_bad_ordering_is_ignored_and_the_default_order_used(client, department, four, ordering):
    client.force_login(department.head)
    newest_first = ["Delta", "Charlie", "Bravo", "Alpha"]
    assert listed(client, ordering=ordering) == newest_first
    assert [row[1] for row in exported(client, ordering=ordering)[1:]] == newest_first


def test_page_and_export_answer_with_their_rows_in_a_constant_number_of_queries(
    client, department, four, django_assert_num_queries
):
    client.force_login(department.head)
    # the user, warning policy, owner choices, team choices, stage choices, data version,
    # count + sum (the data changed since the last visit), saved views, page
    with django_assert_num_queries(9):
        assert len(listed(client, ordering="-facts")) == 4
    with django_assert_num_queries(3):  # the user, warning policy, the rows
        assert len(exported(client, ordering="owner")) - 1 == 4
    for number in range(60):
        person = UserFactory(username=f"seller{number}", team=department.north)
        make_deal(person, stage="Proposal", facts=number % 3)
    with django_assert_num_queries(9):
        assert len(listed(client, ordering="-facts")) == 50
    with django_assert_num_queries(3):
        assert len(exported(client, ordering="owner")) - 1 == 64


def test_the_department_currency_shows_on_the_list_and_names_the_export_amounts(
    client, department, four, settings
):
    settings.DEPARTMENT_CURRENCY = "CNY"
    client.force_login(department.head)
    page = client.get(reverse("deals:list")).content.decode()
    assert '<td class="num">500.00\xa0¥</td>' in page
    rows = exported(client)
    assert rows[0][4] == "Amount (CNY)" and rows[0][6] == "Weighted (CNY)"
    alpha = next(row for row in rows if row[1] == "Alpha")
    assert alpha[4] == "500.00"
