"""Celery tasks of core: the beat's heartbeat, which /healthz reads (core.health)."""

from celery import shared_task

from core.health import record_beat_heartbeat

BEAT_HEARTBEAT_TASK = "core.beat_heartbeat"


@shared_task(name=BEAT_HEARTBEAT_TASK, ignore_result=True)
def beat_heartbeat() -> None:
    record_beat_heartbeat()
