#!/bin/sh
# Build step shared by the Dockerfile and the topology test (tests/salesdept/test_topology.py):
# collect and compress the static files into STATIC_ROOT under the production settings.
# collectstatic never opens the database, so a build needs no secret, host or database: it
# gets throwaway values for what the production settings insist on.
set -eu
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-salesdept.settings.production}"
SECRET_KEY="${SECRET_KEY:-$(python -c 'import secrets; print(secrets.token_urlsafe(60))')}" \
ALLOWED_HOSTS="${ALLOWED_HOSTS:-build.invalid}" \
DATABASE_URL="${DATABASE_URL:-sqlite:////tmp/salesdept-build-unused.sqlite3}" \
  python manage.py collectstatic --no-input --verbosity 0
