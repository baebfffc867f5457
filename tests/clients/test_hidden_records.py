"""Nothing on the client pages, the API or the import reveals a record or a person the
viewer may not see: not in a list of choices, not in a title, not in an error message."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients import services
from clients.forms import ActivityLogForm
from clients.models import Activity, Client
from tests.clients.conftest import csv_upload
from tests.factories import ActivityFactory, DealFactory

pytestmark = pytest.mark.django_db

INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."


def snapshot(instance) -> dict:
    instance = type(instance).objects.get(pk=instance.pk)
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


# --------------------------------------------------------------------------- the log form's deals


def test_the_log_form_needs_the_user():
    with pytest.raises(TypeError):
        ActivityLogForm(client=Client())


def test_the_log_form_lists_only_the_deals_the_user_sees(department, book):
    own = DealFactory(client=book.north, owner=department.rep_north, title="Own deal")
    DealFactory(client=book.north, owner=department.rep_north_2, title="Colleague's deal")
    form = ActivityLogForm(client=book.north, user=department.rep_north)
    assert [label for _value, label in form.fields["deal"].choices] == ["---------", str(own)]
    lead_form = ActivityLogForm(client=book.north, user=department.lead_north)
    assert len(lead_form.fields["deal"].choices) == 3


def test_a_hidden_deal_and_a_made_up_one_get_the_same_answer(client, department, book):
    hidden = DealFactory(client=book.north, owner=department.rep_north_2)
    client.force_login(department.rep_north)
    answers = []
    for deal_id in (hidden.pk, hidden.pk + 1000):
        response = client.post(
            reverse("clients:log_activity", args=[book.north.pk]),
            {"kind": "call", "duration_minutes": "5", "deal": deal_id},
        )
        assert response.status_code == 400
        answers.append(response.context["form"].errors.as_data()["deal"][0].messages)
    assert answers == [[INVALID_CHOICE], [INVALID_CHOICE]]
    assert book.north.activities.count() == 1


def test_the_service_answers_a_hidden_deal_of_another_client_like_a_missing_one(department, book):
    hidden_elsewhere = DealFactory(client=book.south, owner=department.rep_south)
    with pytest.raises(services.ValidationError) as error:
        services.activity_log(by=department.rep_north, client=book.north, deal=hidden_elsewhere)
    assert error.value.message_dict == {"deal": [INVALID_CHOICE]}
    assert book.north.activities.count() == 1


# --------------------------------------------------------------------------- the timeline


def test_the_timeline_names_only_deals_the_viewer_sees(client, department, book):
    """rep_north took the client over from rep_north_2, whose deal stays theirs."""
    former = DealFactory(client=book.north, owner=department.rep_north_2, title="Former owner's deal")
    own = DealFactory(client=book.north, owner=department.rep_north, title="My own deal")
    ActivityFactory(client=book.north, owner=department.rep_north_2, deal=former, outcome="Old call.")
    ActivityFactory(client=book.north, owner=department.rep_north, deal=own, outcome="New call.")
    client.force_login(department.rep_north)
    for url, params in (
        (reverse("clients:detail", args=[book.north.pk]), {}),
        (reverse("clients:timeline", args=[book.north.pk]), {"page": 1}),
    ):
        page = client.get(url, params).content.decode()
        assert "Old call." in page and "New call." in page
        assert "Former owner&#x27;s deal" not in page and f"/deals/{former.pk}/" not in page
        assert f'<a href="/deals/{own.pk}/">My own deal</a>' in page
    client.force_login(department.lead_north)
    page = client.get(reverse("clients:detail", args=[book.north.pk])).content.decode()
    assert f'<a href="/deals/{former.pk}/">Former owner&#x27;s deal</a>' in page


def test_timeline_marks_deal_visibility(department, book):
    hidden = DealFactory(client=book.north, owner=department.rep_north_2)
    ActivityFactory(
        client=book.north, deal=hidden, occurred_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    rows = selectors_timeline(department.rep_north, book.north)
    assert rows == [(hidden.pk, False), (None, False)]
    assert selectors_timeline(department.lead_north, book.north) == [(hidden.pk, True), (None, False)]


def selectors_timeline(viewer, client_record) -> list[tuple]:
    from clients import selectors

    return [
        (activity.deal_id, activity.deal_visible)
        for activity in selectors.client_timeline(viewer=viewer, client=client_record)
    ]


# --------------------------------------------------------------------------- owners


def test_api_owner_hidden_from_the_viewer_reads_like_a_made_up_id(api_as, department):
    api = api_as(department.lead_north)
    hidden = department.rep_south.pk
    missing = max(department.head.pk, department.inactive_rep_north.pk) + 1000
    for owner in (hidden, missing):
        response = api.post("/api/v1/clients/", {"name": "Acme", "owner": owner})
        assert response.status_code == 400
        assert response.json() == {"owner": [f'Invalid pk "{owner}" - object does not exist.']}
    assert department.rep_south.full_name not in response.content.decode()
    assert Client.objects.count() == 0


def test_api_reassign_to_a_hidden_person_changes_nothing(api_as, department, book):
    before = snapshot(book.north)
    response = api_as(department.lead_north).patch(
        f"/api/v1/clients/{book.north.pk}/", {"owner": department.rep_south.pk}
    )
    assert response.status_code == 400
    assert response.json() == {"owner": [f'Invalid pk "{department.rep_south.pk}" - object does not exist.']}
    assert snapshot(book.north) == before


def test_import_treats_a_hidden_username_as_unknown(department):
    upload = csv_upload("name,owner\nAcme,rep_south\nBeta,nobody\n")
    result = services.client_import(by=department.lead_north, file=upload)
    assert [(issue.row, issue.field, issue.message) for issue in result.errors] == [
        (2, "owner", "Unknown owner “rep_south”."),
        (3, "owner", "Unknown owner “nobody”."),
    ]
    assert Client.objects.count() == 0


def test_the_service_never_names_a_hidden_owner(department):
    with pytest.raises(services.ValidationError) as error:
        services.client_create(by=department.rep_north, name="Acme", owner=department.rep_south)
    assert error.value.message_dict == {"owner": ["Choose someone you may assign clients to."]}
    assert Client.objects.count() == 0


# --------------------------------------------------------------------------- twins


def test_a_hidden_twin_is_reported_without_saying_whose(department, book):
    for kwargs, expected in (
        (
            {"name": "Other", "tax_id": "2301000002"},
            {"tax_id": ["A client with this tax id already exists."]},
        ),
        ({"name": "Southern Foods"}, {"name": ["A client with this name already exists."]}),
    ):
        with pytest.raises(services.ValidationError) as error:
            services.client_create(by=department.rep_north, **kwargs)
        assert error.value.message_dict == expected
    assert Client.objects.count() == 4
    assert Activity.objects.count() == 2


def test_a_hidden_twin_in_the_import_is_reported_without_saying_whose(department, book):
    result = services.client_import(by=department.rep_north, file=csv_upload("name\nSouthern Foods\n"))
    assert [(issue.row, issue.field, issue.message) for issue in result.errors] == [
        (2, "name", "A client with this name already exists.")
    ]
    assert Client.objects.count() == 4
    assert Client.objects.filter(name="Southern Foods").count() == 1
