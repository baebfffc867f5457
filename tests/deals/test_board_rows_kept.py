"""The board's rows kept once rendered (deals/templatetags/board_rows.py): the same HTML as the
template they come from, in every language, and a change shows on the board while the rows of
the people it did not touch are not rendered again."""

import re
from decimal import Decimal

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from core.tables import _FRAGMENTS
from deals.selectors import Clock
from deals.services import deal_update
from reports.board import board
from tests.deals.conftest import make_deal

pytestmark = pytest.mark.django_db

# templates/deals/partials/board_rows.html's loop as it was: every row through the include
INCLUDED = '{% for row in board.rows %}{% include "deals/partials/rep_card.html" %}{% endfor %}'
KEPT = "{% load board_rows %}{% for row in board.rows %}{% rep_card row %}{% endfor %}"


@pytest.fixture
def deals(department, stages):
    return [
        make_deal(department.rep_north, stage="Negotiation", amount="10000.50", facts=2),
        make_deal(department.rep_north, stage="Proposal", amount="500.00", next_step=""),
        make_deal(department.rep_south, stage="Contract", amount="1234567.00", facts=1),
    ]


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans"])
def test_a_kept_row_is_the_template_it_comes_from(department, deals, language):
    _FRAGMENTS.clear()
    data = board(viewer=department.head, clock=Clock.current(), with_top_deals=False)
    assert len(data.rows) == 9
    with translation.override(language):
        expected = engines["django"].from_string(INCLUDED).render({"board": data})
        kept = engines["django"].from_string(KEPT)
        assert kept.render({"board": data}) == expected
        assert kept.render({"board": data}) == expected  # read back from the kept rows
    assert 'data-testid="open-count">2 <small>' in expected


def rep_cards() -> int:
    return sum(1 for key in _FRAGMENTS if key[0] == "rep_card")


def card(page: str, username: str) -> str:
    return re.search(rf'data-testid="rep-card-{username}".*?</details>', page, re.S).group(0)


def test_a_change_shows_at_once_and_only_its_persons_row_is_rendered_again(client, department, deals):
    _FRAGMENTS.clear()
    client.force_login(department.head)
    before = client.get(reverse("board")).content.decode()
    assert rep_cards() == 9
    deal_update(deal=deals[0], by=department.rep_north, data={"amount": Decimal("20000.50")})
    after = client.get(reverse("board")).content.decode()
    shown = '<span data-testid="open-count">2 <small>{}\xa0₽</small></span>'
    assert shown.format("20,500.50") in card(after, "rep_north")
    assert shown.format("10,500.50") in card(before, "rep_north")
    assert card(after, "rep_south") == card(before, "rep_south")
    assert rep_cards() == 10  # rep_north's new row; the other eight read back
    with translation.override("ru"):
        client.cookies["django_language"] = "ru"
        russian = client.get(reverse("board")).content.decode()
    assert "20\xa0500,50" in card(russian, "rep_north")
    assert rep_cards() == 19
