"""tests/ordering.py: after the rolled-back tests, the long and the browser tests are handed
out first, and nothing moves before a rolled-back test."""

import pytest

from tests.ordering import pytest_collection_modifyitems


class Item:
    def __init__(self, name, *markers, fixtures=("db",)):
        self.name = name
        self.markers = {marker.name: marker for marker in markers}
        self.fixturenames = list(fixtures)

    def get_closest_marker(self, name):
        return self.markers.get(name)

    def __repr__(self):
        return self.name


def names(items):
    return [item.name for item in items]


def test_long_then_browser_tests_start_the_tail_and_the_rest_keep_their_order():
    items = [
        Item("rolled back 1"),
        Item("rolled back 2", pytest.mark.django_db),
        Item("transactional", pytest.mark.django_db(transaction=True)),
        Item("browser", pytest.mark.browser, fixtures=("live_server",)),
        Item("no database", fixtures=()),
        Item("long browser", pytest.mark.long, pytest.mark.browser, fixtures=("live_server",)),
        Item("second browser", pytest.mark.browser, fixtures=("live_server",)),
    ]
    pytest_collection_modifyitems(items)
    assert names(items) == [
        "rolled back 1",
        "rolled back 2",
        "long browser",
        "browser",
        "second browser",
        "transactional",
        "no database",
    ]


def test_an_order_it_does_not_recognise_is_left_alone():
    items = [
        Item("transactional", fixtures=("transactional_db",)),
        Item("browser", pytest.mark.browser, fixtures=("live_server",)),
        Item("rolled back"),
    ]
    pytest_collection_modifyitems(items)
    assert names(items) == ["transactional", "browser", "rolled back"]
