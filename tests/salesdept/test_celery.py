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


def test_a_task_whose_worker_dies_goes_back_to_the_queue_for_another():
    """Late acknowledgement, requeued when the worker process is lost, and the Redis broker's
    redelivery of a dead worker's message only after the longest a task may run."""
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] == 2400
    assert app.conf.broker_transport_options["visibility_timeout"] > app.conf.task_time_limit == 1800
