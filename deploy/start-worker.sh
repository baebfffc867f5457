#!/bin/sh
# A Celery worker: start as many as the load needs, on as many machines (each its own
# CELERY_HOSTNAME when several share one machine), CELERY_CONCURRENCY processes each (2).
set -eu
cd "$(dirname "$0")/.."
exec celery -A salesdept worker \
  --loglevel "${LOG_LEVEL:-INFO}" \
  --concurrency "${CELERY_CONCURRENCY:-2}" \
  --hostname "${CELERY_HOSTNAME:-worker@%h}" \
  "$@"
