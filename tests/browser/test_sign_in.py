"""A person signs in through the real login page and lands on the home page."""

import pytest

from tests.factories import TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_through_the_login_page_lands_on_home(live_server, page):
    team = TeamFactory(name="Team North")
    UserFactory(
        username="rep1", first_name="Anna", last_name="Ivanova", role="rep", team=team, password="demo"
    )

    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "rep1")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")

    page.wait_for_url(f"{live_server.url}/")
    assert page.inner_text("[data-testid=home-title]") == "Welcome, Anna"
    assert "Anna Ivanova" in page.inner_text("[data-testid=whoami]")
    assert "Team North" in page.content()
    # The page's own assets load from the app (no CDN): htmx is there.
    assert page.evaluate("typeof window.htmx") == "object"


def test_a_wrong_password_keeps_the_person_on_the_login_page(live_server, page):
    UserFactory(username="rep1", password="demo")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "rep1")
    page.fill("#id_password", "not-it")
    page.click("button[type=submit]")
    assert "Wrong username or password" in page.inner_text("[role=alert]")
    assert "/accounts/login/" in page.url
