"""Shared fixtures: a small department with every role (alice/bob/charlie style)."""

from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import Role, Team, User
from tests import shared_data
from tests.browser.support import serialise_live_server_on_sqlite, wait_until_the_live_server_is_idle
from tests.factories import TeamFactory, UserFactory
from tests.migrated_template import (
    migrated_from_template,
    seed_the_demo,
    seeded_demo_available,
    seeded_demo_database,
)
from tests.shared_data import (  # noqa: F401 (the shared data's fixture and hooks)
    _shared_data,
    pytest_collection_modifyitems,
    pytest_runtest_teardown,
    pytest_sessionfinish,
)

# The order of the tests in a parallel run: the browser tests start early (tests/ordering.py).
pytest_plugins = ["tests.ordering"]

# Browser tests on SQLite: the live server answers one request at a time (see the class).
serialise_live_server_on_sqlite()

# --- Parallel runs (pytest-xdist: `make test` runs `-n auto`). Each worker has its own test
# database (pytest-django adds the worker's name) and, with a real broker, its own Celery queue
# (settings/test.py).


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, django_db_createdb):
    """pytest-django's hook before it sets up the test databases (its default adds the worker's
    suffix, kept here): an in-memory SQLite test database is copied from the migrated one kept
    by the previous run instead of migrating again (tests/migrated_template.py)."""
    with migrated_from_template(refresh=django_db_createdb):
        yield


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker):
    """The demo department (`seed_demo`), for the module whose tests ask for it.

    On the in-memory SQLite test database the demo is copied in from a kept file (seeded once
    per change of the code or the day, tests/migrated_template.py) and the database as it was
    copied back after the module. Elsewhere (PostgreSQL), like TestCase.setUpTestData: the
    seed is written inside a transaction that stays open for the module and is rolled back
    after its last test. Either way each test (marked django_db) runs in a savepoint on top of
    it, so a test may change the demo without the next one seeing it, and tests of other
    modules never see the demo at all. Not for transactional tests (django_db(transaction=True)
    or live_server), which would flush it."""
    from django.db import connection

    if seeded_demo_available(connection):
        demo = seeded_demo_database(connection, seed_the_demo)
    else:
        demo = _written_and_rolled_back(seed_the_demo)
    with django_db_blocker.unblock():
        demo.__enter__()  # a seed that fails leaves nothing behind: both undo themselves
    yield
    with django_db_blocker.unblock():
        demo.__exit__(None, None, None)


@contextmanager
def _written_and_rolled_back(write):
    """What ``write()`` writes, inside a transaction rolled back when the block ends."""
    from django.db import transaction

    with transaction.atomic():
        write()
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_query_log():
    """Query-count assertions read the connection's query log, which keeps only the last
    9,000 entries; start every test with an empty one so counts are never truncated."""
    from django.db import connections, reset_queries

    reset_queries()
    for connection in connections.all(initialized_only=True):
        connection.queries_log.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language. A request through the test client with
    another Accept-Language leaves that language active in the thread (LocaleMiddleware
    activates it and nothing deactivates it), so the next test on the same worker read its
    messages in Russian or Chinese: which test came next depended on the parallel run's
    distribution."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield


@pytest.fixture(autouse=True)
def _clear_cache():
    """Tests must not inherit each other's cached values (sign-in lockout lives in the database)."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class Department:
    north: Team
    south: Team
    head: User
    analyst: User
    lead_north: User
    lead_south: User
    lead_without_team: User
    rep_north: User
    rep_north_2: User
    rep_south: User
    rep_without_team: User
    sdr_north: User
    account_manager_south: User
    assistant_north: User
    assistant_without_team: User
    inactive_rep_north: User


def build_department() -> Department:
    north = TeamFactory(name="North")
    south = TeamFactory(name="South")

    def user(username, role, team=None, **extra):
        return UserFactory(username=username, role=role, team=team, **extra)

    lead_north = user("lead_north", Role.LEAD, north)
    lead_south = user("lead_south", Role.LEAD, south)
    north.lead = lead_north
    north.save()
    south.lead = lead_south
    south.save()
    return Department(
        north=north,
        south=south,
        head=user("head", Role.HEAD),
        analyst=user("analyst", Role.ANALYST),
        lead_north=lead_north,
        lead_south=lead_south,
        lead_without_team=user("lead_without_team", Role.LEAD),
        rep_north=user("rep_north", Role.REP, north),
        rep_north_2=user("rep_north_2", Role.REP, north),
        rep_south=user("rep_south", Role.REP, south),
        rep_without_team=user("rep_without_team", Role.REP),
        sdr_north=user("sdr_north", Role.SDR, north),
        account_manager_south=user("am_south", Role.ACCOUNT_MANAGER, south),
        assistant_north=user("assistant_north", Role.ASSISTANT, north),
        assistant_without_team=user("assistant_without_team", Role.ASSISTANT),
        inactive_rep_north=user("inactive_rep_north", Role.REP, north, is_active=False),
    )


shared_data.register("department", build_department, module=__name__)


@pytest.fixture
def department(request, db) -> Department:
    """Built once for consecutive tests of a module that share it (tests/shared_data.py)."""
    return shared_data.value(request, "department")


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as(api_client):
    """An API client authenticated as the given user (token auth, as REST clients use it)."""
    from django.utils import timezone

    from accounts.models import ApiToken
    from accounts.services import api_token_create

    def login(user: User) -> APIClient:
        issued = api_token_create(user=user, name="tests")
        # A token in steady use: its last_used_at is recent, so requests do not write it (it
        # is written at most every few minutes); query counts then measure the request alone.
        ApiToken.objects.filter(pk=issued.token.pk).update(last_used_at=timezone.now())
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {issued.key}")
        return api_client

    return login


# --- Browser tests: Playwright for Python driving Debian's Chromium (no browser download).
# One Playwright instance for the whole session, shared by every app's browser tests: its
# sync API owns the thread's event loop, so a second instance cannot start beside it.
# Without Chromium the tests skip with a message saying how to install it; under CI
# (CI=true) a missing browser is a failure, not a skip.


@pytest.fixture(scope="session")
def browser():
    import os

    from tests.browser.support import CHROMIUM, LAUNCH_ARGS

    if not os.path.exists(CHROMIUM):
        message = (
            f"Chromium not found at {CHROMIUM}: install it with `sudo apt-get install chromium` "
            "(or set CHROMIUM_PATH) to run the browser tests."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the Django ORM calls the
    # tests make around it (creating users) are still plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _live_server_idle_before_the_flush(request):
    """After a test with the live server (and before pytest-django flushes its tables): the
    browser contexts it left open closed, so no page asks for more, and the request being
    answered finished (tests/browser/support.py). Set up after the database fixtures, so
    this runs before their teardown; after the test's own fixtures (``page``)."""
    yield
    if "live_server" not in request.fixturenames:
        return
    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:
            context.close()
    wait_until_the_live_server_is_idle()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    new_page = context.new_page()
    new_page.set_default_timeout(15_000)
    yield new_page
    context.close()
