"""Writes checked against the row as it is, not as the user saw it. The right to write is
checked again on the locked row (core.locks.lock_one ``check``): a refusal there, or a row
gone out of sight, is a Conflict (409), nothing written (the races themselves run on
PostgreSQL in test_lock_recheck_race.py). A move carries the stage the page showed: moved by
someone else meanwhile, it is a 409 instead of a move from where the user did not see it (a
lead's move reopened a deal its rep had just closed as lost)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from clients.models import Client
from core.errors import Conflict
from core.locks import lock_one
from deals.models import Deal, LostReason
from tests.deals.conftest import make_deal
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("refusal", [PermissionDenied, Http404])
def test_a_refusal_on_the_locked_row_is_a_conflict(department, refusal):
    client = ClientFactory(owner=department.rep_north)
    checked = []

    def refuse(row):
        checked.append(row.pk)  # the locked row itself
        raise refusal()

    with pytest.raises(Conflict):
        lock_one(Client.objects, pk=client.pk, check=refuse)
    assert checked == [client.pk]
    assert lock_one(Client.objects, pk=client.pk, check=lambda row: None) == client


# --- a move from the stage the page showed ------------------------------------------------


@pytest.fixture
def closed_as_lost(department, stages):
    """A deal the lead still sees at Lead on their kanban, and the move its rep closes it with."""
    deal = make_deal(department.rep_north, stage="Lead", title="Polar order")
    reason = LostReason.objects.filter(is_active=True).first()
    return deal, {"stage": stages["Lost"].pk, "lost_reason": reason.pk, "lost_comment": "Chose a competitor"}


def test_a_kanban_move_from_a_stage_the_deal_left_meanwhile_is_a_409(
    client, department, stages, closed_as_lost
):
    deal, lost = closed_as_lost
    client.force_login(department.rep_north)
    assert client.post(f"/deals/{deal.pk}/move/", lost).status_code == 302
    client.force_login(department.lead_north)
    response = client.post(
        f"/deals/{deal.pk}/move/",
        {"stage": stages["Negotiation"].pk, "from_stage": stages["Lead"].pk, "view": "kanban", "filters": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert "“Polar order” was moved to Lost meanwhile; look at it again." in response.content.decode()
    assert Deal.objects.get(pk=deal.pk).stage == stages["Lost"]  # not reopened
    # from where it is now, the lead may still reopen it
    response = client.post(
        f"/deals/{deal.pk}/move/",
        {"stage": stages["Negotiation"].pk, "from_stage": stages["Lost"].pk, "view": "kanban", "filters": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert Deal.objects.get(pk=deal.pk).stage == stages["Negotiation"]


def test_the_kanban_card_and_the_deal_page_carry_the_stage_they_show(client, department, stages):
    """The deal page's move form in a hidden field; a kanban card in its data-stage, which
    app.js sends with the card's moves (tests/deals/test_browser.py drives them)."""
    deal = make_deal(department.rep_north, stage="Proposal", title="Card")
    client.force_login(department.rep_north)
    card = f'data-deal="{deal.pk}" data-stage="{stages["Proposal"].pk}"'
    assert card in client.get("/deals/").content.decode()
    hidden = f'<input type="hidden" name="from_stage" value="{stages["Proposal"].pk}">'
    assert hidden in client.get(f"/deals/{deal.pk}/").content.decode()


def test_the_api_move_answers_409_from_a_stage_the_deal_left(department, stages, api_as):
    deal = make_deal(department.rep_north, stage="Proposal", title="API order")
    api = api_as(department.rep_north)
    url = f"/api/v1/deals/{deal.pk}/move/"
    stale = api.post(url, {"stage": stages["Negotiation"].pk, "from_stage": stages["Lead"].pk}, format="json")
    assert stale.status_code == 409
    assert Deal.objects.get(pk=deal.pk).stage == stages["Proposal"]
    moved = api.post(
        url, {"stage": stages["Negotiation"].pk, "from_stage": stages["Proposal"].pk}, format="json"
    )
    assert (moved.status_code, moved.json()["stage"]) == (200, stages["Negotiation"].pk)


@pytest.mark.parametrize("garbage", ["abc", "0", "-5", "9" * 40, "1.5"])
def test_a_garbled_from_stage_is_a_400_and_moves_nothing(client, department, stages, garbage):
    deal = make_deal(department.rep_north, stage="Lead", title="Garbled move")
    client.force_login(department.rep_north)
    response = client.post(
        f"/deals/{deal.pk}/move/",
        {"stage": stages["Proposal"].pk, "from_stage": garbage, "view": "kanban", "filters": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert Deal.objects.get(pk=deal.pk).stage == stages["Lead"]
