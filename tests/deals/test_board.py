"""The 抓单 board page: rows per person, links behind every warning, the deal panel and a
review recorded from it, the head's team filter, and a constant number of queries."""

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from deals.models import Review
from targets.models import Allocation
from tests.deals.conftest import make_deal, snapshot
from tests.factories import PlanFactory, UserFactory, lost_reason

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def measured(django_assert_num_queries, queries: int, request: Callable, shown: Callable, rows) -> None:
    """The request answers 200 in `queries` queries and shows `rows` (as `shown` counts them):
    an error or an empty page would run few queries too."""
    with django_assert_num_queries(queries):
        response = request()
    assert response.status_code == 200, response.content
    assert shown(response) == rows


def card(page: str, username: str) -> str:
    match = re.search(rf'data-testid="rep-card-{username}".*?</details>', page, re.S)
    return match.group(0) if match else ""


def opened(client, person) -> str:
    """A person's row opened on the board: what htmx loads into it."""
    response = client.get(reverse("board_person", args=[person.pk]), **HTMX)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def deals(department, stages):
    return {
        "proven": make_deal(
            department.rep_north, stage="Negotiation", amount="10000.00", facts=2, title="Proven one"
        ),
        "feeling": make_deal(
            department.rep_north, stage="Proposal", amount="500.00", title="Feeling one", next_step=""
        ),
        "south": make_deal(
            department.rep_south, stage="Contract", amount="700.00", facts=1, title="South one"
        ),
    }


# Leads sell too (accounts.roles.SELLING_ROLES): the board gives them a card, as the reports
# give them a row.
EVERY_SELLER = (
    "lead_north",
    "lead_south",
    "lead_without_team",
    "rep_north",
    "rep_north_2",
    "rep_south",
    "rep_without_team",
    "sdr_north",
    "am_south",
)


@pytest.mark.parametrize(
    ("viewer", "cards"),
    [
        ("head", {*EVERY_SELLER}),
        ("analyst", {*EVERY_SELLER}),
        ("lead_north", {"lead_north", "rep_north", "rep_north_2", "sdr_north"}),
        ("assistant_north", {"lead_north", "rep_north", "rep_north_2", "sdr_north"}),
        ("rep_north", {"rep_north"}),
    ],
)
def test_the_board_has_a_card_per_person_in_scope(client, department, deals, viewer, cards):
    client.force_login(getattr(department, viewer))
    page = client.get(reverse("board")).content.decode()
    assert set(re.findall(r'data-testid="rep-card-([\w-]+)"', page)) == cards


def test_a_row_shows_the_figures_and_opens_on_the_top_deals_with_their_facts(client, department, deals):
    client.force_login(department.lead_north)
    page = client.get(reverse("board")).content.decode()
    north = card(page, "rep_north")
    assert '<span data-testid="open-count">2 <small>10,500.00\xa0₽</small></span>' in north
    assert "<span>6,200.00\xa0₽</span>" in north  # weighted: 10000 × 60% + 500 × 40%
    assert '<span class="proven" data-testid="proven-count">1</span>' in north
    assert '<span class="feelings" data-testid="feelings-count">1</span>' in north
    assert '<span class="att" data-testid="attention">1</span>' in north  # the feeling: no next step
    assert "<small>no plan</small>" in north
    # The deals are not on the page: they load when the row is opened.
    assert "Proven one" not in page
    assert f'hx-get="/deals/board/people/{department.rep_north.pk}/" hx-trigger="toggle once"' in north
    detail = opened(client, department.rep_north)
    assert "Proven one" in detail and "Feeling one" in detail
    assert detail.index("Proven one") < detail.index("Feeling one")
    assert "The director asked whether we can lower the price." in detail
    assert "Feelings only — no fact yet" in detail
    assert "no plan set" in detail


def test_every_warning_links_to_the_deals_behind_it(client, department, deals):
    client.force_login(department.lead_north)
    north = card(client.get(reverse("board")).content.decode(), "rep_north")
    assert '<span class="w" data-testid="warning-no_open_task">1</span>' in north
    assert '<span data-testid="warning-past_close">0</span>' in north
    detail = opened(client, department.rep_north)
    link = re.search(r'href="([^"]+)" data-testid="warning-link-no_open_task"', detail).group(1)
    assert link == f"/deals/list/?owner={department.rep_north.pk}&amp;warning=no_open_task"
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert ">Feeling one</a>" in listed and ">Proven one</a>" not in listed
    assert 'data-testid="warning-link-past_close"' not in detail  # nothing to link to


def test_the_plan_and_the_gap_show_once_a_plan_exists(client, department, deals):
    today = timezone.localdate()
    Allocation.objects.create(
        plan=PlanFactory(),
        month=today.month,
        team=department.north,
        rep=department.rep_north,
        amount=Decimal("8000"),
    )
    make_deal(department.rep_north, stage="Won", amount="2000.00")
    client.force_login(department.lead_north)
    north = card(client.get(reverse("board")).content.decode(), "rep_north")
    assert '<b class="gap">6,000.00\xa0₽</b> <small>25%</small>' in north
    detail = opened(client, department.rep_north)
    assert "plan 8,000.00" in detail
    assert 'Gap <b class="gap">6,000.00\xa0₽</b>' in detail
    assert "25%" in detail


def test_the_head_filters_the_board_by_team(client, department, deals):
    client.force_login(department.head)
    page = client.get(reverse("board"), {"team": department.south.pk}).content.decode()
    cards = set(re.findall(r'data-testid="rep-card-([\w-]+)"', page))
    assert cards == {"lead_south", "rep_south", "am_south"}
    assert f'<option value="{department.south.pk}" selected>South</option>' in page


def test_a_lead_has_no_team_choice_and_cannot_look_at_another_team(client, department, deals):
    client.force_login(department.lead_north)
    page = client.get(reverse("board"), {"team": department.south.pk}).content.decode()
    assert 'name="team"' not in page
    assert "rep-card-rep_south" not in page
    assert "rep-card-rep_north" in page


def test_the_empty_board(client, department, stages):
    # A lead without a team now has a row of their own (leads sell); an assistant without
    # a team sees nobody who sells.
    client.force_login(department.assistant_without_team)
    assert "Nobody in your scope holds deals yet." in client.get(reverse("board")).content.decode()


def test_the_panel_shows_the_deals_facts_and_a_review_form_for_the_lead(client, department, deals):
    client.force_login(department.lead_north)
    response = client.get(reverse("board_panel", args=[deals["proven"].pk]), **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Proven one" in page
    assert "2 facts" in page
    assert page.count("The director asked whether we can lower the price.") == 2
    assert f'hx-post="/deals/board/reviews/{deals["proven"].pk}/"' in page
    assert '<input type="hidden" name="view" value="panel">' in page


@pytest.mark.parametrize("viewer", ["rep_north", "assistant_north", "analyst"])
def test_the_panel_has_no_review_form_for_those_who_may_not_review(client, department, deals, viewer):
    client.force_login(getattr(department, viewer))
    page = client.get(reverse("board_panel", args=[deals["proven"].pk]), **HTMX).content.decode()
    assert "Proven one" in page
    assert "reviews/" not in page


def test_a_review_recorded_from_the_panel_refreshes_the_panel_and_the_card(client, department, deals):
    deal = make_deal(department.rep_north, age_days=10, title="Old unreviewed")
    client.force_login(department.lead_north)
    before = card(client.get(reverse("board")).content.decode(), "rep_north")
    assert '<span class="w" data-testid="warning-not_reviewed">1</span>' in before
    response = client.post(
        reverse("board_review", args=[deal.pk]),
        {"verdict": "at_risk", "comment": "Feelings only: find the decision maker", "view": "panel"},
        **HTMX,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="review-recorded"' in page
    assert "Feelings only: find the decision maker" in page
    # The person's row, out of band: the review took the deal off "not reviewed".
    row = re.search(
        rf'<summary class="rep-cols" id="rep-row-{department.rep_north.pk}" hx-swap-oob="true">.*?</summary>',
        page,
        re.S,
    )
    assert row, page
    assert '<span data-testid="warning-not_reviewed">0</span>' in row.group(0)
    # The board shows it too: its cached rows follow the change.
    after = card(client.get(reverse("board")).content.decode(), "rep_north")
    assert '<span data-testid="warning-not_reviewed">0</span>' in after
    review = Review.objects.get()
    assert (review.deal, review.reviewer, review.verdict) == (deal, department.lead_north, "at_risk")
    detail = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert "Feelings only: find the decision maker" in detail


def test_a_review_from_the_panel_without_a_verdict_keeps_the_panel_with_the_error(client, department, deals):
    deal = deals["feeling"]
    before = snapshot(deal)
    client.force_login(department.lead_north)
    response = client.post(reverse("board_review", args=[deal.pk]), {"comment": "x", "view": "panel"}, **HTMX)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="board-panel"' in page
    assert "This field is required." in page
    assert snapshot(deal) == before


def test_a_rep_cannot_review_from_the_panel(client, department, deals):
    client.force_login(department.rep_north)
    response = client.post(
        reverse("board_review", args=[deals["feeling"].pk]),
        {"verdict": "on_track", "view": "panel"},
        **HTMX,
    )
    assert response.status_code == 403
    assert Review.objects.count() == 0


def test_the_board_runs_a_constant_number_of_queries(client, department, stages, django_assert_num_queries):
    client.force_login(department.head)
    make_deal(department.rep_north, facts=1)

    def board():
        return client.get(reverse("board"))

    def rep_cards(response) -> int:
        return response.content.decode().count('<details class="rep-card')

    # the user, teams, the data's version; then, when the data changed since the rows
    # were last rendered: people, stages, figures, plans
    measured(django_assert_num_queries, 7, board, rep_cards, 9)  # leads included
    measured(django_assert_num_queries, 3, board, rep_cards, 9)  # nothing changed: rendered rows
    for number in range(8):
        person = UserFactory(username=f"seller{number}", team=department.south)
        for stage in ("Lead", "Proposal", "Negotiation", "Contract", "Won"):
            make_deal(person, stage=stage, facts=number % 3)
    measured(django_assert_num_queries, 7, board, rep_cards, 17)
    measured(django_assert_num_queries, 3, board, rep_cards, 17)


def test_the_board_page_does_not_grow_with_the_deals(client, department, stages):
    """The page holds one summary row per person, never their deals: 40 more deals add no byte."""
    client.force_login(department.head)
    make_deal(department.rep_north, facts=1, title="Only one")
    few = client.get(reverse("board")).content
    for number in range(40):
        make_deal(department.rep_north, facts=number % 2, title=f"Deal {number:02}")
    many = client.get(reverse("board")).content
    assert b"Only one" not in few and b"Deal 00" not in many
    assert abs(len(many) - len(few)) < 100  # only the figures and their digits differ
    assert len(many) < 40_000


def test_an_opened_row_runs_a_constant_number_of_queries_and_shows_a_screenful(
    client, department, deals, django_assert_num_queries
):
    client.force_login(department.lead_north)
    url = reverse("board_person", args=[department.rep_north.pk])

    def person():
        return client.get(url, **HTMX)

    def deal_links(response) -> int:
        return len(re.findall(r'data-testid="(?:top|rep)-deal-\d+"', response.content.decode()))

    # the user, people, stages, figures, plans, top deal ids, top deals, their facts, deals
    measured(django_assert_num_queries, 9, person, deal_links, 2)
    for _ in range(30):
        make_deal(department.rep_north, facts=1)
    measured(django_assert_num_queries, 9, person, deal_links, 13)  # 3 top + 10 others
    assert "19 more in the list" in person().content.decode()


@pytest.mark.parametrize("viewer", ["rep_south", "lead_south", "rep_north_2"])
def test_a_row_outside_the_viewers_board_is_not_found(client, department, deals, viewer):
    client.force_login(getattr(department, viewer))
    assert client.get(reverse("board_person", args=[department.rep_north.pk]), **HTMX).status_code == 404
    for missing in ("99999999", "0", "99999999999999999999"):
        assert client.get(f"/deals/board/people/{missing}/", **HTMX).status_code == 404


def test_the_panel_runs_a_constant_number_of_queries(client, department, deals):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(department.lead_north)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("board_panel", args=[deals["proven"].pk]), **HTMX).status_code == 200
    for _ in range(5):
        make_deal(department.rep_north, facts=0)
    from tests.factories import FactFactory

    for _ in range(6):
        FactFactory(deal=deals["proven"])
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("board_panel", args=[deals["proven"].pk]), **HTMX)
    assert response.status_code == 200
    assert response.content.decode().count("The director asked whether we can lower the price.") >= 6
    assert len(few) > 0
    assert len(many) == len(few)


def test_every_open_deal_of_a_person_can_be_opened_from_the_board(client, department, deals, stages):
    for number in range(4):
        make_deal(department.rep_north, stage="Lead", amount=f"{number + 1}.00", title=f"Small {number}")
    client.force_login(department.lead_north)
    detail = opened(client, department.rep_north)
    top = re.findall(r'data-testid="top-deal-\d+">([^<]+)</a>', detail)
    others = re.findall(r'data-testid="rep-deal-\d+">([^<]+)</a>', detail)
    assert top == ["Proven one", "Feeling one", "Small 3"]
    assert others == ["Small 2", "Small 1", "Small 0"]
    assert f'hx-get="/deals/{deals["feeling"].pk}/panel/"' in detail
    assert "No open task" in detail
    # The whole list stays a link away, and the deals-only fragment still answers.
    url = reverse("deals:board_person_deals", args=[department.rep_north.pk])
    listed = client.get(url, **HTMX).content.decode()
    titles = re.findall(r'data-testid="rep-deal-\d+">([^<]+)</a>', listed)
    # the one with a warning (no open task: medium) first, then most likely to close
    assert titles == ["Feeling one", "Proven one", "Small 3", "Small 2", "Small 1", "Small 0"]


@pytest.mark.parametrize("viewer", ["rep_south", "lead_south", "rep_north_2"])
def test_a_persons_deals_outside_the_scope_are_not_found(client, department, deals, viewer):
    client.force_login(getattr(department, viewer))
    response = client.get(reverse("deals:board_person_deals", args=[department.rep_north.pk]), **HTMX)
    assert response.status_code == 404


def test_a_persons_deal_list_runs_a_constant_number_of_queries(
    client, department, deals, django_assert_num_queries
):
    client.force_login(department.lead_north)
    url = reverse("deals:board_person_deals", args=[department.rep_north.pk])

    def person_deals():
        return client.get(url, **HTMX)

    def deal_rows(response) -> int:
        return len(re.findall(r'data-testid="rep-deal-\d+"', response.content.decode()))

    # the user, person, warning policy, deals
    measured(django_assert_num_queries, 4, person_deals, deal_rows, 2)
    for _ in range(12):
        make_deal(department.rep_north, facts=1)
    measured(django_assert_num_queries, 4, person_deals, deal_rows, 14)


def test_an_opened_row_lists_the_persons_open_deals_only(client, department, stages):
    """The opened row reads the open stages by id (deals.selectors.board.board_open_deals):
    a won or lost deal of the person is not among them."""
    make_deal(department.rep_north, stage="Proposal", title="Still open")
    make_deal(department.rep_north, stage="Won", title="Already won")
    make_deal(department.rep_north, stage="Lost", title="Already lost", lost_reason=lost_reason())
    client.force_login(department.lead_north)
    detail = opened(client, department.rep_north)
    assert "Still open" in detail
    assert "Already won" not in detail and "Already lost" not in detail
