"""Bad input is a form error or an API 400 — never a 500 — and writes nothing: limits are
the service's, not only the form's, and filters reject what the database cannot hold."""

import pytest
from django.urls import reverse

from clients import services
from clients.models import Activity, Client
from tests.clients.conftest import csv_upload

pytestmark = pytest.mark.django_db

HUGE_ID = "99999999999999999999999"
YEAR_ONE = "0001-01-01T00:00:00"
DATE_RANGE = "Enter a date between 1900 and 9998."
CHOICE = "Select a valid choice. That choice is not one of the available choices."


# --------------------------------------------------------------------------- activity limits


def test_the_service_bounds_duration_and_text_lengths(department, book):
    with pytest.raises(services.ValidationError) as error:
        services.activity_log(
            by=department.rep_north,
            client=book.north,
            duration_minutes=24 * 60 + 1,
            outcome="x" * 5001,
        )
    assert error.value.message_dict == {
        "duration_minutes": ["An activity lasts at most 1440 minutes (a day)."],
        "outcome": ["Longer than 5000 characters."],
    }
    with pytest.raises(services.ValidationError) as error:
        services.activity_update(
            by=department.rep_north, activity=book.north_activity, duration_minutes=10**13
        )
    assert error.value.message_dict == {
        "duration_minutes": ["An activity lasts at most 1440 minutes (a day)."]
    }
    assert book.north.activities.count() == 1
    assert Activity.objects.get(pk=book.north_activity.pk).duration_minutes == 5
    assert services.activity_log(
        by=department.rep_north, client=book.north, duration_minutes=1440, outcome="x" * 5000
    )


def test_the_api_refuses_an_endless_activity(api_as, department, book):
    api = api_as(department.rep_north)
    response = api.post(
        "/api/v1/activities/", {"client": book.north.pk, "duration_minutes": 99999999}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"duration_minutes": ["An activity lasts at most 1440 minutes (a day)."]}
    # Beyond a 32-bit integer the model field's own bound (PostgreSQL) may answer first.
    response = api.post(
        "/api/v1/activities/", {"client": book.north.pk, "duration_minutes": 99999999999999}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["duration_minutes"]
    assert book.north.activities.count() == 1


def test_the_service_refuses_dates_out_of_range(department, book):
    import datetime

    from django.utils import timezone

    with pytest.raises(services.ValidationError) as error:
        services.activity_log(
            by=department.rep_north,
            client=book.north,
            occurred_at=datetime.datetime(1, 1, 1, tzinfo=datetime.UTC),
        )
    assert error.value.message_dict == {"occurred_at": [DATE_RANGE]}
    with pytest.raises(services.ValidationError):
        services.activity_update(
            by=department.rep_north,
            activity=book.north_activity,
            occurred_at=timezone.make_aware(datetime.datetime(1899, 12, 31)),
        )
    assert book.north.activities.count() == 1


def test_the_log_form_refuses_year_one(client, department, book):
    client.force_login(department.rep_north)
    response = client.post(
        reverse("clients:log_activity", args=[book.north.pk]),
        {"kind": "call", "duration_minutes": "5", "occurred_at": "0001-01-01T00:00", "next_title": "x",
         "next_due_date": "0001-01-01"},
    )  # fmt: skip
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert (errors["occurred_at"], errors["next_due_date"]) == ([DATE_RANGE], [DATE_RANGE])
    assert book.north.activities.count() == 1


@pytest.mark.parametrize("bad", [HUGE_ID, "-1", "1; DROP TABLE clients_client", "１２", "0x10"])
def test_the_log_form_refuses_a_contact_or_deal_id_it_cannot_hold(client, department, book, bad):
    """The app's forms choose records through core.filters.BoundedModelChoiceField: an id the
    database cannot hold or that is no number is the form's "not one of the choices"."""
    client.force_login(department.rep_north)
    response = client.post(
        reverse("clients:log_activity", args=[book.north.pk]),
        {"kind": "call", "duration_minutes": "5", "contact": bad, "deal": bad},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["contact"] == errors["deal"] == [CHOICE]
    assert book.north.activities.count() == 1


def test_the_activity_edit_form_refuses_year_one(client, department, book):
    client.force_login(department.rep_north)
    response = client.post(
        reverse("clients:activity_edit", args=[book.north_activity.pk]),
        {"kind": "call", "duration_minutes": "5", "occurred_at": "0001-01-01T00:00"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["occurred_at"] == [DATE_RANGE]


def test_the_api_refuses_year_one(api_as, department, book):
    response = api_as(department.rep_north).post(
        "/api/v1/activities/", {"client": book.north.pk, "occurred_at": YEAR_ONE}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"occurred_at": [DATE_RANGE]}
    assert book.north.activities.count() == 1


# --------------------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/clients/", {"owner": HUGE_ID}),
        ("/api/v1/clients/", {"industry": HUGE_ID}),
        ("/api/v1/clients/", {"territory": "abc"}),
        ("/api/v1/clients/", {"team": HUGE_ID}),
        ("/api/v1/clients/", {"updated_since": YEAR_ONE}),
        ("/api/v1/clients/", {"ordering": "nonsense"}),
        ("/api/v1/clients/", {"updated_since": "2026-01-01T00:00:00+20:00"}),
        ("/api/v1/activities/", {"occurred_before": "2026-01-01T00:00:00-16:00"}),
        ("/api/v1/contacts/", {"client": HUGE_ID}),
        ("/api/v1/contacts/", {"owner": HUGE_ID}),
        ("/api/v1/contacts/", {"client": "1.5"}),
        ("/api/v1/activities/", {"deal": HUGE_ID}),
        ("/api/v1/activities/", {"contact": "-1"}),
        ("/api/v1/activities/", {"owner": HUGE_ID}),
        ("/api/v1/activities/", {"occurred_after": YEAR_ONE}),
        ("/api/v1/activities/", {"occurred_before": "9999-12-31T23:59:59"}),
        ("/api/v1/tasks/", {"due_before": "0001-01-01"}),
        ("/api/v1/tasks/", {"due_after": "9999-12-31"}),
        ("/api/v1/tasks/", {"owner": HUGE_ID}),
        ("/api/v1/tasks/", {"client": "-1"}),
        ("/api/v1/tasks/", {"deal": HUGE_ID}),
        ("/api/v1/tasks/", {"kind": "dance"}),
        ("/api/v1/tasks/", {"status": "maybe"}),
        ("/api/v1/tasks/", {"updated_since": "2026-01-01T00:00:00+20:00"}),
    ],
)
def test_api_filters_with_impossible_values_are_400(api_as, department, book, url, params):
    response = api_as(department.head).get(url, params)
    assert response.status_code == 400, response.content


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("clients:list", {"owner": HUGE_ID}),
        ("clients:list", {"industry": HUGE_ID, "territory": "x"}),
        ("clients:list", {"ordering": "nonsense"}),
        ("clients:list", {"ordering": ","}),
        ("clients:list", {"ordering": ",,name"}),
        ("clients:list", {"updated_since": "2026-01-01T00:00:00+20:00"}),
        ("clients:list", {"page": "999999"}),
        ("clients:list", {"page": "abc"}),
        ("tasks:my_day", {"person": HUGE_ID}),
        ("tasks:my_day", {"page": "999999"}),
        ("tasks:my_day", {"page": "abc", "kind": "nonsense"}),
    ],
)
def test_pages_with_impossible_filters_still_answer(client, department, book, name, params):
    client.force_login(department.head)
    assert client.get(reverse(name), params).status_code == 200


def test_export_with_impossible_filters_is_empty_not_an_error(client, department, book):
    client.force_login(department.head)
    response = client.get(reverse("clients:export", args=["csv"]), {"owner": HUGE_ID})
    assert response.status_code == 200
    assert (
        len(b"".join(response.streaming_content if response.streaming else [response.content]).splitlines())
        == 1
    )


@pytest.mark.parametrize("page", ["999999", "abc", "0", "-1"])
def test_timeline_pages_out_of_range(client, department, book, page):
    client.force_login(department.rep_north)
    assert client.get(reverse("clients:timeline", args=[book.north.pk]), {"page": page}).status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/clients/", "/api/v1/contacts/", "/api/v1/activities/"])
@pytest.mark.parametrize("page", ["999999", "abc"])
def test_api_pages_out_of_range_are_404_not_500(api_as, department, book, url, page):
    assert api_as(department.head).get(url, {"page": page}).status_code == 404


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/clients/"),
        ("patch", "/api/v1/clients/{north}/"),
        ("post", "/api/v1/contacts/"),
        ("post", "/api/v1/activities/"),
        ("post", "/api/v1/clients/{north}/hand-over/"),
    ],
)
def test_malformed_json_is_400(api_as, department, book, method, url):
    before = Client.objects.get(pk=book.north.pk).updated_at
    api = api_as(department.head)
    response = getattr(api, method)(
        url.format(north=book.north.pk), data='{"name": "broken', content_type="application/json"
    )
    assert response.status_code == 400
    assert Client.objects.get(pk=book.north.pk).updated_at == before


# --------------------------------------------------------------------------- import


def test_import_refuses_cells_with_nul_characters(department):
    upload = csv_upload("name,owner,notes\nAc\x00me,,\nBeta,rep_\x00north,fine\nGamma,,no\x00te\n")
    result = services.client_import(by=department.rep_north, file=upload)
    message = "Contains a NUL character (a damaged cell); remove it."
    assert [(issue.row, issue.field, issue.message) for issue in result.errors] == [
        (2, "name", message),
        (3, "owner", message),
        (4, "notes", message),
    ]
    assert Client.objects.count() == 0


def test_import_refuses_nul_characters_through_the_api(api_as, department):
    upload = csv_upload("name,address\nAcme,Main st.\x00\n")
    response = api_as(department.rep_north).post(
        "/api/v1/clients/import/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {"row": 2, "field": "address", "message": "Contains a NUL character (a damaged cell); remove it."}
        ]
    }
    assert Client.objects.count() == 0
