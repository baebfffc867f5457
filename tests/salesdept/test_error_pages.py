"""A refused or missing page is the product's own page, in the reader's language, with the
navigation to go on from (Django's bare "403 Forbidden" / "Not Found" had neither)."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_page_the_role_may_not_open_says_so_in_the_readers_language(client, department):
    client.force_login(department.rep_north)
    response = client.get("/integrations/webhooks/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Нет доступа</h1>" in page
    assert 'data-testid="forbidden"' in page and 'href="/"' in page
    assert 'data-testid="notifications-link"' in page  # the app's header, to go on from


def test_a_missing_page_says_so_in_the_readers_language(client, department):
    client.force_login(department.rep_north)
    response = client.get("/clients/999999999/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>未找到</h1>" in page and 'data-testid="not-found"' in page
