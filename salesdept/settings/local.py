"""Laptop settings, what `make run` and `manage.py` use by default: DEBUG on, a SQLite file,
the development key, e-mail to the console and Celery tasks in-process without a broker.

Every value still comes from the environment first, so the same laptop can point at
PostgreSQL and Redis (DATABASE_URL, CELERY_BROKER_URL) without another settings module.
"""

from .base import *  # noqa: F403
from .base import BASE_DIR, CELERY_BROKER_URL, DEVELOPMENT_SECRET_KEY, database, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="") or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])

DATABASES = {
    "default": database(env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")

# Without a broker, tasks run in-process (CELERY_TASK_EAGER_PROPAGATES is on in base).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL

# Links in e-mails point at the address `make run` serves.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Webhooks may go to a receiver on this machine over plain HTTP while developing.
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=True)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=True)
