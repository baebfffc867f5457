"""The sign-in lockout (django-axes): one policy for the login page, the token endpoint and the
admin; keyed on username + client address; counted in the database."""

import runpy
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"
BASE_SETTINGS = Path(__file__).resolve().parents[2] / "salesdept" / "settings" / "base.py"
PROXY = "10.0.0.1"


def proxy_settings(monkeypatch, trusted_proxy_count: int) -> dict:
    """The client-address settings base.py derives from TRUSTED_PROXY_COUNT."""
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", str(trusted_proxy_count))
    values = runpy.run_path(str(BASE_SETTINGS))
    names = ["TRUSTED_PROXY_COUNT", "IPWARE_STRICT", "AXES_IPWARE_PROXY_ORDER", "AXES_IPWARE_PROXY_COUNT"]
    return {name: values[name] for name in names + ["AXES_IPWARE_META_PRECEDENCE_ORDER"]}


def sign_in(client, username, password, **meta):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **meta)


def admin_sign_in(client, username, password, **meta):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}, **meta
    )


@override_settings(LOGIN_FAILURE_LIMIT=5, LOGIN_LOCKOUT_SECONDS=900)
def test_admin_login_is_locked_after_wrong_passwords_even_with_the_right_one(client):
    UserFactory(username="head", role="head", is_staff=True, is_superuser=True)
    for _attempt in range(12):
        admin_sign_in(client, "head", "wrong")
    response = admin_sign_in(client, "head", PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_lock_set_at_the_token_endpoint_holds_on_the_admin_and_the_login_page(client, api_client):
    UserFactory(username="head", role="head", is_staff=True, is_superuser=True)
    for _attempt in range(3):
        api_client.post("/api/v1/auth/token/", {"username": "head", "password": "bad"}, format="json")
    assert admin_sign_in(client, "head", PASSWORD).status_code == 429
    assert "Too many failed sign-in attempts" in sign_in(client, "head", PASSWORD).content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_FAILURE_LIMIT=5)
def test_wrong_names_from_one_address_behind_the_proxy_do_not_lock_the_department(client, monkeypatch):
    UserFactory(username="rep1")
    with override_settings(**proxy_settings(monkeypatch, 1)):
        for number in range(20):
            sign_in(
                client, f"made-up-{number}", "wrong", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7"
            )
        response = sign_in(client, "rep1", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_behind_one_proxy_the_client_address_is_keyed_not_the_proxys(client, monkeypatch):
    from axes.models import AccessAttempt

    UserFactory(username="rep1")
    with override_settings(**proxy_settings(monkeypatch, 1)):
        for _attempt in range(3):
            sign_in(client, "rep1", "wrong", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
        assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
        # The attacker's address is locked for rep1; rep1 from their own desk is not.
        locked = sign_in(client, "rep1", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
        assert "Too many failed sign-in attempts" in locked.content.decode()
        own_desk = sign_in(client, "rep1", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert own_desk.status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_forged_forwarded_for_entry_does_not_escape_the_lock(client, monkeypatch):
    """The proxy appends the address it saw; whatever the client wrote before it is ignored."""
    UserFactory(username="rep1")
    with override_settings(**proxy_settings(monkeypatch, 1)):
        for number in range(3):
            forged = f"192.0.2.{number}, 203.0.113.7"
            sign_in(client, "rep1", "wrong", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged)
        response = sign_in(
            client, "rep1", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7"
        )
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_without_a_trusted_proxy_the_forwarded_for_header_is_not_read(client, monkeypatch):
    from axes.models import AccessAttempt

    UserFactory(username="rep1")
    with override_settings(**proxy_settings(monkeypatch, 0)):
        for number in range(3):
            sign_in(
                client, "rep1", "wrong", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}"
            )
        response = sign_in(
            client, "rep1", PASSWORD, REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="192.0.2.50"
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.9"}
    assert "Too many failed sign-in attempts" in response.content.decode()


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_failures_are_counted_in_the_database_not_in_a_workers_cache(client, api_client):
    """Two workers with local-memory caches share nothing but the database: clearing the cache
    between attempts (a request landing on another worker) still locks at the limit."""
    UserFactory(username="rep1")
    for _attempt in range(2):
        sign_in(client, "rep1", "wrong")
        cache.clear()
    api_client.post("/api/v1/auth/token/", {"username": "rep1", "password": "bad"}, format="json")
    cache.clear()
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "rep1", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429
    cache.clear()
    assert "Too many failed sign-in attempts" in sign_in(client, "rep1", PASSWORD).content.decode()


def test_the_lockout_is_wired_to_the_login_settings(settings):
    from axes.helpers import get_cool_off, get_failure_limit

    settings.LOGIN_FAILURE_LIMIT = 7
    settings.LOGIN_LOCKOUT_SECONDS = 120
    assert get_failure_limit(None, {}) == 7
    assert get_cool_off(None).total_seconds() == 120
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
