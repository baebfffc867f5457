"""Celery: in-process without a broker, a real worker through Redis with one."""

import pytest
from django.conf import settings

from salesdept.celery import app, ping


def test_without_a_broker_tasks_run_in_process():
    result = ping.apply_async()
    assert result.get(timeout=5) == "pong"


@pytest.mark.services
@pytest.mark.skipif(
    not settings.CELERY_BROKER_URL,
    reason="CELERY_BROKER_URL is not set: the real-broker round trip runs in the PostgreSQL + Redis pass",
)
def test_a_real_worker_answers_through_the_broker():
    from celery.contrib.testing.worker import start_worker

    app.conf.task_always_eager = False
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
        ):
            result = ping.delay()
            assert result.get(timeout=30) == "pong"
            assert app.connection().as_uri().startswith("redis://")
    finally:
        app.conf.task_always_eager = True
