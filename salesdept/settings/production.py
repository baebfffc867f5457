"""Production settings: PostgreSQL, Redis, gunicorn, whitenoise.

Refuses to start without a real SECRET_KEY, without ALLOWED_HOSTS or without a
DATABASE_URL, so that a forgotten variable never silently signs sessions with the
development key or writes to a stray SQLite file.
"""

from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from .base import *  # noqa: F403
from .base import DATABASES, DEVELOPMENT_SECRET_KEY, env

IS_PRODUCTION = True


def _real_secret_key() -> str:
    key = env.str("SECRET_KEY", default="")
    if not key:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
    if key == DEVELOPMENT_SECRET_KEY or key.startswith("django-insecure"):
        raise ImproperlyConfigured("SECRET_KEY is the development key; set a real secret for production.")
    if len(key) < 50 or len(set(key)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY is too short or too simple: use at least 50 random characters."
        )
    return key


SECRET_KEY = _real_secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment for production.")
if not DATABASES:
    raise ImproperlyConfigured("DATABASE_URL must be set in the environment for production.")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files (attachments) go to S3-compatible object storage when a bucket is named:
# django-storages' S3 backend (install `django-storages[s3]`, which brings boto3) reads the
# AWS_* variables below. Without a bucket they stay on the filesystem under MEDIA_ROOT.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            # Files are private: downloads go through the app (visibility), never a public URL.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Source maps (half the bytes of the static files: the API docs' bundles) are read by developer
# tools only; compressing them took most of the image build's collectstatic.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

SITE_URL = env.str("SITE_URL", default="").rstrip("/")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# A database connection is kept for CONN_MAX_AGE seconds (not opened per request) and checked
# before a request reuses it, so a connection the server dropped is replaced, not an error.
for _database in DATABASES.values():
    _database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    _database["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)

# The sign-in lockout (django-axes) keeps its failure counts in the database, which every
# worker and machine shares, so it does not need a shared cache. Were it switched to a
# cache-based handler, a per-process cache would count per worker: refuse that.
if AXES_HANDLER != "axes.handlers.database.AxesDatabaseHandler" and (  # noqa: F405
    CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"  # noqa: F405
):
    raise ImproperlyConfigured(
        "The sign-in lockout needs a cache shared by all workers (set CACHE_URL to Redis) "
        "or axes' database handler."
    )
