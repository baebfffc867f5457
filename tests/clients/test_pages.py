"""The client pages for each role: list, export, the client's 360 page and its forms."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import Activity, Client, Contact, Task
from tests.clients.conftest import CLIENTS_SEEN, read_xlsx
from tests.factories import ActivityFactory, ClientFactory, DealFactory, IndustryFactory, TaskFactory, stage

pytestmark = pytest.mark.django_db


def page_of(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def snapshot(instance) -> dict:
    instance = type(instance).objects.get(pk=instance.pk)
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


# --------------------------------------------------------------------------- list


@pytest.mark.parametrize("viewer", sorted(CLIENTS_SEEN))
def test_list_shows_what_the_viewer_may_see(client, department, book, viewer):
    client.force_login(getattr(department, viewer))
    page = page_of(client, reverse("clients:list"))
    for key in ("north", "north_2", "south", "loner"):
        shown = f'href="/clients/{getattr(book, key).pk}/"' in page
        assert shown == (key in CLIENTS_SEEN[viewer]), key


def test_list_search_by_contact_phone(client, department, book):
    client.force_login(department.rep_north)
    page = page_of(client, reverse("clients:list"), search="345-67-89")
    assert "Northwind Trading" in page
    assert "1 client" in page


def test_list_filters_sorting_and_empty_state(client, department, book):
    client.force_login(department.head)
    page = page_of(client, reverse("clients:list"), team=department.south.pk)
    assert "Southern Foods" in page and "Northwind Trading" not in page
    page = page_of(client, reverse("clients:list"), ordering="-name")
    assert page.index("Southern Foods") < page.index("Nordic Steel") < page.index("Lonely Logistics")
    assert 'href="?ordering=name"' in page  # the active column flips its direction
    page = page_of(client, reverse("clients:list"), search="zzz")
    assert "No client matches these filters." in page


def test_list_with_bad_filters_does_not_crash(client, department, book):
    client.force_login(department.head)
    page = page_of(client, reverse("clients:list"), status="vip", owner="abc", page="999")
    assert "No client matches these filters." in page
    assert "Some filters are not valid" in page


def test_list_paginates_keeping_the_filters(client, department):
    ClientFactory.create_batch(55, owner=department.rep_north)
    client.force_login(department.rep_north)
    page = page_of(client, reverse("clients:list"), status="lead")
    assert "Page 1 of 2" in page
    assert 'href="?status=lead&amp;page=2"' in page
    assert "55 clients" in page


def test_list_empty_base_invites_to_add_or_import(client, department):
    client.force_login(department.rep_north)
    page = page_of(client, reverse("clients:list"))
    assert "No clients yet." in page
    assert 'href="/clients/new/"' in page and 'href="/clients/import/"' in page


def test_analyst_list_has_no_add_buttons(client, department, book):
    client.force_login(department.analyst)
    page = page_of(client, reverse("clients:list"))
    assert 'href="/clients/new/"' not in page


def test_list_htmx_returns_only_the_results(client, department, book):
    client.force_login(department.head)
    response = client.get(
        reverse("clients:list"), {"search": "nord"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="client-results"
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "Nordic Steel" in page and "Southern Foods" not in page


# --------------------------------------------------------------------------- export


def test_csv_export_of_the_filtered_list(client, department, book):
    retail = IndustryFactory(name="Retail")
    Client.objects.filter(pk=book.north.pk).update(industry=retail, tier="A", status="customer")
    client.force_login(department.lead_north)
    response = client.get(reverse("clients:export", args=["csv"]), {"search": "north"})
    assert response["Content-Disposition"] == 'attachment; filename="clients.csv"'
    lines = b"".join(response.streaming_content).decode().lstrip("\ufeff").splitlines()
    assert lines[0] == (
        "Name,Legal name,Tax id,Industry,Segment,Territory,Tier,Status,Source,Owner (username),Owner name,"
        "Team,Phone,Website,Address,Last activity,Created"
    )
    assert len(lines) == 2  # the header and the one client of the lead's team that matches
    assert lines[1].startswith(
        "Northwind Trading,,7701000001,Retail,Small,,A,Customer,Inbound,rep_north,"
        f"{department.rep_north.full_name},North,"
    )


def test_xlsx_export_respects_visibility(client, department, book):
    client.force_login(department.rep_south)
    response = client.get(reverse("clients:export", args=["xlsx"]))
    rows = read_xlsx(response.content)["clients"]
    assert [row[0] for row in rows] == ["Name", "Southern Foods"]
    assert client.get("/clients/export.pdf").status_code == 404


# --------------------------------------------------------------------------- the client page


@pytest.mark.parametrize("viewer", ["rep_north", "lead_north", "assistant_north", "head", "analyst"])
def test_client_page_opens_for_those_who_see_it(client, department, book, viewer):
    client.force_login(getattr(department, viewer))
    page = page_of(client, reverse("clients:detail", args=[book.north.pk]))
    assert "Northwind Trading" in page
    assert "Olga Petrova" in page
    assert "Asked for a price list." in page


@pytest.mark.parametrize(
    "viewer", ["rep_south", "lead_south", "rep_north_2", "assistant_without_team", "sdr_north"]
)
def test_client_page_is_404_for_everyone_else(client, department, book, viewer):
    client.force_login(getattr(department, viewer))
    assert client.get(reverse("clients:detail", args=[book.north.pk])).status_code == 404
    assert client.get(reverse("clients:edit", args=[book.north.pk])).status_code == 404
    assert client.get(reverse("clients:timeline", args=[book.north.pk])).status_code == 404
    assert client.get(reverse("deals:client_deals", args=[book.north.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, book):
    response = client.get(reverse("clients:detail", args=[book.north.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_client_page_shows_deals_timeline_open_tasks_history_and_receivables(client, department, book):
    deal = DealFactory(
        client=book.north,
        title="Annual licence",
        amount="125000.50",
        stage=stage("Proposal"),
        service_end=datetime.date(2027, 3, 31),
    )
    today = timezone.localdate()
    ActivityFactory(
        client=book.north,
        kind="meeting",
        outcome="Newest meeting.",
    )
    TaskFactory(
        client=book.north,
        owner=department.rep_north,
        kind="email",
        title="Send the contract draft",
        due_date=today - datetime.timedelta(days=1),
    )
    client.force_login(department.rep_north)
    page = page_of(client, reverse("clients:detail", args=[book.north.pk]))
    # The Deals card is loaded from the deals app, as the receivables are from targets.
    assert (
        f'<section id="client-deals" hx-get="/deals/clients/{book.north.pk}/" '
        'hx-trigger="load" hx-swap="innerHTML"></section>'
    ) in page
    deals_panel = page_of(client, reverse("deals:client_deals", args=[book.north.pk]))
    assert f'<a href="/deals/{deal.pk}/">Annual licence</a>' in deals_panel
    assert "125,000.50" in deals_panel
    assert "renewal due 31 Mar 2027" in deals_panel
    assert page.index("Newest meeting.") < page.index("Asked for a price list.")
    assert "Send the contract draft" in page and "overdue" in page
    assert (
        f'<section id="client-receivables" hx-get="/targets/clients/{book.north.pk}/receivables/" '
        'hx-trigger="load" hx-swap="innerHTML"></section>'
    ) in page
    assert 'id="history-title"' in page


def test_client_page_buttons_follow_the_role(client, department, book):
    edit = f'href="/clients/{book.north.pk}/edit/"'
    reassign = f'href="/clients/{book.north.pk}/reassign/"'
    log_form = f'action="/clients/{book.north.pk}/activities/"'
    expectations = {
        "rep_north": (True, False, True),
        "lead_north": (True, True, True),
        "assistant_north": (False, False, True),
        "analyst": (False, False, False),
    }
    for viewer, (can_edit, can_reassign, can_log) in expectations.items():
        client.force_login(getattr(department, viewer))
        page = page_of(client, reverse("clients:detail", args=[book.north.pk]))
        assert (edit in page, reassign in page, log_form in page) == (can_edit, can_reassign, can_log), viewer


def test_timeline_shows_older_entries_page_by_page(client, department, book):
    start = timezone.now() - datetime.timedelta(days=100)
    for day in range(25):
        ActivityFactory(
            client=book.north, outcome=f"Entry {day:02d}.", occurred_at=start + datetime.timedelta(days=day)
        )
    client.force_login(department.rep_north)
    page = page_of(client, reverse("clients:detail", args=[book.north.pk]))
    assert "Entry 24." in page and "Entry 06." in page and "Entry 05." not in page
    assert f'hx-get="/clients/{book.north.pk}/timeline/?page=2"' in page
    older = page_of(client, reverse("clients:timeline", args=[book.north.pk]), page=2)
    assert "Entry 05." in older and "Entry 00." in older and "Entry 06." not in older
    assert "Show older" not in older


# --------------------------------------------------------------------------- quick log


def test_rep_logs_a_call_with_htmx_and_gets_the_fresh_panel(client, department, book):
    client.force_login(department.rep_north)
    due = timezone.localdate() + datetime.timedelta(days=2)
    response = client.post(
        reverse("clients:log_activity", args=[book.north.pk]),
        {
            "kind": "call",
            "direction": "outgoing",
            "contact": book.north_contact.pk,
            "duration_minutes": "7",
            "outcome": "Agreed to a demo.",
            "next_kind": "meeting",
            "next_title": "Run the demo",
            "next_due_date": due.isoformat(),
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="activity-panel">')
    assert "Logged." in page
    assert '<ol id="timeline-list" class="timeline" hx-swap-oob="true">' in page
    assert page.index("Agreed to a demo.") < page.index("Asked for a price list.")
    assert '<div id="client-tasks" hx-swap-oob="true">' in page and "Run the demo" in page
    # the fresh form offers the client's contacts again, for the next call
    assert f'<option value="{book.north_contact.pk}" selected>{book.north_contact}</option>' in page
    activity = Activity.objects.get(outcome="Agreed to a demo.")
    assert (activity.owner, activity.client, activity.contact, activity.duration_minutes) == (
        department.rep_north,
        book.north,
        book.north_contact,
        7,
    )
    task = Task.objects.get()
    assert (task.kind, task.title, task.due_date, task.owner, task.contact) == (
        "meeting",
        "Run the demo",
        due,
        department.rep_north,
        book.north_contact,
    )


def test_the_fresh_form_after_a_log_reads_the_contacts_and_deals_once(client, department, book):
    """The answer's fresh form offers what the logged form offered: one read of the client's
    contacts and one of its deals per log, not two."""
    DealFactory(client=book.north, owner=department.rep_north, title="Fleet renewal")
    client.force_login(department.rep_north)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("clients:log_activity", args=[book.north.pk]),
            {"kind": "call", "direction": "outgoing", "duration_minutes": "3"},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Fleet renewal" in page and f'<option value="{book.north_contact.pk}" selected>' in page
    selects = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT")]
    # the choices' own reads: the contacts, and the deals of the client (not the subqueries
    # and joins of the timeline, which name those tables too)
    contact_reads = [sql for sql in selects if sql.startswith('SELECT "clients_contact"."id"')]
    deal_choice_reads = [sql for sql in selects if sql.startswith('SELECT "deals_deal"."id"')]
    assert len(contact_reads) == 1, contact_reads
    assert len(deal_choice_reads) == 1, deal_choice_reads


def test_log_without_htmx_redirects_back(client, department, book):
    client.force_login(department.assistant_north)
    response = client.post(
        reverse("clients:log_activity", args=[book.north_2.pk]), {"kind": "email", "duration_minutes": "0"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/clients/{book.north_2.pk}/"
    assert Activity.objects.get(client=book.north_2).owner == department.assistant_north


def test_log_with_errors_shows_them_and_writes_nothing(client, department, book):
    client.force_login(department.rep_north)
    response = client.post(
        reverse("clients:log_activity", args=[book.north.pk]),
        {"kind": "call", "duration_minutes": "-5", "next_due_date": "2030-01-01"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "Ensure this value is greater than or equal to 0." in page
    assert "Say what is to be done by that date." in page
    assert "hx-swap-oob" not in page
    assert book.north.activities.count() == 1


def test_log_with_another_clients_contact_is_refused(client, department, book):
    client.force_login(department.head)
    response = client.post(
        reverse("clients:log_activity", args=[book.north.pk]),
        {"kind": "call", "duration_minutes": "5", "contact": book.south_contact.pk},
    )
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert book.north.activities.count() == 1


def test_analyst_cannot_log_and_other_team_gets_404(client, department, book):
    client.force_login(department.analyst)
    response = client.post(
        reverse("clients:log_activity", args=[book.north.pk]), {"kind": "call", "duration_minutes": "5"}
    )
    assert response.status_code == 403
    client.force_login(department.rep_south)
    response = client.post(
        reverse("clients:log_activity", args=[book.north.pk]), {"kind": "call", "duration_minutes": "5"}
    )
    assert response.status_code == 404
    assert book.north.activities.count() == 1


# ----------------------------------------------------------- create, edit, reassign, status, delete


def test_rep_creates_a_client_with_its_first_contact(client, department):
    client.force_login(department.rep_north)
    form_page = page_of(client, reverse("clients:create"))
    assert 'name="owner"' not in form_page  # a rep only ever owns what they create
    response = client.post(
        reverse("clients:create"),
        {
            "name": "Acme",
            "tax_id": "7701 234 567",
            "segment": "mid",
            "tier": "B",
            "status": "lead",
            "source": "website",
            "contact_name": "Anna",
            "contact_phone": "+7 900 123-45-67",
        },
    )
    created = Client.objects.get(name="Acme")
    assert response.status_code == 302 and response["Location"] == f"/clients/{created.pk}/"
    assert (created.owner, created.tax_id, created.segment) == (department.rep_north, "7701234567", "mid")
    assert list(created.contacts.values_list("name", "phone")) == [("Anna", "+7 900 123-45-67")]


def test_create_form_shows_clear_errors_and_writes_nothing(client, department, book):
    client.force_login(department.rep_north)
    response = client.post(
        reverse("clients:create"),
        {
            "name": "Northwind Trading",
            "tax_id": "12",
            "segment": "small",
            "tier": "C",
            "status": "lead",
            "source": "inbound",
            "contact_phone": "1",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please correct the errors below." in page
    assert "Give the contact a name." in page
    assert Client.objects.count() == 4
    response = client.post(
        reverse("clients:create"),
        {
            "name": "Northwind Trading",
            "tax_id": "12",
            "segment": "small",
            "tier": "C",
            "status": "lead",
            "source": "inbound",
        },
    )
    page = response.content.decode()
    assert "A tax id is 8 to 20 letters and digits" in page
    assert Client.objects.count() == 4


def test_lead_creates_for_a_team_member(client, department):
    client.force_login(department.lead_north)
    assert 'name="owner"' in page_of(client, reverse("clients:create"))
    client.post(
        reverse("clients:create"),
        {
            "name": "Acme",
            "segment": "small",
            "tier": "C",
            "status": "lead",
            "source": "inbound",
            "owner": department.rep_north_2.pk,
        },
    )
    assert Client.objects.get(name="Acme").owner == department.rep_north_2


@pytest.mark.parametrize("role", ["analyst", "assistant_north"])
def test_read_only_roles_cannot_open_the_create_form(client, department, role):
    client.force_login(getattr(department, role))
    assert client.get(reverse("clients:create")).status_code == 403
    client.post(
        reverse("clients:create"),
        {"name": "Acme", "segment": "small", "tier": "C", "status": "lead", "source": "inbound"},
    )
    assert Client.objects.count() == 0


def test_owner_edits_a_client(client, department, book):
    client.force_login(department.rep_north)
    form_page = page_of(client, reverse("clients:edit", args=[book.north.pk]))
    assert 'value="Northwind Trading"' in form_page
    response = client.post(
        reverse("clients:edit", args=[book.north.pk]),
        {
            "name": "Northwind Group",
            "tax_id": "7701000001",
            "segment": "enterprise",
            "tier": "A",
            "source": "partner",
            "phone": "+7 495 000",
        },
    )
    assert response.status_code == 302
    book.north.refresh_from_db()
    assert (book.north.name, book.north.segment, book.north.tier, book.north.phone) == (
        "Northwind Group",
        "enterprise",
        "A",
        "+7 495 000",
    )


def test_analyst_gets_403_on_edit_and_nothing_changes(client, department, book):
    before = snapshot(book.north)
    client.force_login(department.analyst)
    assert client.get(reverse("clients:edit", args=[book.north.pk])).status_code == 403
    response = client.post(
        reverse("clients:edit", args=[book.north.pk]),
        {"name": "Hacked", "segment": "small", "tier": "C", "source": "inbound"},
    )
    assert response.status_code == 403
    assert snapshot(book.north) == before


def test_lead_reassigns_within_the_team(client, department, book):
    client.force_login(department.lead_north)
    form_page = page_of(client, reverse("clients:reassign", args=[book.north.pk]))
    assert department.rep_north_2.full_name in form_page
    assert department.rep_south.full_name not in form_page
    response = client.post(
        reverse("clients:reassign", args=[book.north.pk]), {"owner": department.rep_south.pk}
    )
    assert response.status_code == 400
    assert Client.objects.get(pk=book.north.pk).owner == department.rep_north
    response = client.post(
        reverse("clients:reassign", args=[book.north.pk]), {"owner": department.rep_north_2.pk}
    )
    assert response.status_code == 302
    book.north.refresh_from_db()
    assert (book.north.owner, book.north.owner_assigned_by) == (department.rep_north_2, department.lead_north)


def test_rep_cannot_reassign(client, department, book):
    client.force_login(department.rep_north)
    assert client.get(reverse("clients:reassign", args=[book.north.pk])).status_code == 403
    client.post(reverse("clients:reassign", args=[book.north.pk]), {"owner": department.rep_north_2.pk})
    assert Client.objects.get(pk=book.north.pk).owner == department.rep_north


def test_status_buttons_move_the_lifecycle(client, department, book):
    client.force_login(department.rep_north)
    page = page_of(client, reverse("clients:detail", args=[book.north.pk]))
    assert '<input type="hidden" name="status" value="prospect">' in page
    assert '<input type="hidden" name="status" value="former">' not in page
    response = client.post(
        reverse("clients:status", args=[book.north.pk]), {"status": "prospect"}, follow=True
    )
    assert "Status: Prospect." in response.content.decode()
    response = client.post(reverse("clients:status", args=[book.north.pk]), {"status": "lead"}, follow=True)
    assert "A client cannot move from “Prospect” to “Lead”." in response.content.decode()
    assert Client.objects.get(pk=book.north.pk).status == "prospect"


def test_analyst_cannot_move_the_status(client, department, book):
    client.force_login(department.analyst)
    assert (
        client.post(reverse("clients:status", args=[book.north.pk]), {"status": "prospect"}).status_code
        == 403
    )
    assert Client.objects.get(pk=book.north.pk).status == "lead"


def test_delete_asks_for_confirmation_first(client, department, book):
    client.force_login(department.rep_north)
    page = page_of(client, reverse("clients:delete", args=[book.north.pk]))
    assert "Delete “Northwind Trading”?" in page
    assert "Its contacts (1) and logged activities (1) are deleted with it." in page
    assert Client.objects.filter(pk=book.north.pk).exists()
    response = client.post(reverse("clients:delete", args=[book.north.pk]))
    assert response.status_code == 302 and response["Location"] == "/clients/"
    assert not Client.objects.filter(pk=book.north.pk).exists()


def test_delete_of_a_client_with_deals_is_refused(client, department, book):
    DealFactory(client=book.north)
    client.force_login(department.rep_north)
    response = client.post(reverse("clients:delete", args=[book.north.pk]))
    assert response.status_code == 400
    assert "cannot be deleted; mark it a former customer instead" in response.content.decode()
    assert Client.objects.filter(pk=book.north.pk).exists()


# --------------------------------------------------------------------------- contacts and activities


def test_assistant_adds_edits_and_deletes_a_contact(client, department, book):
    client.force_login(department.assistant_north)
    response = client.post(
        reverse("clients:contact_create", args=[book.north.pk]),
        {
            "name": "Pavel",
            "position": "CFO",
            "phone": "+7 900",
            "email": "pavel@northwind.example",
            "is_decision_maker": "on",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get(name="Pavel")
    assert (contact.client, contact.is_decision_maker) == (book.north, True)
    client.post(reverse("clients:contact_edit", args=[contact.pk]), {"name": "Pavel Orlov", "email": ""})
    contact.refresh_from_db()
    assert (contact.name, contact.is_decision_maker) == ("Pavel Orlov", False)
    assert "Delete “Pavel Orlov”?" in page_of(client, reverse("clients:contact_delete", args=[contact.pk]))
    client.post(reverse("clients:contact_delete", args=[contact.pk]))
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_contact_form_errors(client, department, book):
    client.force_login(department.rep_north)
    response = client.post(
        reverse("clients:contact_create", args=[book.north.pk]), {"name": "", "email": "nope"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page and "Enter a valid email address." in page
    assert book.north.contacts.count() == 1


def test_contacts_are_closed_to_the_analyst_and_hidden_from_other_teams(client, department, book):
    before = snapshot(book.north_contact)
    client.force_login(department.analyst)
    assert client.get(reverse("clients:contact_create", args=[book.north.pk])).status_code == 403
    assert (
        client.post(reverse("clients:contact_edit", args=[book.north_contact.pk]), {"name": "X"}).status_code
        == 403
    )
    assert client.post(reverse("clients:contact_delete", args=[book.north_contact.pk])).status_code == 403
    client.force_login(department.rep_south)
    assert (
        client.post(reverse("clients:contact_edit", args=[book.north_contact.pk]), {"name": "X"}).status_code
        == 404
    )
    assert client.post(reverse("clients:contact_delete", args=[book.north_contact.pk])).status_code == 404
    assert snapshot(book.north_contact) == before


def test_activity_edit_and_delete(client, department, book):
    # The client has been in the CRM since 2025, so an activity may be moved to January 2026.
    Client.objects.filter(pk=book.north.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2025, 1, 1))
    )
    client.force_login(department.rep_north)
    form_page = page_of(client, reverse("clients:activity_edit", args=[book.north_activity.pk]))
    assert "Asked for a price list." in form_page
    response = client.post(
        reverse("clients:activity_edit", args=[book.north_activity.pk]),
        {
            "kind": "meeting",
            "duration_minutes": "60",
            "outcome": "Met in person.",
            "occurred_at": "2026-01-15T10:30",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(pk=book.north_activity.pk)
    assert (activity.kind, activity.duration_minutes, activity.outcome) == ("meeting", 60, "Met in person.")
    assert timezone.localtime(activity.occurred_at).strftime("%Y-%m-%d %H:%M") == "2026-01-15 10:30"
    client.force_login(department.analyst)
    assert client.post(reverse("clients:activity_delete", args=[activity.pk])).status_code == 403
    client.force_login(department.rep_north)
    client.post(reverse("clients:activity_delete", args=[activity.pk]))
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_the_only_contact_is_preselected_in_the_quick_log_form(client, department, book):
    client.force_login(department.rep_north)
    page = page_of(client, reverse("clients:detail", args=[book.north.pk]))
    assert f'<option value="{book.north_contact.pk}" selected>Olga Petrova</option>' in page
    Contact.objects.create(client=book.north, name="Second Person")
    page = page_of(client, reverse("clients:detail", args=[book.north.pk]))
    assert f'<option value="{book.north_contact.pk}">Olga Petrova</option>' in page


def test_the_new_client_form_shows_every_field_error_at_once(client, department):
    """A wrong tax id was only checked once the name was given: two rounds for two mistakes."""
    client.force_login(department.rep_north)
    response = client.post(
        "/clients/new/",
        {
            "name": "",
            "tax_id": "12ab!!",
            "segment": "small",
            "tier": "C",
            "status": "lead",
            "source": "inbound",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"name", "tax_id"}
    assert errors["tax_id"][0].startswith("A tax id is 8 to 20 letters and digits")
