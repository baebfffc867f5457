"""The deal list: visibility, every filter (including the board's warnings), sorting,
pagination, exports and a constant number of queries."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from clients.models import Client
from core import tables as core_tables
from deals.models import Deal, DealType
from deals.tables import DealTable
from tests.deals.conftest import log_activity, make_deal, review
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def listed(client, **params) -> list[str]:
    """Titles on the list page, in order."""
    response = client.get(reverse("deals:list"), params)
    assert response.status_code == 200
    page = response.content.decode()
    return [
        line.split('">', 1)[1].split("</a>")[0]
        for line in page.splitlines()
        if '<td><a href="/deals/' in line
    ]


@pytest.fixture
def deals(department, stages):
    today = timezone.localdate()
    return {
        "alpha": make_deal(
            department.rep_north,
            stage="Proposal",
            title="Alpha",
            amount="500.00",
            facts=1,
            expected_close=today + datetime.timedelta(days=10),
        ),
        "bravo": make_deal(
            department.rep_north_2,
            stage="Lead",
            title="Bravo",
            amount="1500.00",
            expected_close=today - datetime.timedelta(days=3),
            next_step="",
        ),
        "charlie": make_deal(
            department.rep_south, stage="Won", title="Charlie", amount="3000.00", deal_type=DealType.RENEWAL
        ),
        "delta": make_deal(
            department.rep_south, stage="Lost", title="Delta", amount="50.00", lost_reason="Price"
        ),
    }


@pytest.mark.parametrize(
    ("viewer", "seen"),
    [
        ("head", {"Alpha", "Bravo", "Charlie", "Delta"}),
        ("analyst", {"Alpha", "Bravo", "Charlie", "Delta"}),
        ("lead_north", {"Alpha", "Bravo"}),
        ("assistant_north", {"Alpha", "Bravo"}),
        ("lead_south", {"Charlie", "Delta"}),
        ("rep_north", {"Alpha"}),
        ("sdr_north", set()),
        ("lead_without_team", set()),
    ],
)
def test_the_list_shows_what_the_viewer_may_see(client, department, deals, viewer, seen):
    client.force_login(getattr(department, viewer))
    assert set(listed(client)) == seen


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "open"}, {"Alpha", "Bravo"}),
        ({"status": "won"}, {"Charlie"}),
        ({"deal_type": "renewal"}, {"Charlie"}),
        ({"amount_min": "500", "amount_max": "1500"}, {"Alpha", "Bravo"}),
        ({"amount_min": "501"}, {"Bravo", "Charlie"}),
        ({"has_facts": "true"}, {"Alpha"}),
        ({"has_facts": "false"}, {"Bravo", "Charlie", "Delta"}),
        ({"q": "alp"}, {"Alpha"}),
        ({"warning": "past_close"}, {"Bravo"}),
        ({"warning": "no_open_task"}, {"Bravo"}),
    ],
)
def test_filters(client, department, deals, params, expected):
    client.force_login(department.head)
    assert set(listed(client, **params)) == expected


def test_a_search_shorter_than_a_trigram_matches_titles_and_client_names(client, department, deals):
    """One or two characters (no trigram index can serve them) still find a fragment anywhere
    in a title or a client's name, case-insensitively, as a longer search does."""
    deals["delta"].client.name = "Beta Logistics"
    deals["delta"].client.save()
    client.force_login(department.head)
    assert set(listed(client, q="lp")) == {"Alpha"}
    assert set(listed(client, q="ET")) == {"Delta"}  # the client's name
    assert set(listed(client, q="a")) == {"Alpha", "Bravo", "Charlie", "Delta"}
    assert set(listed(client, q="ta")) == {"Delta"}  # "Del-ta" and "Be-ta"
    assert set(listed(client, q="zz")) == set()


def test_filters_by_owner_team_stage_and_expected_close(client, department, deals, stages):
    client.force_login(department.head)
    today = timezone.localdate()
    assert listed(client, owner=department.rep_north_2.pk) == ["Bravo"]
    assert set(listed(client, team=department.south.pk)) == {"Charlie", "Delta"}
    assert listed(client, stage=stages["Proposal"].pk) == ["Alpha"]
    assert listed(client, expected_close_from=today.isoformat()) == ["Alpha"]
    assert listed(client, expected_close_to=today.isoformat()) == ["Bravo"]


def test_the_warning_filters_select_the_deals_the_board_counts(client, department, stages):
    silent = make_deal(department.rep_north, title="Silent", age_days=20)
    review(silent, department.lead_north, days_ago=1)
    busy = make_deal(department.rep_north, title="Busy", age_days=20)
    log_activity(busy, days_ago=1)
    client.force_login(department.lead_north)
    assert listed(client, warning="no_activity") == ["Silent"]
    assert listed(client, warning="not_reviewed") == ["Busy"]
    assert listed(client, warning="no_activity", owner=department.rep_north.pk) == ["Silent"]
    page = client.get(reverse("deals:list"), {"warning": "no_activity"}).content.decode()
    assert "Open deals with the warning “No activity for 14 days”." in page


def test_a_bad_filter_value_shows_the_error_and_an_empty_list(client, department, deals):
    client.force_login(department.head)
    response = client.get(reverse("deals:list"), {"amount_min": "lots", "warning": "bad"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a number." in page
    assert "No deals match these filters." in page


def test_sorting(client, department, deals):
    client.force_login(department.head)
    assert listed(client, ordering="amount") == ["Delta", "Alpha", "Bravo", "Charlie"]
    assert listed(client, ordering="-amount") == ["Charlie", "Bravo", "Alpha", "Delta"]
    assert listed(client, ordering="title") == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert listed(client, ordering="-facts")[0] == "Alpha"
    assert set(listed(client, ordering="; drop table")) == {"Alpha", "Bravo", "Charlie", "Delta"}
    page = client.get(reverse("deals:list"), {"ordering": "amount"}).content.decode()
    assert 'href="?ordering=-amount"' in page
    assert 'aria-sort="ascending"' in page


def test_pagination_keeps_the_filters(client, department, stages):
    for number in range(55):
        make_deal(department.rep_north, title=f"Deal {number:02d}")
    client.force_login(department.rep_north)
    first = client.get(reverse("deals:list"), {"status": "open", "ordering": "title"}).content.decode()
    assert "Page 1 of 2" in first
    assert "55 deals" in first
    assert 'href="?status=open&amp;ordering=title&amp;page=2"' in first
    assert listed(client, status="open", ordering="title", page=2) == [f"Deal {n}" for n in range(50, 55)]


def test_empty_state(client, department, stages):
    client.force_login(department.rep_north)
    page = client.get(reverse("deals:list")).content.decode()
    assert "No deals yet." in page


def test_csv_export_has_the_filtered_deals(client, department, deals):
    client.force_login(department.lead_north)
    response = client.get(reverse("deals:list"), {"export": "csv", "ordering": "title"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="deals.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:8] == [
        "ID",
        "Title",
        "Client",
        "Stage",
        "Amount (RUB)",
        "Probability, %",
        "Weighted (RUB)",
        "Type",
    ]
    assert [row[1] for row in rows[1:]] == ["Alpha", "Bravo"]
    alpha = rows[1]
    assert alpha[3:7] == ["Proposal", "500.00", "40", "200.00"]
    assert alpha[11] == "1"


def test_xlsx_export(client, department, deals):
    client.force_login(department.head)
    response = client.get(
        reverse("deals:list"), {"export": "xlsx", "status": "closed_or_not", "q": "Charlie"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][1] == "Title"
    assert [row[1] for row in values[1:]] == []  # an invalid status filters nothing in
    response = client.get(reverse("deals:list"), {"export": "xlsx", "q": "Charlie"})
    values = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert values[1][1:5] == ("Charlie", deals["charlie"].client.name, "Won", 3000)


def test_deal_list_runs_a_constant_number_of_queries(client, department, stages, django_assert_num_queries):
    import re

    client.force_login(department.head)
    make_deal(department.rep_north, facts=1)
    # the user, warning policy, owner choices, team choices, stage choices, data version,
    # count + sum (the data changed since the last visit), saved views, page
    with django_assert_num_queries(9):
        response = client.get(reverse("deals:list"))
    assert response.status_code == 200
    assert len(re.findall(r'href="/deals/\d+/"', response.content.decode())) == 1  # the title links
    for number in range(40):
        person = UserFactory(username=f"seller{number}", team=department.north)
        make_deal(person, stage="Proposal", facts=number % 3)
    with django_assert_num_queries(9):
        response = client.get(reverse("deals:list"))
    assert response.status_code == 200
    assert len(re.findall(r'href="/deals/\d+/"', response.content.decode())) == 41
    assert "41 deals" in response.content.decode()


def test_the_totals_are_counted_once_per_change_of_the_data(
    client, department, stages, django_assert_num_queries
):
    """The count and sum read every matching deal (150,000 for a head at scale): a second
    visit with the same filters reads them from the cache; a change of a deal shows at once."""
    client.force_login(department.head)
    deal = make_deal(department.rep_north, amount="1000.00")
    make_deal(department.rep_south, amount="250.50")
    first = client.get(reverse("deals:list"), {"q": "Deal"}).content.decode()
    assert "2 deals" in first and "1,250.50" in first
    with django_assert_num_queries(8):  # no count + sum: the data has not changed
        again = client.get(reverse("deals:list"), {"q": "Deal", "page": "1"}).content.decode()
    assert "2 deals" in again and "1,250.50" in again
    deal.amount = Decimal("3000.00")
    deal.save()
    changed = client.get(reverse("deals:list"), {"q": "Deal"}).content.decode()
    assert "2 deals" in changed and "3,250.50" in changed
    other_filters = client.get(reverse("deals:list"), {"q": "Deal", "owner": department.rep_south.pk})
    assert "1 deal" in other_filters.content.decode() and "250.50" in other_filters.content.decode()


def test_a_search_longer_than_a_hundred_characters_is_refused_with_a_message(
    client, api_as, department, deals
):
    client.force_login(department.head)
    assert (
        "at most 100 characters" not in client.get(reverse("deals:list"), {"q": "x" * 100}).content.decode()
    )
    page = client.get(reverse("deals:list"), {"q": "Alpha" + "x" * 96}).content.decode()
    assert "at most 100 characters (it has 101)" in page
    assert "0 deals" in page
    response = api_as(department.head).get("/api/v1/deals/", {"q": "x" * 101})
    assert response.status_code == 400
    assert "at most 100 characters" in str(response.json())


# --- The rows the list keeps (ListTable.cache_rows, core/tables.py): a row read again is the
# row rendered afresh, and a change to the deal, its client or the language shows at once.


def table_html(client, **headers) -> str:
    response = client.get(reverse("deals:list"), **headers)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index("<tbody>") : page.index("</tbody>")]


@pytest.fixture
def no_kept_rows():
    core_tables._ROWS.clear()


def test_a_kept_row_is_the_row_rendered_afresh(client, department, deals, no_kept_rows, monkeypatch):
    client.force_login(department.head)
    first = table_html(client)
    assert len(core_tables._ROWS) == 4
    kept = table_html(client)
    monkeypatch.setattr(DealTable, "cache_rows", False)
    core_tables._ROWS.clear()
    afresh = table_html(client)

    assert kept == first == afresh
    assert core_tables._ROWS == {}
    assert afresh.count("<tr ") == 4
    assert '<td class="date overdue-text">' in afresh  # Bravo's past close date, from its annotation
    assert '<span class="tag">Renewal</span>' in afresh


def test_a_change_to_a_deal_or_its_client_shows_at_once(client, department, deals, no_kept_rows):
    client.force_login(department.head)
    before = table_html(client)
    Deal.objects.filter(pk=deals["alpha"].pk).update(amount="777.00")
    Client.objects.filter(pk=deals["bravo"].client_id).update(name="Renamed client")
    after = table_html(client)

    assert ">500.00\xa0₽</td>" in before and "777.00" not in before
    assert ">777.00\xa0₽</td>" in after and ">500.00\xa0₽</td>" not in after
    assert "Renamed client" in after and "Renamed client" not in before
    assert len(core_tables._ROWS) == 6  # the two changed rows written anew, the other two kept


def test_each_language_has_its_own_rows(client, department, deals, no_kept_rows):
    client.force_login(department.head)
    english = table_html(client)
    russian = table_html(client, HTTP_ACCEPT_LANGUAGE="ru")

    assert ">Proposal<" in english and "Предложение" not in english
    assert "Предложение" in russian and ">Proposal<" not in russian


def test_the_kept_rows_are_bounded(client, department, deals, no_kept_rows, monkeypatch):
    monkeypatch.setattr(core_tables, "ROW_CACHE_SIZE", 2)
    client.force_login(department.head)
    table_html(client)

    assert len(core_tables._ROWS) == 2
