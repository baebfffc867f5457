"""The header's quick log: the client type-ahead, the contact and deal preselected when there
is one to choose, the write through the activity service, and bad input."""

import pytest
from django.urls import reverse

from clients.models import Activity, Task
from tests.factories import ClientFactory, ContactFactory, DealFactory, stage

pytestmark = pytest.mark.django_db

URL = "/log/"


@pytest.fixture
def aurora(department):
    return ClientFactory(owner=department.rep_north, name="Aurora Logistics", tax_id="7701234567")


def form_of(response):
    return response.context["form"]


def test_the_type_ahead_finds_clients_one_may_log_for(client, department, aurora):
    ContactFactory(client=aurora, name="Ivan Petrov")
    ClientFactory(owner=department.rep_south, name="Aurora South")
    client.force_login(department.rep_north)
    for term in ("auror", "770123", "ivan pet"):
        response = client.get(reverse("header:quick_log_clients"), {"q": term})
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count('class="quick-log-pick-client"') == 1, term
        assert f"/log/?client={aurora.pk}" in html
    assert client.get(reverse("header:quick_log_clients"), {"q": "a"}).content.decode().strip() == ""


def test_the_type_ahead_leaves_out_clients_one_only_sees(client, department, aurora):
    """The analyst sees everything and writes nothing: no Log at all; an SDR logs only leads."""
    client.force_login(department.analyst)
    assert client.get(reverse("header:quick_log_clients"), {"q": "aurora"}).status_code == 403
    assert client.get(URL).status_code == 403
    client.force_login(department.lead_north)
    html = client.get(reverse("header:quick_log_clients"), {"q": "aurora"}).content.decode()
    assert html.count('class="quick-log-pick-client"') == 1


def test_one_decision_maker_and_one_open_deal_are_preselected(client, department, aurora):
    ContactFactory(client=aurora, name="Assistant")
    boss = ContactFactory(client=aurora, name="Boss", is_decision_maker=True)
    deal = DealFactory(client=aurora, owner=department.rep_north, title="Open one")
    DealFactory(client=aurora, owner=department.rep_north, title="Won one", stage=stage("Won"))
    client.force_login(department.rep_north)
    response = client.get(URL, {"client": aurora.pk}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="quick-log-body")
    assert response.status_code == 200
    form = form_of(response)
    assert form["contact"].value() == boss.pk
    assert form["deal"].value() == deal.pk
    assert [label for _value, label in form.fields["deal"].choices][1:] == ["Open one"]
    assert form["kind"].value() == "call"
    assert "<dialog" not in response.content.decode()


def test_nothing_is_preselected_when_there_is_a_choice_to_make(client, department, aurora):
    ContactFactory(client=aurora, is_decision_maker=True)
    ContactFactory(client=aurora, is_decision_maker=True)
    DealFactory.create_batch(2, client=aurora, owner=department.rep_north)
    client.force_login(department.rep_north)
    form = form_of(client.get(URL, {"client": aurora.pk}))
    assert form["contact"].value() is None
    assert form["deal"].value() is None


def test_the_button_opens_a_dialog(client, department):
    client.force_login(department.rep_north)
    response = client.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="quick-log-slot")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<dialog class="quick-log" data-open' in html
    assert 'id="quick-log-q"' in html


def test_logging_writes_the_activity_through_the_service(client, department, aurora):
    boss = ContactFactory(client=aurora, is_decision_maker=True)
    deal = DealFactory(client=aurora, owner=department.rep_north)
    client.force_login(department.rep_north)
    response = client.post(
        URL,
        {
            "client": aurora.pk,
            "kind": "call",
            "direction": "outgoing",
            "contact": boss.pk,
            "deal": deal.pk,
            "outcome": "Agreed on a demo",
        },
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="quick-log-body",
    )
    assert response.status_code == 200
    assert "Call with Aurora Logistics logged." in response.content.decode()
    activity = Activity.objects.get()
    assert (activity.client, activity.contact, activity.deal, activity.owner) == (
        aurora,
        boss,
        deal,
        department.rep_north,
    )
    assert (activity.kind, activity.direction, activity.outcome) == ("call", "outgoing", "Agreed on a demo")


def test_the_next_task_is_planned_in_the_same_step(client, department, aurora):
    import datetime

    from django.utils import timezone

    from clients.models import Task

    deal = DealFactory(client=aurora, owner=department.rep_north)
    due = timezone.localdate() + datetime.timedelta(days=2)
    client.force_login(department.rep_north)
    response = client.post(
        URL,
        {
            "client": aurora.pk,
            "kind": "call",
            "deal": deal.pk,
            "outcome": "Wants the price list",
            "next_kind": "email",
            "next_title": "Send the price list",
            "next_due_date": due.isoformat(),
        },
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="quick-log-body",
    )
    assert response.status_code == 200
    assert "Next: Send the price list, due" in response.content.decode()
    task = Task.objects.get()
    assert (task.kind, task.title, task.due_date, task.client, task.deal, task.owner, task.status) == (
        "email",
        "Send the price list",
        due,
        aurora,
        deal,
        department.rep_north,
        "open",
    )
    assert Activity.objects.get().outcome == "Wants the price list"


def test_without_htmx_logging_goes_to_the_client_page(client, department, aurora):
    client.force_login(department.rep_north)
    response = client.post(URL, {"client": aurora.pk, "kind": "meeting", "outcome": "Met"})
    assert response.status_code == 302
    assert response.url == reverse("clients:detail", args=[aurora.pk])
    assert Activity.objects.get().direction == ""


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "dance"},
        {"kind": "call", "direction": "sideways"},
        {"kind": "call", "contact": "999999"},
        {"kind": "call", "deal": "abc"},
        {"kind": "call", "outcome": "x" * 5001},
        {"kind": "call", "next_title": "Call back"},
        {"kind": "call", "next_due_date": "2099-01-01"},
        {"kind": "call", "next_title": "Call back", "next_due_date": "1999-01-01"},
        {"kind": "call", "next_title": "Call back", "next_due_date": "2026-13-45"},
        {"kind": "call", "next_title": "Call back", "next_due_date": "2099-01-01", "next_kind": "dance"},
    ],
)
def test_bad_input_is_a_400_with_the_form_and_writes_nothing(client, department, aurora, data):
    client.force_login(department.rep_north)
    response = client.post(
        URL, {"client": aurora.pk, **data}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="quick-log-body"
    )
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert not Activity.objects.exists()
    assert not Task.objects.exists()


def test_another_clients_contact_or_deal_is_refused(client, department, aurora):
    other = ClientFactory(owner=department.rep_north)
    contact = ContactFactory(client=other)
    deal = DealFactory(client=other, owner=department.rep_north)
    client.force_login(department.rep_north)
    for extra in ({"contact": contact.pk}, {"deal": deal.pk}):
        response = client.post(URL, {"client": aurora.pk, "kind": "call", **extra})
        assert response.status_code == 400
    assert not Activity.objects.exists()


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999", "1.5"])
def test_a_made_up_client_is_404(client, department, value):
    client.force_login(department.rep_north)
    assert client.get(URL, {"client": value}).status_code == 404
    assert client.post(URL, {"client": value, "kind": "call"}).status_code == 404


def test_another_reps_client_is_404_and_nothing_is_written(client, department):
    theirs = ClientFactory(owner=department.rep_south)
    client.force_login(department.rep_north)
    assert client.get(URL, {"client": theirs.pk}).status_code == 404
    assert client.post(URL, {"client": theirs.pk, "kind": "call", "outcome": "x"}).status_code == 404
    assert not Activity.objects.exists()


def test_an_sdr_logs_only_for_leads(client, department):
    lead = ClientFactory(owner=department.sdr_north, status="lead")
    customer = ClientFactory(owner=department.sdr_north, status="customer")
    client.force_login(department.sdr_north)
    assert client.get(URL, {"client": lead.pk}).status_code == 200
    assert client.post(URL, {"client": customer.pk, "kind": "call"}).status_code == 404
    assert client.post(URL, {"client": lead.pk, "kind": "call", "outcome": "Hi"}).status_code == 302
    assert Activity.objects.get().client == lead
