"""The published schema says what the API answers: the error statuses every operation can
return, and null / blank where a response can carry them (each found by schema fuzzing,
tests/core/test_api_fuzz.py)."""

import pytest

from core.schema import ERROR_RESPONSES, WRITE_METHODS
from reports.models import ReportKind
from tests.openapi import openapi_document


@pytest.fixture(scope="module")
def schema():
    return openapi_document()


def component(schema, name):
    return schema["components"]["schemas"][name]


def is_nullable(prop) -> bool:
    if prop.get("nullable"):
        return True
    return any(option.get("nullable") for option in prop.get("oneOf", []) + prop.get("allOf", []))


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield path, method, operation


def test_every_operation_documents_the_error_statuses(schema):
    assert "Error" in schema["components"]["schemas"]
    missing = []
    for path, method, operation in operations(schema):
        for status, (_description, applies) in ERROR_RESPONSES.items():
            if applies == "write" and method not in WRITE_METHODS:
                continue
            if status not in operation["responses"]:
                missing.append(f"{method.upper()} {path} {status}")
    assert not missing
    # The token endpoint keeps its own documented 400 body.
    token = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert token["400"]["content"]["application/json"]["schema"]["$ref"] != "#/components/schemas/Error"


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("User", "team"),  # a user without a team
        ("OverdueAlert", "acknowledged_by"),  # an alert nobody acknowledged
        ("ReportRun", "triggered_by"),  # a run the schedule started
        ("ConversionReport", "team"),  # a department-level row
        ("ConversionReport", "rep"),
        ("BoardDeal", "expected_close"),  # a deal without an expected close
        ("Client", "territory_name"),  # a client without a territory
        ("Client", "industry_name"),
        ("ClientDetail", "territory_name"),
        ("Norm", "user_name"),  # a role-wide norm
        ("Contract", "reviewed_by_name"),  # a contract not yet reviewed
    ],
)
def test_fields_that_can_be_null_are_published_nullable(schema, name, field):
    assert is_nullable(component(schema, name)["properties"][field])


def test_a_plan_not_yet_decomposed_may_have_a_blank_month_method(schema):
    prop = component(schema, "Plan")["properties"]["month_method"]
    refs = [option["$ref"].rsplit("/", 1)[1] for option in prop["oneOf"]]
    assert "BlankEnum" in refs


def test_starting_report_runs_answers_a_plain_array(schema):
    created = schema["paths"]["/api/v1/report-runs/"]["post"]["responses"]["202"]
    body = created["content"]["application/json"]["schema"]
    assert body == {"type": "array", "items": {"$ref": "#/components/schemas/ReportRun"}}


@pytest.mark.django_db
def test_report_runs_answer_matches_the_schema(department, api_as):
    response = api_as(department.head).post(
        "/api/v1/report-runs/", {"kinds": [ReportKind.values[0]]}, format="json"
    )
    assert response.status_code == 202
    assert isinstance(response.json(), list)
    assert response.json()[0]["triggered_by"]["id"] == department.head.pk


@pytest.mark.django_db
def test_a_user_without_a_team_reads_as_team_null(department, api_as):
    response = api_as(department.head).get(f"/api/v1/users/{department.rep_without_team.pk}/")
    assert response.status_code == 200
    assert response.json()["team"] is None


def test_the_error_body_may_be_a_list_of_messages(schema):
    kinds = [option["type"] for option in component(schema, "Error")["oneOf"]]
    assert kinds == ["object", "array"]


@pytest.mark.django_db
def test_a_search_with_a_null_character_answers_a_documented_list(department, api_as):
    response = api_as(department.head).get("/api/v1/stages/", {"search": "a\x00b"})
    assert response.status_code == 400
    assert isinstance(response.json(), list)


def test_the_token_endpoint_documents_field_and_parse_errors(schema):
    error = component(schema, "SignInError")
    assert set(error["properties"]) == {"non_field_errors", "username", "password", "detail"}
    assert not error.get("required")


@pytest.mark.django_db
def test_the_token_endpoint_answers_a_field_error_for_a_bad_password(api_client):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "someone", "password": "a\x00b"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) <= {"non_field_errors", "username", "password", "detail"}
