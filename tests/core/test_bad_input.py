"""Bad input shared by every app — datetime filters, ordering, JSON bodies — is a form error
or a 400 / 413 with a JSON message, never a 500 (issue 11, "Server errors")."""

import pytest
from django.test import override_settings
from django.urls import reverse

from clients.models import Client
from core.ordering import ordering_terms, parse_ordering, unknown_ordering_terms
from core.parsers import json_too_deep
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

OFFSET_TOO_LARGE = "2026-01-01T00:00:00+20:00"
OFFSET_MESSAGE = "Enter a time zone offset between -15:59 and +15:59."
EMPTY_ORDERINGS = [",", ",,updated", "-", "updated,,", " , - ,"]


# --------------------------------------------------------------------------- UTC offsets


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/clients/", "updated_since"),
        ("/api/v1/contacts/", "updated_since"),
        ("/api/v1/activities/", "updated_since"),
        ("/api/v1/activities/", "occurred_after"),
        ("/api/v1/deals/", "updated_since"),
        ("/api/v1/installments/", "updated_since"),
        ("/api/v1/alerts/", "updated_since"),
    ],
)
def test_a_utc_offset_beyond_15_59_is_a_400_naming_the_filter(api_as, department, url, name):
    response = api_as(department.head).get(url, {name: OFFSET_TOO_LARGE})
    assert response.status_code == 400, response.content
    assert response.json() == {name: [OFFSET_MESSAGE]}


@pytest.mark.parametrize("offset", ["+15:59", "-15:59", "+05:30", "Z"])
def test_offsets_a_database_stores_are_accepted(api_as, department, offset):
    ClientFactory(name="Kept", owner=department.rep_north)
    response = api_as(department.head).get(
        "/api/v1/clients/", {"updated_since": f"2000-01-01T00:00:00{offset}"}
    )
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["Kept"]


@pytest.mark.parametrize("page", ["clients:list", "deals:list", "deals:kanban"])
def test_a_utc_offset_beyond_15_59_is_a_form_error_on_the_pages(client, department, page):
    ClientFactory(name="Hidden by the error", owner=department.rep_north)
    client.force_login(department.head)
    response = client.get(reverse(page), {"updated_since": OFFSET_TOO_LARGE})
    assert response.status_code == 200
    assert "Hidden by the error" not in response.content.decode()


# --------------------------------------------------------------------------- ordering


def test_the_shared_parser_drops_empty_malformed_and_unknown_terms():
    assert ordering_terms(",, name , -,") == ["name"]
    assert ordering_terms(None) == []
    assert ordering_terms(["name,-tier", ""]) == ["name", "-tier"]
    assert parse_ordering(",", ["name"]) == []
    assert parse_ordering(",,name", ["name"]) == ["name"]
    assert parse_ordering("-", ["name"]) == []
    assert parse_ordering("nonexistent,-name,name", ["name"]) == ["-name"]
    assert parse_ordering("--name,name.,na me,-tier", ["name", "tier"]) == ["-tier"]
    assert parse_ordering("-owner,name", {"owner": "owner__last_name", "name": "name"}) == [
        "-owner__last_name",
        "name",
    ]
    assert unknown_ordering_terms(",nonexistent,-name,--name", ["name"]) == ["nonexistent", "--name"]


@pytest.mark.parametrize("value", EMPTY_ORDERINGS)
@pytest.mark.parametrize("url", ["/api/v1/clients/", "/api/v1/contacts/", "/api/v1/activities/"])
def test_empty_ordering_terms_are_dropped_on_the_client_apis(api_as, department, url, value):
    response = api_as(department.head).get(url, {"ordering": value})
    assert response.status_code == 200, response.content


def test_empty_terms_keep_the_named_order(api_as, department):
    for name in ("Beta", "Alpha", "Gamma"):
        ClientFactory(name=name, owner=department.rep_north)
    api = api_as(department.head)
    rows = api.get("/api/v1/clients/", {"ordering": ",,-name,"}).json()["results"]
    assert [row["name"] for row in rows] == ["Gamma", "Beta", "Alpha"]


@pytest.mark.parametrize("value", ["nonexistent", "--name", "name."])
def test_an_unknown_client_ordering_stays_a_400(api_as, department, value):
    response = api_as(department.head).get("/api/v1/clients/", {"ordering": value})
    assert response.status_code == 400
    assert list(response.json()) == ["ordering"]


@pytest.mark.parametrize("value", [*EMPTY_ORDERINGS, "nonexistent", "--amount", "amount.", "-amount,,"])
@pytest.mark.parametrize(
    "url", ["/api/v1/deals/", "/api/v1/installments/", "/api/v1/users/", "/api/v1/alerts/"]
)
def test_drf_orderings_drop_empty_and_unknown_terms(api_as, department, url, value):
    response = api_as(department.head).get(url, {"ordering": value})
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("value", [*EMPTY_ORDERINGS, "nonexistent"])
def test_the_client_list_page_and_exports_survive_odd_orderings(client, department, value):
    ClientFactory(name="Listed", owner=department.rep_north)
    client.force_login(department.head)
    assert client.get(reverse("clients:list"), {"ordering": value}).status_code == 200
    response = client.get(reverse("clients:export", args=["csv"]), {"ordering": value})
    assert response.status_code == 200
    body = b"".join(response.streaming_content if response.streaming else [response.content]).decode(
        "utf-8-sig"
    )
    rows = body.splitlines()
    assert rows[0].startswith("Name,")
    # Empty terms and an unknown field order as no term at all (the list's table ignores them).
    assert len(rows) == 2
    assert client.get(reverse("clients:export", args=["xlsx"]), {"ordering": value}).status_code == 200


# --------------------------------------------------------------------------- JSON depth


def test_the_depth_check_ignores_brackets_in_strings():
    assert not json_too_deep('{"a": "[[[[[[[[", "b": [[1]]}', 3)
    assert json_too_deep("[[[[1]]]]", 3)
    assert not json_too_deep("[[[1]]]", 3)
    assert not json_too_deep(r'["\"[[[[[[\\", [1]]', 2)


def test_deeply_nested_json_is_a_400_at_the_anonymous_token_endpoint(api_client, department):
    body = "[" * 1000 + "]" * 1000
    response = api_client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON parse error - the data is nested more than 64 levels deep."}


def test_deeply_nested_json_is_a_400_on_an_authenticated_endpoint(api_as, department):
    body = '{"name": "Deep", "notes": ' + "{}".join(["[" * 70, "]" * 70]) + "}"
    response = api_as(department.head).post("/api/v1/clients/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested more than 64 levels" in response.json()["detail"]
    assert not Client.objects.filter(name="Deep").exists()


@override_settings(API_JSON_MAX_DEPTH=3)
def test_the_depth_limit_is_a_setting(api_as, department):
    api = api_as(department.head)
    response = api.post("/api/v1/clients/", '{"name": [[["x"]]]}', content_type="application/json")
    assert response.json() == {"detail": "JSON parse error - the data is nested more than 3 levels deep."}
    response = api.post("/api/v1/clients/", '{"name": [["x"]]}', content_type="application/json")
    assert response.status_code == 400
    assert "detail" not in response.json()  # parsed; the serializer answers about the field


def test_ordinary_json_still_parses(api_client, department):
    department.rep_north.set_password("a long enough password")
    department.rep_north.save()
    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": "rep_north", "password": "a long enough password"},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/clients/").status_code == 200


def test_invalid_json_constants_are_still_refused(api_client, department):
    response = api_client.post("/api/v1/auth/token/", '{"username": NaN}', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


# --------------------------------------------------------------------------- body size


def test_a_body_over_the_upload_limit_is_a_json_413(api_client, department):
    body = '{"username": "%s", "password": "x"}' % ("x" * 2_700_000)
    response = api_client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The request body is larger than 2621440 bytes."}


def test_an_authenticated_body_over_the_limit_is_a_json_413_and_writes_nothing(api_as, department):
    body = '{"name": "Huge", "notes": "%s"}' % ("x" * 2_700_000)
    response = api_as(department.head).post("/api/v1/clients/", body, content_type="application/json")
    assert response.status_code == 413
    assert "detail" in response.json()
    assert not Client.objects.filter(name="Huge").exists()
