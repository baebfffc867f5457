"""Sign-in pages, the sign-in lockout and API token auth."""

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.models import ApiToken
from accounts.services import api_token_hash
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"


def sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_page_signs_in_and_lands_on_home(client):
    user = UserFactory(username="rep1", first_name="Anna", role="rep")
    response = sign_in(client, "rep1", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert home.wsgi_request.user == user
    assert "Welcome, Anna" in home.content.decode()
    assert "Sales rep" in home.content.decode()


def test_pages_require_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_wrong_password_shows_a_clear_message(client):
    UserFactory(username="rep1")
    response = sign_in(client, "rep1", "wrong")
    assert response.status_code == 200
    assert "Wrong username or password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_sign_in(client):
    UserFactory(username="gone", is_active=False)
    response = sign_in(client, "gone", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_LOCKOUT_SECONDS=600)
def test_repeated_wrong_passwords_lock_sign_in_even_with_the_right_one(client):
    UserFactory(username="rep1")
    for _attempt in range(3):
        assert "Wrong username or password" in sign_in(client, "rep1", "wrong").content.decode()
    response = sign_in(client, "rep1", PASSWORD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in page
    assert "10 more minute(s)" in page
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_lockout_of_one_user_does_not_block_another(client):
    UserFactory(username="rep1")
    UserFactory(username="rep2")
    for _attempt in range(3):
        sign_in(client, "rep1", "wrong")
    assert sign_in(client, "rep2", PASSWORD).status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_successful_sign_in_resets_the_failure_count(client):
    UserFactory(username="rep1")
    sign_in(client, "rep1", "wrong")
    sign_in(client, "rep1", "wrong")
    assert sign_in(client, "rep1", PASSWORD).status_code == 302
    client.logout()
    sign_in(client, "rep1", "wrong")
    sign_in(client, "rep1", "wrong")
    assert sign_in(client, "rep1", PASSWORD).status_code == 302


def test_logout_is_a_post_and_ends_the_session(client):
    user = UserFactory(username="rep1")
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change_page(client):
    user = UserFactory(username="rep1")
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
    user.refresh_from_db()
    assert user.check_password("a-new-long-pass-42")


def test_password_change_with_wrong_old_password_changes_nothing(client):
    user = UserFactory(username="rep1")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "nope",
            "new_password1": "a-new-long-pass-42",
            "new_password2": "a-new-long-pass-42",
        },
    )
    assert response.status_code == 400  # the form again with its message
    assert "Your old password was entered incorrectly" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# --- API tokens


def test_token_endpoint_issues_a_token_that_authenticates(api_client):
    user = UserFactory(username="rep1")
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "rep1", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    assert response.json() == {"token": response.json()["token"], "expires": response.json()["expires"]}
    assert token.key_hash == api_token_hash(response.json()["token"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = api_client.get("/api/v1/users/")
    assert me.status_code == 200
    assert [row["username"] for row in me.json()["results"]] == ["rep1"]


def test_token_endpoint_issues_a_new_token_each_time_and_both_work(api_client):
    UserFactory(username="rep1")
    first = api_client.post("/api/v1/auth/token/", {"username": "rep1", "password": PASSWORD}, format="json")
    second = api_client.post("/api/v1/auth/token/", {"username": "rep1", "password": PASSWORD}, format="json")
    assert first.json()["token"] != second.json()["token"]
    for key in (first.json()["token"], second.json()["token"]):
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert api_client.get("/api/v1/users/").status_code == 200


def test_token_endpoint_rejects_wrong_credentials_with_400(api_client):
    UserFactory(username="rep1")
    response = api_client.post("/api/v1/auth/token/", {"username": "rep1", "password": "bad"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Wrong username or password."]}
    assert ApiToken.objects.count() == 0


def test_token_endpoint_reports_missing_fields(api_client):
    response = api_client.post("/api/v1/auth/token/", {"username": "rep1"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"password": ["This field is required."]}


@override_settings(LOGIN_FAILURE_LIMIT=2, LOGIN_LOCKOUT_SECONDS=300)
def test_token_endpoint_is_throttled_like_the_login_page(api_client):
    UserFactory(username="rep1")
    for _attempt in range(2):
        api_client.post("/api/v1/auth/token/", {"username": "rep1", "password": "bad"}, format="json")
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "rep1", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.json()["non_field_errors"][0]
    assert int(response["Retry-After"]) > 0
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize("path", ["/api/v1/users/", "/api/v1/teams/", "/api/v1/users/1/"])
def test_api_rejects_anonymous_requests_with_401(api_client, path):
    response = api_client.get(path)
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_api_rejects_a_bad_token_with_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api_client.get("/api/v1/users/").status_code == 401


def test_api_accepts_the_browser_session(client):
    user = UserFactory(username="rep1")
    client.force_login(user)
    assert client.get("/api/v1/users/").status_code == 200
