"""/api/v1/stages/, deals/ (+ move/), facts/, reviews/, pipeline/ and board/: every role,
money as decimal strings, refusals that change nothing, updated_since, query counts."""

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import User
from deals.models import Deal, Fact, Review, Stage, StageChange
from deals.services import deal_move
from tests.deals.conftest import make_deal, snapshot
from tests.factories import ClientFactory, FactFactory, ReviewFactory, UserFactory, lost_reason

pytestmark = pytest.mark.django_db


@pytest.fixture
def deals(department, stages):
    return {
        "north": make_deal(department.rep_north, stage="Proposal", amount="1234.56", facts=1, title="North"),
        "north_2": make_deal(department.rep_north_2, stage="Lead", amount="10.00", title="North 2"),
        "south": make_deal(department.rep_south, stage="Negotiation", amount="500.00", title="South"),
        "won": make_deal(department.rep_south, stage="Won", amount="9000.00", title="Won"),
    }


def measured(django_assert_num_queries, queries: int, request: Callable, shown: Callable, rows) -> None:
    """The request answers 200 in `queries` queries and shows `rows` (as `shown` counts them):
    an error or an empty answer would run few queries too."""
    with django_assert_num_queries(queries):
        response = request()
    assert response.status_code == 200, response.content
    assert shown(response) == rows


def count_and_page(response) -> tuple[int, int]:
    body = response.json()
    return body["count"], len(body["results"])


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


# --- stages ------------------------------------------------------------------------------


def test_stages_are_listed_in_pipeline_order_for_everyone(department, stages, api_as):
    response = api_as(department.rep_north).get("/api/v1/stages/")
    rows = response.json()["results"]
    assert [(row["name"], row["default_probability"], row["kind"]) for row in rows] == [
        ("Lead", 10, "open"),
        ("Qualified", 20, "open"),
        ("Proposal", 40, "open"),
        ("Negotiation", 60, "open"),
        ("Contract", 80, "open"),
        ("Won", 100, "won"),
        ("Lost", 0, "lost"),
    ]
    assert api_as(department.rep_north).get("/api/v1/stages/", {"kind": "won"}).json()["count"] == 1


def test_stages_are_read_only(department, stages, api_as):
    response = api_as(department.head).post("/api/v1/stages/", {"name": "Pilot"})
    assert response.status_code == 405


def test_stages_sync_with_updated_since(department, stages, api_as, django_assert_num_queries):
    future = (timezone.now() + datetime.timedelta(minutes=5)).isoformat()
    assert api_as(department.rep_north).get("/api/v1/stages/", {"updated_since": future}).json()["count"] == 0
    api = api_as(department.rep_north)

    def listed():
        return api.get("/api/v1/stages/")

    measured(django_assert_num_queries, 3, listed, count_and_page, (7, 7))  # token, count, page
    Stage.objects.create(name="Pilot", order=99)
    measured(django_assert_num_queries, 3, listed, count_and_page, (8, 8))


# --- deals: reading ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("viewer", "seen"),
    [
        ("head", {"North", "North 2", "South", "Won"}),
        ("analyst", {"North", "North 2", "South", "Won"}),
        ("lead_north", {"North", "North 2"}),
        ("assistant_north", {"North", "North 2"}),
        ("lead_south", {"South", "Won"}),
        ("rep_north", {"North"}),
        ("rep_without_team", set()),
        ("assistant_without_team", set()),
    ],
)
def test_deals_are_listed_by_visibility(department, deals, api_as, viewer, seen):
    assert titles(api_as(getattr(department, viewer)).get("/api/v1/deals/")) == seen


def test_a_deal_row_has_money_as_decimal_strings_and_its_signals(department, deals, api_as):
    deal = deals["north"]
    row = api_as(department.rep_north).get(f"/api/v1/deals/{deal.pk}/").json()
    assert row["amount"] == "1234.56"
    assert row["weighted_amount"] == "493.82"
    assert (row["stage"], row["stage_name"], row["stage_kind"]) == (deal.stage_id, "Proposal", "open")
    assert (row["probability"], row["effective_probability"], row["fact_count"]) == (None, 40, 1)
    assert (row["client"], row["client_name"], row["owner"]) == (
        deal.client_id,
        deal.client.name,
        deal.owner_id,
    )
    assert row["warnings"] == []


@pytest.mark.parametrize("viewer", ["rep_north_2", "rep_south", "lead_south", "lead_without_team"])
def test_a_deal_outside_the_scope_is_404(department, deals, api_as, viewer):
    assert api_as(getattr(department, viewer)).get(f"/api/v1/deals/{deals['north'].pk}/").status_code == 404


def test_deal_filters_search_ordering_and_updated_since(department, deals, api_as, stages):
    api = api_as(department.head)
    assert titles(api.get("/api/v1/deals/", {"owner": department.rep_south.pk})) == {"South", "Won"}
    assert titles(api.get("/api/v1/deals/", {"team": department.north.pk})) == {"North", "North 2"}
    assert titles(api.get("/api/v1/deals/", {"status": "won"})) == {"Won"}
    assert titles(api.get("/api/v1/deals/", {"stage": stages["Lead"].pk})) == {"North 2"}
    assert titles(api.get("/api/v1/deals/", {"has_facts": "true"})) == {"North"}
    assert titles(api.get("/api/v1/deals/", {"amount_min": "500", "amount_max": "2000"})) == {
        "North",
        "South",
    }
    assert titles(api.get("/api/v1/deals/", {"search": "north"})) == {"North", "North 2"}
    ordered = api.get("/api/v1/deals/", {"ordering": "-amount"}).json()["results"]
    assert [row["title"] for row in ordered] == ["Won", "North", "South", "North 2"]
    Deal.objects.filter(pk=deals["north"].pk).update(updated_at=timezone.now() + datetime.timedelta(hours=1))
    since = (timezone.now() + datetime.timedelta(minutes=30)).isoformat()
    assert titles(api.get("/api/v1/deals/", {"updated_since": since})) == {"North"}


def test_bad_deal_filters_are_400(department, deals, api_as):
    response = api_as(department.head).get(
        "/api/v1/deals/", {"warning": "vibes", "updated_since": "yesterday"}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"warning", "updated_since"}


def test_deal_list_runs_a_constant_number_of_queries(department, stages, api_as, django_assert_num_queries):
    api = api_as(department.head)
    make_deal(department.rep_north, facts=1)

    def listed():
        return api.get("/api/v1/deals/", {"page_size": 100})

    # token, warning policy, the deal list's version, count, page
    measured(django_assert_num_queries, 5, listed, count_and_page, (1, 1))
    for number in range(30):
        person = UserFactory(username=f"seller{number}", team=department.south)
        make_deal(person, stage="Proposal", facts=number % 2)
    measured(django_assert_num_queries, 5, listed, count_and_page, (31, 31))
    measured(django_assert_num_queries, 4, listed, count_and_page, (31, 31))  # the count kept


def test_the_kept_count_follows_the_deals_and_the_filters(department, stages, api_as):
    """The list's count is kept while the deals stay: a new deal, a deal moved out of a
    filter, and another filter show at once."""
    api = api_as(department.head)
    deal = make_deal(department.rep_north, stage="Proposal")
    make_deal(department.rep_south, stage="Lead")

    def count(**filters) -> int:
        response = api.get("/api/v1/deals/", {"page_size": 10, **filters})
        assert response.status_code == 200
        return response.json()["count"]

    stage = deal.stage_id
    assert (count(), count(stage=stage)) == (2, 1)
    assert (count(), count(stage=stage)) == (2, 1)
    make_deal(department.rep_north, stage="Proposal")
    assert (count(), count(stage=stage)) == (3, 2)
    deal_move(deal=deal, stage=Stage.objects.get(name="Negotiation"), by=department.rep_north)
    assert (count(), count(stage=stage)) == (3, 1)
    assert count(owner=department.rep_south.pk) == 1


def test_the_kept_count_sees_tasks_deleted_teams_and_the_order_of_repeated_filters(
    department, stages, api_as
):
    """What the count reads beyond the deals: a task cancelled ("no open task"), a team
    deleted (its people's rows are left as they were), and a repeated filter, where the last
    value counts, so ?stage=A&stage=B and ?stage=B&stage=A are two filters."""
    from clients.models import Task
    from clients.services import task_cancel

    head, lead = api_as(department.head), api_as(department.lead_north)
    deal = make_deal(department.rep_north, stage="Proposal")
    make_deal(department.rep_north_2, stage="Proposal", next_step="")
    make_deal(department.rep_north, stage="Lead")

    def listed(api, query: str) -> tuple[int, int]:
        body = api.get(f"/api/v1/deals/?{query}").json()
        return body["count"], len(body["results"])

    assert listed(head, "warning=no_open_task") == (1, 1)
    task_cancel(by=department.rep_north, task=Task.objects.get(deal=deal))
    assert listed(head, "warning=no_open_task") == (2, 2)
    proposal, lead_stage = Stage.objects.get(name="Proposal").pk, Stage.objects.get(name="Lead").pk
    assert listed(head, f"stage={proposal}&stage={lead_stage}") == (1, 1)
    assert listed(head, f"stage={lead_stage}&stage={proposal}") == (2, 2)
    department.south.save()  # another team is the newest change: the deletion leaves it
    assert listed(lead, "") == (3, 3)
    department.north.delete()
    assert listed(lead, "") == (0, 0)


def test_the_kept_count_sees_an_older_activity_or_fact_deleted(department, stages, api_as):
    """A deletion leaves the table's newest change as it was: a call deleted that was not
    the newest leaves its deal silent, a fact deleted leaves its deal on feelings only, and
    the counts say so at once (the pipeline's version reads the newest tombstone)."""
    from clients.services import activity_delete
    from tests.deals.conftest import log_activity

    api = api_as(department.head)
    silent_soon = make_deal(department.rep_north, stage="Proposal", age_days=30, facts=1)
    busy = make_deal(department.rep_north, stage="Proposal", age_days=30, facts=1)
    call = log_activity(silent_soon, days_ago=2)
    log_activity(busy, days_ago=1)  # the newest call

    def count(query: str) -> int:
        return api.get(f"/api/v1/deals/?{query}").json()["count"]

    assert (count("warning=no_activity"), count("has_facts=true")) == (0, 2)
    activity_delete(by=department.rep_north, activity=call)
    assert count("warning=no_activity") == 1
    Fact.objects.filter(deal=silent_soon).delete()  # not the newest fact
    assert count("has_facts=true") == 1


# --- deals: writing ----------------------------------------------------------------------


def test_a_rep_creates_a_deal(department, stages, api_as):
    customer = ClientFactory(owner=department.rep_north)
    response = api_as(department.rep_north).post(
        "/api/v1/deals/",
        {"title": "Cloud backup", "client": customer.pk, "amount": "4500.00", "expected_close": "2030-05-01"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["amount"], body["stage_name"], body["owner"]) == (
        "Cloud backup",
        "4500.00",
        "Lead",
        department.rep_north.pk,
    )
    deal = Deal.objects.get()
    assert list(StageChange.objects.filter(deal=deal).values_list("from_stage", "to_stage__name")) == [
        (None, "Lead")
    ]


def test_create_validates_and_writes_nothing(department, stages, api_as):
    hidden = ClientFactory(owner=department.rep_south)
    mine = ClientFactory(owner=department.rep_north)
    api = api_as(department.rep_north)
    response = api.post("/api/v1/deals/", {"title": "", "client": hidden.pk, "amount": "-3"})
    assert response.status_code == 400
    assert set(response.json()) == {"title", "client", "amount"}
    assert response.json()["client"] == [f'Invalid pk "{hidden.pk}" - object does not exist.']
    response = api.post(
        "/api/v1/deals/", {"title": "X", "client": mine.pk, "amount": "1", "stage": stages["Won"].pk}
    )
    assert response.status_code == 400
    assert response.json() == {
        "stage": ["A new deal starts in an open stage; move it to won or lost afterwards."]
    }
    assert Deal.objects.count() == 0


@pytest.mark.parametrize("viewer", ["analyst", "assistant_north"])
def test_read_only_roles_cannot_create(department, stages, api_as, viewer):
    customer = ClientFactory(owner=department.rep_north)
    response = api_as(getattr(department, viewer)).post(
        "/api/v1/deals/", {"title": "X", "client": customer.pk, "amount": "1"}
    )
    assert response.status_code == 403
    assert Deal.objects.count() == 0


def _invalid_pk(pk) -> dict:
    return {"owner": [f'Invalid pk "{pk}" - object does not exist.']}


def test_a_rep_cannot_create_a_deal_for_someone_else(department, stages, api_as):
    """Someone outside the rep's scope is answered exactly like an id that does not exist."""
    customer = ClientFactory(owner=department.rep_north)
    api = api_as(department.rep_north)
    answers = {}
    for pk in (department.rep_north_2.pk, department.rep_south.pk, 999999):
        response = api.post(
            "/api/v1/deals/", {"title": "X", "client": customer.pk, "amount": "1", "owner": pk}
        )
        answers[pk] = (response.status_code, response.json())
    assert answers == {pk: (400, _invalid_pk(pk)) for pk in answers}
    assert Deal.objects.count() == 0


def test_a_lead_gets_the_same_answer_for_hidden_and_missing_owners(department, stages, api_as):
    customer = ClientFactory(owner=department.rep_north)
    api = api_as(department.lead_north)
    answers = {}
    for pk in (department.rep_south.pk, department.head.pk, 999999):
        response = api.post(
            "/api/v1/deals/", {"title": "X", "client": customer.pk, "amount": "1", "owner": pk}
        )
        answers[pk] = (response.status_code, response.json())
    assert answers == {pk: (400, _invalid_pk(pk)) for pk in answers}
    assert Deal.objects.count() == 0


@pytest.mark.parametrize(
    ("viewer", "owner"),
    [
        ("lead_north", "assistant_north"),
        ("lead_north", "sdr_north"),
        ("head", "analyst"),
        ("head", "sdr_north"),
    ],
)
def test_deals_go_only_to_people_in_a_deal_owning_role(department, stages, api_as, viewer, owner):
    customer = ClientFactory(owner=department.rep_north)
    response = api_as(getattr(department, viewer)).post(
        "/api/v1/deals/",
        {"title": "X", "client": customer.pk, "amount": "1", "owner": getattr(department, owner).pk},
    )
    assert response.status_code == 400
    assert response.json() == {
        "owner": ["Deals belong to reps, account managers, team leads and the head of sales."]
    }
    assert Deal.objects.count() == 0


def test_a_deal_cannot_be_handed_to_an_assistant_through_the_api(department, deals, api_as):
    deal = deals["north"]
    before = snapshot(deal)
    response = api_as(department.lead_north).patch(
        f"/api/v1/deals/{deal.pk}/", {"owner": department.assistant_north.pk}
    )
    assert response.status_code == 400
    assert response.json() == {
        "owner": ["Deals belong to reps, account managers, team leads and the head of sales."]
    }
    assert snapshot(deal) == before


def test_patch_updates_details(department, deals, api_as):
    deal = deals["north"]
    response = api_as(department.rep_north).patch(
        f"/api/v1/deals/{deal.pk}/", {"amount": "2000.00", "probability": 70}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["amount"], response.json()["weighted_amount"]) == ("2000.00", "1400.00")
    deal.refresh_from_db()
    assert (deal.amount, deal.probability) == (Decimal("2000.00"), 70)


def test_the_stage_is_read_only_on_update(department, deals, api_as, stages):
    deal = deals["north"]
    before = snapshot(deal)
    response = api_as(department.rep_north).patch(
        f"/api/v1/deals/{deal.pk}/", {"stage": stages["Won"].pk, "amount": "1.00"}
    )
    assert response.status_code == 400
    assert response.json() == {"stage": ["The stage changes only by moving the deal."]}
    assert snapshot(deal) == before
    same = api_as(department.rep_north).patch(f"/api/v1/deals/{deal.pk}/", {"stage": deal.stage_id})
    assert same.status_code == 200


def test_put_needs_the_whole_deal(department, deals, api_as):
    deal = deals["north"]
    response = api_as(department.rep_north).put(
        f"/api/v1/deals/{deal.pk}/",
        {"title": "Renamed", "client": deal.client_id, "amount": "5.00", "deal_type": "upsell"},
    )
    assert response.status_code == 200, response.content
    deal.refresh_from_db()
    assert (deal.title, deal.amount, deal.deal_type) == ("Renamed", Decimal("5.00"), "upsell")
    assert api_as(department.rep_north).put(f"/api/v1/deals/{deal.pk}/", {"title": "Only"}).status_code == 400


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("analyst", 403), ("assistant_north", 403), ("rep_north_2", 404), ("lead_south", 404)],
)
def test_updates_are_refused_to_read_only_and_outside_users(department, deals, api_as, viewer, status):
    deal = deals["north"]
    before = snapshot(deal)
    response = api_as(getattr(department, viewer)).patch(f"/api/v1/deals/{deal.pk}/", {"amount": "1.00"})
    assert response.status_code == status
    assert snapshot(deal) == before


def test_owner_changes_only_by_a_manager(department, deals, api_as):
    deal = deals["north"]
    before = snapshot(deal)
    # Outside the viewer's scope: answered like an id that does not exist.
    response = api_as(department.rep_north).patch(
        f"/api/v1/deals/{deal.pk}/", {"owner": department.rep_north_2.pk}
    )
    assert (response.status_code, response.json()) == (400, _invalid_pk(department.rep_north_2.pk))
    assert snapshot(deal) == before
    response = api_as(department.lead_north).patch(
        f"/api/v1/deals/{deal.pk}/", {"owner": department.rep_south.pk}
    )
    assert (response.status_code, response.json()) == (400, _invalid_pk(department.rep_south.pk))
    assert snapshot(deal) == before
    # In scope but not active any more: the service refuses.
    response = api_as(department.lead_north).patch(
        f"/api/v1/deals/{deal.pk}/", {"owner": department.inactive_rep_north.pk}
    )
    assert response.status_code == 400
    assert response.json() == {"owner": ["You may not give a deal to this person."]}
    assert snapshot(deal) == before
    response = api_as(department.lead_north).patch(
        f"/api/v1/deals/{deal.pk}/", {"owner": department.rep_north_2.pk}
    )
    assert response.status_code == 200
    assert Deal.objects.get(pk=deal.pk).owner == department.rep_north_2


def test_delete(department, deals, api_as):
    api = api_as(department.analyst)
    assert api.delete(f"/api/v1/deals/{deals['north'].pk}/").status_code == 403
    assert api_as(department.rep_south).delete(f"/api/v1/deals/{deals['north'].pk}/").status_code == 404
    assert api_as(department.rep_south).delete(f"/api/v1/deals/{deals['won'].pk}/").status_code == 403
    assert Deal.objects.count() == 4
    assert api_as(department.rep_north).delete(f"/api/v1/deals/{deals['north'].pk}/").status_code == 204
    assert not Deal.objects.filter(pk=deals["north"].pk).exists()


# --- move --------------------------------------------------------------------------------


def test_move(department, deals, api_as, stages):
    deal = deals["north"]
    response = api_as(department.rep_north).post(
        f"/api/v1/deals/{deal.pk}/move/", {"stage": stages["Contract"].pk}
    )
    assert response.status_code == 200
    assert (response.json()["stage_name"], response.json()["closed_at"]) == ("Contract", None)
    assert StageChange.objects.filter(deal=deal).latest("pk").from_stage == stages["Proposal"]


def test_move_to_lost_without_a_reason_is_400_and_changes_nothing(department, deals, api_as, stages):
    deal = deals["north"]
    before = snapshot(deal)
    response = api_as(department.rep_north).post(
        f"/api/v1/deals/{deal.pk}/move/", {"stage": stages["Lost"].pk}
    )
    assert response.status_code == 400
    assert response.json() == {
        "lost_reason": ["Choose why the deal was lost: a deal cannot be closed as lost without a reason."]
    }
    assert snapshot(deal) == before
    # The old free text is no longer a reason: an id from /api/v1/lost-reasons/ is.
    response = api_as(department.rep_north).post(
        f"/api/v1/deals/{deal.pk}/move/", {"stage": stages["Lost"].pk, "lost_reason": "Budget cut"}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["lost_reason"]
    assert snapshot(deal) == before
    budget = lost_reason("No budget")
    response = api_as(department.rep_north).post(
        f"/api/v1/deals/{deal.pk}/move/",
        {"stage": stages["Lost"].pk, "lost_reason": budget.pk, "lost_comment": "Budget cut"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (
        body["lost_reason"],
        body["lost_reason_name"],
        body["lost_comment"],
        body["closed_at"],
    ) == (budget.pk, "No budget", "Budget cut", timezone.localdate().isoformat())


def test_move_refusals(department, deals, api_as, stages):
    won = deals["won"]
    before = snapshot(won)
    assert (
        api_as(department.rep_south)
        .post(f"/api/v1/deals/{won.pk}/move/", {"stage": stages["Lead"].pk})
        .status_code
        == 403
    )
    assert (
        api_as(department.analyst)
        .post(f"/api/v1/deals/{won.pk}/move/", {"stage": stages["Lead"].pk})
        .status_code
        == 403
    )
    assert (
        api_as(department.rep_north)
        .post(f"/api/v1/deals/{won.pk}/move/", {"stage": stages["Lead"].pk})
        .status_code
        == 404
    )
    bad = api_as(department.rep_south).post(f"/api/v1/deals/{won.pk}/move/", {"stage": 9999})
    assert bad.status_code == 400
    assert bad.json() == {"stage": ['Invalid pk "9999" - object does not exist.']}
    assert snapshot(won) == before
    reopened = api_as(department.lead_south).post(
        f"/api/v1/deals/{won.pk}/move/", {"stage": stages["Contract"].pk}
    )
    assert reopened.status_code == 200


# --- facts and reviews -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("viewer", "count"),
    [("head", 2), ("lead_north", 1), ("rep_north", 1), ("rep_south", 1), ("rep_north_2", 0)],
)
def test_facts_are_listed_through_their_deal(department, deals, api_as, viewer, count):
    FactFactory(deal=deals["south"])
    assert api_as(getattr(department, viewer)).get("/api/v1/facts/").json()["count"] == count


def test_a_rep_adds_a_fact_through_the_api(department, deals, api_as):
    deal = deals["north_2"]
    response = api_as(department.rep_north_2).post(
        "/api/v1/facts/",
        {"deal": deal.pk, "kind": "budget_confirmed", "text": "The CFO confirmed the budget."},
    )
    assert response.status_code == 201, response.content
    assert response.json()["recorded_by"] == department.rep_north_2.pk
    assert response.json()["happened_on"] == timezone.localdate().isoformat()
    assert Fact.objects.filter(deal=deal).count() == 1


def test_fact_refusals(department, deals, api_as):
    count = Fact.objects.count()
    hidden = api_as(department.rep_north).post(
        "/api/v1/facts/", {"deal": deals["south"].pk, "kind": "other", "text": "x"}
    )
    assert hidden.status_code == 400
    assert hidden.json() == {"deal": [f'Invalid pk "{deals["south"].pk}" - object does not exist.']}
    read_only = api_as(department.analyst).post(
        "/api/v1/facts/", {"deal": deals["south"].pk, "kind": "other", "text": "x"}
    )
    assert read_only.status_code == 403
    bad = api_as(department.rep_south).post(
        "/api/v1/facts/", {"deal": deals["south"].pk, "kind": "vibes", "text": ""}
    )
    assert bad.status_code == 400
    assert set(bad.json()) == {"kind", "text"}
    assert Fact.objects.count() == count


def test_reviews_through_the_api(department, deals, api_as):
    deal = deals["north"]
    response = api_as(department.lead_north).post(
        "/api/v1/reviews/", {"deal": deal.pk, "verdict": "on_track", "comment": "Contract draft requested"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["reviewer"] == department.lead_north.pk
    assert (
        api_as(department.rep_north)
        .post("/api/v1/reviews/", {"deal": deal.pk, "verdict": "on_track"})
        .status_code
        == 403
    )
    assert (
        api_as(department.lead_south)
        .post("/api/v1/reviews/", {"deal": deal.pk, "verdict": "on_track"})
        .status_code
        == 400
    )
    closed = api_as(department.head).post(
        "/api/v1/reviews/", {"deal": deals["won"].pk, "verdict": "on_track"}
    )
    assert closed.status_code == 400
    assert closed.json() == {"non_field_errors": ["This deal is closed; only open deals are reviewed."]}
    assert Review.objects.count() == 1
    assert api_as(department.rep_north).get("/api/v1/reviews/").json()["count"] == 1
    assert api_as(department.rep_south).get("/api/v1/reviews/").json()["count"] == 0
    assert (
        api_as(department.rep_north).get("/api/v1/reviews/", {"deal": deals["south"].pk}).json()["count"] == 0
    )


def test_fact_and_review_lists_run_a_constant_number_of_queries(
    department, deals, api_as, django_assert_num_queries
):
    api = api_as(department.head)
    ReviewFactory(deal=deals["north"], reviewer=department.lead_north)

    def facts():
        return api.get("/api/v1/facts/", {"page_size": 100})

    def reviews():
        return api.get("/api/v1/reviews/", {"page_size": 100})

    # token, count, page
    measured(django_assert_num_queries, 3, facts, count_and_page, (1, 1))
    measured(django_assert_num_queries, 3, reviews, count_and_page, (1, 1))
    for _ in range(20):
        FactFactory(deal=deals["south"], recorded_by=UserFactory())
        ReviewFactory(deal=deals["south"], reviewer=UserFactory(role="lead"))
    measured(django_assert_num_queries, 3, facts, count_and_page, (21, 21))
    measured(django_assert_num_queries, 3, reviews, count_and_page, (21, 21))


def test_fact_and_review_lists_sync_with_updated_since(department, deals, api_as):
    ReviewFactory(deal=deals["north"], reviewer=department.lead_north)
    since = (timezone.now() + datetime.timedelta(minutes=1)).isoformat()
    assert api_as(department.head).get("/api/v1/facts/", {"updated_since": since}).json()["count"] == 0
    assert api_as(department.head).get("/api/v1/reviews/", {"updated_since": since}).json()["count"] == 0
    earlier = (timezone.now() - datetime.timedelta(minutes=1)).isoformat()
    assert api_as(department.head).get("/api/v1/facts/", {"updated_since": earlier}).json()["count"] == 1


# --- pipeline and board ------------------------------------------------------------------


def test_pipeline_per_open_stage(department, deals, api_as, stages):
    body = api_as(department.head).get("/api/v1/pipeline/").json()
    assert body["stages"] == [
        {"stage": stages["Lead"].pk, "name": "Lead", "count": 1, "amount": "10.00", "weighted": "1.00"},
        {
            "stage": stages["Qualified"].pk,
            "name": "Qualified",
            "count": 0,
            "amount": "0.00",
            "weighted": "0.00",
        },
        {
            "stage": stages["Proposal"].pk,
            "name": "Proposal",
            "count": 1,
            "amount": "1234.56",
            "weighted": "493.82",
        },
        {
            "stage": stages["Negotiation"].pk,
            "name": "Negotiation",
            "count": 1,
            "amount": "500.00",
            "weighted": "300.00",
        },
        {
            "stage": stages["Contract"].pk,
            "name": "Contract",
            "count": 0,
            "amount": "0.00",
            "weighted": "0.00",
        },
    ]
    assert body["total"] == {"count": 3, "amount": "1744.56", "weighted": "794.82"}


def test_pipeline_filters_and_scope(department, deals, api_as):
    Deal.objects.filter(pk=deals["south"].pk).update(expected_close=datetime.date(2030, 1, 15))
    head = api_as(department.head)
    assert head.get("/api/v1/pipeline/", {"owner": department.rep_north_2.pk}).json()["total"]["count"] == 1
    assert head.get("/api/v1/pipeline/", {"team": department.south.pk}).json()["total"]["amount"] == "500.00"
    window = {"expected_close_from": "2030-01-01", "expected_close_to": "2030-01-31"}
    assert head.get("/api/v1/pipeline/", window).json()["total"]["count"] == 1
    assert api_as(department.rep_north).get("/api/v1/pipeline/").json()["total"] == {
        "count": 1,
        "amount": "1234.56",
        "weighted": "493.82",
    }
    bad = head.get("/api/v1/pipeline/", {"expected_close_from": "soon"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"expected_close_from"}


def test_board_rows(department, deals, api_as):
    body = api_as(department.lead_north).get("/api/v1/board/").json()
    assert body["month"] == timezone.localdate().strftime("%Y-%m")
    rows = {row["person"]["username"]: row for row in body["results"]}
    assert set(rows) == {"lead_north", "rep_north", "rep_north_2", "sdr_north"}  # leads sell too
    north = rows["rep_north"]
    assert {
        key: north[key] for key in ("open_count", "open_amount", "proven_count", "feelings_count", "weighted")
    } == {
        "open_count": 1,
        "open_amount": "1234.56",
        "proven_count": 1,
        "feelings_count": 0,
        "weighted": "493.82",
    }
    assert (north["won_amount"], north["plan"], north["gap"]) == ("0.00", None, None)
    assert north["warnings"] == {"no_activity": 0, "past_close": 0, "no_open_task": 0, "not_reviewed": 0}
    assert north["person"]["team_name"] == "North"
    top = north["top_deals"][0]
    assert (top["title"], top["amount"], top["weighted_amount"], top["fact_count"]) == (
        "North",
        "1234.56",
        "493.82",
        1,
    )
    assert [fact["text"] for fact in top["facts"]] == ["The director asked whether we can lower the price."]


def test_board_team_filter(department, deals, api_as):
    rows = api_as(department.head).get("/api/v1/board/", {"team": department.south.pk}).json()["results"]
    assert {row["person"]["username"] for row in rows} == {"lead_south", "rep_south", "am_south"}
    assert (
        api_as(department.lead_north).get("/api/v1/board/", {"team": department.south.pk}).status_code == 400
    )
    assert api_as(department.head).get("/api/v1/board/", {"team": "x"}).status_code == 400


def test_board_pages_people_and_reads_top_deals_for_the_page_only(
    department, stages, api_as, django_assert_num_queries
):
    # Every person's figures on every page (the order needs them; kept until the data
    # changes), top deals for the page's people only.
    api = api_as(department.head)
    people = [row["person"]["id"] for row in api.get("/api/v1/board/").json()["results"]]
    assert len(people) == 9
    for person in User.objects.filter(pk__in=people):
        make_deal(person, stage="Proposal", facts=1)
    everyone = api.get("/api/v1/board/").json()["results"]

    def page(number):
        return api.get("/api/v1/board/", {"page_size": 2, "page": number})

    pages = []
    for number in range(1, 6):
        # token, data version, stages, top deal ids, top deals, facts: the summary rows come
        # from the first request's, the data not having changed since
        with django_assert_num_queries(6):
            response = page(number)
        assert response.status_code == 200, response.content
        pages.append(response.json())
    assert [body["count"] for body in pages] == [9] * 5
    assert [len(body["results"]) for body in pages] == [2, 2, 2, 2, 1]
    assert pages[0]["previous"] is None and pages[-1]["next"] is None
    assert pages[0]["month"] == timezone.localdate().strftime("%Y-%m")
    rows = [row for body in pages for row in body["results"]]
    assert [row["person"]["username"] for row in rows] == [row["person"]["username"] for row in everyone]
    assert [len(row["top_deals"]) for row in rows] == [len(row["top_deals"]) for row in everyone]
    assert [len(row["top_deals"]) for row in rows] == [1] * 9
    assert {row["top_deals"][0]["fact_count"] for row in rows} == {1}
    assert page(6).status_code == 404
    # A change of the data shows at once: the summary is computed again.
    make_deal(department.rep_north, stage="Lead")
    rows = {row["person"]["username"]: row for row in api.get("/api/v1/board/").json()["results"]}
    assert rows["rep_north"]["open_count"] == 2


def test_summaries_need_a_login(deals, api_client):
    assert api_client.get("/api/v1/board/").status_code == 401
    assert api_client.get("/api/v1/pipeline/").status_code == 401


def test_board_and_pipeline_run_a_constant_number_of_queries(
    department, stages, api_as, django_assert_num_queries
):
    api = api_as(department.head)
    make_deal(department.rep_north, facts=1)

    def board():
        return api.get("/api/v1/board/")

    def pipeline():
        return api.get("/api/v1/pipeline/")

    def people(response) -> int:
        return len(response.json()["results"])

    def stages_and_open_deals(response) -> tuple[int, int]:
        body = response.json()
        return len(body["stages"]), body["total"]["count"]

    # token, data version, people, stages, figures, plans, top deal ids, top deals, facts
    # (each call follows a change of the data, so the summary rows are computed anew)
    measured(django_assert_num_queries, 9, board, people, 9)  # leads included
    measured(django_assert_num_queries, 3, pipeline, stages_and_open_deals, (5, 1))  # token, stages, sums
    for number in range(10):
        person = UserFactory(username=f"seller{number}", team=department.north)
        for stage in ("Lead", "Proposal", "Contract", "Won"):
            make_deal(person, stage=stage, facts=1)
    measured(django_assert_num_queries, 9, board, people, 19)
    measured(django_assert_num_queries, 3, pipeline, stages_and_open_deals, (5, 31))


def test_the_client_of_a_deal_cannot_change_through_the_api(department, deals, api_as):
    deal = deals["north"]
    other = ClientFactory(owner=department.rep_north)
    before = snapshot(deal)
    response = api_as(department.rep_north).patch(
        f"/api/v1/deals/{deal.pk}/", {"client": other.pk, "title": "Moved"}
    )
    assert (response.status_code, response.json()) == (
        400,
        {"client": ["The client of a deal cannot change."]},
    )
    assert snapshot(deal) == before
    same = api_as(department.rep_north).put(
        f"/api/v1/deals/{deal.pk}/",
        {"title": "Same client", "client": deal.client_id, "amount": "5.00", "stage": deal.stage_id},
    )
    assert same.status_code == 200, same.content


def test_an_sdr_changes_no_deal_through_the_api(department, stages, api_as):
    lead = ClientFactory(owner=department.sdr_north, status="lead")
    deal = make_deal(department.sdr_north, client=lead, title="SDR deal")
    before = snapshot(deal)
    api = api_as(department.sdr_north)
    message = "SDRs do not open or change deals: hand the qualified lead over to a rep, who opens the deal."
    responses = [
        api.post("/api/v1/deals/", {"title": "X", "client": lead.pk, "amount": "1"}),
        api.patch(f"/api/v1/deals/{deal.pk}/", {"title": "Mine"}),
        api.post(f"/api/v1/deals/{deal.pk}/move/", {"stage": stages["Qualified"].pk}),
        api.post("/api/v1/facts/", {"deal": deal.pk, "kind": "other", "text": "x"}),
        api.delete(f"/api/v1/deals/{deal.pk}/"),
    ]
    assert [(r.status_code, r.json()) for r in responses] == [(403, {"detail": message})] * 5
    assert snapshot(deal) == before
    assert Deal.objects.count() == 1


def test_api_texts_are_bounded_like_the_forms(department, deals, api_as):
    deal = deals["north"]
    facts, reviews = Fact.objects.count(), Review.objects.count()
    fact = api_as(department.rep_north).post(
        "/api/v1/facts/", {"deal": deal.pk, "kind": "other", "text": "x" * 2001}
    )
    assert (fact.status_code, fact.json()) == (
        400,
        {"text": ["Keep this under 2000 characters (it has 2001)."]},
    )
    review = api_as(department.lead_north).post(
        "/api/v1/reviews/", {"deal": deal.pk, "verdict": "at_risk", "comment": "x" * 5001}
    )
    assert (review.status_code, review.json()) == (
        400,
        {"comment": ["Keep this under 5000 characters (it has 5001)."]},
    )
    assert (Fact.objects.count(), Review.objects.count()) == (facts, reviews)


def test_the_deal_lists_count_joins_only_what_its_filters_use(department, stages, api_as):
    """The paginator's COUNT runs on the filtered deals without the rows' joins and signals:
    unfiltered it reads the deal table alone; a status filter joins the stages it needs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_deal(department.rep_north, stage="Lead", title="Open one")
    make_deal(department.rep_north, stage="Won", title="Won one")
    client = api_as(department.head)

    def count_sql(query: str) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            body = client.get(f"/api/v1/deals/?{query}").json()
        counts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
        assert len(counts) == 1
        return body["count"], counts[0]

    total, sql = count_sql("page_size=1")
    assert total == 2
    assert "deals_stage" not in sql and "clients_client" not in sql and "EXISTS" not in sql.upper()
    total, sql = count_sql("status=open")
    assert total == 1
    assert "deals_stage" in sql
    total, sql = count_sql("search=Won")
    assert total == 1
