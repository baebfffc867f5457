"""Client requests and complaints: logging (due by from the per-kind response time), the
status moves, satisfaction when resolved, visibility, the pages, the client page's panel,
the API; the nightly run's open/overdue figures and the renewal list's complaint marking."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import ClientRequest, RequestStatus
from documents.services import request_create, request_move
from reports.models import RenewalReport
from reports.selectors import not_renewed_deals
from reports.services.common import Month
from reports.services.renewal import renewal_compute
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(department):
    return ClientFactory(owner=department.rep_north, name="Kazan Steel")


def test_a_complaint_is_due_within_its_response_time(department, customer, settings):
    settings.CLIENT_REQUEST_RESPONSE_HOURS = {"complaint": 8, "question": 24}
    before = timezone.now()
    item = request_create(
        by=department.rep_north, client=customer, kind="complaint", description="Late delivery"
    )
    assert (item.owner, item.status, item.priority) == (department.rep_north, "open", "normal")
    assert before + datetime.timedelta(hours=8) <= item.due_by <= timezone.now() + datetime.timedelta(hours=8)
    question = request_create(by=department.rep_north, client=customer, kind="question", description="Price?")
    assert question.due_by - question.created_at > datetime.timedelta(hours=23)


def test_the_status_moves_and_satisfaction(department, customer, api_as):
    api = api_as(department.rep_north)
    created = api.post(
        "/api/v1/client-requests/",
        {"client": customer.pk, "kind": "return", "description": "Broken unit", "priority": "high"},
    )
    assert created.status_code == 201, created.content
    item_id = created.json()["id"]
    move = f"/api/v1/client-requests/{item_id}/move/"
    assert api.post(move, {"status": "in_progress", "satisfaction": 4}).json() == {
        "satisfaction": ["The client's satisfaction is recorded when the request is resolved."]
    }
    assert api.post(move, {"status": "in_progress"}).json()["status"] == "in_progress"
    assert api.post(move, {"status": "rejected"}).json() == {
        "resolution": ["Say why the request is rejected."]
    }
    assert api.post(move, {"status": "resolved", "satisfaction": 9}).status_code == 400
    resolved = api.post(move, {"status": "resolved", "satisfaction": 5, "resolution": "Replaced"}).json()
    assert (resolved["status"], resolved["satisfaction"], resolved["resolution"]) == (
        "resolved",
        5,
        "Replaced",
    )
    assert resolved["closed_at"] is not None
    again = api.post(move, {"status": "in_progress"})
    assert again.json() == {"status": ["A request that is “Resolved” cannot become “In progress”."]}


def test_visibility_and_refusals(department, customer, api_as):
    item = request_create(by=department.rep_north, client=customer, kind="question", description="Q")
    assert api_as(department.rep_south).get(f"/api/v1/client-requests/{item.pk}/").status_code == 404
    assert api_as(department.lead_north).get(f"/api/v1/client-requests/{item.pk}/").status_code == 200
    refused = api_as(department.rep_south).post(
        "/api/v1/client-requests/", {"client": customer.pk, "kind": "question", "description": "x"}
    )
    assert refused.status_code == 400 and list(refused.json()) == ["client"]
    assert (
        api_as(department.analyst)
        .post(f"/api/v1/client-requests/{item.pk}/move/", {"status": "in_progress"})
        .status_code
        == 403
    )
    bad = api_as(department.rep_north).post(
        "/api/v1/client-requests/", {"client": customer.pk, "kind": "gossip", "description": ""}
    )
    assert bad.status_code == 400 and set(bad.json()) == {"kind", "description"}
    assert ClientRequest.objects.count() == 1


def test_a_deal_of_another_client_is_refused(department, customer, stages):
    from tests.deals.conftest import make_deal

    other = make_deal(department.rep_north)
    with pytest.raises(Exception) as error:
        request_create(by=department.rep_north, client=customer, kind="question", description="Q", deal=other)
    assert error.value.message_dict == {"deal": ["Choose a deal of this client."]}


def test_pages_log_and_move_a_request_and_the_client_page_shows_it(department, customer, client):
    client.force_login(department.rep_north)
    form = client.get(reverse("documents:request_create", args=[customer.pk]))
    assert form.status_code == 200
    response = client.post(
        reverse("documents:request_create", args=[customer.pk]),
        {"kind": "complaint", "priority": "urgent", "description": "Invoice twice"},
    )
    item = ClientRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "documents:request_detail", args=[item.pk]
    )
    panel = client.get(reverse("documents:client_requests", args=[customer.pk])).content.decode()
    assert "Invoice twice" in panel and "1 open request" in panel
    detail = client.get(reverse("clients:detail", args=[customer.pk])).content.decode()
    assert reverse("documents:client_requests", args=[customer.pk]) in detail
    bad = client.post(reverse("documents:request_move", args=[item.pk]), {"status": "rejected"})
    assert bad.status_code == 400 and "Say why the request is rejected." in bad.content.decode()
    client.post(
        reverse("documents:request_move", args=[item.pk]), {"status": "resolved", "satisfaction": "3"}
    )
    item.refresh_from_db()
    assert (item.status, item.satisfaction) == ("resolved", 3)
    client.force_login(department.rep_south)
    assert client.get(reverse("documents:request_detail", args=[item.pk])).status_code == 404
    assert client.get(reverse("documents:client_requests", args=[customer.pk])).status_code == 404


def test_the_list_filters_overdue_and_exports(department, customer, client):
    late = request_create(by=department.rep_north, client=customer, kind="complaint", description="Late")
    ClientRequest.objects.filter(pk=late.pk).update(due_by=timezone.now() - datetime.timedelta(hours=1))
    request_create(by=department.rep_north, client=customer, kind="question", description="On time")
    client.force_login(department.lead_north)
    page = client.get(reverse("documents:request_list"), {"overdue": "true"})
    assert page.context["total_count"] == 1
    assert "1 overdue" in page.content.decode()
    export = client.get(reverse("documents:request_list"), {"export": "csv", "ordering": "id"})
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("ID,Kind,Client,Description,Priority,Owner,Team,Status,Due by")
    assert len(lines) == 3
    assert (
        client.get(reverse("documents:request_list"), {"owner": "99999999999999999999999"}).status_code == 200
    )


def test_the_list_page_and_api_run_a_constant_number_of_queries(
    department, customer, client, api_as, django_assert_num_queries
):
    def measure(rows):
        client.force_login(department.lead_north)
        with django_assert_num_queries(5):
            page = client.get(reverse("documents:request_list"))
        assert page.status_code == 200 and page.context["total_count"] == rows
        api = api_as(department.lead_north)
        with django_assert_num_queries(3):
            response = api.get("/api/v1/client-requests/")
        assert response.status_code == 200 and response.json()["count"] == rows

    request_create(by=department.rep_north, client=customer, kind="question", description="1")
    measure(1)
    for n in range(4):
        request_create(by=department.rep_north, client=customer, kind="complaint", description=str(n))
    measure(5)


def test_the_nightly_run_counts_open_and_overdue_requests_per_rep_and_team(department, customer):
    today = timezone.localdate()
    open_late = request_create(by=department.rep_north, client=customer, kind="complaint", description="a")
    ClientRequest.objects.filter(pk=open_late.pk).update(due_by=timezone.now() - datetime.timedelta(hours=2))
    request_create(by=department.rep_north, client=customer, kind="question", description="b")
    done = request_create(by=department.rep_north, client=customer, kind="question", description="c")
    request_move(by=department.rep_north, request=done, status=RequestStatus.RESOLVED, satisfaction=5)
    renewal_compute(as_of=today)
    rows = RenewalReport.objects.filter(period=today.replace(day=1))

    def figures(**scope):
        row = rows.get(**scope)
        return (row.open_requests, row.overdue_requests, row.open_complaints)

    assert figures(scope="department") == (2, 1, 1)
    assert figures(scope="team", team=department.north) == (2, 1, 1)
    assert figures(scope="team", team=department.south) == (0, 0, 0)
    assert figures(scope="rep", rep=department.rep_north) == (2, 1, 1)


def test_due_renewals_with_open_complaints_come_first_and_are_marked(department, stages, client):
    from tests.deals.conftest import make_deal

    today = timezone.localdate()
    quiet = make_deal(department.rep_north, stage="Won", title="Quiet", service_end=today.replace(day=1))
    unhappy = make_deal(department.rep_north, stage="Won", title="Unhappy", service_end=today)
    request_create(
        by=department.rep_north, client=unhappy.client, kind="complaint", description="Bad support"
    )
    request_create(
        by=department.rep_north, client=quiet.client, kind="question", description="Just a question"
    )
    deals = list(not_renewed_deals(viewer=department.rep_north, month=Month.of(today)))
    assert [(deal.title, deal.open_complaints) for deal in deals] == [("Unhappy", 1), ("Quiet", 0)]
    client.force_login(department.rep_north)
    page = client.get(reverse("reports:renewal"), {"month": today.strftime("%Y-%m")}).content.decode()
    assert page.count('data-testid="renewal-with-complaints"') == 1
    assert "1 open complaint" in page


def test_a_kept_row_turns_overdue_when_its_time_passes(department, customer, client, monkeypatch):
    """The list keeps its rows once rendered (core.tables.ListTable.cache_rows); a row also
    reads the clock (its due time marked once passed): the same request shows as overdue an
    hour later, the same day, without any change to it."""
    from core import tables as core_tables

    core_tables._ROWS.clear()
    now = timezone.now()
    item = request_create(by=department.rep_north, client=customer, kind="complaint", description="Late")
    ClientRequest.objects.filter(pk=item.pk).update(due_by=now + datetime.timedelta(minutes=30))
    client.force_login(department.rep_north)

    def row() -> str:
        page = client.get(reverse("documents:request_list")).content.decode()
        return page.split(f'data-row="{item.pk}"', 1)[1].split("</tr>", 1)[0]

    assert "overdue-text" not in row()
    assert "overdue-text" not in row()
    kept = len(core_tables._ROWS)
    assert kept == 1
    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(hours=1))
    assert 'class="overdue-text"' in row()
    assert len(core_tables._ROWS) == kept + 1
