"""Reads: visibility for every role, the list's annotations, search and filters, history,
next steps, and who may be given a client."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from clients import rules, selectors, services
from clients.filters import ClientFilter, ContactFilter
from clients.models import Client
from deals.panels import client_deals
from tests.clients.conftest import CLIENTS_SEEN
from tests.factories import (
    ActivityFactory,
    ClientFactory,
    ContactFactory,
    DealFactory,
    IndustryFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db


def names_of(book, keys) -> set[str]:
    return {getattr(book, key).name for key in keys}


@pytest.mark.parametrize("viewer", sorted(CLIENTS_SEEN))
def test_client_list_is_scoped_by_visibility(department, book, viewer):
    seen = {client.name for client in selectors.client_list(viewer=getattr(department, viewer))}
    assert seen == names_of(book, CLIENTS_SEEN[viewer])


def test_inactive_user_sees_nothing(department, book):
    assert list(selectors.client_list(viewer=department.inactive_rep_north)) == []


def test_client_list_annotates_the_latest_activity(department, book):
    latest = timezone.now() - datetime.timedelta(hours=1)
    ActivityFactory(client=book.north, occurred_at=latest - datetime.timedelta(days=30))
    ActivityFactory(client=book.north, occurred_at=latest)
    rows = {client.name: client.last_activity_at for client in selectors.client_list(viewer=department.head)}
    assert rows["Northwind Trading"] == latest
    assert rows["Nordic Steel"] is None


def test_contacts_and_activities_follow_their_client(department, book):
    assert {c.name for c in selectors.contact_list(viewer=department.rep_north)} == {"Olga Petrova"}
    assert {c.name for c in selectors.contact_list(viewer=department.lead_south)} == {"Ivan Sidorov"}
    assert {a.pk for a in selectors.activity_list(viewer=department.assistant_north)} == {
        book.north_activity.pk
    }
    assert {a.pk for a in selectors.activity_list(viewer=department.analyst)} == {
        book.north_activity.pk,
        book.south_activity.pk,
    }


def test_client_get_gives_404_outside_the_scope(department, book):
    from django.http import Http404

    assert selectors.client_get(viewer=department.lead_north, pk=book.north.pk) == book.north
    with pytest.raises(Http404):
        selectors.client_get(viewer=department.rep_south, pk=book.north.pk)
    with pytest.raises(Http404):
        selectors.client_get(viewer=department.head, pk="not-a-number")


def test_client_deals_only_those_the_viewer_sees(department, book):
    own = DealFactory(client=book.north, owner=department.rep_north, title="Own deal")
    DealFactory(client=book.north, owner=department.rep_north_2, title="Colleague's deal")
    assert list(client_deals(viewer=department.rep_north, client=book.north)) == [own]
    assert {deal.title for deal in client_deals(viewer=department.lead_north, client=book.north)} == {
        "Own deal",
        "Colleague's deal",
    }


def test_client_timeline_is_newest_first(department, book):
    older = ActivityFactory(client=book.north, occurred_at=timezone.now() - datetime.timedelta(days=10))
    newer = ActivityFactory(client=book.north, occurred_at=timezone.now())
    assert list(selectors.client_timeline(viewer=department.rep_north, client=book.north)) == [
        newer,
        book.north_activity,
        older,
    ]


@pytest.mark.parametrize(
    ("viewer", "change", "records", "reassign"),
    [
        ("rep_north", True, True, False),
        ("lead_north", True, True, True),
        ("head", True, True, True),
        ("assistant_north", False, True, False),
        ("analyst", False, False, False),
    ],
)
def test_client_permissions(department, book, viewer, change, records, reassign):
    permissions = rules.client_permissions(viewer=getattr(department, viewer), client=book.north)
    assert (permissions.change, permissions.records, permissions.reassign) == (change, records, reassign)


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("head", {"head", "lead_north", "lead_south", "lead_without_team", "rep_north", "rep_north_2",
                  "rep_south", "rep_without_team", "sdr_north", "am_south"}),
        ("lead_north", {"lead_north", "rep_north", "rep_north_2", "sdr_north"}),
        ("rep_south", {"rep_south"}),
        ("analyst", set()),
        ("assistant_north", set()),
    ],
)  # fmt: skip
def test_assignable_owners(department, viewer, expected):
    people = rules.assignable_owners(viewer=getattr(department, viewer))
    assert {person.username for person in people} == expected


def test_client_history_names_who_changed_what(department, book):
    retail = IndustryFactory(name="Retail")
    client = services.client_create(by=department.rep_north, name="Acme", tax_id="7701234567")
    services.client_update(by=department.rep_north, client=client, industry=retail, tier="A")
    services.client_reassign(by=department.lead_north, client=client, owner=department.rep_north_2)
    history = selectors.client_history(client=client)
    assert [(entry.kind, entry.who, entry.reason) for entry in history] == [
        ("~", department.lead_north.full_name, "Reassigned"),
        ("~", department.rep_north.full_name, ""),
        ("+", department.rep_north.full_name, ""),
    ]
    assert [(change.field, change.old, change.new) for change in history[0].changes] == [
        ("owner", department.rep_north.full_name, department.rep_north_2.full_name)
    ]
    assert sorted((change.field, change.old, change.new) for change in history[1].changes) == [
        ("industry", "—", "Retail"),
        ("tier", "C", "A — key account"),
    ]
    assert history[2].changes == []


def test_client_history_is_limited(department):
    client = services.client_create(by=department.rep_north, name="Acme")
    for number in range(5):
        services.client_update(by=department.rep_north, client=client, phone=f"+7 900 {number}")
    history = selectors.client_history(client=client, limit=3)
    assert [[(c.field, c.old, c.new) for c in entry.changes] for entry in history] == [
        [("phone", "+7 900 3", "+7 900 4")],
        [("phone", "+7 900 2", "+7 900 3")],
        [("phone", "+7 900 1", "+7 900 2")],
    ]


def test_a_client_without_history_rows_shows_its_page_with_an_empty_history(client, department):
    """Clients written in bulk (the department-scale seed, a bulk load, rows from before the
    history was kept) have no history rows: their page answered 500."""
    acme = services.client_create(by=department.rep_north, name="Acme")
    acme.history.all().delete()
    assert selectors.client_history(client=acme) == []
    client.force_login(department.rep_north)
    response = client.get(f"/clients/{acme.pk}/")
    assert response.status_code == 200 and "Acme" in response.content.decode()


def test_open_tasks_overdue_first_untimed_before_timed(department, book):
    today = timezone.localdate()
    later = TaskFactory(client=book.north, title="Later", due_date=today + datetime.timedelta(days=5))
    at_ten = TaskFactory(client=book.north, title="At ten", due_date=today, due_time=datetime.time(10))
    overdue = TaskFactory(client=book.north, title="Overdue", due_date=today - datetime.timedelta(days=3))
    due_today = TaskFactory(client=book.north, title="Today", due_date=today)
    at_nine = TaskFactory(client=book.north, title="At nine", due_date=today, due_time=datetime.time(9))
    TaskFactory(client=book.north, title="Done", due_date=today, status="done")
    TaskFactory(client=book.south, title="Hidden", due_date=today)
    tasks = selectors.open_task_list(viewer=department.rep_north)
    assert list(tasks) == [overdue, due_today, at_nine, at_ten, later]
    counts = selectors.task_counts(tasks)
    assert (counts.overdue, counts.today, counts.later) == (1, 3, 1)


# --------------------------------------------------------------------------- search and filters


def filtered(department, viewer="head", **params) -> list[str]:
    request = RequestFactory().get("/")
    request.user = getattr(department, viewer)
    filterset = ClientFilter(params, queryset=selectors.client_list(viewer=request.user), request=request)
    assert filterset.is_valid(), filterset.errors
    return [client.name for client in filterset.qs]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("northwind", ["Northwind Trading"]),
        ("7701000001", ["Northwind Trading"]),
        ("77 01", ["Northwind Trading"]),  # part of a tax id, typed with a space
        ("olga petrova", ["Northwind Trading"]),  # a contact's name
        ("olga@northwind", ["Northwind Trading"]),  # a contact's e-mail
        ("912 345-67-89", ["Northwind Trading"]),  # a contact's phone as written
        ("9123456789", ["Northwind Trading"]),  # the same phone as bare digits
        ("+7 (912) 345 67 89", ["Northwind Trading"]),
        ("8610001122", ["Southern Foods"]),
        ("nothing like it", []),
    ],
)
def test_search(department, book, term, expected):
    assert filtered(department, search=term) == expected


def test_search_is_case_insensitive_for_cyrillic_names(department):
    ClientFactory(name="ООО «Ромашка»", owner=department.rep_north)
    assert filtered(department, search="ромашка") == ["ООО «Ромашка»"]
    assert filtered(department, search="РОМАШКА") == ["ООО «Ромашка»"]


def test_a_client_with_several_matching_contacts_is_listed_once(department, book):
    ContactFactory(client=book.north, name="Olga Smirnova")
    assert filtered(department, search="olga") == ["Northwind Trading"]


def test_search_never_reaches_hidden_clients(department, book):
    assert filtered(department, viewer="rep_north", search="ivan@southern") == []


def test_filters(department, book):
    retail = IndustryFactory(name="Retail")
    Client.objects.filter(pk=book.south.pk).update(
        status="customer", tier="A", industry=retail, segment="mid", source="tender"
    )
    assert filtered(department, team=department.north.pk) == ["Nordic Steel", "Northwind Trading"]
    assert filtered(department, owner=department.rep_south.pk) == ["Southern Foods"]
    for field, value in (
        ("status", "customer"),
        ("tier", "A"),
        ("industry", retail.pk),
        ("segment", "mid"),
        ("source", "tender"),
    ):
        assert filtered(department, **{field: value}) == ["Southern Foods"], field


def test_ordering_by_last_activity_puts_never_contacted_last(department, book):
    ActivityFactory(client=book.north_2, occurred_at=timezone.now() - datetime.timedelta(days=30))
    names = filtered(department, ordering="-last_activity")
    assert names[:3] == ["Southern Foods", "Northwind Trading", "Nordic Steel"]
    assert names[3] == "Lonely Logistics"
    assert filtered(department, ordering="last_activity")[-1] == "Lonely Logistics"


def test_a_lead_cannot_filter_by_a_team_they_do_not_see(department, book):
    request = RequestFactory().get("/")
    request.user = department.lead_north
    filterset = ClientFilter(
        {"team": department.south.pk}, queryset=selectors.client_list(viewer=request.user), request=request
    )
    assert not filterset.is_valid()
    assert list(filterset.errors) == ["team"]


def test_contact_search_by_phone_digits(department, book):
    request = RequestFactory().get("/")
    request.user = department.head
    filterset = ContactFilter(
        {"search": "9123456789"}, queryset=selectors.contact_list(viewer=request.user), request=request
    )
    assert [contact.name for contact in filterset.qs] == ["Olga Petrova"]
