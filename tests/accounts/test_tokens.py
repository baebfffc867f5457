"""API tokens: expiring, listed, named, created and revoked by their owner; revoked on a
password change or deactivation; stored only as a hash."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_hash, user_deactivate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"


def use(api_client, key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client.get("/api/v1/users/")


def test_the_token_endpoint_answers_the_expiry_and_stores_only_a_hash(api_client, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    user = UserFactory(username="rep1")
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "rep1", "password": PASSWORD}, format="json"
    )
    key = response.json()["token"]
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == api_token_hash(key) and key not in token.key_hash
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert response.json()["expires"].startswith(token.expires_at.date().isoformat()[:4])


def test_an_expired_token_answers_401(api_client):
    issued = api_token_create(user=UserFactory(), name="script")
    assert use(api_client, issued.key).status_code == 200
    ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert use(api_client, issued.key).status_code == 401


def test_a_password_change_on_the_page_revokes_the_users_tokens(client, api_client):
    user = UserFactory(username="rep1")
    issued = api_token_create(user=user, name="script")
    other = api_token_create(user=UserFactory(), name="someone else's")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-pass-42",
            "new_password2": "a-new-long-pass-42",
        },
    )
    assert response.status_code == 302
    assert use(api_client, issued.key).status_code == 401
    assert use(api_client, other.key).status_code == 200


def test_set_password_anywhere_revokes_the_users_tokens(api_client):
    user = UserFactory()
    issued = api_token_create(user=user, name="script")
    user.set_password("another-long-pass-7")
    user.save()
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is not None
    assert use(api_client, issued.key).status_code == 401


def test_a_deactivated_users_tokens_answer_401_and_are_revoked(api_client):
    user = UserFactory()
    issued = api_token_create(user=user, name="script")
    user_deactivate(user=user)
    assert use(api_client, issued.key).status_code == 401
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is not None


def test_deactivating_in_the_admin_revokes_tokens(client):
    head = UserFactory(username="head", is_staff=True, is_superuser=True)
    user = UserFactory(username="rep1")
    issued = api_token_create(user=user, name="script")
    client.force_login(head)
    page = client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    data = {key: value for key, value in page.context["adminform"].form.initial.items() if value is not None}
    data.update({"is_active": "", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})
    data.pop("groups", None), data.pop("user_permissions", None), data.pop("last_login", None)
    response = client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.is_active is False
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is not None


def test_api_lists_creates_and_revokes_own_tokens(api_as):
    user = UserFactory(username="rep1")
    other = api_token_create(user=UserFactory(), name="not mine")
    api = api_as(user)
    created = api.post("/api/v1/tokens/", {"name": "nightly export"}, format="json")
    assert created.status_code == 201
    key = created.json()["key"]
    assert created.json()["name"] == "nightly export" and created.json()["is_active"] is True
    listed = api.get("/api/v1/tokens/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {row["name"] for row in rows} == {"tests", "nightly export"}
    assert all(row["key"] is None for row in rows)
    assert api.get(f"/api/v1/tokens/{other.token.pk}/").status_code == 404
    assert api.delete(f"/api/v1/tokens/{other.token.pk}/").status_code == 404
    assert ApiToken.objects.get(pk=other.token.pk).revoked_at is None
    token_id = created.json()["id"]
    assert api.delete(f"/api/v1/tokens/{token_id}/").status_code == 204
    assert use(api, key).status_code == 401


def test_the_tokens_page_creates_shows_the_key_once_and_revokes(client, api_client):
    user = UserFactory(username="rep1")
    client.force_login(user)
    response = client.post(reverse("accounts:api_tokens"), {"name": "laptop script"})
    assert response.status_code == 200
    key = response.context["issued_key"]
    assert key in response.content.decode()
    page = client.get(reverse("accounts:api_tokens")).content.decode()
    assert "laptop script" in page and key not in page
    assert use(api_client, key).status_code == 200
    token = ApiToken.objects.get(user=user)
    other = api_token_create(user=UserFactory(), name="not mine")
    assert client.post(reverse("accounts:api_token_revoke", args=[other.token.pk])).status_code == 404
    assert client.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 302
    assert use(api_client, key).status_code == 401
    assert ApiToken.objects.get(pk=other.token.pk).revoked_at is None


def test_the_tokens_page_requires_sign_in(client):
    assert client.get(reverse("accounts:api_tokens")).status_code == 302


def test_old_authtoken_keys_are_carried_over_hashed(api_client):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    user = UserFactory()
    migration = importlib.import_module("accounts.migrations.0003_api_tokens_from_authtoken")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, user_id bigint)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            ["0123456789abcdef0123456789abcdef01234567", timezone.now(), user.pk],
        )
    # The migration uses only the editor's connection (SQLite refuses a schema editor inside
    # the test's transaction).
    migration.copy_authtoken_keys(apps, SimpleNamespace(connection=connection))
    assert use(api_client, "0123456789abcdef0123456789abcdef01234567").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0


@pytest.mark.parametrize("name", ["", "x" * 101])
def test_the_tokens_page_refuses_a_missing_or_overlong_name_and_issues_nothing(client, name):
    client.force_login(UserFactory(username="rep1"))
    response = client.post(reverse("accounts:api_tokens"), {"name": name})
    assert response.status_code == 400  # the form again with its message
    assert response.context["issued_key"] is None
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()
