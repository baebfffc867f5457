"""The deal page (details, single timeline, facts, activities, reviews, moves) and the
create / edit / delete forms, for every role."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import Activity
from deals.models import Deal, Fact, Review, StageChange
from deals.services import deal_line_add, deal_line_update
from tests.deals.conftest import make_deal, review, snapshot
from tests.factories import ActivityFactory, ClientFactory, FactFactory, ReviewFactory, lost_reason

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def deal(department, stages):
    return make_deal(department.rep_north, stage="Proposal", title="Warehouse automation", amount="120000.00")


# --- who sees the page -------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["rep_north", "lead_north", "assistant_north", "head", "analyst"])
def test_people_in_scope_see_the_deal_page(client, department, deal, viewer):
    client.force_login(getattr(department, viewer))
    response = client.get(reverse("deals:detail", args=[deal.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Warehouse automation" in page
    assert "120,000.00" in page
    assert f'href="/clients/{deal.client_id}/"' in page
    assert f'hx-get="/targets/deals/{deal.pk}/schedule/"' in page


@pytest.mark.parametrize(
    "viewer", ["rep_north_2", "rep_south", "lead_south", "lead_without_team", "sdr_north"]
)
def test_everyone_else_gets_404(client, department, deal, viewer):
    client.force_login(getattr(department, viewer))
    assert client.get(reverse("deals:detail", args=[deal.pk])).status_code == 404
    assert client.get(reverse("board_panel", args=[deal.pk])).status_code == 404
    assert client.get(reverse("deals:edit", args=[deal.pk])).status_code == 404


@pytest.mark.parametrize(
    ("viewer", "forms"),
    [
        ("rep_north", {"move", "fact", "activity"}),
        ("lead_north", {"move", "fact", "activity", "review"}),
        ("head", {"move", "fact", "activity", "review"}),
        ("assistant_north", {"activity"}),
        ("analyst", set()),
    ],
)
def test_each_role_gets_the_forms_it_may_use(client, department, deal, viewer, forms):
    client.force_login(getattr(department, viewer))
    page = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    present = {
        "move": f'action="/deals/{deal.pk}/move/"' in page,
        "fact": f'action="/deals/{deal.pk}/facts/"' in page,
        "activity": f'action="/deals/{deal.pk}/activities/"' in page,
        "review": f'action="/deals/{deal.pk}/reviews/"' in page,
    }
    assert {name for name, shown in present.items() if shown} == forms
    assert (f'href="/deals/{deal.pk}/edit/"' in page) == ("move" in forms)


def test_the_timeline_merges_activities_facts_reviews_and_stage_changes_newest_first(
    client, department, deal
):
    now = timezone.now()
    ActivityFactory(
        client=deal.client,
        deal=deal,
        owner=department.rep_north,
        occurred_at=now - datetime.timedelta(days=3),
        outcome="Presented the pilot",
    )
    FactFactory(
        deal=deal,
        text="Asked for the contract draft",
        happened_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    ReviewFactory(
        deal=deal,
        reviewer=department.lead_north,
        comment="Solid, push for date",
        reviewed_at=now - datetime.timedelta(days=1),
    )
    StageChange.objects.filter(deal=deal).update(changed_at=now - datetime.timedelta(days=5))
    ActivityFactory(client=deal.client, owner=department.rep_north, outcome="Not about this deal")

    client.force_login(department.rep_north)
    page = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    positions = [
        page.index("Solid, push for date"),
        page.index("Asked for the contract draft"),
        page.index("Presented the pilot"),
        page.index("Created at Proposal"),
    ]
    assert positions == sorted(positions)
    assert "Not about this deal" not in page


# --- facts, activities, reviews ----------------------------------------------------------


def test_adding_a_fact_with_htmx_returns_the_fresh_form_and_the_new_timeline(client, department, deal):
    client.force_login(department.rep_north)
    response = client.post(
        reverse("deals:fact_add", args=[deal.pk]),
        {"kind": "requested_contract", "text": "Their buyer asked for a contract draft", "happened_on": ""},
        **HTMX,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<div id="fact-panel"')
    assert "Fact recorded." in page
    assert '<div id="deal-timeline" hx-swap-oob="true">' in page
    assert "Their buyer asked for a contract draft" in page
    assert '<span id="deal-signals" class="deal-signals" hx-swap-oob="true">' in page
    assert "✔ 1 fact" in page
    fact = Fact.objects.get()
    assert (fact.deal, fact.recorded_by, fact.happened_on) == (
        deal,
        department.rep_north,
        timezone.localdate(),
    )


def test_a_fact_without_text_is_a_400_with_the_message_and_nothing_written(client, department, deal):
    client.force_login(department.rep_north)
    response = client.post(
        reverse("deals:fact_add", args=[deal.pk]), {"kind": "asked_price", "text": ""}, **HTMX
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Fact.objects.count() == 0
    response = client.post(reverse("deals:fact_add", args=[deal.pk]), {"kind": "asked_price", "text": ""})
    assert response.status_code == 400
    assert "Warehouse automation" in response.content.decode()  # the whole page, with the form's errors
    assert Fact.objects.count() == 0


def test_a_fact_in_the_future_is_refused(client, department, deal):
    client.force_login(department.rep_north)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("deals:fact_add", args=[deal.pk]),
        {"kind": "asked_price", "text": "Asked for a discount", "happened_on": tomorrow.isoformat()},
        **HTMX,
    )
    assert response.status_code == 400
    assert "A fact is something that already happened." in response.content.decode()
    assert Fact.objects.count() == 0


def test_without_javascript_a_fact_redirects_back_to_the_deal(client, department, deal):
    client.force_login(department.rep_north)
    response = client.post(reverse("deals:fact_add", args=[deal.pk]), {"kind": "other", "text": "Visited us"})
    assert response.status_code == 302
    assert response["Location"] == f"/deals/{deal.pk}/"
    assert Fact.objects.count() == 1


@pytest.mark.parametrize(
    ("viewer", "status"), [("analyst", 403), ("assistant_north", 403), ("rep_south", 404)]
)
def test_facts_are_refused_to_read_only_and_outside_users(client, department, deal, viewer, status):
    client.force_login(getattr(department, viewer))
    response = client.post(reverse("deals:fact_add", args=[deal.pk]), {"kind": "other", "text": "x"}, **HTMX)
    assert response.status_code == status
    assert Fact.objects.count() == 0


def test_logging_an_activity_from_the_deal_page_links_it_to_the_deal(client, department, deal):
    client.force_login(department.rep_north)
    form = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert f'<option value="{deal.pk}" selected>' in form  # the form preselects this deal
    response = client.post(
        reverse("deals:activity_add", args=[deal.pk]),
        {
            "kind": "call",
            "direction": "outgoing",
            "duration_minutes": "7",
            "outcome": "They want a pilot",
            "deal": deal.pk,
        },
        **HTMX,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Activity logged." in page
    assert "They want a pilot" in page
    activity = Activity.objects.get()
    assert (activity.deal, activity.client, activity.owner, activity.duration_minutes) == (
        deal,
        deal.client,
        department.rep_north,
        7,
    )


def test_a_bad_activity_is_a_400_and_nothing_is_logged(client, department, deal):
    client.force_login(department.rep_north)
    response = client.post(
        reverse("deals:activity_add", args=[deal.pk]),
        {"kind": "call", "duration_minutes": "-3", "next_due_date": "2030-01-01"},
        **HTMX,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say what is to be done by that date." in page
    assert Activity.objects.count() == 0


def test_the_analyst_cannot_log_activities(client, department, deal):
    client.force_login(department.analyst)
    response = client.post(
        reverse("deals:activity_add", args=[deal.pk]), {"kind": "call", "duration_minutes": "5"}, **HTMX
    )
    assert response.status_code == 403
    assert Activity.objects.count() == 0


def test_the_lead_records_a_review_on_the_deal_page(client, department, deal):
    client.force_login(department.lead_north)
    response = client.post(
        reverse("deals:review_add", args=[deal.pk]),
        {
            "verdict": "needs_help",
            "comment": "I will join the CFO meeting",
            "next_action": "",
            "next_action_due": "",
        },
        **HTMX,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Review recorded." in page
    assert "I will join the CFO meeting" in page
    assert Review.objects.get().reviewer == department.lead_north


@pytest.mark.parametrize(("viewer", "status"), [("rep_north", 403), ("analyst", 403), ("lead_south", 404)])
def test_reviews_are_refused_to_others(client, department, deal, viewer, status):
    client.force_login(getattr(department, viewer))
    response = client.post(reverse("deals:review_add", args=[deal.pk]), {"verdict": "on_track"}, **HTMX)
    assert response.status_code == status
    assert Review.objects.count() == 0


def test_a_review_without_a_verdict_is_a_400(client, department, deal):
    client.force_login(department.lead_north)
    response = client.post(reverse("deals:review_add", args=[deal.pk]), {"comment": "hm"}, **HTMX)
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Review.objects.count() == 0


# --- moving from the deal page -----------------------------------------------------------


def test_moving_to_lost_without_a_reason_on_the_deal_page_is_a_400_with_the_message(
    client, department, deal, stages
):
    client.force_login(department.rep_north)
    before = snapshot(deal)
    response = client.post(
        reverse("deals:move", args=[deal.pk]),
        {"stage": stages["Lost"].pk, "lost_reason": "", "lost_comment": "Budget frozen"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose why the deal was lost: a deal cannot be closed as lost without a reason." in page
    assert 'value="Budget frozen"' in page  # what was typed stays
    assert 'data-testid="move-errors"' in page
    assert snapshot(deal) == before


def test_moving_with_a_reason_from_the_deal_page(client, department, deal, stages):
    budget = lost_reason("No budget")
    client.force_login(department.rep_north)
    response = client.post(
        reverse("deals:move", args=[deal.pk]),
        {"stage": stages["Lost"].pk, "lost_reason": budget.pk, "lost_comment": "Budget frozen"},
    )
    assert response.status_code == 302
    deal.refresh_from_db()
    assert (deal.stage.name, deal.lost_reason, deal.lost_comment) == ("Lost", budget, "Budget frozen")
    page = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert '<dd data-testid="lost-reason">No budget — Budget frozen</dd>' in page


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-1"])
def test_a_bad_reason_on_the_deal_page_is_a_400_and_changes_nothing(client, department, deal, stages, value):
    client.force_login(department.rep_north)
    before = snapshot(deal)
    response = client.post(
        reverse("deals:move", args=[deal.pk]), {"stage": stages["Lost"].pk, "lost_reason": value}
    )
    assert response.status_code == 400
    assert 'data-testid="move-errors"' in response.content.decode()
    assert snapshot(deal) == before


def test_a_rep_reopening_a_won_deal_is_forbidden_and_nothing_changes(client, department, stages):
    won = make_deal(department.rep_north, stage="Won")
    before = snapshot(won)
    client.force_login(department.rep_north)
    response = client.post(reverse("deals:move", args=[won.pk]), {"stage": stages["Contract"].pk})
    assert response.status_code == 403
    assert snapshot(won) == before


def test_move_accepts_only_a_local_next_address(client, department, deal, stages):
    client.force_login(department.rep_north)
    response = client.post(
        reverse("deals:move", args=[deal.pk]),
        {"stage": stages["Negotiation"].pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == f"/deals/{deal.pk}/"
    response = client.post(
        reverse("deals:move", args=[deal.pk]), {"stage": stages["Contract"].pk, "next": "/deals/list/"}
    )
    assert response["Location"] == "/deals/list/"


# --- create, edit, delete ---------------------------------------------------------------


def test_a_rep_creates_a_deal(client, department, stages):
    customer = ClientFactory(owner=department.rep_north, name="Polar Foods")
    client.force_login(department.rep_north)
    page = client.get(reverse("deals:create"), {"client": customer.pk}).content.decode()
    assert 'name="owner"' not in page  # reps open deals for themselves
    assert f'<option value="{customer.pk}" selected>Polar Foods</option>' in page
    response = client.post(
        reverse("deals:create"),
        {
            "title": "Cold store automation",
            "client": customer.pk,
            "amount": "250000.00",
            "stage": stages["Lead"].pk,
            "deal_type": "new",
            "expected_close": "2030-06-30",
        },
    )
    deal = Deal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/deals/{deal.pk}/"
    assert (deal.title, deal.owner, deal.amount, deal.stage.name) == (
        "Cold store automation",
        department.rep_north,
        Decimal("250000.00"),
        "Lead",
    )
    assert StageChange.objects.filter(deal=deal, from_stage=None).count() == 1


def test_the_create_form_shows_errors_and_writes_nothing(client, department, stages):
    customer = ClientFactory(owner=department.rep_north)
    client.force_login(department.rep_north)
    response = client.post(
        reverse("deals:create"),
        {
            "title": "",
            "client": customer.pk,
            "amount": "-1",
            "stage": stages["Lead"].pk,
            "deal_type": "new",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert "Ensure this value is greater than or equal to 0." in page
    assert Deal.objects.count() == 0


def test_the_create_form_offers_only_visible_clients(client, department, stages):
    mine = ClientFactory(owner=department.rep_north, name="Mine Ltd")
    theirs = ClientFactory(owner=department.rep_south, name="Theirs Ltd")
    client.force_login(department.rep_north)
    page = client.get(reverse("deals:create")).content.decode()
    assert "Mine Ltd" in page and "Theirs Ltd" not in page
    response = client.post(
        reverse("deals:create"),
        {"title": "X", "client": theirs.pk, "amount": "1", "stage": stages["Lead"].pk, "deal_type": "new"},
    )
    assert response.status_code == 400
    assert Deal.objects.count() == 0
    assert mine


@pytest.mark.parametrize("viewer", ["analyst", "assistant_north"])
def test_read_only_roles_cannot_create(client, department, stages, viewer):
    customer = ClientFactory(owner=department.rep_north)
    client.force_login(getattr(department, viewer))
    response = client.post(
        reverse("deals:create"),
        {"title": "X", "client": customer.pk, "amount": "1", "stage": stages["Lead"].pk, "deal_type": "new"},
    )
    assert response.status_code == 403
    assert Deal.objects.count() == 0


def test_a_lead_creates_a_deal_for_a_team_member(client, department, stages):
    customer = ClientFactory(owner=department.rep_north)
    client.force_login(department.lead_north)
    page = client.get(reverse("deals:create")).content.decode()
    assert 'name="owner"' in page
    assert department.rep_south.full_name not in page
    client.post(
        reverse("deals:create"),
        {
            "title": "Team deal",
            "client": customer.pk,
            "amount": "10",
            "stage": stages["Qualified"].pk,
            "deal_type": "new",
            "owner": department.rep_north_2.pk,
        },
    )
    deal = Deal.objects.get()
    assert (deal.owner, deal.stage.name) == (department.rep_north_2, "Qualified")


def test_editing_a_deal(client, department, deal):
    client.force_login(department.rep_north)
    page = client.get(reverse("deals:edit", args=[deal.pk])).content.decode()
    assert 'name="stage"' not in page
    assert 'value="Warehouse automation"' in page
    response = client.post(
        reverse("deals:edit", args=[deal.pk]),
        {
            "title": "Warehouse automation, phase 1",
            "amount": "99000.00",
            "deal_type": "upsell",
            "probability": "55",
        },
    )
    assert response.status_code == 302
    deal.refresh_from_db()
    assert (deal.title, deal.amount, deal.deal_type, deal.probability, deal.stage.name) == (
        "Warehouse automation, phase 1",
        Decimal("99000.00"),
        "upsell",
        55,
        "Proposal",
    )


def test_editing_with_errors_keeps_the_deal(client, department, deal):
    before = snapshot(deal)
    client.force_login(department.rep_north)
    response = client.post(
        reverse("deals:edit", args=[deal.pk]),
        {"title": "X", "amount": "1", "deal_type": "new", "probability": "150"},
    )
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 100." in response.content.decode()
    assert snapshot(deal) == before


def test_a_lead_reassigns_within_the_team_from_the_edit_form(client, department, deal):
    client.force_login(department.lead_north)
    response = client.post(
        reverse("deals:edit", args=[deal.pk]),
        {"title": deal.title, "amount": "1", "deal_type": "new", "owner": department.rep_north_2.pk},
    )
    assert response.status_code == 302
    assert Deal.objects.get(pk=deal.pk).owner == department.rep_north_2


@pytest.mark.parametrize("viewer", ["analyst", "assistant_north"])
def test_read_only_roles_cannot_edit(client, department, deal, viewer):
    before = snapshot(deal)
    client.force_login(getattr(department, viewer))
    assert client.get(reverse("deals:edit", args=[deal.pk])).status_code == 403
    response = client.post(
        reverse("deals:edit", args=[deal.pk]), {"title": "X", "amount": "1", "deal_type": "new"}
    )
    assert response.status_code == 403
    assert snapshot(deal) == before


def test_deleting_asks_for_confirmation_first(client, department, deal):
    client.force_login(department.rep_north)
    page = client.get(reverse("deals:delete", args=[deal.pk])).content.decode()
    assert "Delete this deal?" in page
    assert Deal.objects.filter(pk=deal.pk).exists()
    response = client.post(reverse("deals:delete", args=[deal.pk]))
    assert response.status_code == 302
    assert not Deal.objects.filter(pk=deal.pk).exists()


@pytest.mark.parametrize(("viewer", "status"), [("analyst", 403), ("rep_south", 404)])
def test_deleting_is_refused_to_others(client, department, deal, viewer, status):
    client.force_login(getattr(department, viewer))
    assert client.post(reverse("deals:delete", args=[deal.pk])).status_code == status
    assert Deal.objects.filter(pk=deal.pk).exists()


def test_the_deal_page_query_count_does_not_grow_with_its_history(client, department, deal):
    client.force_login(department.lead_north)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("deals:detail", args=[deal.pk])).status_code == 200
        return len(queries)

    FactFactory(deal=deal)
    review(deal, department.lead_north)
    ActivityFactory(client=deal.client, deal=deal, owner=department.rep_north)
    line = deal_line_add(by=department.rep_north, deal=deal, name="Setup", quantity=1, unit_price=10)
    deal_line_update(by=department.rep_north, line=line, data={"quantity": Decimal("2")})
    small = count_queries()
    for number in range(10):
        FactFactory(deal=deal)
        review(deal, department.lead_north)
        ActivityFactory(client=deal.client, deal=deal, owner=department.rep_north)
        # Each change of a line by somebody else (whose name the timeline shows).
        by = (department.rep_north, department.lead_north)[number % 2]
        deal_line_update(by=by, line=line, data={"quantity": Decimal(number + 3)})
    assert count_queries() == small


# --- the timeline is capped ----------------------------------------------------------------


def test_the_timeline_shows_the_newest_entries_and_says_older_ones_are_left_out(
    client, department, deal, monkeypatch
):
    monkeypatch.setattr("deals.selectors.deals.TIMELINE_LIMIT", 3)
    now = timezone.now()
    StageChange.objects.filter(deal=deal).update(changed_at=now - datetime.timedelta(days=30))
    for day in range(4):
        ActivityFactory(
            client=deal.client,
            deal=deal,
            owner=department.rep_north,
            occurred_at=now - datetime.timedelta(days=day + 1),
            outcome=f"Call {day}",
        )
    client.force_login(department.rep_north)
    page = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert page.count('data-testid="timeline-') == 4  # three entries and the note
    assert ("Call 0" in page, "Call 1" in page, "Call 2" in page, "Call 3" in page) == (
        True,
        True,
        True,
        False,
    )
    assert "Created at Proposal" not in page
    assert "Showing the newest 3 entries; older ones are left out." in page


def test_a_short_timeline_has_no_note(client, department, deal):
    client.force_login(department.rep_north)
    page = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert "Created at Proposal" in page
    assert "older ones are left out" not in page


def test_the_timeline_reads_a_bounded_number_of_rows(department, deal):
    from deals.selectors import deal_timeline

    now = timezone.now()
    StageChange.objects.filter(deal=deal).update(changed_at=now - datetime.timedelta(days=30))
    for day in range(5):
        FactFactory(deal=deal, happened_on=timezone.localdate() - datetime.timedelta(days=day + 1))
        ReviewFactory(
            deal=deal, reviewer=department.lead_north, reviewed_at=now - datetime.timedelta(hours=day)
        )
    timeline = deal_timeline(deal=deal, viewer=department.rep_north, limit=4)
    assert [entry.kind for entry in timeline] == ["review"] * 4
    assert (len(timeline), timeline.truncated) == (4, True)
    everything = deal_timeline(deal=deal, viewer=department.rep_north, limit=11)
    assert (len(everything), everything.truncated) == (11, False)


# --- the quick activity form lists only deals the viewer sees --------------------------------


def test_the_activity_form_lists_only_the_deals_the_viewer_sees(client, department, deal):
    hidden = make_deal(department.rep_south, client=deal.client, title="Hidden South Deal")
    client.force_login(department.rep_north)
    page = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    start = page.index('<select name="deal"')
    choices = page[start : page.index("</select>", start)]
    assert f'<option value="{deal.pk}" selected>' in choices
    assert f'<option value="{hidden.pk}"' not in choices
    assert "Hidden South Deal" not in page


def test_an_activity_cannot_be_logged_on_a_hidden_deal(client, department, deal):
    hidden = make_deal(department.rep_south, client=deal.client, title="Hidden South Deal")
    client.force_login(department.rep_north)
    response = client.post(
        reverse("deals:activity_add", args=[deal.pk]),
        {"kind": "call", "duration_minutes": "5", "deal": hidden.pk},
        **HTMX,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice." in page
    assert "Hidden South Deal" not in page
    assert Activity.objects.count() == 0


def test_an_activity_logged_on_the_deal_page_may_be_about_no_deal(client, department, deal):
    """The deal is only preselected: clearing it logs the activity on the client alone."""
    client.force_login(department.rep_north)
    response = client.post(
        reverse("deals:activity_add", args=[deal.pk]),
        {"kind": "call", "duration_minutes": "5", "deal": "", "outcome": "General chat"},
        **HTMX,
    )
    assert response.status_code == 200
    activity = Activity.objects.get()
    assert (activity.client, activity.deal) == (deal.client, None)


# --- SDRs see their deals but change none ---------------------------------------------------


@pytest.fixture
def sdr_deal(department, stages):
    lead = ClientFactory(owner=department.sdr_north, status="lead", name="Fresh Lead Ltd")
    return make_deal(department.sdr_north, client=lead, title="Handed-over hope")


def test_an_sdr_gets_no_deal_controls(client, department, sdr_deal):
    client.force_login(department.sdr_north)
    page = client.get(reverse("deals:detail", args=[sdr_deal.pk])).content.decode()
    assert "Handed-over hope" in page
    for action in ("move", "facts", "edit", "delete"):
        assert f"/deals/{sdr_deal.pk}/{action}/" not in page
    for url in (reverse("deals:kanban"), reverse("deals:list")):
        listing = client.get(url).content.decode()
        assert "Handed-over hope" in listing
        assert 'href="/deals/new/"' not in listing
        assert 'draggable="true"' not in listing


def test_an_sdr_is_refused_the_deal_forms(client, department, sdr_deal, stages):
    client.force_login(department.sdr_north)
    before = snapshot(sdr_deal)
    new = client.get(reverse("deals:create"))
    assert new.status_code == 403
    created = client.post(
        reverse("deals:create"),
        {
            "title": "X",
            "client": sdr_deal.client_id,
            "amount": "1",
            "stage": stages["Lead"].pk,
            "deal_type": "new",
        },
    )
    assert created.status_code == 403
    assert client.get(reverse("deals:edit", args=[sdr_deal.pk])).status_code == 403
    moved = client.post(reverse("deals:move", args=[sdr_deal.pk]), {"stage": stages["Qualified"].pk})
    assert moved.status_code == 403
    fact = client.post(reverse("deals:fact_add", args=[sdr_deal.pk]), {"kind": "other", "text": "x"})
    assert fact.status_code == 403
    assert snapshot(sdr_deal) == before
    assert Deal.objects.count() == 1


def test_the_owner_choices_are_people_who_own_deals(client, department, stages):
    client.force_login(department.lead_north)
    page = client.get(reverse("deals:create")).content.decode()
    owners = page[page.index('name="owner"') : page.index("</select>", page.index('name="owner"'))]
    assert department.rep_north.full_name in owners
    assert department.lead_north.full_name in owners
    assert department.sdr_north.full_name not in owners
    assert department.assistant_north.full_name not in owners
