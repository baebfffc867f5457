"""Set-up data built once for a run of consecutive tests of one module, as
TestCase.setUpTestData does for a class.

Most tests start from the same records: the department (two teams, sixteen people through
the factories, about sixty queries), for the report tests also a computed month of reports.
Building them again for every test was the largest fixed cost of the suite. A fixture
registered here (`register`) is built by `_shared_data` in a transaction opened before the
test's own (pytest-django's `db`), and that transaction stays open while the next test is of
the same module and asks for the same registered fixtures. Each test runs in a savepoint on
top of it, so its writes are rolled back before the next, and gets its own copy of the
instances (one copy for all of them, so `reporting` is still `department`), so changes it
makes to them in memory do not reach the next test either. E-mails sent while building are in
every such test's outbox, as when each test built the data itself. The transaction is rolled
back when the next test is of another module, asks for other registered fixtures, does not
share, or there is none.

A test builds its fixtures itself, as before, when it is transactional (it flushes the
database), uses `seeded_demo` (its own outer transaction), a module overrides one of the
fixtures, or a fixture not known to leave the database alone would have run before the
registered ones: the data would then not be what the test saw when it built them.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from dataclasses import dataclass

import pytest

FIXTURE = "_shared_data"


@dataclass(frozen=True)
class _Registered:
    build: Callable
    dependencies: tuple[str, ...]
    module: str


_REGISTERED: dict[str, _Registered] = {}

# Function-scoped fixtures that write nothing to the database when they are set up: they may
# run before the registered ones without changing what those build.
HARMLESS = {
    "_fresh_query_log",
    "_clear_cache",
    "_default_language",  # activates the default language, writes nothing
    "_live_server_idle_before_the_flush",  # acts after live-server tests only, which share nothing
    "api_client",
    "api_as",
    "stages",  # get_or_create of the migration's stages, present in non-transactional tests
    "today",
    "won_deal",
    "open_deal",
    "installment_of",
    "disk",
}
# pytest-django's fixtures that create a user.
WRITING = {"admin_user", "admin_client"}
HARMLESS_MODULES = ("_pytest", "pytest_django", "faker", "xdist", "pytest_randomly")


def register(name: str, build: Callable, *dependencies: str, module: str) -> None:
    """`name` is the fixture defined in `module`; `build(*values of dependencies)` makes its
    value. Every dependency must be registered before."""
    missing = [dependency for dependency in dependencies if dependency not in _REGISTERED]
    assert not missing, f"{name} depends on {missing}, which are not registered"
    _REGISTERED[name] = _Registered(build, dependencies, module)


def value(request, name: str, *arguments):
    """The fixture's value: this test's copy of the shared one, or built now."""
    if FIXTURE in request.fixturenames:
        return request.getfixturevalue(FIXTURE)[name]
    return _REGISTERED[name].build(*arguments)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        from pytest_django.fixtures import validate_django_db

        transactional, reset_sequences, *_ = validate_django_db(marker)
        if transactional or reset_sequences:
            return True
    names = getattr(item, "fixturenames", ())
    return any(name in names for name in ("transactional_db", "live_server", "django_db_reset_sequences"))


def _definition(info, name):
    definitions = info.name2fixturedefs.get(name) or ()
    return definitions[-1] if definitions else None


def _setup_order(info) -> list[str]:
    """The function-scoped fixtures in the order pytest sets them up (each after what it
    requests)."""
    order: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        definition = _definition(info, name)
        if definition is not None:
            for argument in definition.argnames:
                if argument != "request":
                    visit(argument)
        order.append(name)

    for name in info.names_closure:
        visit(name)
    return order


def _harmless(info, name: str) -> bool:
    if name in HARMLESS or name in _REGISTERED or name in {"request", "db"}:
        return True
    if name in WRITING:
        return False
    definition = _definition(info, name)
    if definition is None:
        return True
    if definition.scope != "function":
        return name != "seeded_demo"
    module = getattr(definition.func, "__module__", "") or ""
    return module.startswith(HARMLESS_MODULES)


def share_key(item) -> tuple | None:
    """What the test shares (its module and the registered fixtures it asks for that are the
    registered definitions, each with all it depends on shared), or None."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None or "seeded_demo" in info.names_closure or _is_transactional(item):
        return None
    names: list[str] = []
    for name, registered in _REGISTERED.items():
        definition = _definition(info, name)
        if (
            name in info.names_closure
            and definition is not None
            and getattr(definition.func, "__module__", None) == registered.module
            and all(dependency in names for dependency in registered.dependencies)
        ):
            names.append(name)
    if not names:
        return None
    order = _setup_order(info)
    last = max(order.index(name) for name in names)
    if not all(_harmless(info, name) for name in order[:last]):
        return None
    return (item.module, tuple(names))


class _Open:
    key: tuple | None = None
    atomic = None
    values: dict | None = None
    pickled: bytes | None = None
    mail: list = []

    def copy(self) -> dict:
        """A copy of the values for one test: unpickled from the bytes pickled when they were
        built (about six times faster than deep-copying model instances), or deep-copied when
        they cannot be pickled. Either way one copy for all, so shared references stay shared."""
        if self.pickled is None:
            return copy.deepcopy(self.values)
        return pickle.loads(self.pickled)

    def keep(self, values: dict) -> None:
        self.values = values
        try:
            self.pickled = pickle.dumps(values, pickle.HIGHEST_PROTOCOL)
        except Exception:  # not picklable (a lambda, a lazy QuerySet that would query here)
            self.pickled = None

    def close(self, blocker) -> None:
        if self.atomic is None:
            return
        from django.db import transaction

        with blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.key = self.atomic = self.values = self.pickled = None
        self.mail = []


_open = _Open()


def _blocker(config):
    from pytest_django.plugin import blocking_manager_key

    return config.stash[blocking_manager_key]


def _first_database_fixture(names: list[str]) -> int:
    for index, name in enumerate(names):
        if name in {"_django_db_marker", "db", "transactional_db", "_django_db_helper"}:
            return index
    return len(names)


def pytest_collection_modifyitems(items):
    for item in items:
        if share_key(item) is not None:
            # Before pytest-django's database fixtures: the shared transaction is the outer one.
            names = item.fixturenames
            names.insert(_first_database_fixture(names), FIXTURE)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        if _open.atomic is not None and (nextitem is None or share_key(nextitem) != _open.key):
            _open.close(_blocker(item.config))


def pytest_sessionfinish(session):
    if _open.atomic is not None:
        _open.close(_blocker(session.config))


@pytest.fixture
def _shared_data(request, django_db_setup, django_db_blocker):
    from django.core import mail
    from django.db import transaction

    key = share_key(request.node)
    if _open.atomic is not None and _open.key != key:
        _open.close(django_db_blocker)
    if _open.atomic is None:
        outbox = getattr(mail, "outbox", None)
        sent_before = len(outbox) if outbox is not None else 0
        outer = transaction.atomic()
        with django_db_blocker.unblock():
            outer.__enter__()
            try:
                values: dict = {}
                for name in key[1]:
                    registered = _REGISTERED[name]
                    values[name] = registered.build(*(values[d] for d in registered.dependencies))
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
        _open.key, _open.atomic = key, outer
        _open.keep(values)
        _open.mail = copy.deepcopy(outbox[sent_before:]) if outbox is not None else []
        return _open.copy()
    if _open.mail and getattr(mail, "outbox", None) is not None:
        mail.outbox.extend(copy.deepcopy(_open.mail))
    return _open.copy()
