"""Two edits of one webhook at once (two real connections on PostgreSQL): a new secret and a
description, a switch-off and a description. The second wrote the whole row it had read,
putting the old secret back (the new one, shown to the head, never verified again) or the
endpoint back on. Now each locks the row and writes only its own fields."""

from integrations import services
from integrations.models import WebhookEndpoint
from tests.concurrency import POSTGRESQL_ONLY, run_concurrently

pytestmark = POSTGRESQL_ONLY


def endpoint(department) -> WebhookEndpoint:
    return services.webhook_create(
        by=department.head, url="https://hooks.example.com/crm", events=["deal.created"], description="first"
    )


def test_a_new_secret_and_an_edit_at_once_keep_both(department, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # no DNS lookup of the example host
    hook = endpoint(department)
    seen_by_rotation, seen_by_edit = (WebhookEndpoint.objects.get(pk=hook.pk) for _ in range(2))
    rotated = {}
    first_error, second_error, second_was_waiting = run_concurrently(
        lambda: rotated.setdefault(
            "secret", services.webhook_rotate_secret(by=department.head, endpoint=seen_by_rotation).secret
        ),
        lambda: services.webhook_update(by=department.head, endpoint=seen_by_edit, description="second"),
    )
    assert (first_error, second_error, second_was_waiting) == (None, None, True)
    stored = WebhookEndpoint.objects.get(pk=hook.pk)
    assert (stored.secret, stored.description) == (rotated["secret"], "second")
    assert stored.secret != hook.secret


def test_a_switch_off_and_an_edit_at_once_keep_both(department, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    hook = endpoint(department)
    seen_by_switch, seen_by_edit = (WebhookEndpoint.objects.get(pk=hook.pk) for _ in range(2))
    first_error, second_error, second_was_waiting = run_concurrently(
        lambda: services.webhook_update(by=department.head, endpoint=seen_by_switch, is_active=False),
        lambda: services.webhook_update(by=department.head, endpoint=seen_by_edit, description="second"),
    )
    assert (first_error, second_error, second_was_waiting) == (None, None, True)
    stored = WebhookEndpoint.objects.get(pk=hook.pk)
    assert (stored.is_active, stored.description) == (False, "second")
