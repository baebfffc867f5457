"""Saved views: a list's filters and sort under a name, as tabs above the list and as
``?view=<id>`` on its API list; private, or shared by a lead with the team or by the head with
the department."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import SavedView, ViewScope
from accounts.saved_views import saved_view_create
from clients.models import ClientStatus
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(department):
    rep = department.rep_north
    return {
        "lead_a": ClientFactory(owner=rep, name="Alpha lead", status=ClientStatus.LEAD),
        "lead_b": ClientFactory(owner=rep, name="Beta lead", status=ClientStatus.LEAD),
        "customer": ClientFactory(owner=rep, name="Gamma customer", status=ClientStatus.CUSTOMER),
    }


def test_saving_keeps_the_filters_not_the_page_and_opens_the_view(client, department, book):
    client.force_login(department.rep_north)
    response = client.post(
        "/accounts/views/",
        {"list_key": "clients", "name": "My leads", "query": "status=lead&page=3&ordering=-name&search="},
    )
    view = SavedView.objects.get()
    assert (view.owner, view.list_key, view.query, view.scope) == (
        department.rep_north,
        "clients",
        "ordering=-name&status=lead",
        ViewScope.PRIVATE,
    )
    assert response.status_code == 302
    assert response["Location"] == f"/clients/?ordering=-name&status=lead&view={view.pk}"
    page = client.get(response["Location"]).content.decode()
    assert 'aria-current="page" title="Only you see this view">My leads</a>' in page
    assert "Beta lead" in page and "Alpha lead" in page and "Gamma customer" not in page
    assert page.index("Beta lead") < page.index("Alpha lead")  # sorted by name, descending


def test_the_api_applies_a_view_and_the_request_overrides_it(api_as, department, book):
    view = saved_view_create(by=department.rep_north, list_key="clients", name="Leads", query="status=lead")
    api = api_as(department.rep_north)
    names = lambda response: sorted(row["name"] for row in response.json()["results"])  # noqa: E731
    assert names(api.get("/api/v1/clients/", {"view": view.pk})) == ["Alpha lead", "Beta lead"]
    assert names(api.get("/api/v1/clients/", {"view": view.pk, "status": "customer"})) == ["Gamma customer"]


@pytest.mark.parametrize("value", ["abc", "-1", "99999999", "1" * 40, ""])
def test_an_unknown_view_is_a_400(api_as, department, value):
    response = api_as(department.rep_north).get("/api/v1/clients/", {"view": value})
    assert response.status_code == 400
    assert list(response.json()) == ["view"]


def test_a_view_of_another_list_or_another_persons_private_view_is_a_400(api_as, department):
    deals_view = saved_view_create(by=department.rep_north, list_key="deals", name="Mine", query="")
    private = saved_view_create(by=department.rep_north_2, list_key="clients", name="Theirs", query="")
    api = api_as(department.rep_north)
    assert api.get("/api/v1/clients/", {"view": deals_view.pk}).status_code == 400
    assert api.get("/api/v1/clients/", {"view": private.pk}).status_code == 400


def test_sharing_follows_the_role(client, department):
    lead_view = saved_view_create(
        by=department.lead_north, list_key="clients", name="Team leads", query="status=lead", scope="team"
    )
    head_view = saved_view_create(
        by=department.head, list_key="clients", name="Everyone's", query="", scope="department"
    )
    assert lead_view.team == department.north

    def tabs(user) -> set[str]:
        return set(SavedView.objects.available_to(user).values_list("name", flat=True))

    assert tabs(department.rep_north) == {"Team leads", "Everyone's"}
    assert tabs(department.rep_south) == {"Everyone's"}
    client.force_login(department.rep_north)
    page = client.get("/clients/").content.decode()
    assert "Team leads" in page and "Everyone&#x27;s" in page
    # A rep may not share; nothing is saved and the list says why.
    response = client.post(
        "/accounts/views/",
        {"list_key": "clients", "name": "Shared?", "query": "", "scope": "team"},
        follow=True,
    )
    assert "You may not share views that widely." in response.content.decode()
    assert SavedView.objects.filter(name="Shared?").count() == 0
    assert head_view.pk


@pytest.mark.parametrize(
    "data, field",
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 61}, "name"),
        ({"list_key": "payroll"}, "list_key"),
        ({"query": "a=" + "b" * 2100}, "query"),
        ({"scope": "galaxy"}, "scope"),
        ({"scope": "department"}, "scope"),
    ],
)
def test_bad_input_saves_nothing(department, data, field):
    from django.core.exceptions import ValidationError

    values = {"list_key": "clients", "name": "ok", "query": "status=lead", "scope": "private", **data}
    with pytest.raises(ValidationError) as refused:
        saved_view_create(by=department.lead_north, **values)
    assert field in refused.value.message_dict
    assert SavedView.objects.count() == 0


def test_the_same_name_twice_is_refused(department):
    from django.core.exceptions import ValidationError

    saved_view_create(by=department.rep_north, list_key="clients", name="Mine", query="")
    with pytest.raises(ValidationError) as refused:
        saved_view_create(by=department.rep_north, list_key="clients", name="Mine", query="status=lead")
    assert refused.value.message_dict == {"name": ["You already have a view of this list with that name."]}


def test_a_name_with_a_null_character_is_refused(client, department):
    """Every form field refuses it; the saved views' name stored it (and PostgreSQL cannot)."""
    client.force_login(department.rep_north)
    data = {"list_key": "clients", "name": "nul\x00name", "query": "status=lead", "next": "/clients/"}
    response = client.post("/accounts/views/", data, follow=True)
    assert response.redirect_chain == [("/clients/", 302)]  # back to the list, with the message
    assert [str(message) for message in response.context["messages"]] == ["Null characters are not allowed."]
    assert SavedView.objects.count() == 0


def test_deleting(client, department):
    mine = saved_view_create(by=department.rep_north, list_key="deals", name="Mine", query="")
    theirs = saved_view_create(by=department.rep_north_2, list_key="deals", name="Theirs", query="")
    shared = saved_view_create(
        by=department.lead_north, list_key="deals", name="Team", query="", scope="team"
    )
    client.force_login(department.rep_north)
    assert client.post(f"/accounts/views/{theirs.pk}/delete/").status_code == 404
    assert client.post(f"/accounts/views/{shared.pk}/delete/").status_code == 403
    assert client.post(f"/accounts/views/{mine.pk}/delete/").status_code == 302
    client.force_login(department.head)
    assert client.post(f"/accounts/views/{shared.pk}/delete/").status_code == 404  # not shared with the head
    assert set(SavedView.objects.values_list("name", flat=True)) == {"Theirs", "Team"}


def test_the_tabs_cost_one_query_however_many_views(client, department, book):
    client.force_login(department.rep_north)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/clients/")
        assert response.status_code == 200
        return len(queries)

    saved_view_create(by=department.rep_north, list_key="clients", name="v0", query="")
    one = count()
    for number in range(1, 12):
        saved_view_create(by=department.rep_north, list_key="clients", name=f"v{number}", query="status=lead")
    assert count() == one
