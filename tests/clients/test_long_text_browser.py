"""Text longer than its line breaks instead of widening the page (app.css): a contact whose
notes were one 3,000-character word made the client page scroll 90,000 px sideways on a phone."""

import pytest

from tests.browser.support import sign_in, wait_for_quiet_network
from tests.factories import ClientFactory, ContactFactory
from tests.migration_support import restore_default_stages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"  # UserFactory's


@pytest.fixture(autouse=True)
def default_stages(transactional_db):
    restore_default_stages()


def test_a_contact_with_one_very_long_word_keeps_the_client_page_in_a_phones_width(
    browser, live_server, department
):
    client = ClientFactory(owner=department.rep_north, name="Acme")
    ContactFactory(client=client, name="Ivan", position="x" * 190, notes="y" * 3000)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live_server.url, department.rep_north.username, PASSWORD)
    page.goto(f"{live_server.url}/clients/{client.pk}/")
    wait_for_quiet_network(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
