"""/healthz: anonymous, answered before sessions and host checks, names each check with ok or
fail and nothing else; 200 when all pass, 503 otherwise."""

import json
import time

import pytest
from celery.signals import beat_init
from django.contrib.sessions.models import Session
from django.core.cache import cache

from core import health
from core.tasks import beat_heartbeat
from salesdept.celery import app

pytestmark = pytest.mark.django_db

# Nothing listens on port 1 of the loopback: a connection there is refused at once.
DEAD_BROKER = "redis://127.0.0.1:1/0"


def body(response) -> dict:
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.fixture
def with_broker(settings):
    """The settings of a process whose tasks go through a broker (to a beat and workers)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = DEAD_BROKER
    settings.HEALTH_CHECK_TIMEOUT = 0.5
    return settings


def test_in_process_tasks_check_the_database_and_the_cache_only(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert body(response) == {"database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_anonymous_and_no_session_or_cookie(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert not response.cookies
    assert Session.objects.count() == 0


def test_a_probe_by_address_is_answered_whatever_the_host(client, settings):
    settings.ALLOWED_HOSTS = ["crm.example.com"]
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    # The same host on any other page is refused.
    assert client.get("/accounts/login/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_only_get_and_head(client):
    assert client.head("/healthz").status_code == 200
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_a_broker_that_does_not_answer_fails_broker_and_beat(client, with_broker):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert body(response) == {"database": "ok", "cache": "ok", "broker": "fail", "beat": "fail"}


def test_a_fresh_heartbeat_passes_the_beat_check(client, with_broker, monkeypatch):
    monkeypatch.setattr(health, "check_broker", lambda: None)
    cache.delete(health.BEAT_HEARTBEAT_KEY)
    assert body(client.get("/healthz"))["beat"] == "fail"
    beat_heartbeat()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert body(response) == {"database": "ok", "cache": "ok", "broker": "ok", "beat": "ok"}


def test_the_beat_sends_its_first_heartbeat_as_it_starts(client, settings, monkeypatch):
    """Not one interval later: a fresh deployment's /healthz was 503 for its first minute."""
    monkeypatch.setattr(health, "check_broker", lambda: None)
    cache.delete(health.BEAT_HEARTBEAT_KEY)
    beat_init.send(sender=None)  # tasks run in-process here: the heartbeat is recorded at once
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = DEAD_BROKER

    response = client.get("/healthz")
    assert response.status_code == 200
    assert body(response)["beat"] == "ok"


def test_a_stale_heartbeat_fails_the_beat_check(client, with_broker, monkeypatch):
    monkeypatch.setattr(health, "check_broker", lambda: None)
    with_broker.BEAT_HEARTBEAT_MAX_AGE = 180
    cache.set(health.BEAT_HEARTBEAT_KEY, time.time() - 181)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert body(response)["beat"] == "fail"
    cache.set(health.BEAT_HEARTBEAT_KEY, time.time() - 170)
    assert client.get("/healthz").status_code == 200


def test_a_failure_says_fail_and_keeps_the_reason_for_the_log(client, monkeypatch, caplog):
    def broken():
        raise RuntimeError("password authentication failed for user salesdept at db.internal")

    monkeypatch.setattr(health, "check_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert body(response) == {"database": "fail", "cache": "ok"}
    assert b"db.internal" not in response.content
    assert "health check database failed: RuntimeError: password authentication failed" in caplog.text


def test_the_beat_schedules_the_heartbeat_every_minute():
    entry = app.conf.beat_schedule["beat-heartbeat"]
    assert entry["task"] == "core.beat_heartbeat"
    assert entry["schedule"] == 60
    assert entry["options"] == {"expires": 60}
    assert "core.beat_heartbeat" in app.tasks
