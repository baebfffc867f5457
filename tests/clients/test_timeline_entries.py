"""The client timeline's entries are rendered once per state (clients/templatetags/timeline.py):
a kept entry is shown only while nothing it shows has changed, for a viewer with the same rights
and language."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from clients.models import Activity, ActivityKind, Contact
from core import tables as core_tables
from tests.deals.conftest import make_deal
from tests.factories import ActivityFactory, ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(department):
    client_ = ClientFactory(owner=department.rep_north, name="Kept Client")
    contact = ContactFactory(client=client_, name="Olga Petrova")
    return ActivityFactory(
        client=client_,
        owner=department.rep_north,
        contact=contact,
        kind=ActivityKind.MEETING,
        outcome="Agreed",
    )


def timeline(http, activity, language="en") -> str:
    response = http.get(reverse("clients:detail", args=[activity.client_id]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index(f'id="activity-{activity.pk}"')
    return page[start : page.index("</li>", start)]


def test_an_entry_is_kept_and_shows_each_change_of_what_it_shows(client, department, entry):
    client.force_login(department.rep_north)
    core_tables._FRAGMENTS.clear()
    core_tables._ROWS.clear()
    first = timeline(client, entry)
    assert "Olga Petrova" in first and "Agreed" in first and ">Meeting<" in first
    assert len(core_tables._FRAGMENTS) == 1
    assert core_tables._ROWS == {}  # kept apart: entries never push a table's rows out
    assert timeline(client, entry) == first
    assert len(core_tables._FRAGMENTS) == 1  # read back, not written again

    Contact.objects.filter(pk=entry.contact_id).update(name="Olga Sidorova")
    assert "Olga Sidorova" in timeline(client, entry)
    Activity.objects.filter(pk=entry.pk).update(outcome="Postponed")
    assert "Postponed" in timeline(client, entry)
    department.rep_north.last_name = "Renamed"
    department.rep_north.save()
    assert "Renamed" in timeline(client, entry)


def test_the_rights_and_the_language_are_the_viewers_own(client, department, entry):
    client.force_login(department.rep_north)
    core_tables._FRAGMENTS.clear()
    as_owner = timeline(client, entry)
    assert "Edit</a>" in as_owner and "Delete</a>" in as_owner
    client.force_login(department.analyst)  # sees the client, may not write
    as_analyst = timeline(client, entry)
    assert "Olga Petrova" in as_analyst
    assert "Edit</a>" not in as_analyst and "Delete</a>" not in as_analyst
    client.force_login(department.rep_north)
    in_russian = timeline(client, entry, language="ru")
    assert ">Встреча<" in in_russian and ">Meeting<" not in in_russian


def test_a_deal_is_linked_only_for_who_sees_it(client, department, entry):
    deal = make_deal(owner=department.rep_north, client=entry.client, title="Visible Deal")
    Activity.objects.filter(pk=entry.pk).update(deal=deal)
    client.force_login(department.rep_north)
    core_tables._FRAGMENTS.clear()
    assert f'href="/deals/{deal.pk}/">Visible Deal</a>' in timeline(client, entry)
    deal.owner = department.rep_north_2
    deal.save()
    assert "Visible Deal" not in timeline(client, entry)


def test_a_kept_entry_does_not_show_one_viewer_the_deal_another_may_see(client, department, entry):
    """The head and the client's owner both may edit the entry and read it in English; only the
    head sees the teammate's deal it is linked to. Both sign in first: signing in changes the
    owner's row, which an entry shows."""
    deal = make_deal(owner=department.rep_north_2, client=entry.client, title="Teammate Deal")
    Activity.objects.filter(pk=entry.pk).update(deal=deal)
    owner = HttpClient()
    owner.force_login(department.rep_north)
    client.force_login(department.head)
    core_tables._FRAGMENTS.clear()
    as_head = timeline(client, entry)
    assert f'href="/deals/{deal.pk}/">Teammate Deal</a>' in as_head and "Edit</a>" in as_head
    as_owner = timeline(owner, entry)
    assert "Teammate Deal" not in as_owner and "Edit</a>" in as_owner
