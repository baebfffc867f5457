"""The timeline entry written in Python (clients/templatetags/timeline.py) is the template it
replaced, byte for byte: every optional part on and off, text that needs escaping, a
multi-line outcome, in the three languages and a time zone other than the server's."""

import datetime
from pathlib import Path

import pytest
from django.template import Context, engines
from django.utils import timezone, translation

from accounts.models import Role
from clients.models import ActivityKind, Direction
from clients.selectors import client_timeline
from clients.templatetags.timeline import item_html
from core.tables import _FRAGMENTS
from tests.factories import ActivityFactory, ClientFactory, ContactFactory, DealFactory, UserFactory

# templates/clients/partials/timeline_item.html as it was before it was written in Python
TEMPLATE = (Path(__file__).parent / "data" / "timeline_item_template.html").read_text()


class Permissions:
    def __init__(self, records: bool):
        self.records = records


@pytest.fixture
def activities(db):
    owner = UserFactory(username="timeline-owner", first_name="Ann <b>", last_name="O'Neil & Co")
    client = ClientFactory(owner=owner)
    contact = ContactFactory(client=client, name='Ivan "the <i>" Petrov')
    deal = DealFactory(client=client, owner=owner, title="Renewal <2027> & more")
    other = UserFactory(username="timeline-other")
    hidden = DealFactory(client=client, owner=other, title="Someone else's deal")
    when = datetime.datetime(2026, 3, 8, 21, 45, tzinfo=datetime.UTC)
    ActivityFactory(client=client, owner=owner, occurred_at=when, duration_minutes=0)
    ActivityFactory(
        client=client,
        owner=owner,
        kind=ActivityKind.MEETING,
        direction=Direction.INCOMING,
        contact=contact,
        deal=deal,
        duration_minutes=1,
        occurred_at=when + datetime.timedelta(days=1),
        outcome='Agreed <script>x</script>\nnext step: "pilot"\r\nthird & last',
    )
    ActivityFactory(
        client=client,
        owner=owner,
        direction=Direction.OUTGOING,
        deal=hidden,
        duration_minutes=1250,
        occurred_at=when + datetime.timedelta(days=300, hours=3),
        outcome="Short",
    )
    return list(client_timeline(viewer=owner, client=client))


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans"])
@pytest.mark.parametrize("may_edit", [True, False])
def test_an_entry_is_the_template_it_replaced(activities, language, may_edit, settings):
    template = engines["django"].from_string(TEMPLATE).template
    assert len(activities) == 3
    assert {activity.deal_visible for activity in activities} == {True, False}
    with translation.override(language), timezone.override("Asia/Shanghai"):
        for activity in activities:
            expected = template.render(Context({"activity": activity, "permissions": Permissions(may_edit)}))
            assert item_html(activity, may_edit=may_edit) == expected


def test_a_page_shows_the_entries_and_the_edit_links_only_to_who_may_edit(activities, client):
    """The entries as a page shows them (through the tag, kept once written): the owner gets
    the edit and delete links, the analyst (who reads everything and writes nothing) not."""
    _FRAGMENTS.clear()
    address = f"/clients/{activities[0].client_id}/"
    client.force_login(activities[0].owner)
    page = client.get(address).content.decode()
    for activity in activities:
        assert f'id="activity-{activity.pk}"' in page
        assert f'href="/clients/activities/{activity.pk}/edit/"' in page
    assert "Renewal &lt;2027&gt; &amp; more" in page
    assert "Someone else&#x27;s deal" not in page
    assert "Agreed &lt;script&gt;x&lt;/script&gt;<br>next step: &quot;pilot&quot;<br>third &amp; last" in page

    client.force_login(UserFactory(username="timeline-analyst", role=Role.ANALYST))
    response = client.get(address)
    page = response.content.decode()
    assert response.status_code == 200
    assert [f'id="activity-{activity.pk}"' in page for activity in activities] == [True, True, True]
    assert "/clients/activities/" not in page
