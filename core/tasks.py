"""Celery tasks of core: the beat's heartbeat, which /healthz reads (core.health), the bulk
jobs (core.bulk) and the hourly purge of kept Idempotency-Key answers (core.idempotency)."""

from celery import shared_task

from core.health import record_beat_heartbeat

BEAT_HEARTBEAT_TASK = "core.beat_heartbeat"


@shared_task(name=BEAT_HEARTBEAT_TASK, ignore_result=True)
def beat_heartbeat() -> None:
    record_beat_heartbeat()


@shared_task(name="core.bulk_job_run")
def bulk_job_run(job_id: int) -> str:
    """One bulk job (core.bulk): every row in one transaction, progress in the cache."""
    from core.bulk import bulk_job_run as run

    return run(job_id)


@shared_task(name="core.idempotency_purge", ignore_result=True)
def idempotency_purge() -> int:
    from core.idempotency import purge_expired

    return purge_expired()
