"""Where Debian's Chromium is and how the browser tests launch it."""

import os
import shutil
import threading
import time

from django.core.servers.basehttp import ThreadedWSGIServer

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server the browser tests use on SQLite.

    The test database there is in memory, so the live server's request threads all share the
    test's one connection (Django's ``connections_override``). A page that fires several
    requests at once (htmx panels, a phone page's fragments) then ran two queries on that
    connection at the same time, and the threads deadlocked inside sqlite3: the browser test
    and the whole suite hung (seen in CI, at the receivables page). Each request here holds a
    lock while the view runs and its body is read, so the connection serves one at a time;
    the connections themselves stay threaded, so the browser's keep-alive connections do not
    block one another."""

    # One per process: pytest-django's live server is one per test session.
    lock = threading.Lock()

    def set_app(self, application):
        lock = self.lock

        def one_at_a_time(environ, start_response):
            with lock:
                response = application(environ, start_response)
                try:
                    return list(response)  # a streamed body queries too: read it under the lock
                finally:
                    if hasattr(response, "close"):
                        response.close()

        super().set_app(one_at_a_time)


def wait_until_the_live_server_is_idle() -> None:
    """Until the request the live server is answering (if any) is done: a test may end, and
    close its browser, while a page's fragment is still being answered; flushing the tables
    under it then failed on SQLite ("database table is locked") and left rows behind for the
    next test. On PostgreSQL each request has its own connection and the flush waits for it."""
    with OneRequestAtATimeServer.lock:
        pass


def serialise_live_server_on_sqlite() -> None:
    """Make pytest-django's live server (Django's LiveServerThread) use the server above when
    the tests run on SQLite; on PostgreSQL each request thread has its own connection."""
    from django.db import connection
    from django.test.testcases import LiveServerThread

    if connection.vendor == "sqlite":
        LiveServerThread.server_class = OneRequestAtATimeServer


# An element htmx is requesting for, swapping or settling (htmx's own classes): the page is not
# done while one is there, even between two requests of a chain (a fragment that loads another).
HTMX_BUSY = "document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling') !== null"


def wait_for_quiet_network(page, quiet_ms: int = 40, timeout_ms: int = 15_000) -> None:
    """Until no request of the page has been in flight for ``quiet_ms`` and htmx is neither
    requesting, swapping nor settling anything: what Playwright's ``networkidle`` waits for
    (a fixed 500 ms of quiet), without waiting on a clock. The fragments htmx loads after the
    page (its ``load`` triggers) are requests like any other; a fragment that triggers the next
    one keeps its target ``htmx-settling`` until the next request has started, so a short quiet
    spell after htmx is idle is enough (the phone and policy tests open about 150 pages)."""
    state = getattr(page, "_quiet_watch", None)
    if state is None:
        state = page._quiet_watch = {"inflight": set(), "changed": time.monotonic()}

        def started(request):
            state["inflight"].add(request)
            state["changed"] = time.monotonic()

        def ended(request):
            state["inflight"].discard(request)
            state["changed"] = time.monotonic()

        page.on("request", started)
        page.on("requestfinished", ended)
        page.on("requestfailed", ended)
    page.wait_for_load_state("load")
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        page.wait_for_timeout(20)  # lets Playwright deliver the request events
        quiet = time.monotonic() - state["changed"]
        if not state["inflight"] and quiet * 1000 >= quiet_ms and not page.evaluate(HTMX_BUSY):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"requests still in flight after {timeout_ms} ms: {state['inflight']}")


def sign_in(page, base_url: str, username: str, password: str = "demo") -> None:
    """Sign in through the login page, as a person does, and wait for the home page."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
