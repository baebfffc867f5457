"""SDRs (SPEC §1): they change their own leads only, and hand a qualified lead over to a rep
of their team — on the client page and through the API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from clients import rules, services
from clients.models import Activity, Client, ClientStatus, Contact
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db

NOT_ELIGIBLE = {"to": ["Choose an active rep or account manager of the team."]}


def snapshot(instance) -> dict:
    instance = type(instance).objects.get(pk=instance.pk)
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


@pytest.fixture
def own_lead(department) -> Client:
    return services.client_create(by=department.sdr_north, name="Fresh Lead", status=ClientStatus.LEAD)


@pytest.fixture
def own_prospect(department) -> Client:
    return ClientFactory(name="Qualified Co", owner=department.sdr_north, status=ClientStatus.PROSPECT)


# --------------------------------------------------------------------------- what an SDR changes


def test_sdr_creates_leads_only(department):
    lead = services.client_create(by=department.sdr_north, name="Acme")
    assert (lead.owner, lead.status) == (department.sdr_north, "lead")
    for status in ("prospect", "customer"):
        with pytest.raises(ValidationError) as error:
            services.client_create(by=department.sdr_north, name=f"Beta {status}", status=status)
        assert error.value.message_dict == {"status": ["You may not create a client with this status."]}
    assert list(Client.objects.values_list("name", flat=True)) == ["Acme"]


def test_sdr_edits_own_lead_but_not_own_prospect(department, own_lead, own_prospect):
    services.client_update(by=department.sdr_north, client=own_lead, phone="+7 900 000-00-01")
    assert Client.objects.get(pk=own_lead.pk).phone == "+7 900 000-00-01"
    before = snapshot(own_prospect)
    with pytest.raises(PermissionDenied):
        services.client_update(by=department.sdr_north, client=own_prospect, phone="+7 900 000-00-02")
    assert snapshot(own_prospect) == before


def test_sdr_keeps_contacts_and_activities_of_own_leads_only(department, own_lead, own_prospect):
    contact = services.contact_create(by=department.sdr_north, client=own_lead, name="Anna")
    activity = services.activity_log(by=department.sdr_north, client=own_lead, contact=contact)
    assert (contact.client, activity.owner) == (own_lead, department.sdr_north)
    with pytest.raises(PermissionDenied):
        services.contact_create(by=department.sdr_north, client=own_prospect, name="Boris")
    with pytest.raises(PermissionDenied):
        services.activity_log(by=department.sdr_north, client=own_prospect)
    assert Contact.objects.filter(client=own_prospect).count() == 0
    assert Activity.objects.filter(client=own_prospect).count() == 0


def test_sdr_moves_a_lead_on_only_by_handing_it_over(department, own_lead):
    before = snapshot(own_lead)
    with pytest.raises(ValidationError) as error:
        services.client_status_move(by=department.sdr_north, client=own_lead, status="prospect")
    assert error.value.message_dict == {
        "status": ["You may not move this client on; hand the lead over to a rep instead."]
    }
    assert snapshot(own_lead) == before


def test_sdr_permissions_on_the_client_page(department, own_lead, own_prospect):
    lead = rules.client_permissions(viewer=department.sdr_north, client=own_lead)
    assert (lead.change, lead.records, lead.move_status, lead.hand_over, lead.reassign) == (
        True,
        True,
        False,
        True,
        False,
    )
    prospect = rules.client_permissions(viewer=department.sdr_north, client=own_prospect)
    assert (prospect.change, prospect.records, prospect.hand_over) == (False, False, False)


# --------------------------------------------------------------------------- the hand-over service


def test_sdr_hands_own_lead_to_a_rep_of_the_team(department, own_lead):
    client = services.client_hand_over(client=own_lead, to=department.rep_north, by=department.sdr_north)
    client = Client.objects.get(pk=client.pk)
    assert (client.owner, client.status, client.owner_assigned_by) == (
        department.rep_north,
        "prospect",
        department.sdr_north,
    )
    assert client.owner_assigned_at is not None
    latest = client.history.latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (department.sdr_north, "Handed over")


def test_hand_over_candidates_are_the_teams_active_reps_and_account_managers(department, own_lead):
    UserFactory(username="am_north", role="account_manager", team=department.north)
    candidates = services.hand_over_candidates(by=department.sdr_north, client=own_lead)
    assert sorted(person.username for person in candidates) == ["am_north", "rep_north", "rep_north_2"]


@pytest.mark.parametrize(
    "to", ["rep_south", "account_manager_south", "lead_north", "inactive_rep_north", "sdr_north", "analyst"]
)
def test_hand_over_to_anyone_else_is_refused_with_one_message(department, own_lead, to):
    before = snapshot(own_lead)
    with pytest.raises(ValidationError) as error:
        services.client_hand_over(client=own_lead, to=getattr(department, to), by=department.sdr_north)
    assert error.value.message_dict == NOT_ELIGIBLE
    assert snapshot(own_lead) == before


def test_only_a_lead_is_handed_over(department, own_lead):
    services.client_hand_over(client=own_lead, to=department.rep_north, by=department.sdr_north)
    other = ClientFactory(owner=department.sdr_north, status=ClientStatus.CUSTOMER)
    before = snapshot(other)
    with pytest.raises(PermissionDenied):  # not a lead: no longer the SDR's to change
        services.client_hand_over(client=other, to=department.rep_north, by=department.sdr_north)
    assert snapshot(other) == before
    lead_owned = ClientFactory(owner=department.sdr_north, status=ClientStatus.CUSTOMER)
    with pytest.raises(ValidationError) as error:
        services.client_hand_over(client=lead_owned, to=department.rep_north, by=department.lead_north)
    assert error.value.message_dict == {
        "status": ["Only a lead is handed over; this client is no longer one."]
    }


def test_the_team_lead_and_head_hand_over_an_sdrs_lead(department, own_lead):
    client = services.client_hand_over(client=own_lead, to=department.rep_north_2, by=department.lead_north)
    assert (client.owner, client.status, client.owner_assigned_by) == (
        department.rep_north_2,
        "prospect",
        department.lead_north,
    )
    another = services.client_create(by=department.sdr_north, name="Second Lead")
    client = services.client_hand_over(client=another, to=department.rep_north, by=department.head)
    assert (client.owner, client.owner_assigned_by) == (department.rep_north, department.head)


def test_others_may_not_hand_over(department, own_lead):
    before = snapshot(own_lead)
    for user in (department.assistant_north, department.analyst):
        with pytest.raises(PermissionDenied):
            services.client_hand_over(client=own_lead, to=department.rep_north_2, by=user)
    for user in (department.rep_north, department.lead_south, department.rep_south):
        with pytest.raises(Http404):
            services.client_hand_over(client=own_lead, to=department.rep_north_2, by=user)
    rep_lead = ClientFactory(owner=department.rep_north, status=ClientStatus.LEAD)
    with pytest.raises(PermissionDenied):
        services.client_hand_over(client=rep_lead, to=department.rep_north_2, by=department.rep_north)
    assert snapshot(own_lead) == before


# --------------------------------------------------------------------------- page and API


def test_the_client_page_offers_sdrs_the_hand_over(client, department, own_lead):
    client.force_login(department.sdr_north)
    page = client.get(reverse("clients:detail", args=[own_lead.pk])).content.decode()
    assert f'href="/clients/{own_lead.pk}/hand-over/"' in page
    assert "Hand over to a rep" in page
    assert f'action="/clients/{own_lead.pk}/status/"' not in page
    form = client.get(reverse("clients:hand_over", args=[own_lead.pk])).content.decode()
    assert department.rep_north.full_name in form and department.rep_south.full_name not in form
    client.force_login(department.rep_north)
    rep_lead = ClientFactory(owner=department.rep_north, status=ClientStatus.LEAD)
    page = client.get(reverse("clients:detail", args=[rep_lead.pk])).content.decode()
    assert "Hand over to a rep" not in page
    assert client.get(reverse("clients:hand_over", args=[rep_lead.pk])).status_code == 403


def test_the_hand_over_page(client, department, own_lead):
    client.force_login(department.sdr_north)
    url = reverse("clients:hand_over", args=[own_lead.pk])
    before = snapshot(own_lead)
    response = client.post(url, {"to": department.rep_south.pk})
    assert response.status_code == 400
    assert snapshot(own_lead) == before
    response = client.post(url, {"to": department.rep_north.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:list")
    assert Client.objects.get(pk=own_lead.pk).owner == department.rep_north


def test_the_hand_over_api(api_as, department, own_lead):
    api = api_as(department.sdr_north)
    url = f"/api/v1/clients/{own_lead.pk}/hand-over/"
    before = snapshot(own_lead)
    for body in ({}, {"to": "abc"}, {"to": department.rep_south.pk}, {"to": 99999999999999999999}):
        response = api.post(url, body, format="json")
        assert response.status_code == 400, body
    assert snapshot(own_lead) == before
    response = api.post(url, {"to": department.rep_north_2.pk}, format="json")
    assert response.status_code == 200
    client = Client.objects.get(pk=own_lead.pk)
    assert response.json() == {
        "id": own_lead.pk,
        "status": "prospect",
        "owner": department.rep_north_2.pk,
        "owner_assigned_at": response.json()["owner_assigned_at"],
        "owner_assigned_by": department.sdr_north.pk,
    }
    assert (client.owner, client.status) == (department.rep_north_2, "prospect")
    # the SDR no longer sees a client a rep owns
    assert api.get(f"/api/v1/clients/{own_lead.pk}/").status_code == 404


def test_the_hand_over_api_refusals_change_nothing(api_as, department, own_lead):
    before = snapshot(own_lead)
    url = f"/api/v1/clients/{own_lead.pk}/hand-over/"
    assert api_as(department.rep_south).post(url, {"to": department.rep_north.pk}).status_code == 404
    assert api_as(department.rep_north).post(url, {"to": department.rep_north_2.pk}).status_code == 404
    assert api_as(department.analyst).post(url, {"to": department.rep_north.pk}).status_code == 403
    response = api_as(department.sdr_north).post(url, {"to": department.lead_north.pk}, format="json")
    assert (response.status_code, response.json()) == (400, NOT_ELIGIBLE)
    assert snapshot(own_lead) == before
