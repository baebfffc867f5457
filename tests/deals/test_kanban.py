"""The pipeline kanban: columns, cards, filters, moving cards (htmx and plain posts)."""

import datetime
import re
from collections.abc import Callable

import pytest
from django.urls import reverse

from clients.models import Task
from deals.models import Deal
from tests.deals.conftest import make_deal, snapshot
from tests.factories import UserFactory, lost_reason

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "kanban"}


def measured(django_assert_num_queries, queries: int, request: Callable, shown: Callable, rows) -> None:
    """The request answers 200 in `queries` queries and shows `rows` (as `shown` counts them):
    an error or an empty page would run few queries too."""
    with django_assert_num_queries(queries):
        response = request()
    assert response.status_code == 200, response.content
    assert shown(response) == rows


def column_text(page: str, stage: str) -> str:
    match = re.search(rf'data-testid="column-{stage}".*?</section>', page, re.S)
    return match.group(0) if match else ""


@pytest.fixture
def board_deals(department, stages):
    return {
        "north": make_deal(
            department.rep_north, stage="Proposal", amount="1500.50", facts=2, title="North deal"
        ),
        "north_2": make_deal(department.rep_north_2, stage="Lead", amount="99.99", title="Second north deal"),
        "south": make_deal(department.rep_south, stage="Proposal", amount="700.00", title="South deal"),
        "won": make_deal(department.rep_north, stage="Won", amount="5000.00", title="Won deal"),
    }


@pytest.mark.parametrize(
    ("viewer", "seen"),
    [
        ("head", {"North deal", "Second north deal", "South deal"}),
        ("analyst", {"North deal", "Second north deal", "South deal"}),
        ("lead_north", {"North deal", "Second north deal"}),
        ("assistant_north", {"North deal", "Second north deal"}),
        ("rep_north", {"North deal"}),
        ("rep_south", {"South deal"}),
        ("rep_without_team", set()),
    ],
)
def test_kanban_shows_the_open_deals_the_viewer_may_see(client, department, board_deals, viewer, seen):
    client.force_login(getattr(department, viewer))
    page = client.get(reverse("deals:kanban")).content.decode()
    titles = {"North deal", "Second north deal", "South deal", "Won deal"}
    assert {title for title in titles if f">{title}</a>" in page} == seen


def test_columns_show_count_sum_and_weighted_sum(client, department, board_deals):
    client.force_login(department.head)
    page = client.get(reverse("deals:kanban")).content.decode()
    proposal = column_text(page, "proposal")
    assert '<span class="column-count">2</span>' in proposal
    assert "2,200.50" in proposal  # 1500.50 + 700.00
    assert "≈ 880.20" in proposal  # 40% of it
    assert "3 open deals" in page


def test_a_card_shows_client_amount_owner_close_date_facts_and_warnings(client, department, board_deals):
    client.force_login(department.rep_north)
    deal = board_deals["north"]
    Task.objects.filter(deal=deal).delete()
    page = client.get(reverse("deals:kanban")).content.decode()
    card = re.search(rf'id="deal-card-{deal.pk}" class.*?</article>', page, re.S).group(0)
    assert deal.client.name in card
    assert "1,500.50" in card
    assert department.rep_north.full_name in card
    assert "no close date" in card
    assert "✔ 2" in card
    assert "No open task" in card


def test_a_card_is_translated_and_escapes_what_people_typed(client, department, board_deals):
    client.force_login(department.rep_north)
    deal = board_deals["north"]
    Deal.objects.filter(pk=deal.pk).update(title='Fish & "chips" <b>')
    page = client.get(reverse("deals:kanban"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    card = re.search(rf'id="deal-card-{deal.pk}" class.*?</article>', page, re.S).group(0)
    assert (
        '<a class="card-title" href="/deals/%d/">Fish &amp; &quot;chips&quot; &lt;b&gt;</a>' % deal.pk in card
    )
    assert 'data-confirm="Закрыть «Fish &amp; &quot;chips&quot; &lt;b&gt;» как выигранную?"' in card
    assert 'title="2 факта подтверждают намерение">✔ 2</span>' in card
    assert 'title="Ожидаемое закрытие">нет даты закрытия</span>' in card
    assert "✓ Выиграна</button>" in card
    assert "✗ Проиграна</a>" in card
    assert 'aria-label="Перевести на этап"' in card
    assert "1\xa0500,50\xa0₽" in card


def test_a_card_is_written_again_when_what_it_shows_changes(client, department, board_deals, settings):
    client.force_login(department.rep_north)
    deal = board_deals["north"]

    def card() -> str:
        page = client.get(reverse("deals:kanban")).content.decode()
        return re.search(rf'id="deal-card-{deal.pk}" class.*?</article>', page, re.S).group(0)

    assert ">North deal</a>" in card()
    Deal.objects.filter(pk=deal.pk).update(title="Renamed deal", expected_close=datetime.date(2031, 5, 17))
    renamed = card()
    assert ">Renamed deal</a>" in renamed
    assert "17 May 2031" in renamed
    settings.DEPARTMENT_CURRENCY = "CNY"
    assert "1,500.50\xa0¥" in card()


def test_kanban_filters_by_owner_and_team(client, department, board_deals):
    client.force_login(department.head)
    page = client.get(reverse("deals:kanban"), {"owner": department.rep_north_2.pk}).content.decode()
    assert ">Second north deal</a>" in page and ">North deal</a>" not in page
    page = client.get(reverse("deals:kanban"), {"team": department.south.pk}).content.decode()
    assert ">South deal</a>" in page and ">North deal</a>" not in page


def test_kanban_filter_outside_the_scope_shows_no_cards_not_an_error(client, department, board_deals):
    client.force_login(department.rep_north)
    response = client.get(reverse("deals:kanban"), {"owner": department.rep_south.pk})
    assert response.status_code == 200
    assert ">South deal</a>" not in response.content.decode()
    assert ">North deal</a>" not in response.content.decode()


def test_htmx_filtering_returns_only_the_board(client, department, board_deals):
    client.force_login(department.head)
    response = client.get(reverse("deals:kanban"), {"team": department.north.pk}, **HTMX)
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="kanban"')
    assert "<html" not in page


def test_dropping_a_card_answers_the_two_columns_headers_and_the_moved_card_only(
    client, department, board_deals, stages
):
    client.force_login(department.rep_north)
    deal = board_deals["north"]
    old_stage = deal.stage
    for number in range(30):
        make_deal(department.rep_north, stage="Proposal", title=f"Filler {number}")
    response = client.post(
        reverse("deals:move", args=[deal.pk]),
        {"stage": stages["Negotiation"].pk, "view": "kanban", "filters": f"owner={department.rep_north.pk}"},
        **HTMX,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Moved “North deal” to Negotiation." in page
    heads = re.findall(r'<header class="column-head" id="column-head-(\d+)" hx-swap-oob="true">', page)
    assert heads == [str(old_stage.pk), str(stages["Negotiation"].pk)]
    assert re.search(rf'id="column-head-{stages["Negotiation"].pk}".*?column-count">1<', page, re.S)
    assert f'<article id="deal-card-{deal.pk}" hx-swap-oob="delete"></article>' in page
    assert f'<div hx-swap-oob="afterbegin:#column-cards-{stages["Negotiation"].pk}">' in page
    assert page.count('class="deal-card') == 1  # the moved card, none of the 30 others
    assert 'id="pipeline-totals" data-testid="pipeline-totals" hx-swap-oob="true"' in page
    assert len(response.content) < 6_000
    assert Deal.objects.get(pk=deal.pk).stage.name == "Negotiation"


def test_a_move_on_an_unfiltered_board_answers_the_card_and_the_viewers_counts(
    client, department, board_deals, stages
):
    """With no filter the answer counts every deal the viewer sees (a lead: the team's) and
    shows the moved card; moved to a closed stage, the card only leaves its column."""
    client.force_login(department.lead_north)
    deal = board_deals["north_2"]  # a team member's, in Lead
    make_deal(department.rep_north, stage="Negotiation", amount="10.00")
    make_deal(department.rep_south, stage="Negotiation", amount="20.00")  # another team's
    response = client.post(
        reverse("deals:move", args=[deal.pk]),
        {"stage": stages["Negotiation"].pk, "view": "kanban", "filters": ""},
        **HTMX,
    )
    assert response.status_code == 200
    page = response.content.decode()
    negotiation = stages["Negotiation"].pk
    assert re.search(rf'id="column-head-{negotiation}".*?column-count">2<', page, re.S)
    assert re.search(rf'id="column-head-{stages["Lead"].pk}".*?column-count">0<', page, re.S)
    assert f'<div hx-swap-oob="afterbegin:#column-cards-{negotiation}">' in page
    assert page.count('class="deal-card') == 1
    won = client.post(
        reverse("deals:move", args=[deal.pk]),
        {"stage": stages["Won"].pk, "view": "kanban", "filters": ""},
        **HTMX,
    ).content.decode()
    assert f'<article id="deal-card-{deal.pk}" hx-swap-oob="delete"></article>' in won
    assert 'class="deal-card' not in won
    assert re.search(rf'id="column-head-{negotiation}".*?column-count">1<', won, re.S)


def test_a_move_answers_in_a_constant_number_of_queries(client, department, board_deals, stages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(department.rep_north)

    def move(deal, stage):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                reverse("deals:move", args=[deal.pk]), {"stage": stages[stage].pk, "view": "kanban"}, **HTMX
            )
        assert response.status_code == 200
        return len(queries)

    few = move(board_deals["north"], "Contract")
    for number in range(25):
        make_deal(department.rep_north, stage="Lead", facts=number % 2)
    assert move(board_deals["north"], "Negotiation") == few


def test_a_column_shows_its_first_20_cards_and_shows_more_on_demand(client, department, stages):
    client.force_login(department.rep_north)
    for number in range(45):
        make_deal(
            department.rep_north,
            stage="Lead",
            title=f"Deal {number:02}",
            expected_close=datetime.date(2030, 1, 1) + datetime.timedelta(days=number),
        )
    page = client.get(reverse("deals:kanban")).content.decode()
    lead = column_text(page, "lead")
    assert re.findall(r">(Deal \d+)</a>", lead) == [f"Deal {n:02}" for n in range(20)]
    more = re.search(r'hx-get="([^"]+)" hx-target="this" hx-swap="outerHTML"', lead).group(1)
    assert "Show more (25 left)" in lead
    second = client.get(more.replace("&amp;", "&"), **HTMX).content.decode()
    assert re.findall(r">(Deal \d+)</a>", second) == [f"Deal {n:02}" for n in range(20, 40)]
    third_url = re.search(r'hx-get="([^"]+)"', second.split("</article>")[-1]).group(1)
    third = client.get(third_url.replace("&amp;", "&"), **HTMX).content.decode()
    assert re.findall(r">(Deal \d+)</a>", third) == [f"Deal {n:02}" for n in range(40, 45)]
    assert "column-more" not in third


@pytest.mark.parametrize("offset", ["", "x", "-1", "99999999", "1e3"])
def test_show_more_refuses_a_bad_offset(client, department, stages, offset):
    client.force_login(department.rep_north)
    response = client.get(reverse("deals:kanban_more", args=[stages["Lead"].pk]), {"offset": offset}, **HTMX)
    assert response.status_code == 400


def test_show_more_of_a_closed_or_unknown_stage_is_not_found(client, department, stages):
    client.force_login(department.rep_north)
    for stage_id in (stages["Won"].pk, 99999999):
        response = client.get(reverse("deals:kanban_more", args=[stage_id]), {"offset": 0}, **HTMX)
        assert response.status_code == 404


def test_show_more_shows_only_what_the_viewer_sees(client, department, stages):
    for number in range(3):
        make_deal(department.rep_south, stage="Lead", title=f"South {number}")
    make_deal(department.rep_north, stage="Lead", title="North 0")
    client.force_login(department.rep_north)
    page = client.get(reverse("deals:kanban_more", args=[stages["Lead"].pk]), {"offset": 0}, **HTMX)
    assert page.status_code == 200
    assert re.findall(r">((?:North|South) \d+)</a>", page.content.decode()) == ["North 0"]


def test_show_more_runs_a_constant_number_of_queries(client, department, stages, django_assert_num_queries):
    client.force_login(department.rep_north)
    url = reverse("deals:kanban_more", args=[stages["Lead"].pk])
    make_deal(department.rep_north, stage="Lead", facts=1)

    def more():
        return client.get(url, {"offset": 0}, **HTMX)

    def cards(response) -> int:
        return response.content.decode().count('class="deal-card')

    # the user, stages, warning policy, card ids, cards
    measured(django_assert_num_queries, 5, more, cards, 1)
    for number in range(30):
        make_deal(department.rep_north, stage="Lead", facts=number % 2)
    measured(django_assert_num_queries, 5, more, cards, 20)


def test_dropping_on_lost_without_a_reason_reopens_the_question_and_changes_nothing(
    client, department, board_deals, stages
):
    client.force_login(department.rep_north)
    deal = board_deals["north"]
    before = snapshot(deal)
    response = client.post(
        reverse("deals:move", args=[deal.pk]),
        {"stage": stages["Lost"].pk, "lost_reason": "", "view": "kanban", "filters": ""},
        **HTMX,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose why the deal was lost: a deal cannot be closed as lost without a reason." in page
    assert 'id="lost-dialog" class="lost-dialog" aria-labelledby="lost-dialog-title" data-open' in page
    assert f'action="/deals/{deal.pk}/move/"' in page
    assert snapshot(deal) == before


def test_lost_with_a_reason_from_the_kanban_closes_the_deal(client, department, board_deals, stages):
    competitor = lost_reason("Competitor")
    client.force_login(department.rep_north)
    deal = board_deals["north"]
    response = client.post(
        reverse("deals:move", args=[deal.pk]),
        {
            "stage": stages["Lost"].pk,
            "lost_reason": competitor.pk,
            "lost_comment": "Went with Acme",
            "view": "kanban",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert f'id="deal-card-{deal.pk}" class' not in response.content.decode()
    deal.refresh_from_db()
    assert (deal.stage.name, deal.lost_reason, deal.lost_comment) == ("Lost", competitor, "Went with Acme")


def test_quick_won_without_javascript_redirects_to_the_deal(client, department, board_deals, stages):
    client.force_login(department.rep_north)
    deal = board_deals["north"]
    response = client.post(reverse("deals:move", args=[deal.pk]), {"stage": stages["Won"].pk})
    assert response.status_code == 302
    assert response["Location"] == f"/deals/{deal.pk}/"
    assert Deal.objects.get(pk=deal.pk).stage.name == "Won"


@pytest.mark.parametrize("viewer", ["analyst", "assistant_north"])
def test_read_only_roles_cannot_move_from_the_kanban(client, department, board_deals, stages, viewer):
    client.force_login(getattr(department, viewer))
    deal = board_deals["north"]
    before = snapshot(deal)
    response = client.post(
        reverse("deals:move", args=[deal.pk]), {"stage": stages["Won"].pk, "view": "kanban"}, **HTMX
    )
    assert response.status_code == 403
    assert "You may not change this record." in response.content.decode()
    assert snapshot(deal) == before
    response = client.post(reverse("deals:move", args=[deal.pk]), {"stage": stages["Won"].pk})
    assert response.status_code == 403
    assert snapshot(deal) == before


def test_moving_a_deal_the_viewer_cannot_see_is_not_found(client, department, board_deals, stages):
    client.force_login(department.rep_south)
    deal = board_deals["north"]
    before = snapshot(deal)
    response = client.post(
        reverse("deals:move", args=[deal.pk]), {"stage": stages["Won"].pk, "view": "kanban"}, **HTMX
    )
    assert response.status_code == 404
    assert snapshot(deal) == before


def test_move_with_a_bad_stage_is_a_clear_400(client, department, board_deals):
    client.force_login(department.rep_north)
    deal = board_deals["north"]
    before = snapshot(deal)
    response = client.post(reverse("deals:move", args=[deal.pk]), {"stage": "nope", "view": "kanban"}, **HTMX)
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert snapshot(deal) == before


def test_the_kanban_page_is_login_only(client):
    response = client.get(reverse("deals:kanban"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_kanban_runs_a_constant_number_of_queries(client, department, stages, django_assert_num_queries):
    client.force_login(department.head)
    make_deal(department.rep_north, stage="Lead", facts=1)

    def kanban():
        return client.get(reverse("deals:kanban"))

    def cards(response) -> int:
        return response.content.decode().count('class="deal-card')

    # the user, warning policy, filters' version, owner choices, team choices, stages,
    # column sums, card ids, cards, the lost dialog's reasons
    measured(django_assert_num_queries, 10, kanban, cards, 1)
    for number in range(6):
        person = UserFactory(username=f"more{number}", team=department.south)
        for stage in ("Lead", "Qualified", "Proposal", "Negotiation", "Contract", "Won"):
            make_deal(person, stage=stage, facts=number % 2)
    measured(django_assert_num_queries, 10, kanban, cards, 31)  # the won ones are not on the board
    # the filter form kept: no owner or team choices while nobody joined or left
    measured(django_assert_num_queries, 8, kanban, cards, 31)


def test_the_kept_filter_form_shows_a_newcomer_at_once(client, department, stages):
    client.force_login(department.lead_north)
    make_deal(department.rep_north, stage="Lead")
    first = client.get(reverse("deals:kanban")).content.decode()
    assert client.get(reverse("deals:kanban")).content.decode().count("<option") == first.count("<option")
    UserFactory(username="newcomer", first_name="Nora", last_name="Newcomer", team=department.north)
    assert ">Nora Newcomer</option>" in client.get(reverse("deals:kanban")).content.decode()
    chosen = client.get(reverse("deals:kanban"), {"owner": department.rep_north.pk}).content.decode()
    assert f'<option value="{department.rep_north.pk}" selected>' in chosen


@pytest.mark.parametrize(
    ("viewer", "moves"),
    [
        ("rep_north", True),
        ("lead_north", True),
        ("head", True),
        ("analyst", False),
        ("assistant_north", False),
    ],
)
def test_read_only_roles_get_no_move_controls(client, department, board_deals, viewer, moves):
    client.force_login(getattr(department, viewer))
    page = client.get(reverse("deals:kanban")).content.decode()
    card = re.search(rf'id="deal-card-{board_deals["north"].pk}" class.*?</article>', page, re.S).group(0)
    assert ('draggable="true"' in page) == moves
    assert ("card-actions" in card) == moves
    assert ('href="/deals/new/"' in page) == moves


def test_the_kanban_page_stays_within_its_budget_however_many_deals(client, department, stages):
    """20 cards a column whatever the number of deals: the page's bytes stop growing there."""
    client.force_login(department.head)
    open_names = ["Lead", "Qualified", "Proposal", "Negotiation", "Contract"]

    def page_bytes() -> tuple[int, int]:
        response = client.get(reverse("deals:kanban"))
        assert response.status_code == 200
        return len(response.content), response.content.decode().count('class="deal-card')

    for stage in open_names:
        for number in range(20):
            make_deal(
                department.rep_north,
                stage=stage,
                title=f"{stage} deal {number:02}",
                next_step="",
                age_days=30,
            )
    full, cards = page_bytes()
    assert cards == 100
    for stage in open_names:
        for number in range(15):
            make_deal(
                department.rep_south,
                stage=stage,
                title=f"{stage} more {number:02}",
                next_step="",
                age_days=30,
            )
    grown, cards = page_bytes()
    assert cards == 100
    assert grown - full < 2_000  # the owner filter, the counts and sums: not the cards
    assert grown < 150_000
