"""Django's password validators: similarity to the user's attributes, a minimum of 10."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("rep10rep10!", "The password is too similar to the username."),
        ("xk3!vq9#w", "This password is too short. It must contain at least 10 characters."),
    ],
)
def test_the_password_change_form_refuses_weak_passwords(client, new_password, message):
    user = UserFactory(username="rep10")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 400  # the form again with its message
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
