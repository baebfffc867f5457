"""The deal list keeps its rendered rows (ListTable.cache_rows, core/tables.py): a row read
again is the row rendered afresh, and a change to the deal, its client or the language shows
at once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from core import tables as core_tables
from deals.models import Deal, DealType
from deals.tables import DealTable
from tests.deals.conftest import make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(department, stages):
    core_tables._ROWS.clear()
    today = timezone.localdate()
    return [
        make_deal(department.rep_north, stage="Proposal", title="Alpha", amount="420.00", facts=1),
        make_deal(
            department.rep_north,
            stage="Lead",
            title="Bravo",
            amount="1500.00",
            expected_close=today - datetime.timedelta(days=3),
            next_step="",
        ),
        make_deal(department.rep_north, stage="Negotiation", title="Charlie", deal_type=DealType.RENEWAL),
    ]


def table_html(client, **headers) -> str:
    response = client.get(reverse("deals:list"), **headers)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_a_kept_row_is_the_row_rendered_afresh(client, department, rows, monkeypatch):
    client.force_login(department.rep_north)
    first = table_html(client)
    assert len(core_tables._ROWS) == 3
    kept = table_html(client)
    monkeypatch.setattr(DealTable, "cache_rows", False)
    core_tables._ROWS.clear()
    afresh = table_html(client)

    assert kept == first == afresh
    assert core_tables._ROWS == {}
    assert afresh.count("<tr ") == 3
    assert '<td class="overdue-text">' in afresh  # Bravo's past close date, from its annotation
    assert '<span class="tag">Renewal</span>' in afresh


def test_a_change_to_a_deal_or_its_client_shows_at_once(client, department, rows):
    client.force_login(department.rep_north)
    before = table_html(client)
    Deal.objects.filter(pk=rows[0].pk).update(amount="777.00")
    Client.objects.filter(pk=rows[1].client_id).update(name="Renamed client")
    after = table_html(client)

    assert "420.00" in before and "777.00" not in before
    assert "777.00" in after and "420.00" not in after
    assert "Renamed client" in after and "Renamed client" not in before
    assert len(core_tables._ROWS) == 5  # the two changed rows written anew, the third kept


def test_each_language_has_its_own_rows(client, department, rows):
    client.force_login(department.rep_north)
    english = table_html(client)
    russian = table_html(client, HTTP_ACCEPT_LANGUAGE="ru")

    assert "Proposal" in english and "Предложение" not in english
    assert "Предложение" in russian and ">Proposal<" not in russian


def test_the_kept_rows_are_bounded(client, department, rows, monkeypatch):
    monkeypatch.setattr(core_tables, "ROW_CACHE_SIZE", 2)
    client.force_login(department.rep_north)
    table_html(client)

    assert len(core_tables._ROWS) == 2
