"""POST /api/v1/<list>/bulk/ refuses a malformed request as a whole with a 400 that says
what is wrong, and changes nothing; the client, task and alert lists' actions work through
their services."""

import datetime

import pytest

from clients.models import Client, Task, TaskStatus
from core.bulk import MAX_IDS
from tests.factories import ClientFactory, TaskFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/clients/bulk/"


@pytest.fixture
def clients(department):
    return [ClientFactory(owner=department.rep_north, tier="C") for _ in range(2)]


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        (
            {"ids": [1], "action": "explode"},
            "action",
            "Unknown action; choose one of: reassign, set_tier, set_status, export.",
        ),
        ({"ids": [], "action": "set_tier", "params": {"tier": "A"}}, "ids", "Select at least one row."),
        (
            {"ids": ["1"], "action": "set_tier", "params": {"tier": "A"}},
            "ids",
            "Every id must be a positive whole number; '1' is not.",
        ),
        (
            {"ids": [True], "action": "set_tier", "params": {"tier": "A"}},
            "ids",
            "Every id must be a positive whole number; True is not.",
        ),
        (
            {"ids": [2**70], "action": "set_tier", "params": {"tier": "A"}},
            "ids",
            f"Every id must be a positive whole number; {2**70} is not.",
        ),
        (
            {"ids": 5, "action": "set_tier", "params": {"tier": "A"}},
            "ids",
            "Send the ids as a list of whole numbers.",
        ),
        (
            {"ids": list(range(1, MAX_IDS + 2)), "action": "set_tier", "params": {"tier": "A"}},
            "ids",
            "At most 10000 rows at a time (10001 sent).",
        ),
        (
            {"action": "set_tier", "params": {"tier": "A"}},
            "non_field_errors",
            "Send either ids or filter, not both and not neither.",
        ),
        (
            {"ids": [1], "filter": {}, "action": "set_tier", "params": {"tier": "A"}},
            "non_field_errors",
            "Send either ids or filter, not both and not neither.",
        ),
        (
            {"ids": [1], "action": "set_tier", "params": {"tier": "A"}, "extra": 1},
            "non_field_errors",
            "Unknown field: extra.",
        ),
        (
            {"filter": {"status": {"a": {"b": [1]}}}, "action": "set_tier", "params": {"tier": "A"}},
            "filter",
            "The filter status takes a value or a short list of values.",
        ),
        (
            {"filter": [1, 2], "action": "set_tier", "params": {"tier": "A"}},
            "filter",
            "Send the filter as an object of the list's query parameters.",
        ),
        ({"ids": [1], "action": "set_tier", "params": {"tier": "Z"}}, "params", None),
        (
            {"ids": [1], "action": "set_tier", "params": {"tier": "A", "colour": "red"}},
            "params",
            "Unknown parameter: colour.",
        ),
        ({"ids": [1], "action": "set_tier", "params": [1]}, "params", "Send the parameters as an object."),
    ],
)
def test_a_malformed_request_is_a_400_that_says_why(department, clients, api_as, body, key, message):
    response = api_as(department.head).post(URL, body, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()[key]
    if message is not None:
        assert errors == [message]
    assert list(Client.objects.order_by("pk").values_list("tier", flat=True)) == ["C", "C"]


def test_a_json_array_body_is_a_400(department, api_as):
    response = api_as(department.head).post(URL, [1, 2], format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Send a JSON object with ids or filter, action and params."]
    }


def test_an_unknown_filter_key_is_named(department, clients, api_as):
    response = api_as(department.head).post(
        URL, {"filter": {"colour": "red"}, "action": "set_tier", "params": {"tier": "A"}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["filter"][0].startswith("Unknown filter: colour. Known: ")


def test_a_hidden_id_reads_like_a_missing_one(department, clients, api_as):
    hidden = ClientFactory(owner=department.rep_south)
    missing = hidden.pk + 1000
    response = api_as(department.rep_north).post(
        URL,
        {"ids": [clients[0].pk, hidden.pk, missing], "action": "set_tier", "params": {"tier": "A"}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["refused"] == {
        str(hidden.pk): "No such record, or one you may not see.",
        str(missing): "No such record, or one you may not see.",
    }
    assert Client.objects.get(pk=clients[0].pk).tier == "C"


def test_a_rep_is_not_offered_reassigning(department, clients, api_as):
    response = api_as(department.rep_north).post(
        URL,
        {"ids": [clients[0].pk], "action": "reassign", "params": {"owner": department.rep_north_2.pk}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"action": ["Unknown action; choose one of: set_tier, set_status, export."]}


def test_a_lead_may_not_give_clients_outside_the_team(department, clients, api_as):
    response = api_as(department.lead_north).post(
        URL,
        {"ids": [clients[0].pk], "action": "reassign", "params": {"owner": department.rep_south.pk}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"params": {"owner": ["Choose an active person you may see."]}}


def test_clients_tier_status_and_owner(department, clients, api_as):
    api = api_as(department.lead_north)
    ids = [client.pk for client in clients]
    for action, params in [
        ("set_tier", {"tier": "A"}),
        ("set_status", {"status": "prospect"}),
        ("reassign", {"owner": department.rep_north_2.pk}),
    ]:
        response = api.post(URL, {"ids": ids, "action": action, "params": params}, format="json")
        assert response.status_code == 200, response.content
    assert list(Client.objects.order_by("pk").values_list("tier", "status", "owner__username")) == [
        ("A", "prospect", "rep_north_2"),
        ("A", "prospect", "rep_north_2"),
    ]


def test_export_of_the_selection_uses_the_lists_columns(department, clients, api_as):
    other = ClientFactory(owner=department.rep_north, name="Not selected")
    response = api_as(department.rep_north).post(
        URL, {"ids": [clients[0].pk], "action": "export", "params": {"format": "csv"}}, format="json"
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Name,Legal name,Tax id,")
    assert len(lines) == 2 and lines[1].startswith(clients[0].name + ",")
    assert other.name not in text


def test_tasks_complete_reschedule_and_reassign(department, api_as):
    client = ClientFactory(owner=department.rep_north)
    tasks = [TaskFactory(client=client, kind="todo") for _ in range(2)]
    api = api_as(department.lead_north)
    ids = [task.pk for task in tasks]
    response = api.post(
        "/api/v1/tasks/bulk/",
        {"ids": ids, "action": "reschedule", "params": {"due_date": "2027-01-05"}},
        format="json",
    )
    assert response.status_code == 200, response.content
    response = api.post(
        "/api/v1/tasks/bulk/",
        {"ids": ids, "action": "reassign", "params": {"owner": department.lead_north.pk}},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert list(Task.objects.order_by("pk").values_list("due_date", "owner__username")) == [
        (datetime.date(2027, 1, 5), "lead_north"),
        (datetime.date(2027, 1, 5), "lead_north"),
    ]
    response = api.post(
        "/api/v1/tasks/bulk/", {"ids": ids, "action": "complete", "params": {}}, format="json"
    )
    assert response.status_code == 200, response.content
    assert list(Task.objects.values_list("status", flat=True)) == [TaskStatus.DONE, TaskStatus.DONE]


def test_a_call_without_an_outcome_refuses_the_batch(department, api_as):
    client = ClientFactory(owner=department.rep_north)
    todo, call = TaskFactory(client=client, kind="todo"), TaskFactory(client=client, kind="call")
    response = api_as(department.rep_north).post(
        "/api/v1/tasks/bulk/", {"ids": [todo.pk, call.pk], "action": "complete"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["refused"] == {str(call.pk): "Say how it went."}
    assert list(Task.objects.values_list("status", flat=True).order_by("pk")) == [
        TaskStatus.OPEN,
        TaskStatus.OPEN,
    ]
