"""``/healthz``: is this web process able to serve, and is the rest of the topology alive?

Anonymous and answered before any other middleware (no session, no host check, no HTTPS
redirect: a load balancer or ``docker compose`` probes it over plain HTTP by address). The
answer names each check and says ``ok`` or ``fail``, nothing else; why a check failed goes
to the log. 200 when every check passes, 503 otherwise.

- ``database``: a ``SELECT 1`` on the default database.
- ``cache``: a value written to the cache reads back.
- ``broker``: the Redis broker answers PING within ``HEALTH_CHECK_TIMEOUT`` seconds (skipped
  when tasks run in-process: there is no broker).
- ``beat``: the heartbeat the beat schedules every ``BEAT_HEARTBEAT_SECONDS`` was recorded by
  a worker less than ``BEAT_HEARTBEAT_MAX_AGE`` seconds ago (skipped when tasks run in-process:
  there is no beat). A stale heartbeat means the beat is down, or no worker takes its tasks.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

HEALTH_PATHS = frozenset({"/healthz", "/healthz/"})
BEAT_HEARTBEAT_KEY = "salesdept:beat-heartbeat"


def record_beat_heartbeat() -> None:
    """What the heartbeat task does: the time now, kept a while past the check's limit."""
    cache.set(BEAT_HEARTBEAT_KEY, time.time(), timeout=settings.BEAT_HEARTBEAT_MAX_AGE * 10)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not answer 1")


def check_cache() -> None:
    key, value = f"salesdept:healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return the value just written")
    finally:
        cache.delete(key)


def check_broker() -> None:
    url = settings.CELERY_BROKER_URL
    timeout = settings.HEALTH_CHECK_TIMEOUT
    if url.startswith(("redis://", "rediss://")):
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            client.ping()
        finally:
            client.close()
        return
    from kombu import Connection

    with Connection(url, connect_timeout=timeout) as broker:
        broker.ensure_connection(max_retries=1, timeout=timeout)


def check_beat() -> None:
    beat = cache.get(BEAT_HEARTBEAT_KEY)
    if beat is None:
        raise RuntimeError("no beat heartbeat recorded")
    age = time.time() - float(beat)
    if age > settings.BEAT_HEARTBEAT_MAX_AGE:
        raise RuntimeError(f"the last beat heartbeat is {age:.0f} s old")


def health_checks() -> dict[str, Callable[[], None]]:
    """The checks that apply here: broker and beat only when tasks go through a broker."""
    checks = {"database": check_database, "cache": check_cache}
    if not settings.CELERY_TASK_ALWAYS_EAGER and settings.CELERY_BROKER_URL:
        checks["broker"] = check_broker
        checks["beat"] = check_beat
    return checks


def health_status() -> dict[str, bool]:
    results = {}
    for name, check in health_checks().items():
        try:
            check()
        except Exception as error:  # a failing dependency is an answer, never a 500
            logger.warning("health check %s failed: %s: %s", name, type(error).__name__, error)
            results[name] = False
        else:
            results[name] = True
    return results


def healthz(request) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response = HttpResponse(status=405)
        response["Allow"] = "GET, HEAD"
        return response
    results = health_status()
    response = JsonResponse(
        {name: "ok" if passed else "fail" for name, passed in results.items()},
        status=200 if all(results.values()) else 503,
    )
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers ``/healthz`` itself, right after the request id and before everything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in HEALTH_PATHS:
            return healthz(request)
        return self.get_response(request)
