"""Bulk actions from the list pages (Django test client): the list offers checkboxes and the
bar, the bar's selection leads to a confirmation page, confirming applies (one message), a
refused row is shown with its reason and nothing changes, a large selection is a job page."""

import pytest
from django.contrib.messages import get_messages

from clients.models import Client
from core.models import BulkJob
from deals.models import Deal
from tests.deals.conftest import make_deal
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def north(department):
    return [ClientFactory(owner=department.rep_north, name=f"North {i}", tier="C") for i in range(3)]


def test_the_client_list_has_checkboxes_and_the_bar(client, department, north):
    client.force_login(department.lead_north)
    page = client.get("/clients/").content.decode()
    assert page.count('name="ids"') == 3
    assert 'id="bulk-form"' in page and "data-bulk-page" in page
    assert '<option value="reassign">Reassign</option>' in page
    assert '<option value="set_tier">Change tier</option>' in page


def test_each_row_has_its_own_checkbox_labelled_in_the_viewers_language(client, department, north):
    client.force_login(department.lead_north)
    for language, label in (("en", "Select this row"), ("ru", "Выбрать строку"), ("zh-hans", "选择此行")):
        page = client.get("/clients/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        for record in north:
            checkbox = f'name="ids" value="{record.pk}" form="bulk-form" aria-label="{label}">'
            assert page.count(checkbox) == 1, (language, checkbox)


def test_task_and_alert_rows_write_the_same_checkbox_as_the_tables():
    """{% select_box %} (the task and overdue-alert rows) and the tables' rows share
    core.tables.select_box: the same markup, labelled in the page's language."""
    from django.template import Context, Template
    from django.utils import translation

    from core.tables import select_box

    template = Template('{% load bulk %}{% select_box pk "task-select" %}|{% select_box pk %}')
    with translation.override("ru"):
        written = template.render(Context({"pk": 7}))
        assert select_box(7) == written.split("|")[1]
    assert written == (
        '<input type="checkbox" name="ids" value="7" form="bulk-form" class="task-select" '
        'aria-label="Выбрать строку">|'
        '<input type="checkbox" name="ids" value="7" form="bulk-form" aria-label="Выбрать строку">'
    )


def test_select_confirm_and_apply(client, department, north):
    client.force_login(department.lead_north)
    ids = [str(north[0].pk), str(north[1].pk)]
    confirm = client.post(
        "/bulk/clients/", {"ids": ids, "action": "set_tier", "next": "/clients/?status=lead"}
    )
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Selected: 2 clients." in page
    assert 'name="p_tier"' in page and 'name="confirm" value="1"' in page
    assert list(Client.objects.order_by("pk").values_list("tier", flat=True)) == ["C", "C", "C"]  # not yet

    done = client.post(
        "/bulk/clients/",
        {"ids": ids, "action": "set_tier", "p_tier": "A", "confirm": "1", "next": "/clients/?status=lead"},
    )
    assert done.status_code == 302 and done["Location"] == "/clients/?status=lead"
    assert [str(m) for m in get_messages(done.wsgi_request)] == ["Change tier: done for 2 rows."]
    assert list(Client.objects.order_by("pk").values_list("tier", flat=True)) == ["A", "A", "C"]


def test_a_missing_parameter_is_asked_again(client, department, north):
    client.force_login(department.lead_north)
    response = client.post("/bulk/clients/", {"ids": [north[0].pk], "action": "reassign", "confirm": "1"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Client.objects.get(pk=north[0].pk).owner == department.rep_north


def test_a_refused_row_shows_its_reason_and_changes_nothing(client, department):
    deal = make_deal(department.rep_north, stage="Lead", next_step="")
    won = make_deal(department.rep_north, stage="Won", next_step="")
    client.force_login(department.rep_north)
    response = client.post(
        "/bulk/deals/",
        {"ids": [deal.pk, won.pk], "action": "set_forecast_category", "p_category": "commit", "confirm": "1"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was changed: these rows were refused." in page
    assert f"<strong>#{won.pk}</strong> Only an open deal has a forecast category." in page
    assert Deal.objects.filter(forecast_category_set=True).count() == 0


def test_all_matching_the_filter(client, department, north):
    other = ClientFactory(owner=department.rep_north, name="Other", tier="B")
    client.force_login(department.lead_north)
    response = client.post(
        "/bulk/clients/",
        {
            "all": "1",
            "filter": "tier=C&page=2&sort=name&ordering=name",
            "action": "set_tier",
            "p_tier": "A",
            "confirm": "1",
            "next": "/clients/",
        },
    )
    assert response.status_code == 302
    assert list(Client.objects.exclude(pk=other.pk).values_list("tier", flat=True)) == ["A", "A", "A"]
    assert Client.objects.get(pk=other.pk).tier == "B"


def test_nothing_selected_goes_back_with_a_message(client, department, north):
    client.force_login(department.lead_north)
    response = client.post("/bulk/clients/", {"action": "set_tier", "next": "/clients/"})
    assert response.status_code == 302 and response["Location"] == "/clients/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Select at least one row."]


def test_an_outside_next_address_is_not_followed(client, department, north):
    client.force_login(department.lead_north)
    response = client.post(
        "/bulk/clients/",
        {
            "ids": [north[0].pk],
            "action": "set_tier",
            "p_tier": "A",
            "confirm": "1",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize("next_", ["x", "-1", "NaN", "2026-02-30", "home"])
def test_a_next_that_is_not_a_path_goes_home_after_the_change(client, department, north, next_):
    """redirect() reads a string without "/" or "." as a URL name: "x" answered 500 after the
    change was made. Only a path on this site is followed."""
    client.force_login(department.lead_north)
    response = client.post(
        "/bulk/clients/",
        {"ids": [north[0].pk], "action": "set_tier", "p_tier": "A", "confirm": "1", "next": next_},
    )
    assert (response.status_code, response["Location"]) == (302, "/")
    assert Client.objects.get(pk=north[0].pk).tier == "A"


@pytest.mark.parametrize(
    ("user", "action", "params"),
    [
        ("lead_north", "garbage", {}),
        ("lead_north", "", {}),
        ("rep_north", "reassign", {"p_owner": "1"}),  # offered to leads and the head only
    ],
)
def test_confirming_an_action_that_is_not_offered_is_refused(client, department, north, user, action, params):
    client.force_login(getattr(department, user))
    response = client.post(
        "/bulk/clients/",
        {"ids": [north[0].pk], "action": action, "confirm": "1", "next": "/clients/", **params},
    )
    assert response.status_code == 400  # was a 500
    assert Client.objects.get(pk=north[0].pk).owner == department.rep_north


def test_export_of_the_selection(client, department, north):
    client.force_login(department.rep_north)
    response = client.post("/bulk/clients/", {"ids": [north[1].pk], "action": "set_tier", "export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert [line.split(",")[0] for line in text.strip().splitlines()] == ["Name", "North 1"]


def test_a_large_selection_becomes_a_job_page(
    client, department, north, settings, django_capture_on_commit_callbacks
):
    settings.BULK_ASYNC_THRESHOLD = 2
    client.force_login(department.lead_north)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/bulk/clients/",
            {"ids": [c.pk for c in north], "action": "set_tier", "p_tier": "B", "confirm": "1"},
        )
    job = BulkJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bulk/jobs/{job.pk}/"
    page = client.get(f"/bulk/jobs/{job.pk}/").content.decode()
    assert "3 of 3 rows" in page and "Done" in page and "every 1s" not in page
    assert list(Client.objects.values_list("tier", flat=True)) == ["B", "B", "B"]
    client.force_login(department.head)
    assert client.get(f"/bulk/jobs/{job.pk}/").status_code == 404


def test_my_day_offers_a_checkbox_per_open_task_and_completes_them(client, department):
    from clients.models import Task, TaskStatus
    from tests.factories import TaskFactory

    customer = ClientFactory(owner=department.rep_north)
    tasks = [TaskFactory(client=customer, kind="todo") for _ in range(2)]
    client.force_login(department.rep_north)
    page = client.get("/tasks/").content.decode()
    assert page.count('name="ids"') == 2
    assert '<option value="complete">Complete</option>' in page
    done = client.post(
        "/bulk/tasks/",
        {"ids": [t.pk for t in tasks], "action": "complete", "confirm": "1", "next": "/tasks/"},
    )
    assert done.status_code == 302 and done["Location"] == "/tasks/"
    assert list(Task.objects.values_list("status", flat=True)) == [TaskStatus.DONE, TaskStatus.DONE]
