#!/bin/sh
# One-shot release step (compose's `migrate` service, the topology test): apply migrations.
set -eu
cd "$(dirname "$0")/.."
exec python manage.py migrate --no-input
