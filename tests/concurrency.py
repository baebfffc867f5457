"""Two transactions at once on PostgreSQL with two real connections (SQLite has no row
locks and serialises writers): the tests that use this carry ``POSTGRESQL_ONLY``."""

import threading
import time

import pytest
from django.db import connection, transaction

POSTGRESQL_ONLY = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"),
]


def run_concurrently(first_move, second_move):
    """Run ``first_move`` in a transaction that holds its lock until the second move has
    started and had time to block; return what each raised (None when it succeeded) and
    whether the second was still waiting while the first held the lock."""
    first_holds_lock = threading.Event()
    second_started = threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                first_move()
                first_holds_lock.set()
                second_started.wait(5)
                time.sleep(0.5)  # keep the row locked while the second move waits for it
        except Exception as exc:  # noqa: BLE001 - reported to the test
            outcome["first"] = exc
        finally:
            first_holds_lock.set()
            connection.close()

    def second():
        first_holds_lock.wait(5)
        second_started.set()
        try:
            second_move()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            outcome["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    second_started.wait(5)
    time.sleep(0.25)
    second_was_waiting = threads[1].is_alive()
    for thread in threads:
        thread.join(10)
    return outcome.get("first"), outcome.get("second"), second_was_waiting
