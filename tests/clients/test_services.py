"""Writes to clients, contacts and activities: rules, validation, and nothing half-written."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from clients import services
from clients.models import Activity, Client, ClientStatus, Contact
from tests.factories import ClientFactory, DealFactory, IndustryFactory

pytestmark = pytest.mark.django_db


def snapshot(instance) -> dict:
    """All stored field values, to prove that a refused write changed nothing."""
    instance = type(instance).objects.get(pk=instance.pk)
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


# --------------------------------------------------------------------------- tax ids and twins


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("7701 234-567", "7701234567"),
        ("de.123/456.789", "DE123456789"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_tax_id_is_stored_normalised(raw, stored):
    assert services.tax_id_clean(raw) == stored


@pytest.mark.parametrize("raw", ["1234567", "ABCDEFGHIJ", "7701#234567", "123456789012345678901"])
def test_bad_tax_ids_are_refused(raw):
    with pytest.raises(ValidationError) as error:
        services.tax_id_clean(raw)
    assert error.value.messages == [
        "A tax id is 8 to 20 letters and digits (spaces, dashes, dots and slashes are ignored)."
    ]


def test_same_company_rule():
    assert services.same_company("7701234567", "acme", "7701234567", "other name")
    assert services.same_company(None, "acme", "7701234567", "acme")
    assert services.same_company(None, "acme", None, "acme")
    assert not services.same_company("7701234567", "acme", "7702222222", "acme")
    assert not services.same_company(None, "acme", None, "acme trading")


# --------------------------------------------------------------------------- client_create


def test_rep_creates_a_client_they_own_with_a_first_contact(department):
    industry = IndustryFactory(name="Retail")
    client = services.client_create(
        by=department.rep_north,
        name="  Romashka LLC ",
        tax_id="7701-234-567",
        industry=industry,
        tier="A",
        status=ClientStatus.PROSPECT,
        contacts=[{"name": "Anna Ivanova", "phone": "+7 900 111-22-33", "email": "anna@romashka.example"}],
    )
    client.refresh_from_db()
    assert client.name == "Romashka LLC"
    assert client.normalized_name == "romashka"
    assert client.tax_id == "7701234567"
    assert client.owner == department.rep_north
    assert client.owner_assigned_by == department.rep_north
    assert client.owner_assigned_at is not None
    assert (client.industry, client.tier, client.status) == (industry, "A", "prospect")
    assert list(client.contacts.values_list("name", "phone", "email")) == [
        ("Anna Ivanova", "+7 900 111-22-33", "anna@romashka.example")
    ]
    record = client.history.get()
    assert (record.history_type, record.history_user) == ("+", department.rep_north)


def test_rep_cannot_give_a_new_client_to_someone_else(department):
    with pytest.raises(ValidationError) as error:
        services.client_create(by=department.rep_north, name="Acme", owner=department.rep_north_2)
    assert error.value.message_dict == {
        "owner": [f"You may not assign clients to {department.rep_north_2.full_name}."]
    }
    assert Client.objects.count() == 0


def test_lead_gives_a_new_client_to_a_team_member_but_not_outside(department):
    client = services.client_create(by=department.lead_north, name="Acme", owner=department.rep_north_2)
    assert client.owner == department.rep_north_2
    assert client.owner_assigned_by == department.lead_north
    with pytest.raises(ValidationError) as error:
        services.client_create(by=department.lead_north, name="Beta", owner=department.rep_south)
    # rep_south is hidden from lead_north: not named
    assert error.value.message_dict == {"owner": ["Choose someone you may assign clients to."]}
    assert list(Client.objects.values_list("name", flat=True)) == ["Acme"]


def test_head_gives_a_client_to_anyone_who_sells_but_not_to_an_analyst(department):
    client = services.client_create(by=department.head, name="Acme", owner=department.rep_south)
    assert client.owner == department.rep_south
    with pytest.raises(ValidationError) as error:
        services.client_create(by=department.head, name="Beta", owner=department.analyst)
    assert error.value.message_dict == {"owner": [f"{department.analyst.full_name} cannot own clients."]}
    with pytest.raises(ValidationError):
        services.client_create(by=department.head, name="Gamma", owner=department.inactive_rep_north)
    assert Client.objects.count() == 1


@pytest.mark.parametrize("role", ["analyst", "assistant_north"])
def test_read_only_roles_cannot_create_clients(department, role):
    with pytest.raises(PermissionDenied):
        services.client_create(by=getattr(department, role), name="Acme")
    assert Client.objects.count() == 0


def test_client_create_reports_every_problem_and_writes_nothing(department):
    with pytest.raises(ValidationError) as error:
        services.client_create(
            by=department.rep_north,
            name=" ",
            tax_id="12",
            tier="Z",
            contacts=[{"name": "", "email": "not-an-email"}],
        )
    assert error.value.message_dict == {
        "name": ["Give the client a name."],
        "tax_id": ["A tax id is 8 to 20 letters and digits (spaces, dashes, dots and slashes are ignored)."],
        "tier": ["Choose a valid option."],
        "contact_name": ["Give the contact a name."],
        "contact_email": ["Enter a valid e-mail address."],
    }
    assert Client.objects.count() == 0
    assert Contact.objects.count() == 0


def test_a_twin_by_tax_id_is_refused_naming_it_only_when_visible(department, book):
    with pytest.raises(ValidationError) as error:
        services.client_create(by=department.rep_north, name="Other name", tax_id="77 0100 0001")
    assert error.value.message_dict == {
        "tax_id": ["A client with this tax id already exists: Northwind Trading."]
    }
    with pytest.raises(ValidationError) as error:
        services.client_create(by=department.rep_north, name="Other name", tax_id="2301000002")
    assert error.value.message_dict == {"tax_id": ["A client with this tax id already exists."]}
    assert Client.objects.count() == 4


def test_a_twin_by_normalised_name_is_refused_unless_both_have_different_tax_ids(department, book):
    with pytest.raises(ValidationError) as error:
        services.client_create(by=department.rep_north, name="NORTHWIND trading, LLC")
    assert error.value.message_dict == {
        "name": ["A client with this name already exists: Northwind Trading."]
    }
    namesake = services.client_create(by=department.rep_north, name="Northwind Trading", tax_id="7709999999")
    assert namesake.pk != book.north.pk


# --------------------------------------------------------------------------- client_update


def test_owner_updates_details_and_history_records_the_change(department, book):
    client = services.client_update(
        by=department.rep_north, client=book.north, name="Northwind Group", tax_id="7701 000 003", tier="B"
    )
    client.refresh_from_db()
    assert (client.name, client.normalized_name, client.tax_id, client.tier) == (
        "Northwind Group",
        "northwind group",
        "7701000003",
        "B",
    )
    latest = client.history.first()
    assert latest.history_user == department.rep_north
    assert sorted(latest.diff_against(latest.prev_record).changed_fields) == ["name", "tax_id", "tier"]


def test_update_to_a_twin_is_refused_and_changes_nothing(department, book):
    before = snapshot(book.north)
    with pytest.raises(ValidationError) as error:
        services.client_update(by=department.lead_north, client=book.north, name="Nordic Steel")
    assert error.value.message_dict == {"name": ["A client with this name already exists: Nordic Steel."]}
    assert snapshot(book.north) == before


def test_keeping_its_own_tax_id_is_not_a_twin(department, book):
    client = services.client_update(
        by=department.rep_north, client=book.north, tax_id="7701000001", phone="123"
    )
    assert client.phone == "123"


def test_analyst_and_assistant_cannot_update_a_client_they_see(department, book):
    before = snapshot(book.north)
    for user in (department.analyst, department.assistant_north):
        with pytest.raises(PermissionDenied):
            services.client_update(by=user, client=book.north, name="Hacked")
    assert snapshot(book.north) == before


def test_another_team_gets_404_when_updating(department, book):
    before = snapshot(book.north)
    with pytest.raises(Http404):
        services.client_update(by=department.rep_south, client=book.north, name="Hacked")
    assert snapshot(book.north) == before


def test_update_with_owner_and_status_goes_through_reassign_and_status_move(department, book):
    client = services.client_update(
        by=department.lead_north,
        client=book.north,
        owner=department.rep_north_2,
        status=ClientStatus.PROSPECT,
    )
    assert (client.owner, client.status) == (department.rep_north_2, "prospect")
    with pytest.raises(PermissionDenied):
        services.client_update(by=department.rep_north_2, client=client, owner=department.rep_north)
    assert Client.objects.get(pk=book.north.pk).owner == department.rep_north_2


# --------------------------------------------------------------------------- reassign


def test_lead_reassigns_within_own_team_recording_who_and_when(department, book):
    before = timezone.now()
    client = services.client_reassign(
        by=department.lead_north, client=book.north, owner=department.rep_north_2
    )
    client.refresh_from_db()
    assert client.owner == department.rep_north_2
    assert client.owner_assigned_by == department.lead_north
    assert client.owner_assigned_at >= before
    latest = client.history.first()
    assert (latest.history_user, latest.history_change_reason) == (department.lead_north, "Reassigned")


def test_lead_cannot_reassign_outside_the_team(department, book):
    before = snapshot(book.north)
    with pytest.raises(ValidationError) as error:
        services.client_reassign(by=department.lead_north, client=book.north, owner=department.rep_south)
    assert error.value.message_dict == {"owner": ["Choose someone you may assign clients to."]}
    with pytest.raises(Http404):
        services.client_reassign(by=department.lead_north, client=book.south, owner=department.rep_north)
    assert snapshot(book.north) == before
    assert Client.objects.get(pk=book.south.pk).owner == department.rep_south


def test_head_reassigns_across_teams(department, book):
    client = services.client_reassign(by=department.head, client=book.north, owner=department.rep_south)
    assert (client.owner, client.owner_assigned_by) == (department.rep_south, department.head)


@pytest.mark.parametrize("role", ["rep_north", "analyst", "assistant_north"])
def test_others_cannot_reassign(department, book, role):
    before = snapshot(book.north)
    with pytest.raises(PermissionDenied):
        services.client_reassign(
            by=getattr(department, role), client=book.north, owner=department.rep_north_2
        )
    assert snapshot(book.north) == before


def test_a_client_cannot_go_to_an_assistant(department, book):
    with pytest.raises(ValidationError) as error:
        services.client_reassign(
            by=department.lead_north, client=book.north, owner=department.assistant_north
        )
    assert error.value.message_dict == {
        "owner": [f"{department.assistant_north.full_name} cannot own clients."]
    }


# --------------------------------------------------------------------------- lifecycle


@pytest.mark.parametrize(
    ("current", "new"),
    [
        ("lead", "prospect"),
        ("lead", "customer"),
        ("prospect", "customer"),
        ("customer", "former"),
        ("former", "customer"),
    ],
)
def test_allowed_status_moves(department, current, new):
    client = ClientFactory(owner=department.rep_north, status=current)
    moved = services.client_status_move(by=department.rep_north, client=client, status=new)
    assert Client.objects.get(pk=client.pk).status == new == moved.status
    assert moved.history.first().history_change_reason == "Status changed"


@pytest.mark.parametrize(
    ("current", "new", "message"),
    [
        ("customer", "lead", "A client cannot move from “Customer” to “Lead”."),
        ("lead", "former", "A client cannot move from “Lead” to “Former customer”."),
        ("prospect", "prospect", "A client cannot move from “Prospect” to “Prospect”."),
        ("lead", "vip", "Choose a valid status."),
    ],
)
def test_refused_status_moves(department, current, new, message):
    client = ClientFactory(owner=department.rep_north, status=current)
    with pytest.raises(ValidationError) as error:
        services.client_status_move(by=department.rep_north, client=client, status=new)
    assert error.value.message_dict == {"status": [message]}
    assert Client.objects.get(pk=client.pk).status == current


def test_analyst_cannot_move_a_status(department, book):
    with pytest.raises(PermissionDenied):
        services.client_status_move(by=department.analyst, client=book.north, status="prospect")
    assert Client.objects.get(pk=book.north.pk).status == "lead"


# --------------------------------------------------------------------------- delete


def test_delete_removes_contacts_and_activities(department, book):
    services.client_delete(by=department.rep_north, client=book.north)
    assert not Client.objects.filter(pk=book.north.pk).exists()
    assert not Contact.objects.filter(pk=book.north_contact.pk).exists()
    assert not Activity.objects.filter(pk=book.north_activity.pk).exists()


def test_a_client_with_deals_is_not_deleted(department, book):
    DealFactory(client=book.north)
    with pytest.raises(ValidationError) as error:
        services.client_delete(by=department.rep_north, client=book.north)
    assert error.value.messages == [
        "This client has deals and cannot be deleted; mark it a former customer instead."
    ]
    assert Client.objects.filter(pk=book.north.pk).exists()


def test_analyst_cannot_delete(department, book):
    with pytest.raises(PermissionDenied):
        services.client_delete(by=department.analyst, client=book.north)
    assert Client.objects.filter(pk=book.north.pk).exists()


# --------------------------------------------------------------------------- contacts


def test_assistant_adds_and_edits_contacts_of_their_team(department, book):
    contact = services.contact_create(
        by=department.assistant_north, client=book.north_2, name=" Pavel ", email="pavel@nordic.example"
    )
    assert (contact.client, contact.name, contact.email) == (book.north_2, "Pavel", "pavel@nordic.example")
    services.contact_update(
        by=department.assistant_north, contact=contact, position="CFO", is_decision_maker=True
    )
    contact.refresh_from_db()
    assert (contact.position, contact.is_decision_maker) == ("CFO", True)


def test_assistant_gets_404_for_another_teams_client(department, book):
    with pytest.raises(Http404):
        services.contact_create(by=department.assistant_north, client=book.south, name="Pavel")
    assert book.south.contacts.count() == 1


def test_analyst_cannot_add_or_change_contacts(department, book):
    with pytest.raises(PermissionDenied):
        services.contact_create(by=department.analyst, client=book.north, name="Pavel")
    with pytest.raises(PermissionDenied):
        services.contact_update(by=department.analyst, contact=book.north_contact, name="Changed")
    assert book.north.contacts.count() == 1
    assert Contact.objects.get(pk=book.north_contact.pk).name == "Olga Petrova"


def test_contact_validation(department, book):
    before = snapshot(book.north_contact)
    with pytest.raises(ValidationError) as error:
        services.contact_update(by=department.rep_north, contact=book.north_contact, name="", email="nope")
    assert error.value.message_dict == {
        "name": ["Give the contact a name."],
        "email": ["Enter a valid e-mail address."],
    }
    assert snapshot(book.north_contact) == before


def test_contact_delete_keeps_the_activities(department, book):
    services.contact_delete(by=department.rep_north, contact=book.north_contact)
    activity = Activity.objects.get(pk=book.north_activity.pk)
    assert activity.contact is None


# --------------------------------------------------------------------------- activities


def test_activity_log_owner_is_the_one_logging_it(department, book):
    due = timezone.localdate() + datetime.timedelta(days=3)
    activity, task = services.activity_log_with_next_task(
        by=department.lead_north,
        client=book.north,
        kind="meeting",
        direction="outgoing",
        contact=book.north_contact,
        duration_minutes=45,
        outcome=" Met the director. ",
        next_task={"kind": "email", "title": " Send the proposal ", "due_date": due},
    )
    activity.refresh_from_db()
    assert activity.owner == department.lead_north
    assert activity.direction == ""  # only calls and e-mails have a direction
    assert activity.outcome == "Met the director."
    assert (task.kind, task.title, task.due_date, task.owner, task.contact, task.status) == (
        "email",
        "Send the proposal",
        due,
        department.lead_north,
        book.north_contact,
        "open",
    )


def test_assistant_logs_for_the_team_but_analyst_cannot_and_others_get_404(department, book):
    activity = services.activity_log(by=department.assistant_north, client=book.north, kind="call")
    assert activity.owner == department.assistant_north
    with pytest.raises(PermissionDenied):
        services.activity_log(by=department.analyst, client=book.north)
    with pytest.raises(Http404):
        services.activity_log(by=department.rep_south, client=book.north)
    assert book.north.activities.count() == 2


def test_activity_log_refuses_foreign_contact_and_deal(department, book):
    foreign_deal = DealFactory(client=book.north_2)
    with pytest.raises(ValidationError) as error:
        services.activity_log(
            by=department.head,
            client=book.north,
            contact=book.south_contact,
            deal=foreign_deal,
            duration_minutes=-1,
        )
    assert error.value.message_dict == {
        "contact": ["This contact belongs to another client."],
        "deal": ["This deal belongs to another client."],
        "duration_minutes": ["Duration cannot be negative."],
    }
    assert book.north.activities.count() == 1


def test_activity_log_refuses_a_deal_of_the_client_the_user_cannot_see(department, book):
    hidden_deal = DealFactory(client=book.north, owner=department.rep_north_2)
    with pytest.raises(ValidationError) as error:
        services.activity_log(by=department.rep_north, client=book.north, deal=hidden_deal)
    # the same answer as for a deal that does not exist: nothing says a hidden one does
    assert error.value.message_dict == {
        "deal": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert book.north.activities.count() == 1
    visible_deal = DealFactory(client=book.north, owner=department.rep_north)
    assert (
        services.activity_log(by=department.rep_north, client=book.north, deal=visible_deal).deal
        == visible_deal
    )


def test_activity_update_and_delete(department, book):
    activity = services.activity_update(
        by=department.rep_north, activity=book.north_activity, kind="email", outcome="Sent the price list."
    )
    assert (activity.kind, activity.outcome, activity.owner) == (
        "email",
        "Sent the price list.",
        department.rep_north,
    )
    before = snapshot(activity)
    with pytest.raises(PermissionDenied):
        services.activity_update(by=department.analyst, activity=activity, outcome="x")
    with pytest.raises(Http404):
        services.activity_delete(by=department.rep_south, activity=activity)
    assert snapshot(activity) == before
    services.activity_delete(by=department.lead_north, activity=activity)
    assert not Activity.objects.filter(pk=activity.pk).exists()
