""" "My next steps": the viewer's open next steps, overdue first, completable in place."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Activity
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def steps(department, book):
    today = timezone.localdate()
    return {
        "later": ActivityFactory(
            client=book.north,
            owner=department.rep_north,
            next_step="Send the offer",
            next_step_due=today + datetime.timedelta(days=3),
        ),
        "overdue": ActivityFactory(
            client=book.north,
            owner=department.rep_north,
            next_step="Call the CFO",
            next_step_due=today - datetime.timedelta(days=4),
        ),
        "today": ActivityFactory(
            client=book.north,
            owner=department.rep_north,
            next_step="Confirm the meeting",
            next_step_due=today,
        ),
        # logged by the lead on rep_north's client: still rep_north's to do
        "by_lead": ActivityFactory(
            client=book.north,
            owner=department.lead_north,
            next_step="Visit the plant",
            next_step_due=today + datetime.timedelta(days=10),
        ),
        "colleague": ActivityFactory(
            client=book.north_2,
            owner=department.rep_north_2,
            next_step="Step of a colleague",
            next_step_due=today,
        ),
        "done": ActivityFactory(
            client=book.north,
            owner=department.rep_north,
            next_step="Already done",
            next_step_due=today,
            next_step_done_at=timezone.now(),
        ),
        "south": ActivityFactory(
            client=book.south, owner=department.rep_south, next_step="Southern step", next_step_due=today
        ),
    }


def test_rep_sees_own_open_steps_overdue_first(client, department, steps):
    client.force_login(department.rep_north)
    page = client.get(reverse("clients:next_steps")).content.decode()
    order = ["Call the CFO", "Confirm the meeting", "Send the offer", "Visit the plant"]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
    for hidden in ("Step of a colleague", "Already done", "Southern step"):
        assert hidden not in page
    assert "1 overdue" in page and "1 due today" in page and "2 later" in page
    assert 'name="person"' not in page  # a rep only has their own


def test_lead_sees_own_by_default_and_picks_a_rep_or_everyone(client, department, steps):
    client.force_login(department.lead_north)
    page = client.get(reverse("clients:next_steps")).content.decode()
    assert "Visit the plant" in page and "Call the CFO" not in page
    page = client.get(reverse("clients:next_steps"), {"person": department.rep_north_2.pk}).content.decode()
    assert "Step of a colleague" in page and "Visit the plant" not in page
    page = client.get(reverse("clients:next_steps"), {"person": ""}).content.decode()
    for text in ("Call the CFO", "Step of a colleague", "Visit the plant"):
        assert text in page
    assert "Southern step" not in page


def test_due_filter(client, department, steps):
    client.force_login(department.rep_north)
    page = client.get(reverse("clients:next_steps"), {"due": "overdue"}).content.decode()
    assert "Call the CFO" in page and "Confirm the meeting" not in page and "Send the offer" not in page
    page = client.get(reverse("clients:next_steps"), {"due": "week"}).content.decode()
    assert "Confirm the meeting" in page and "Send the offer" in page and "Visit the plant" not in page


def test_a_bad_filter_shows_the_empty_state(client, department, steps):
    client.force_login(department.rep_north)
    response = client.get(reverse("clients:next_steps"), {"person": "999999"})
    assert response.status_code == 200
    assert "No open next steps here." in response.content.decode()


def test_complete_in_place_with_htmx(client, department, steps):
    client.force_login(department.rep_north)
    step = steps["overdue"]
    response = client.post(reverse("clients:next_step_complete", args=[step.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(f'<li class="step done" id="step-{step.pk}" role="status">')
    assert '<s class="step-text">Call the CFO</s>' in fragment
    assert Activity.objects.get(pk=step.pk).next_step_done_at is not None
    page = client.get(reverse("clients:next_steps")).content.decode()
    assert "Call the CFO" not in page


def test_complete_without_htmx_returns_to_the_list(client, department, steps):
    client.force_login(department.rep_north)
    response = client.post(
        reverse("clients:next_step_complete", args=[steps["today"].pk]),
        {"next": "/clients/next-steps/?due=today"},
    )
    assert response.status_code == 302 and response["Location"] == "/clients/next-steps/?due=today"
    response = client.post(
        reverse("clients:next_step_complete", args=[steps["later"].pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/clients/next-steps/"


def test_analyst_sees_but_cannot_complete(client, department, steps):
    client.force_login(department.analyst)
    page = client.get(reverse("clients:next_steps"), {"person": ""}).content.decode()
    assert "Call the CFO" in page and "Southern step" in page
    assert "step-done-form" not in page
    response = client.post(
        reverse("clients:next_step_complete", args=[steps["overdue"].pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    assert Activity.objects.get(pk=steps["overdue"].pk).next_step_done_at is None


def test_other_team_gets_404_when_completing(client, department, steps):
    client.force_login(department.rep_south)
    response = client.post(reverse("clients:next_step_complete", args=[steps["overdue"].pk]))
    assert response.status_code == 404
    assert Activity.objects.get(pk=steps["overdue"].pk).next_step_done_at is None


def test_completing_an_activity_without_a_next_step_is_a_400_for_htmx(client, department, book):
    client.force_login(department.rep_north)
    response = client.post(
        reverse("clients:next_step_complete", args=[book.north_activity.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert response.content.decode() == "This activity has no next step to complete."
