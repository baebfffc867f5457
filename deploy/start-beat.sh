#!/bin/sh
# The Celery beat: exactly one in the whole topology (two would start every run twice).
set -eu
cd "$(dirname "$0")/.."
exec celery -A salesdept beat \
  --loglevel "${LOG_LEVEL:-INFO}" \
  --schedule "${CELERY_BEAT_SCHEDULE_FILE:-/tmp/celerybeat-schedule}" \
  "$@"
