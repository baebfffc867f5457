"""GET /api/v1/users/ and /api/v1/teams/, the schema and the docs."""

import pytest
from django.utils import timezone

from accounts.models import User
from tests.factories import UserFactory
from tests.pages import off_site_assets

pytestmark = pytest.mark.django_db


def measured(django_assert_num_queries, queries: int, request, shown, rows) -> None:
    """The request answers 200 in `queries` queries and shows `rows` (as `shown` counts them):
    an error or an empty answer would run few queries too."""
    with django_assert_num_queries(queries):
        response = request()
    assert response.status_code == 200, response.content
    assert shown(response) == rows


NORTH_PEOPLE = {"lead_north", "rep_north", "rep_north_2", "sdr_north", "assistant_north"}
EVERYONE_ACTIVE = NORTH_PEOPLE | {
    "head",
    "analyst",
    "lead_south",
    "lead_without_team",
    "rep_south",
    "rep_without_team",
    "am_south",
    "assistant_without_team",
}

USERS_SEEN = {
    "head": EVERYONE_ACTIVE,
    "analyst": EVERYONE_ACTIVE,
    "lead_north": NORTH_PEOPLE,
    "rep_north": NORTH_PEOPLE,
    "assistant_north": NORTH_PEOPLE,
    "rep_south": {"lead_south", "rep_south", "am_south"},
    "rep_without_team": {"rep_without_team"},
    "lead_without_team": {"lead_without_team"},
}

TEAMS_SEEN = {
    "head": {"North", "South"},
    "analyst": {"North", "South"},
    "lead_north": {"North"},
    "rep_south": {"South"},
    "rep_without_team": set(),
    "assistant_without_team": set(),
}


@pytest.mark.parametrize("viewer", sorted(USERS_SEEN))
def test_users_list_is_scoped_by_visibility(department, api_as, viewer):
    response = api_as(getattr(department, viewer)).get("/api/v1/users/", {"page_size": 100})
    assert response.status_code == 200
    assert {row["username"] for row in response.json()["results"]} == USERS_SEEN[viewer]


def test_user_row_has_the_documented_fields(department, api_as):
    response = api_as(department.head).get("/api/v1/users/", {"search": "rep_north_2"})
    row = response.json()["results"][0]
    rep = department.rep_north_2
    assert row == {
        "id": rep.pk,
        "username": "rep_north_2",
        "full_name": rep.get_full_name(),
        "first_name": rep.first_name,
        "last_name": rep.last_name,
        "email": "rep_north_2@example.com",
        "role": "rep",
        "team": {"id": department.north.pk, "name": "North"},
        "updated_at": row["updated_at"],
    }


def test_a_user_outside_the_scope_answers_404(department, api_as):
    response = api_as(department.rep_north).get(f"/api/v1/users/{department.rep_south.pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("viewer", sorted(TEAMS_SEEN))
def test_teams_list_is_scoped_by_visibility(department, api_as, viewer):
    response = api_as(getattr(department, viewer)).get("/api/v1/teams/")
    assert {row["name"] for row in response.json()["results"]} == TEAMS_SEEN[viewer]


def test_team_row_names_its_lead(department, api_as):
    response = api_as(department.lead_north).get("/api/v1/teams/")
    assert response.json()["results"] == [
        {
            "id": department.north.pk,
            "name": "North",
            "lead": department.lead_north.pk,
            "lead_name": department.lead_north.get_full_name(),
            "updated_at": response.json()["results"][0]["updated_at"],
        }
    ]


def test_users_filter_by_role_and_team(department, api_as):
    client = api_as(department.head)
    by_role = client.get("/api/v1/users/", {"role": "lead"}).json()["results"]
    assert {row["username"] for row in by_role} == {"lead_north", "lead_south", "lead_without_team"}
    by_team = client.get("/api/v1/users/", {"team": department.south.pk}).json()["results"]
    assert {row["username"] for row in by_team} == {"lead_south", "rep_south", "am_south"}


def test_users_ordering(department, api_as):
    rows = api_as(department.head).get("/api/v1/users/", {"ordering": "-username", "page_size": 3}).json()
    assert [row["username"] for row in rows["results"]] == ["sdr_north", "rep_without_team", "rep_south"]


def test_updated_since_returns_only_newer_rows(department, api_as):
    cutoff = timezone.now()
    User.objects.filter(pk=department.rep_north.pk).update(updated_at=cutoff + timezone.timedelta(seconds=5))
    User.objects.exclude(pk=department.rep_north.pk).update(updated_at=cutoff - timezone.timedelta(days=1))
    response = api_as(department.head).get("/api/v1/users/", {"updated_since": cutoff.isoformat()})
    assert [row["username"] for row in response.json()["results"]] == ["rep_north"]


def test_bad_updated_since_is_a_400_with_a_field_message(department, api_as):
    response = api_as(department.head).get("/api/v1/users/", {"updated_since": "yesterday"})
    assert response.status_code == 400
    assert list(response.json()) == ["updated_since"]


def test_pagination_uses_page_and_capped_page_size(department, api_as, settings):
    settings.API_MAX_PAGE_SIZE = 4
    client = api_as(department.head)
    first = client.get("/api/v1/users/", {"page_size": 1000}).json()
    assert first["count"] == len(EVERYONE_ACTIVE)
    assert len(first["results"]) == 4
    second = client.get("/api/v1/users/", {"page_size": 4, "page": 2}).json()
    assert len(second["results"]) == 4
    assert {row["id"] for row in first["results"]}.isdisjoint({row["id"] for row in second["results"]})
    assert client.get("/api/v1/users/", {"page": 99}).status_code == 404


def test_users_list_runs_a_constant_number_of_queries(department, api_as, django_assert_num_queries):
    client = api_as(department.head)

    def users(page_size: int):
        return lambda: client.get("/api/v1/users/", {"page_size": page_size})

    def count_and_page(response) -> tuple[int, int]:
        return response.json()["count"], len(response.json()["results"])

    # token lookup, count, page
    measured(django_assert_num_queries, 3, users(2), count_and_page, (len(EVERYONE_ACTIVE), 2))
    measured(django_assert_num_queries, 3, users(100), count_and_page, (13, 13))
    UserFactory.create_batch(30, team=department.north)
    measured(django_assert_num_queries, 3, users(100), count_and_page, (43, 43))


def test_schema_is_a_valid_openapi_3_document(department, api_as):
    from drf_spectacular.validation import validate_schema

    response = api_as(department.head).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    assert "/api/v1/users/" in schema["paths"]
    assert "/api/v1/auth/token/" in schema["paths"]


def test_docs_are_served_without_any_cdn(department, client):
    client.force_login(department.head)
    response = client.get("/api/docs/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert off_site_assets(page) == []
    asset = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert asset.status_code == 200


def test_schema_generates_without_warnings(tmp_path):
    """Every endpoint documents its request and response and no enum names collide."""
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert target.read_text().startswith("openapi: 3.")
