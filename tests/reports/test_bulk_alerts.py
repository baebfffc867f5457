"""Acknowledging alerts in bulk (reports/bulk.py through alert_acknowledge): from the list
page and the API, all or nothing."""

import pytest

from reports.models import OverdueAlert

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerts(reporting):
    return {
        "north": OverdueAlert.objects.get(installment__deal__owner=reporting.rep_north),
        "south": OverdueAlert.objects.get(installment__deal__owner=reporting.rep_south),
    }


def test_the_alert_list_has_a_checkbox_per_alert(client, reporting, alerts):
    client.force_login(reporting.head)
    page = client.get("/reports/alerts/").content.decode()
    assert page.count('name="ids"') == 2
    assert '<option value="acknowledge">Acknowledge</option>' in page


def test_the_head_acknowledges_both_from_the_page(client, reporting, alerts):
    client.force_login(reporting.head)
    ids = [alerts["north"].pk, alerts["south"].pk]
    confirm = client.post("/bulk/alerts/", {"ids": ids, "action": "acknowledge", "next": "/reports/alerts/"})
    assert 'name="p_comment"' in confirm.content.decode()
    done = client.post(
        "/bulk/alerts/",
        {
            "ids": ids,
            "action": "acknowledge",
            "p_comment": "Calling both",
            "confirm": "1",
            "next": "/reports/alerts/",
        },
    )
    assert done.status_code == 302
    assert list(OverdueAlert.objects.order_by("pk").values_list("acknowledgement", "acknowledged_by")) == [
        ("Calling both", reporting.head.pk),
        ("Calling both", reporting.head.pk),
    ]


def test_a_lead_cannot_acknowledge_another_teams_alert(api_as, reporting, alerts):
    response = api_as(reporting.lead_north).post(
        "/api/v1/alerts/bulk/",
        {
            "ids": [alerts["north"].pk, alerts["south"].pk],
            "action": "acknowledge",
            "params": {"comment": "On it"},
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["refused"] == {str(alerts["south"].pk): "No such record, or one you may not see."}
    assert OverdueAlert.objects.filter(acknowledged_at__isnull=False).count() == 0


def test_the_analyst_is_offered_only_the_export(api_as, reporting, alerts):
    response = api_as(reporting.analyst).post(
        "/api/v1/alerts/bulk/",
        {"ids": [alerts["north"].pk], "action": "acknowledge", "params": {"comment": "x"}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"action": ["Unknown action; choose one of: export."]}
