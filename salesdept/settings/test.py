"""Test settings: local.py (same database choice: DATABASE_URL or the SQLite default) with fast
hashing, in-memory e-mail and storage."""

import os

from .local import *  # noqa: F403
from .local import env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "en"
# Each test process keeps its own cache even when a Redis broker is set (CI's second pass):
# parallel test workers must not read each other's cached counts.
CACHES = {"default": env.cache_url_config(env.str("CACHE_URL", default="") or "locmemcache://")}
# Sessions through the cache as in production (base.py), on either pass: each test process has
# its own database and serves its own live server, so its memory is every reader's cache.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Serve static files straight from the apps, as `runserver` does, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tests run tasks in-process; the tests that exercise the real broker start a worker
# and switch eager mode off for their duration (see tests/salesdept/test_celery.py).
CELERY_TASK_ALWAYS_EAGER = True
# In a parallel run (pytest-xdist) each worker's Celery tasks go to its own queue: a real
# worker started by one test session must not take another's tasks into the wrong database.
if os.environ.get("PYTEST_XDIST_WORKER"):
    CELERY_TASK_DEFAULT_QUEUE = f"salesdept-tests-{os.environ['PYTEST_XDIST_WORKER']}"
# Webhook tests deliver to a receiver on the loopback, without waiting between retries.
WEBHOOK_RETRY_BASE_SECONDS = 0
WEBHOOK_TIMEOUT_SECONDS = 3
