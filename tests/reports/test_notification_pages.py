"""In-app notifications: one's own only, the unread count in the navigation, mark read,
e-mail settings."""

import pytest
from django.urls import reverse

from reports.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db


def unread_badge(client) -> str | None:
    content = client.get(reverse("reports:index")).content.decode()
    marker = 'data-testid="unread-count"'
    if marker not in content:
        return None
    start = content.index(">", content.index(marker)) + 1
    return content[start : content.index("<", start)]


def test_everyone_sees_only_their_own_notifications(client, reporting):
    d = reporting
    client.force_login(d.head)
    content = client.get(reverse("reports:notifications")).content.decode()
    mine = Notification.objects.get(recipient=d.head)
    assert f'id="notification-{mine.pk}"' in content
    assert content.count('id="notification-') == 1
    assert "Escalated:" in content

    client.force_login(d.lead_north)
    content = client.get(reverse("reports:notifications")).content.decode()
    assert content.count('id="notification-') == 1
    assert "Overdue payment:" in content
    client.force_login(d.analyst)
    assert "No notifications." in client.get(reverse("reports:notifications")).content.decode()


def test_the_navigation_shows_the_unread_count_and_follows_changes(client, reporting):
    d = reporting
    client.force_login(d.rep_north)
    assert unread_badge(client) == "1"
    notification = Notification.objects.get(recipient=d.rep_north)
    response = client.post(
        reverse("reports:notification_read", args=[notification.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Mark read" not in response.content.decode()
    assert Notification.objects.get(pk=notification.pk).read_at is not None
    assert unread_badge(client) is None


def test_opening_a_notification_marks_it_read_and_goes_to_the_alert(client, reporting):
    notification = Notification.objects.get(recipient=reporting.rep_south)
    client.force_login(reporting.rep_south)
    response = client.post(reverse("reports:notification_read", args=[notification.pk]), {"next": "alert"})
    assert response["Location"] == reverse("reports:alert", args=[notification.alert_id])
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_somebody_elses_notification_answers_404_and_stays_unread(client, reporting):
    notification = Notification.objects.get(recipient=reporting.head)
    for person in (reporting.rep_north, reporting.analyst, reporting.lead_south):
        client.force_login(person)
        response = client.post(reverse("reports:notification_read", args=[notification.pk]))
        assert response.status_code == 404
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_mark_all_read(client, reporting):
    client.force_login(reporting.rep_south)
    response = client.post(reverse("reports:notifications_read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=reporting.rep_south, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=reporting.head, read_at__isnull=True).count() == 1


def test_the_unread_filter(client, reporting):
    client.force_login(reporting.rep_south)
    client.post(reverse("reports:notifications_read_all"))
    content = client.get(reverse("reports:notifications"), {"unread": "true"}).content.decode()
    assert "No notifications." in content
    content = client.get(reverse("reports:notifications"), {"unread": "false"}).content.decode()
    assert content.count('id="notification-') == 1


def test_e_mail_settings_are_saved_and_bad_input_is_refused(client, reporting):
    client.force_login(reporting.rep_north)
    response = client.post(reverse("reports:notification_preferences"), {"language": "zh-hans"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=reporting.rep_north)
    assert (preference.language, preference.email_enabled) == ("zh-hans", False)
    response = client.post(
        reverse("reports:notification_preferences"), {"language": "klingon", "email_enabled": "on"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    preference.refresh_from_db()
    assert (preference.language, preference.email_enabled) == ("zh-hans", False)


def test_a_notification_whose_alert_is_no_longer_visible_keeps_its_details_to_itself(client, reporting):
    """After the owner moves to another team, the former lead keeps the notification but
    no longer sees the alert: neither the client, the deal, the owner nor the amount."""
    from accounts.models import User
    from reports.models import OverdueAlert

    d = reporting
    alert = OverdueAlert.objects.select_related("client", "installment__deal").get(
        installment__deal__owner=d.rep_north
    )
    notification = Notification.objects.get(recipient=d.lead_north, alert=alert)
    details = (alert.client.name, alert.installment.deal.title, d.rep_north.full_name, "800.00")
    client.force_login(d.lead_north)
    content = client.get(reverse("reports:notifications")).content.decode()
    assert all(detail in content for detail in details)
    assert 'name="next" value="alert"' in content

    User.objects.filter(pk=d.rep_north.pk).update(team=d.south)
    assert client.get(reverse("reports:alert", args=[alert.pk])).status_code == 404
    content = client.get(reverse("reports:notifications")).content.decode()
    assert f'id="notification-{notification.pk}"' in content
    assert "Overdue payment" in content
    assert "the details are no longer available to you" in content
    assert [detail for detail in details if detail in content] == []
    assert 'name="next" value="alert"' not in content

    # Opening it anyway marks it read and stays on the list instead of a 404.
    response = client.post(reverse("reports:notification_read", args=[notification.pk]), {"next": "alert"})
    assert response["Location"] == reverse("reports:notifications")
    assert Notification.objects.get(pk=notification.pk).read_at is not None
    response = client.post(
        reverse("reports:notification_read", args=[notification.pk]), HTTP_HX_REQUEST="true"
    )
    assert [detail for detail in details if detail in response.content.decode()] == []


def test_the_list_checks_each_alerts_visibility_in_a_constant_number_of_queries(
    client, api_as, reporting, django_assert_num_queries
):
    import datetime
    from decimal import Decimal

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from reports.services.runs import report_run_execute
    from tests.factories import InstallmentFactory
    from tests.reports.conftest import AS_OF, make_deal

    d = reporting
    client.force_login(d.lead_north)
    api = api_as(d.lead_north)
    client.get(reverse("reports:notifications"))  # the unread count in the navigation is cached
    # Counted at once: the query log is capped, and the data set's queries would crowd these out.
    reset_queries()
    with CaptureQueriesContext(connection) as page_queries:
        response = client.get(reverse("reports:notifications"))
    page_count = len(page_queries)
    assert response.status_code == 200
    assert response.content.decode().count('id="notification-') == 1
    with CaptureQueriesContext(connection) as api_queries:
        response = api.get("/api/v1/notifications/")
    api_count = len(api_queries)
    assert response.status_code == 200
    assert (response.json()["count"], len(response.json()["results"])) == (1, 1)
    for number in range(6):
        deal = make_deal(d.rep_north_2, stage_name="Won", closed=datetime.date(2026, 3, 1 + number))
        InstallmentFactory(deal=deal, due_date=datetime.date(2026, 3, 2 + number), amount=Decimal("100.00"))
    report_run_execute(kind="alerts", run_date=AS_OF)
    User.objects.filter(pk=d.rep_north.pk).update(team=d.south)
    assert Notification.objects.filter(recipient=d.lead_north).count() == 7

    client.get(reverse("reports:notifications"))
    with django_assert_num_queries(page_count):
        response = client.get(reverse("reports:notifications"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('id="notification-') == 7
    assert content.count("the details are no longer available to you") == 1
    with django_assert_num_queries(api_count):
        response = api.get("/api/v1/notifications/")
    assert response.status_code == 200
    assert response.json()["count"] == 7
    results = response.json()["results"]
    assert sorted(item["alert"] is None for item in results) == [False] * 6 + [True]
