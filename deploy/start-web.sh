#!/bin/sh
# The web process: gunicorn on PORT (8000), WEB_CONCURRENCY worker processes (2) of WEB_THREADS
# threads each (4; salesdept/gunicorn_conf.py, with the keep-alive): on two cores, two processes
# of threads spent about a tenth less CPU a request under `make load` than four single-threaded
# ones (README, Performance). The access log line ends with the request id the app echoes
# (core/request_id.py). The master loads the app and warms it up once before forking
# (salesdept/gunicorn_conf.py, core/warmup.py).
set -eu
# A statement of the web process is cut off after this long (salesdept/settings/base.py): a
# threaded worker's request that hangs is not ended by gunicorn's --timeout, as a
# single-threaded worker's was.
export DATABASE_STATEMENT_TIMEOUT="${DATABASE_STATEMENT_TIMEOUT:-30s}"
cd "$(dirname "$0")/.."
exec gunicorn salesdept.wsgi \
  --config python:salesdept.gunicorn_conf \
  --bind "${BIND:-0.0.0.0:${PORT:-8000}}" \
  --workers "${WEB_CONCURRENCY:-2}" \
  --timeout "${GUNICORN_TIMEOUT:-60}" \
  --graceful-timeout 30 \
  --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
  --access-logfile - \
  --access-logformat '%(t)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s' \
  "$@"
