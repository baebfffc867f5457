"""A won deal's amount, client and close date carry its schedule, booked figures and
fulfilment: the normal update refuses them for everybody, deal_won_change lets a lead or
the head change them with a reason, and refuses an amount the schedule no longer sums to.
A closed deal's probability follows its stage; winning a deal makes its client a customer;
the date policy applies to what a deal plans."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clients.models import ClientStatus
from core.dates import horizon
from core.money import money_text
from deals.models import Deal
from deals.services import deal_create, deal_move, deal_update, deal_won_change
from tests.factories import ClientFactory, DealFactory, InstallmentFactory, lost_reason, stage

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def won(department):
    deal = DealFactory(
        client=ClientFactory(owner=department.rep_north),
        owner=department.rep_north,
        amount=Decimal("3000.00"),
        stage=stage("Negotiation"),
    )
    deal = deal_move(deal=deal, stage=stage("Won"), by=department.rep_north)
    InstallmentFactory(deal=deal, amount=Decimal("1000.00"))
    InstallmentFactory(deal=deal, amount=Decimal("2000.00"))
    return deal


def unchanged(deal, **expected):
    deal.refresh_from_db()
    for name, value in expected.items():
        assert getattr(deal, name) == value, name


def test_a_rep_cannot_raise_a_won_deals_amount(department, won):
    for who in (department.rep_north, department.lead_north, department.head):
        with pytest.raises(ValidationError) as error:
            deal_update(deal=won, by=who, data={"amount": Decimal("9000.00")})
        assert "won" in error.value.message_dict["amount"][0]
    unchanged(won, amount=Decimal("3000.00"))


def test_the_api_refuses_a_won_deals_amount_with_a_field_message(department, won, api_as):
    response = api_as(department.rep_north).patch(
        f"/api/v1/deals/{won.pk}/", {"amount": "9000.00"}, format="json"
    )
    assert response.status_code == 400
    assert "amount" in response.json()
    unchanged(won, amount=Decimal("3000.00"))


def test_a_closed_deals_probability_follows_its_stage(department, won):
    with pytest.raises(ValidationError) as error:
        deal_update(deal=won, by=department.head, data={"probability": 10})
    assert "probability" in error.value.message_dict
    unchanged(won, probability=None)
    assert won.effective_probability == 100
    lost = DealFactory(client=won.client, owner=department.rep_north, stage=stage("Lost"))
    assert lost.effective_probability == 0
    # Repeating the unchanged values (a full form or PUT) is fine.
    deal_update(deal=won, by=department.rep_north, data={"amount": Decimal("3000.00"), "title": "Renamed"})
    unchanged(won, title="Renamed")


def test_only_a_lead_or_the_head_changes_a_won_deal_with_a_reason(department, won):
    with pytest.raises(PermissionDenied):
        deal_won_change(deal=won, by=department.rep_north, reason="Typo", closed_at=timezone.localdate())
    with pytest.raises(ValidationError) as error:
        deal_won_change(deal=won, by=department.lead_north, reason=" ", amount="3000.00")
    assert "reason" in error.value.message_dict


def test_an_amount_the_schedule_no_longer_sums_to_is_refused(department, won):
    with pytest.raises(ValidationError) as error:
        deal_won_change(deal=won, by=department.head, reason="Client asked for more seats", amount="9000.00")
    assert money_text(Decimal("3000.00")) in error.value.message_dict["amount"][0]
    unchanged(won, amount=Decimal("3000.00"))


def test_a_won_deal_without_schedule_changes_amount_client_and_close_date_with_its_reason(department):
    deal = DealFactory(client=ClientFactory(owner=department.rep_north), owner=department.rep_north)
    deal = deal_move(deal=deal, stage=stage("Won"), by=department.rep_north)
    other = ClientFactory(owner=department.rep_north)
    changed = deal_won_change(
        deal=deal,
        by=department.lead_north,
        reason="Signed by the group's other company",
        amount="4500.00",
        client=other,
        closed_at=timezone.localdate(),
    )
    assert (changed.amount, changed.client_id) == (Decimal("4500.00"), other.pk)
    assert deal.history.first().history_change_reason == "Signed by the group's other company"
    other.refresh_from_db()
    assert other.status == ClientStatus.CUSTOMER


def test_a_close_date_outside_the_deals_life_is_refused(department, won):
    Deal.objects.filter(pk=won.pk).update(created_at=timezone.now() - datetime.timedelta(days=20))
    closed = won.closed_at
    for day in (
        timezone.localdate() + DAY,
        timezone.localdate() - datetime.timedelta(days=30),
        datetime.date(1900, 1, 1),
    ):
        with pytest.raises(ValidationError) as error:
            deal_won_change(deal=won, by=department.head, reason="Correct the date", closed_at=day)
        assert "closed_at" in error.value.message_dict
    unchanged(won, closed_at=closed)
    deal_won_change(
        deal=won, by=department.head, reason="Correct the date", closed_at=timezone.localdate() - 5 * DAY
    )
    unchanged(won, closed_at=timezone.localdate() - 5 * DAY)


def test_winning_a_deal_makes_its_client_a_customer(department):
    for status in (ClientStatus.LEAD, ClientStatus.PROSPECT, ClientStatus.FORMER):
        client = ClientFactory(owner=department.rep_north, status=status)
        deal = DealFactory(client=client, owner=department.rep_north)
        deal_move(deal=deal, stage=stage("Won"), by=department.rep_north)
        client.refresh_from_db()
        assert client.status == ClientStatus.CUSTOMER
    lost_client = ClientFactory(owner=department.rep_north, status=ClientStatus.LEAD)
    deal = DealFactory(client=lost_client, owner=department.rep_north)
    deal_move(deal=deal, stage=stage("Lost"), by=department.rep_north, lost_reason=lost_reason("No budget"))
    lost_client.refresh_from_db()
    assert lost_client.status == ClientStatus.LEAD


def test_a_deal_closing_in_1900_or_in_the_past_is_refused(department):
    client = ClientFactory(owner=department.rep_north)
    for field, value in (
        ("expected_close", datetime.date(1900, 1, 1)),
        ("expected_close", timezone.localdate() - DAY),
        ("expected_close", horizon() + DAY),
    ):
        with pytest.raises(ValidationError) as error:
            deal_create(by=department.rep_north, client=client, title="Fleet", **{field: value})
        assert field in error.value.message_dict
    assert not Deal.objects.exists()


def test_an_old_deal_keeps_its_past_dates_when_saved(department):
    old_date = timezone.localdate() - datetime.timedelta(days=90)
    deal = DealFactory(
        client=ClientFactory(owner=department.rep_north),
        owner=department.rep_north,
        expected_close=old_date,
    )
    deal_update(deal=deal, by=department.rep_north, data={"title": "Renamed", "expected_close": old_date})
    unchanged(deal, title="Renamed", expected_close=old_date)
    with pytest.raises(ValidationError) as error:
        deal_update(deal=deal, by=department.rep_north, data={"expected_close": old_date - DAY})
    assert "expected_close" in error.value.message_dict
    unchanged(deal, expected_close=old_date)


def test_the_api_changes_a_won_deal_for_a_lead_and_refuses_a_rep(department, won, api_as):
    Deal.objects.filter(pk=won.pk).update(created_at=timezone.now() - datetime.timedelta(days=20))
    url = f"/api/v1/deals/{won.pk}/won-change/"
    payload = {"reason": "Closed a day earlier", "closed_at": (timezone.localdate() - DAY).isoformat()}
    assert api_as(department.rep_north).post(url, payload, format="json").status_code == 403
    refused = api_as(department.lead_north).post(
        url, {"reason": "More seats", "amount": "9000.00"}, format="json"
    )
    assert refused.status_code == 400
    assert "amount" in refused.json()
    unchanged(won, amount=Decimal("3000.00"))
    response = api_as(department.lead_north).post(url, payload, format="json")
    assert response.status_code == 200
    unchanged(won, closed_at=timezone.localdate() - DAY)
