"""Overdue-alert pages: who sees which alert, filters, acknowledging with a comment."""

import pytest
from django.urls import reverse

from reports.models import AlertStatus, OverdueAlert

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerts(reporting):
    return {
        "north": OverdueAlert.objects.get(installment__deal__owner=reporting.rep_north),
        "south": OverdueAlert.objects.get(installment__deal__owner=reporting.rep_south),
    }


def listed(client, **params) -> str:
    content = client.get(reverse("reports:alerts"), params).content.decode()
    return content[content.index('id="alert-results"') :]


@pytest.mark.parametrize(
    ("role", "sees_north", "sees_south"),
    [
        ("head", True, True),
        ("analyst", True, True),
        ("lead_north", True, False),
        ("assistant_north", True, False),
        ("rep_north", True, False),
        ("rep_north_2", False, False),
        ("rep_south", False, True),
        ("lead_without_team", False, False),
    ],
)
def test_each_role_sees_the_alerts_of_their_scope(client, reporting, alerts, role, sees_north, sees_south):
    client.force_login(getattr(reporting, role))
    results = listed(client)
    assert (f'id="alert-{alerts["north"].pk}"' in results) == sees_north
    assert (f'id="alert-{alerts["south"].pk}"' in results) == sees_south
    for name, visible in (("north", sees_north), ("south", sees_south)):
        response = client.get(reverse("reports:alert", args=[alerts[name].pk]))
        assert response.status_code == (200 if visible else 404)


def test_filters_and_sorting(client, reporting, alerts):
    client.force_login(reporting.head)
    results = listed(client, team=reporting.south.pk)
    assert f'id="alert-{alerts["south"].pk}"' in results and f'id="alert-{alerts["north"].pk}"' not in results
    results = listed(client, bucket="31-60")  # South is 36 days overdue on the 18th of March
    assert f'id="alert-{alerts["south"].pk}"' in results and f'id="alert-{alerts["north"].pk}"' not in results
    results = listed(client, ordering="days")
    assert results.index(f'id="alert-{alerts["north"].pk}"') < results.index(
        f'id="alert-{alerts["south"].pk}"'
    )
    results = listed(client, search=alerts["north"].installment.deal.client.name)
    assert f'id="alert-{alerts["north"].pk}"' in results and f'id="alert-{alerts["south"].pk}"' not in results
    assert "No overdue alerts match" in listed(client, status="resolved")
    assert "Select a valid choice" in listed(client, level="9")


def test_the_alert_page_shows_its_story(client, reporting, alerts):
    client.force_login(reporting.lead_north)
    content = client.get(reverse("reports:alert", args=[alerts["north"].pk])).content.decode()
    deal = alerts["north"].installment.deal
    assert f'href="/deals/{deal.pk}/"' in content and f'href="/clients/{deal.client_id}/"' in content
    assert "Nobody has said why this payment is late yet." in content
    assert reporting.lead_north.full_name in content  # notified
    assert 'data-testid="ack-form"' in content


@pytest.mark.parametrize("role", ["rep_north", "lead_north", "head", "assistant_north"])
def test_those_who_may_act_acknowledge_with_a_comment(client, reporting, alerts, role):
    person = getattr(reporting, role)
    client.force_login(person)
    response = client.post(
        reverse("reports:alert_acknowledge", args=[alerts["north"].pk]),
        {"comment": "  Called their CFO; pays Friday. "},
    )
    assert response.status_code == 302
    alert = OverdueAlert.objects.get(pk=alerts["north"].pk)
    assert (alert.acknowledgement, alert.acknowledged_by) == ("Called their CFO; pays Friday.", person)
    assert alert.acknowledged_at is not None


def test_acknowledging_in_place_with_htmx_returns_the_row(client, reporting, alerts):
    client.force_login(reporting.rep_north)
    response = client.post(
        reverse("reports:alert_acknowledge", args=[alerts["north"].pk]),
        {"comment": "Promised by Friday"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.strip().startswith(f'<tr id="alert-{alerts["north"].pk}"')
    assert "Promised by Friday" in content


def test_a_comment_too_long_is_told_once(client, reporting, alerts):
    client.force_login(reporting.rep_north)
    response = client.post(
        reverse("reports:alert_acknowledge", args=[alerts["north"].pk]),
        {"comment": "x" * 2500},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert response.content.decode().count('class="field-error"') == 1


def _state(alert_id):
    return (
        OverdueAlert.objects.filter(pk=alert_id)
        .values_list("acknowledgement", "acknowledged_by", "updated_at")
        .get()
    )


def test_the_analyst_may_not_acknowledge(client, reporting, alerts):
    before = _state(alerts["north"].pk)
    client.force_login(reporting.analyst)
    response = client.post(
        reverse("reports:alert_acknowledge", args=[alerts["north"].pk]), {"comment": "Seen"}
    )
    assert response.status_code == 403
    assert _state(alerts["north"].pk) == before
    content = client.get(reverse("reports:alert", args=[alerts["north"].pk])).content.decode()
    assert 'data-testid="ack-form"' not in content


@pytest.mark.parametrize("role", ["rep_north_2", "rep_south", "lead_south", "lead_without_team"])
def test_somebody_who_cannot_see_the_alert_gets_404(client, reporting, alerts, role):
    before = _state(alerts["north"].pk)
    client.force_login(getattr(reporting, role))
    response = client.post(
        reverse("reports:alert_acknowledge", args=[alerts["north"].pk]), {"comment": "Seen"}
    )
    assert response.status_code == 404
    assert _state(alerts["north"].pk) == before


def test_an_empty_comment_is_refused_with_a_message(client, reporting, alerts):
    before = _state(alerts["north"].pk)
    client.force_login(reporting.rep_north)
    response = client.post(
        reverse("reports:alert_acknowledge", args=[alerts["north"].pk]), {"comment": "   "}
    )
    assert response.status_code == 400
    assert "Say what is being done about it." in response.content.decode()
    assert _state(alerts["north"].pk) == before
    response = client.post(
        reverse("reports:alert_acknowledge", args=[alerts["north"].pk]),
        {"comment": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "Say what is being done about it." in response.content.decode()
    assert _state(alerts["north"].pk) == before


def test_a_resolved_alert_cannot_be_acknowledged(client, reporting, alerts):
    OverdueAlert.objects.filter(pk=alerts["north"].pk).update(
        status=AlertStatus.RESOLVED, resolved_on="2026-03-19"
    )
    before = _state(alerts["north"].pk)
    client.force_login(reporting.rep_north)
    response = client.post(
        reverse("reports:alert_acknowledge", args=[alerts["north"].pk]), {"comment": "Paid"}
    )
    assert response.status_code == 400
    assert "This alert is already resolved." in response.content.decode()
    assert _state(alerts["north"].pk) == before


def test_the_export_lists_the_filtered_alerts(client, reporting, alerts):
    client.force_login(reporting.lead_north)
    response = client.get(reverse("reports:alerts"), {"export": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    deal = alerts["north"].installment.deal
    assert lines[1].startswith(
        f"{deal.client.name},{deal.title},{deal.owner.full_name},2026-03-10,8,1-30,800.00,"
    )


def test_the_list_offers_acknowledging_only_where_the_visibility_rules_allow_it(client, reporting, alerts):
    """An SDR sees their own alert but may not change it (alerts declare no SDR writes),
    the analyst changes nothing; the owner and the team's assistant may act."""
    import datetime
    from decimal import Decimal

    from reports.services.runs import report_run_execute
    from tests.factories import InstallmentFactory
    from tests.reports.conftest import AS_OF, make_deal

    d = reporting
    deal = make_deal(d.sdr_north, stage_name="Won", amount="500.00", closed=datetime.date(2026, 3, 2))
    InstallmentFactory(deal=deal, due_date=datetime.date(2026, 3, 3), amount=Decimal("500.00"))
    report_run_execute(kind="alerts", run_date=AS_OF)
    sdr_alert = OverdueAlert.objects.get(installment__deal=deal)
    form = 'class="ack-form"'

    client.force_login(d.sdr_north)
    results = listed(client)
    assert f'id="alert-{sdr_alert.pk}"' in results
    assert form not in results
    before = _state(sdr_alert.pk)
    response = client.post(reverse("reports:alert_acknowledge", args=[sdr_alert.pk]), {"comment": "Seen"})
    assert response.status_code == 403
    assert _state(sdr_alert.pk) == before

    client.force_login(d.analyst)
    assert form not in listed(client)
    for person, expected in ((d.rep_north, 1), (d.assistant_north, 2), (d.lead_north, 2), (d.head, 3)):
        client.force_login(person)
        assert listed(client).count(form) == expected
