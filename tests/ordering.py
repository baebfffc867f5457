"""The order tests run in, for a parallel run that ends when its last worker does.

pytest-django sorts the tests into three runs: those in a rolled-back transaction, then the
transactional ones (``live_server``, ``transactional_db``: they flush the tables, so they
come after every test that relies on the migrations' rows), then those without a database.
The browser tests are transactional and the slowest (a few seconds to half a minute each),
so they were the last tests handed out: a worker that took one near the end kept the run
going while the other had finished. The longest (marked ``long``: ten seconds or more on
two cores) go before the other browser tests.

After pytest-django's sort, this keeps the first run as it is and orders what follows it
with the longest and the browser tests first: the short tests come last and even out the workers' ends. A
test without a database may run anywhere after the first run. Tests keep their relative
order otherwise (a stable sort), so a module's tests stay together with its fixtures."""

from __future__ import annotations

import pytest


def _in_a_rolled_back_transaction(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    if "live_server" in fixtures or "transactional_db" in fixtures:
        return False
    if marker is not None:
        return not (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    return "db" in fixtures


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    ends = [index for index, item in enumerate(items) if _in_a_rolled_back_transaction(item)]
    start = ends[-1] + 1 if ends else 0
    if ends and ends != list(range(len(ends))):
        return  # not pytest-django's order as this module reads it: leave the order alone
    items[start:] = sorted(items[start:], key=_later)


def _later(item) -> tuple[bool, bool]:
    return item.get_closest_marker("long") is None, item.get_closest_marker("browser") is None
