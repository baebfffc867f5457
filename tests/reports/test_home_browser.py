"""The home page's charts read at the page's size in a real browser: the bar charts' labels and
figures are the page's own text (they were SVG text drawn 640 units wide and shrunk into a
card: 6 px on a desktop), and the year by month takes two columns where two fit."""

import pytest

from tests.browser.support import sign_in
from tests.deals.conftest import make_deal
from tests.migration_support import restore_default_stages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"  # UserFactory's
TEXT_HEIGHTS = """selector => [...document.querySelectorAll(selector)]
    .map(element => element.getBoundingClientRect().height).filter(height => height > 0)"""


@pytest.fixture(autouse=True)
def default_stages(transactional_db):
    restore_default_stages()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_home_charts_text_is_at_least_eleven_pixels_high(browser, live_server, department, width):
    make_deal(department.rep_north, stage="Proposal", amount="10000.00")
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, department.rep_north.username, PASSWORD)
    bars = page.evaluate(TEXT_HEIGHTS, ".chart-bars .chart-label, .chart-bars .chart-value")
    assert len(bars) >= 2 * 9  # won, calls, five stages, five aging buckets: label and figure each
    assert min(bars) >= 11, bars
    if width == 1280:  # on a phone the year by month scrolls sideways in its box at its own size
        axis = page.evaluate(TEXT_HEIGHTS, '[data-testid="months-chart"] svg text')
        assert axis and min(axis) >= 11, axis
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
