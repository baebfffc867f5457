"""deal_create, deal_update, deal_move, deal_delete, fact_add, review_add: rules and refusals."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from deals import services
from deals.models import Deal, DealType, Fact, FactKind, LostReason, Review, StageChange, Verdict
from tests.deals.conftest import make_deal, snapshot
from tests.factories import (
    ActivityFactory,
    ClientFactory,
    DealFactory,
    InstallmentFactory,
    PaymentFactory,
    lost_reason,
)

pytestmark = pytest.mark.django_db


def history(deal):
    """(from, to, by, lost reason's name or "") of each stage change, oldest first."""
    return [
        (*row[:3], row[3] or "")
        for row in StageChange.objects.filter(deal=deal)
        .order_by("changed_at", "pk")
        .values_list("from_stage__name", "to_stage__name", "changed_by__username", "lost_reason__name")
    ]


# --- deal_create -----------------------------------------------------------------------


def test_create_opens_the_deal_at_the_first_stage_and_records_where_it_entered(department):
    client = ClientFactory(owner=department.rep_north)
    deal = services.deal_create(
        by=department.rep_north,
        client=client,
        title="  Warehouse automation  ",
        amount="125000.50",
        expected_close=datetime.date(2030, 3, 1),
    )
    deal.refresh_from_db()
    assert deal.title == "Warehouse automation"
    assert deal.owner == department.rep_north
    assert deal.stage.name == "Lead"
    assert deal.amount == Decimal("125000.50")
    assert deal.closed_at is None
    assert deal.stage_changed_at is not None
    assert history(deal) == [(None, "Lead", "rep_north", "")]
    assert deal.history.count() == 1
    assert deal.history.first().history_user == department.rep_north


def test_lead_opens_a_deal_for_a_rep_of_the_team_at_a_chosen_open_stage(department, stages):
    client = ClientFactory(owner=department.rep_north)
    deal = services.deal_create(
        by=department.lead_north,
        client=client,
        title="Fleet telematics",
        amount=Decimal("5000"),
        owner=department.rep_north_2,
        stage=stages["Proposal"],
    )
    assert deal.owner == department.rep_north_2
    assert history(deal) == [(None, "Proposal", "lead_north", "")]


@pytest.mark.parametrize("viewer", ["analyst", "assistant_north"])
def test_read_only_roles_may_not_open_deals(department, viewer):
    client = ClientFactory(owner=department.rep_north)
    with pytest.raises(PermissionDenied):
        services.deal_create(by=getattr(department, viewer), client=client, title="X", amount=1)
    assert Deal.objects.count() == 0
    assert StageChange.objects.count() == 0


def test_a_rep_may_not_open_a_deal_for_someone_else(department):
    client = ClientFactory(owner=department.rep_north)
    with pytest.raises(PermissionDenied):
        services.deal_create(
            by=department.rep_north, client=client, title="X", amount=1, owner=department.rep_north_2
        )
    assert Deal.objects.count() == 0


def test_a_lead_may_not_give_a_deal_to_another_team(department):
    client = ClientFactory(owner=department.rep_north)
    with pytest.raises(ValidationError) as error:
        services.deal_create(
            by=department.lead_north, client=client, title="X", amount=1, owner=department.rep_south
        )
    assert error.value.message_dict == {"owner": ["You may not give a deal to this person."]}
    assert Deal.objects.count() == 0


def test_creating_on_a_client_the_user_cannot_see_is_not_found(department):
    client = ClientFactory(owner=department.rep_south)
    with pytest.raises(Http404):
        services.deal_create(by=department.rep_north, client=client, title="X", amount=1)
    assert Deal.objects.count() == 0


def test_create_refuses_bad_input_with_field_messages_and_writes_nothing(department, stages):
    client = ClientFactory(owner=department.rep_north)
    with pytest.raises(ValidationError) as error:
        services.deal_create(
            by=department.rep_north,
            client=client,
            title=" ",
            amount="-5",
            probability=120,
            stage=stages["Won"],
            service_start=datetime.date(2030, 2, 1),
            service_end=datetime.date(2030, 1, 1),
        )
    assert error.value.message_dict == {
        "title": ["Give the deal a title."],
        "amount": ["The amount cannot be negative."],
        "probability": ["Probability is a percentage from 0 to 100."],
        "service_end": ["The service period cannot end before it starts."],
        "stage": ["A new deal starts in an open stage; move it to won or lost afterwards."],
    }
    assert Deal.objects.count() == 0
    assert StageChange.objects.count() == 0


def test_renewal_of_must_be_a_won_deal_of_the_same_client(department):
    client = ClientFactory(owner=department.rep_north)
    open_deal = make_deal(department.rep_north, client=client, stage="Proposal")
    other_client_won = make_deal(department.rep_north, stage="Won")
    for renewed, message in [
        (open_deal, "Choose a won deal of this client."),
        (other_client_won, "The renewed deal belongs to another client."),
    ]:
        with pytest.raises(ValidationError) as error:
            services.deal_create(
                by=department.rep_north,
                client=client,
                title="Renewal",
                amount=1,
                deal_type=DealType.RENEWAL,
                renewal_of=renewed,
            )
        assert error.value.message_dict == {"renewal_of": [message]}
    with pytest.raises(ValidationError) as error:
        services.deal_create(
            by=department.rep_north, client=client, title="New", amount=1, renewal_of=other_client_won
        )
    assert error.value.message_dict == {"renewal_of": ["Only a renewal renews an earlier deal."]}
    assert Deal.objects.count() == 2


# --- deal_update -----------------------------------------------------------------------


def test_update_changes_only_the_given_fields(department):
    deal = make_deal(department.rep_north, amount="100.00", next_step="Call")
    updated = services.deal_update(
        deal=deal,
        by=department.rep_north,
        data={"amount": Decimal("250.00"), "probability": 35, "title": " Send contract "},
    )
    fresh = Deal.objects.get(pk=deal.pk)
    assert (fresh.amount, fresh.probability, fresh.title) == (Decimal("250.00"), 35, "Send contract")
    assert updated.effective_probability == 35
    assert fresh.history.first().history_user == department.rep_north


def test_update_never_changes_the_stage_or_the_client(department, stages):
    deal = make_deal(department.rep_north)
    before = snapshot(deal)
    with pytest.raises(ValidationError) as error:
        services.deal_update(deal=deal, by=department.rep_north, data={"stage": stages["Won"]})
    assert error.value.message_dict == {"stage": ["The stage changes only by moving the deal."]}
    with pytest.raises(ValidationError):
        services.deal_update(deal=deal, by=department.rep_north, data={"client": ClientFactory()})
    assert snapshot(deal) == before


def test_update_works_on_the_current_row_not_a_stale_copy(department, stages):
    """A stale object (someone moved the deal meanwhile) must not put the old stage back."""
    deal = make_deal(department.rep_north)
    stale = Deal.objects.get(pk=deal.pk)
    services.deal_move(deal=deal, stage=stages["Qualified"], by=department.rep_north)
    services.deal_update(deal=stale, by=department.rep_north, data={"title": "Renamed"})
    fresh = Deal.objects.get(pk=deal.pk)
    assert (fresh.title, fresh.stage.name) == ("Renamed", "Qualified")


@pytest.mark.parametrize("viewer", ["analyst", "assistant_north"])
def test_read_only_roles_may_not_update(department, viewer):
    deal = make_deal(department.rep_north)
    before = snapshot(deal)
    with pytest.raises(PermissionDenied):
        services.deal_update(deal=deal, by=getattr(department, viewer), data={"amount": Decimal("1")})
    assert snapshot(deal) == before


@pytest.mark.parametrize("viewer", ["rep_north_2", "rep_south", "lead_south", "lead_without_team"])
def test_updating_a_deal_the_user_cannot_see_is_not_found(department, viewer):
    deal = make_deal(department.rep_north)
    before = snapshot(deal)
    with pytest.raises(Http404):
        services.deal_update(deal=deal, by=getattr(department, viewer), data={"amount": Decimal("1")})
    assert snapshot(deal) == before


def test_only_a_manager_hands_a_deal_over(department):
    deal = make_deal(department.rep_north)
    before = snapshot(deal)
    with pytest.raises(PermissionDenied):
        services.deal_update(deal=deal, by=department.rep_north, data={"owner": department.rep_north_2})
    assert snapshot(deal) == before

    services.deal_update(deal=deal, by=department.lead_north, data={"owner": department.rep_north_2})
    assert Deal.objects.get(pk=deal.pk).owner == department.rep_north_2

    with pytest.raises(ValidationError) as error:
        services.deal_update(deal=deal, by=department.lead_north, data={"owner": department.rep_south})
    assert error.value.message_dict == {"owner": ["You may not give a deal to this person."]}
    assert Deal.objects.get(pk=deal.pk).owner == department.rep_north_2

    services.deal_update(deal=deal, by=department.head, data={"owner": department.rep_south})
    assert Deal.objects.get(pk=deal.pk).owner == department.rep_south


def test_a_manager_cannot_hand_a_deal_to_an_inactive_person(department):
    deal = make_deal(department.rep_north)
    with pytest.raises(ValidationError):
        services.deal_update(deal=deal, by=department.head, data={"owner": department.inactive_rep_north})
    assert Deal.objects.get(pk=deal.pk).owner == department.rep_north


# --- deal_move -------------------------------------------------------------------------


def test_move_records_every_step_with_who_moved_it(department, stages):
    deal = make_deal(department.rep_north)
    services.deal_move(deal=deal, stage=stages["Qualified"], by=department.rep_north)
    services.deal_move(deal=deal, stage=stages["Negotiation"], by=department.lead_north)
    deal.refresh_from_db()
    assert deal.stage.name == "Negotiation"
    assert deal.closed_at is None
    assert history(deal) == [
        (None, "Lead", "rep_north", ""),
        ("Lead", "Qualified", "rep_north", ""),
        ("Qualified", "Negotiation", "lead_north", ""),
    ]


def test_a_move_clears_the_probability_override(department, stages):
    deal = make_deal(department.rep_north, stage="Proposal", probability=75)
    moved = services.deal_move(deal=deal, stage=stages["Negotiation"], by=department.rep_north)
    assert moved.probability is None
    assert moved.effective_probability == 60


def test_won_sets_the_closed_date(department, stages):
    deal = make_deal(department.rep_north, stage="Contract")
    services.deal_move(deal=deal, stage=stages["Won"], by=department.rep_north)
    deal.refresh_from_db()
    assert (deal.stage.name, deal.closed_at, deal.lost_reason, deal.lost_comment) == (
        "Won",
        timezone.localdate(),
        None,
        "",
    )


@pytest.mark.parametrize("comment", ["", "Chose a competitor"])
def test_lost_without_a_reason_is_refused_and_nothing_changes(department, stages, comment):
    deal = make_deal(department.rep_north, stage="Proposal")
    before = snapshot(deal)
    with pytest.raises(ValidationError) as error:
        services.deal_move(deal=deal, stage=stages["Lost"], by=department.rep_north, lost_comment=comment)
    assert error.value.message_dict == {
        "lost_reason": ["Choose why the deal was lost: a deal cannot be closed as lost without a reason."]
    }
    assert snapshot(deal) == before
    assert StageChange.objects.filter(deal=deal).count() == 1


def test_lost_with_a_retired_reason_is_refused_and_nothing_changes(department, stages):
    retired = lost_reason("Fax machine broke")
    LostReason.objects.filter(pk=retired.pk).update(is_active=False)
    deal = make_deal(department.rep_north, stage="Proposal")
    before = snapshot(deal)
    with pytest.raises(ValidationError) as error:
        services.deal_move(deal=deal, stage=stages["Lost"], by=department.rep_north, lost_reason=retired)
    assert error.value.message_dict == {
        "lost_reason": ["This reason is no longer in use: choose another one."]
    }
    assert snapshot(deal) == before


def test_lost_with_a_too_long_comment_is_refused(department, stages):
    deal = make_deal(department.rep_north, stage="Proposal")
    before = snapshot(deal)
    with pytest.raises(ValidationError) as error:
        services.deal_move(
            deal=deal,
            stage=stages["Lost"],
            by=department.rep_north,
            lost_reason=lost_reason("Price"),
            lost_comment="x" * 301,
        )
    assert error.value.message_dict == {"lost_comment": ["Keep the comment under 300 characters."]}
    assert snapshot(deal) == before


def test_lost_with_a_reason_closes_the_deal_and_keeps_the_reason_in_the_history(department, stages):
    competitor = lost_reason("Competitor")
    deal = make_deal(department.rep_north, stage="Proposal")
    services.deal_move(
        deal=deal,
        stage=stages["Lost"],
        by=department.rep_north,
        lost_reason=competitor,
        lost_comment=" Chose Acme on delivery time ",
    )
    deal.refresh_from_db()
    assert (deal.stage.name, deal.closed_at, deal.lost_reason, deal.lost_comment) == (
        "Lost",
        timezone.localdate(),
        competitor,
        "Chose Acme on delivery time",
    )
    assert history(deal)[-1] == ("Proposal", "Lost", "rep_north", "Competitor")
    assert StageChange.objects.filter(deal=deal).latest("changed_at", "pk").lost_comment == (
        "Chose Acme on delivery time"
    )


def test_moving_to_the_current_stage_is_refused(department, stages):
    deal = make_deal(department.rep_north, stage="Proposal")
    before = snapshot(deal)
    with pytest.raises(ValidationError) as error:
        services.deal_move(deal=deal, stage=stages["Proposal"], by=department.rep_north)
    assert error.value.message_dict == {"stage": ["The deal is already at “Proposal”."]}
    assert snapshot(deal) == before


def test_moving_to_a_retired_stage_is_refused(department, stages):
    stages["Qualified"].is_active = False
    stages["Qualified"].save()
    deal = make_deal(department.rep_north)
    before = snapshot(deal)
    with pytest.raises(ValidationError):
        services.deal_move(deal=deal, stage=stages["Qualified"], by=department.rep_north)
    assert snapshot(deal) == before


@pytest.mark.parametrize("closed", ["Won", "Lost"])
def test_a_rep_may_not_reopen_a_closed_deal(department, stages, closed):
    deal = make_deal(department.rep_north, stage=closed, lost_reason="Budget" if closed == "Lost" else "")
    before = snapshot(deal)
    with pytest.raises(PermissionDenied):
        services.deal_move(deal=deal, stage=stages["Negotiation"], by=department.rep_north)
    assert snapshot(deal) == before


@pytest.mark.parametrize("manager", ["lead_north", "head"])
def test_a_manager_reopens_a_closed_deal_and_it_is_recorded(department, stages, manager):
    deal = make_deal(department.rep_north, stage="Lost", lost_reason="Budget")
    services.deal_move(deal=deal, stage=stages["Negotiation"], by=getattr(department, manager))
    deal.refresh_from_db()
    assert (deal.stage.name, deal.closed_at, deal.lost_reason, deal.lost_comment) == (
        "Negotiation",
        None,
        None,
        "",
    )
    assert history(deal)[-1] == ("Lost", "Negotiation", manager, "")


@pytest.mark.parametrize("viewer", ["analyst", "assistant_north"])
def test_read_only_roles_may_not_move(department, stages, viewer):
    deal = make_deal(department.rep_north)
    before = snapshot(deal)
    with pytest.raises(PermissionDenied):
        services.deal_move(deal=deal, stage=stages["Qualified"], by=getattr(department, viewer))
    assert snapshot(deal) == before


@pytest.mark.parametrize("viewer", ["rep_north_2", "rep_south", "lead_south", "sdr_north"])
def test_moving_a_deal_the_user_cannot_see_is_not_found(department, stages, viewer):
    deal = make_deal(department.rep_north)
    before = snapshot(deal)
    with pytest.raises(Http404):
        services.deal_move(deal=deal, stage=stages["Qualified"], by=getattr(department, viewer))
    assert snapshot(deal) == before


def test_move_reads_the_current_stage_not_the_callers_copy(department, stages):
    deal = make_deal(department.rep_north)
    stale = Deal.objects.get(pk=deal.pk)
    services.deal_move(deal=deal, stage=stages["Qualified"], by=department.rep_north)
    services.deal_move(deal=stale, stage=stages["Proposal"], by=department.rep_north)
    assert history(deal)[1:] == [
        ("Lead", "Qualified", "rep_north", ""),
        ("Qualified", "Proposal", "rep_north", ""),
    ]


# --- renewals --------------------------------------------------------------------------


def test_a_won_renewal_links_to_the_deal_it_renews_and_continues_its_service_period(department, stages):
    client = ClientFactory(owner=department.rep_north)
    older = make_deal(
        department.rep_north,
        client=client,
        stage="Won",
        service_start=datetime.date(2024, 1, 1),
        service_end=datetime.date(2024, 12, 31),
    )
    latest = make_deal(
        department.rep_north,
        client=client,
        stage="Won",
        service_start=datetime.date(2025, 1, 1),
        service_end=datetime.date(2025, 12, 31),
    )
    make_deal(department.rep_north, stage="Won", service_end=datetime.date(2026, 6, 30))  # another client
    renewal = services.deal_create(
        by=department.rep_north, client=client, title="Renewal 2026", amount=1, deal_type=DealType.RENEWAL
    )
    services.deal_move(deal=renewal, stage=stages["Won"], by=department.rep_north)
    renewal.refresh_from_db()
    assert renewal.renewal_of == latest
    assert (renewal.service_start, renewal.service_end) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )
    assert older.renewals.count() == 0


def test_a_deal_already_renewed_is_not_renewed_twice(department, stages):
    client = ClientFactory(owner=department.rep_north)
    first = make_deal(
        department.rep_north, client=client, stage="Won", service_end=datetime.date(2024, 12, 31)
    )
    second = make_deal(
        department.rep_north, client=client, stage="Won", service_end=datetime.date(2025, 12, 31)
    )
    make_deal(department.rep_north, client=client, stage="Won", deal_type=DealType.RENEWAL, renewal_of=second)
    renewal = make_deal(department.rep_north, client=client, stage="Contract", deal_type=DealType.RENEWAL)
    services.deal_move(deal=renewal, stage=stages["Won"], by=department.rep_north)
    renewal.refresh_from_db()
    assert renewal.renewal_of == first


def test_an_explicit_renewal_link_is_kept_when_won(department, stages):
    client = ClientFactory(owner=department.rep_north)
    chosen = make_deal(
        department.rep_north, client=client, stage="Won", service_end=datetime.date(2024, 6, 30)
    )
    make_deal(department.rep_north, client=client, stage="Won", service_end=datetime.date(2025, 6, 30))
    renewal = services.deal_create(
        by=department.rep_north,
        client=client,
        title="Renewal",
        amount=1,
        deal_type=DealType.RENEWAL,
        renewal_of=chosen,
        service_start=datetime.date(2024, 7, 1),
        service_end=datetime.date(2025, 6, 30),
    )
    services.deal_move(deal=renewal, stage=stages["Won"], by=department.rep_north)
    renewal.refresh_from_db()
    assert renewal.renewal_of == chosen
    assert renewal.service_end == datetime.date(2025, 6, 30)


def test_a_new_business_deal_is_never_linked_as_a_renewal(department, stages):
    client = ClientFactory(owner=department.rep_north)
    make_deal(department.rep_north, client=client, stage="Won", service_end=datetime.date(2025, 6, 30))
    deal = make_deal(department.rep_north, client=client, stage="Contract")
    services.deal_move(deal=deal, stage=stages["Won"], by=department.rep_north)
    deal.refresh_from_db()
    assert deal.renewal_of is None


# --- deal_delete -----------------------------------------------------------------------


def test_the_owner_deletes_an_open_deal(department):
    deal = make_deal(department.rep_north)
    services.deal_delete(deal=deal, by=department.rep_north)
    assert not Deal.objects.filter(pk=deal.pk).exists()
    assert StageChange.objects.count() == 0


def test_only_a_manager_deletes_a_closed_deal(department):
    deal = make_deal(department.rep_north, stage="Won")
    with pytest.raises(PermissionDenied):
        services.deal_delete(deal=deal, by=department.rep_north)
    assert Deal.objects.filter(pk=deal.pk).exists()
    services.deal_delete(deal=deal, by=department.lead_north)
    assert not Deal.objects.filter(pk=deal.pk).exists()


def test_a_deal_with_payments_is_not_deleted(department):
    deal = make_deal(department.rep_north, stage="Won")
    PaymentFactory(installment=InstallmentFactory(deal=deal))
    before = snapshot(deal)
    with pytest.raises(ValidationError):
        services.deal_delete(deal=deal, by=department.head)
    assert snapshot(deal) == before


@pytest.mark.parametrize(("viewer", "error"), [("analyst", PermissionDenied), ("rep_south", Http404)])
def test_deleting_is_refused_to_read_only_and_outside_users(department, viewer, error):
    deal = make_deal(department.rep_north)
    with pytest.raises(error):
        services.deal_delete(deal=deal, by=getattr(department, viewer))
    assert Deal.objects.filter(pk=deal.pk).exists()


# --- facts -----------------------------------------------------------------------------


def test_the_owner_records_a_fact(department):
    deal = make_deal(department.rep_north)
    activity = ActivityFactory(client=deal.client, deal=deal, owner=department.rep_north)
    fact = services.fact_add(
        deal=deal,
        by=department.rep_north,
        kind=FactKind.REQUESTED_CONTRACT,
        text=" Their buyer asked for a contract draft. ",
        activity=activity,
    )
    assert (fact.text, fact.happened_on, fact.recorded_by, fact.activity) == (
        "Their buyer asked for a contract draft.",
        timezone.localdate(),
        department.rep_north,
        activity,
    )


def test_a_fact_needs_a_kind_a_text_a_past_date_and_an_activity_of_the_same_client(department):
    deal = make_deal(department.rep_north)
    foreign_activity = ActivityFactory(owner=department.rep_north)
    with pytest.raises(ValidationError) as error:
        services.fact_add(
            deal=deal,
            by=department.rep_north,
            kind="vibes",
            text=" ",
            happened_on=timezone.localdate() + datetime.timedelta(days=1),
            activity=foreign_activity,
        )
    assert error.value.message_dict == {
        "kind": ["Choose what kind of fact this is."],
        "text": ["Say what happened — what the client did or asked."],
        "happened_on": ["A fact is something that already happened."],
        "activity": ["This activity belongs to another client or deal."],
    }
    assert Fact.objects.count() == 0


@pytest.mark.parametrize(
    ("viewer", "error"),
    [("analyst", PermissionDenied), ("assistant_north", PermissionDenied), ("rep_south", Http404)],
)
def test_facts_are_refused_to_read_only_and_outside_users(department, viewer, error):
    deal = make_deal(department.rep_north)
    with pytest.raises(error):
        services.fact_add(deal=deal, by=getattr(department, viewer), kind=FactKind.OTHER, text="x")
    assert Fact.objects.count() == 0


# --- reviews ---------------------------------------------------------------------------


@pytest.mark.parametrize("reviewer", ["lead_north", "head"])
def test_the_owners_lead_or_the_head_reviews(department, reviewer):
    deal = make_deal(department.rep_north)
    review = services.review_add(
        deal=deal,
        by=getattr(department, reviewer),
        verdict=Verdict.AT_RISK,
        comment="Only feelings so far.",
        next_action="Get the budget confirmed",
        next_action_due=datetime.date(2030, 1, 10),
    )
    assert (review.reviewer, review.verdict, review.next_action) == (
        getattr(department, reviewer),
        Verdict.AT_RISK,
        "Get the budget confirmed",
    )


def test_an_agreed_action_is_due_from_today_on(department):
    """A past date was kept and shown as "1 Jan", which read as a coming one."""
    deal = make_deal(department.rep_north)
    review = {
        "deal": deal,
        "by": department.lead_north,
        "verdict": Verdict.ON_TRACK,
        "next_action": "Call the CFO",
    }
    with pytest.raises(ValidationError) as refused:
        services.review_add(**review, next_action_due=timezone.localdate() - datetime.timedelta(days=1))
    assert refused.value.message_dict == {"next_action_due": ["Choose today or a later date."]}
    assert not Review.objects.exists()
    services.review_add(**review, next_action_due=timezone.localdate())
    assert Review.objects.get().next_action_due == timezone.localdate()


@pytest.mark.parametrize(
    ("viewer", "error"),
    [
        ("rep_north", PermissionDenied),
        ("assistant_north", PermissionDenied),
        ("analyst", PermissionDenied),
        ("lead_south", Http404),
        ("lead_without_team", Http404),
    ],
)
def test_nobody_else_reviews(department, viewer, error):
    deal = make_deal(department.rep_north)
    with pytest.raises(error):
        services.review_add(deal=deal, by=getattr(department, viewer), verdict=Verdict.ON_TRACK)
    assert Review.objects.count() == 0


def test_a_review_needs_a_verdict_and_an_open_deal(department):
    open_deal = make_deal(department.rep_north)
    with pytest.raises(ValidationError) as error:
        services.review_add(
            deal=open_deal, by=department.lead_north, verdict="meh", next_action_due=datetime.date(2030, 1, 1)
        )
    assert error.value.message_dict == {
        "verdict": ["Choose a verdict."],
        "next_action": ["Describe the action that is due on that date."],
    }
    won = make_deal(department.rep_north, stage="Won")
    with pytest.raises(ValidationError) as error:
        services.review_add(deal=won, by=department.lead_north, verdict=Verdict.ON_TRACK)
    assert error.value.messages == ["This deal is closed; only open deals are reviewed."]
    assert Review.objects.count() == 0


# --- who owns deals; SDRs change none ----------------------------------------------------

OWNER_ROLE_MESSAGE = "Deals belong to reps, account managers, team leads and the head of sales."
SDR_MESSAGE = "SDRs do not open or change deals: hand the qualified lead over to a rep, who opens the deal."


@pytest.mark.parametrize(
    ("by", "owner"),
    [
        ("lead_north", "assistant_north"),
        ("lead_north", "sdr_north"),
        ("head", "analyst"),
        ("head", "assistant_without_team"),
        ("head", "sdr_north"),
    ],
)
def test_deals_are_opened_only_for_people_in_a_deal_owning_role(department, by, owner):
    client = ClientFactory(owner=department.rep_north)
    with pytest.raises(ValidationError) as error:
        services.deal_create(
            by=getattr(department, by), client=client, title="X", amount=1, owner=getattr(department, owner)
        )
    assert error.value.message_dict == {"owner": [OWNER_ROLE_MESSAGE]}
    assert (Deal.objects.count(), StageChange.objects.count()) == (0, 0)


@pytest.mark.parametrize(("by", "owner"), [("lead_north", "assistant_north"), ("head", "analyst")])
def test_deals_are_handed_only_to_people_in_a_deal_owning_role(department, by, owner):
    deal = make_deal(department.rep_north)
    before = snapshot(deal)
    with pytest.raises(ValidationError) as error:
        services.deal_update(
            deal=deal, by=getattr(department, by), data={"owner": getattr(department, owner)}
        )
    assert error.value.message_dict == {"owner": [OWNER_ROLE_MESSAGE]}
    assert snapshot(deal) == before


@pytest.mark.parametrize("owner", ["rep_north_2", "lead_north"])
def test_a_lead_hands_a_deal_to_a_seller_of_the_team_or_keeps_it(department, owner):
    deal = make_deal(department.rep_north)
    services.deal_update(deal=deal, by=department.lead_north, data={"owner": getattr(department, owner)})
    assert Deal.objects.get(pk=deal.pk).owner == getattr(department, owner)


def test_the_head_gives_a_deal_to_an_account_manager(department):
    client = ClientFactory(owner=department.account_manager_south)
    deal = services.deal_create(
        by=department.head, client=client, title="X", amount=1, owner=department.account_manager_south
    )
    assert deal.owner == department.account_manager_south


def test_an_sdr_opens_no_deal_even_on_their_own_lead(department):
    client = ClientFactory(owner=department.sdr_north, status="lead")
    with pytest.raises(PermissionDenied) as error:
        services.deal_create(by=department.sdr_north, client=client, title="X", amount=1)
    assert str(error.value) == SDR_MESSAGE
    assert (Deal.objects.count(), StageChange.objects.count()) == (0, 0)


@pytest.mark.parametrize("action", ["update", "move", "delete", "fact"])
def test_an_sdr_changes_no_deal_even_their_own(department, stages, action):
    deal = make_deal(department.sdr_north, client=ClientFactory(owner=department.sdr_north, status="lead"))
    before = snapshot(deal)
    calls = {
        "update": lambda: services.deal_update(deal=deal, by=department.sdr_north, data={"title": "Mine"}),
        "move": lambda: services.deal_move(deal=deal, stage=stages["Qualified"], by=department.sdr_north),
        "delete": lambda: services.deal_delete(deal=deal, by=department.sdr_north),
        "fact": lambda: services.fact_add(deal=deal, by=department.sdr_north, kind=FactKind.OTHER, text="x"),
    }
    with pytest.raises(PermissionDenied) as error:
        calls[action]()
    assert str(error.value) == SDR_MESSAGE
    assert snapshot(deal) == before


def test_an_sdr_still_gets_404_for_a_deal_they_cannot_see(department, stages):
    deal = make_deal(department.rep_north)
    before = snapshot(deal)
    with pytest.raises(Http404):
        services.deal_update(deal=deal, by=department.sdr_north, data={"title": "Mine"})
    assert snapshot(deal) == before


# --- text limits and date ranges (the API has no form in front) --------------------------


def test_a_fact_text_is_at_most_2000_characters(department):
    deal = make_deal(department.rep_north)
    with pytest.raises(ValidationError) as error:
        services.fact_add(deal=deal, by=department.rep_north, kind=FactKind.OTHER, text="x" * 2001)
    assert error.value.message_dict == {"text": ["Keep this under 2000 characters (it has 2001)."]}
    assert Fact.objects.count() == 0
    fact = services.fact_add(
        deal=deal, by=department.rep_north, kind=FactKind.OTHER, text=" " + "x" * 2000 + " "
    )
    assert len(fact.text) == 2000


def test_a_review_comment_is_at_most_5000_characters_and_the_action_300(department):
    deal = make_deal(department.rep_north)
    with pytest.raises(ValidationError) as error:
        services.review_add(
            deal=deal,
            by=department.lead_north,
            verdict=Verdict.AT_RISK,
            comment="x" * 5001,
            next_action="y" * 301,
        )
    assert error.value.message_dict == {
        "comment": ["Keep this under 5000 characters (it has 5001)."],
        "next_action": ["Keep this under 300 characters (it has 301)."],
    }
    assert Review.objects.count() == 0
    review = services.review_add(
        deal=deal, by=department.lead_north, verdict=Verdict.AT_RISK, comment="x" * 5000
    )
    assert len(review.comment) == 5000


def test_deal_dates_must_be_within_1900_to_9998(department):
    client = ClientFactory(owner=department.rep_north)
    with pytest.raises(ValidationError) as error:
        services.deal_create(
            by=department.rep_north,
            client=client,
            title="X",
            amount=1,
            expected_close=datetime.date(1, 1, 1),
            service_start=datetime.date(9999, 1, 1),
        )
    assert error.value.message_dict == {
        "expected_close": ["Enter a date between 1900 and 9998."],
        "service_start": ["Enter a date between 1900 and 9998."],
    }
    assert Deal.objects.count() == 0


def test_update_accepts_the_deals_own_stage_and_client(department, stages):
    """A full PUT repeats the stage and client; only a different one is refused."""
    deal = make_deal(department.rep_north)
    services.deal_update(
        deal=deal, by=department.rep_north, data={"stage": deal.stage, "client": deal.client, "title": "New"}
    )
    fresh = Deal.objects.get(pk=deal.pk)
    assert (fresh.title, fresh.stage_id, fresh.client_id) == ("New", deal.stage_id, deal.client_id)
    before = snapshot(deal)
    with pytest.raises(ValidationError) as error:
        services.deal_update(
            deal=deal, by=department.rep_north, data={"client": ClientFactory(), "title": "X"}
        )
    assert error.value.message_dict == {"client": ["The client of a deal cannot change."]}
    assert snapshot(deal) == before


def test_a_deal_reassigned_after_it_was_read_takes_no_fact_from_its_former_owner(department):
    """A fact is recorded on the deal as it is now: handed to another rep since the page read
    it, the former owner's fact is refused (404: no longer theirs to see) and nothing is written."""
    deal = DealFactory(owner=department.rep_north)
    read = Deal.objects.get(pk=deal.pk)
    Deal.objects.filter(pk=deal.pk).update(owner=department.rep_south)
    with pytest.raises(Http404):
        services.fact_add(
            deal=read, by=department.rep_north, kind=FactKind.BUDGET_CONFIRMED, text="They have the budget"
        )
    assert not Fact.objects.filter(deal=deal).exists()
