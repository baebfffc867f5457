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
