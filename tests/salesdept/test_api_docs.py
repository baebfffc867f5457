"""The API schema and its documentation pages require sign-in."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_schema_refuses_anonymous_callers(api_client):
    assert api_client.get("/api/schema/").status_code in (401, 403)


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_docs_send_anonymous_browsers_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/", "/api/redoc/"])
def test_signed_in_staff_read_the_schema_and_docs(client, path):
    client.force_login(UserFactory())
    assert client.get(path).status_code == 200
