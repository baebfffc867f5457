"""Settings shared by every environment; safe by default (cookiecutter-django style).

Everything that differs between a laptop and production comes from the environment,
read with django-environ. With nothing set, base is safe rather than convenient: DEBUG
is off, no host is allowed, there is no secret key, no database and no in-process
Celery. The laptop's conveniences (SQLite file, development key, console e-mail, eager
Celery) live in local.py, which `manage.py` and the Celery app use by default;
production.py refuses to start without the values it must have.
"""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# The key local.py falls back to; production.py refuses it.
DEVELOPMENT_SECRET_KEY = "django-insecure-salesdept-development-key-do-not-use-in-production"

IS_PRODUCTION = False

# --- Security: nothing is allowed until the environment says so.
SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "django_tables2",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "axes",
    "core",
    "accounts",
    "sync",
    "clients",
    "deals",
    "documents",
    "targets",
    "reports",
    "integrations",
    "demo",
]

MIDDLEWARE = [
    # The request id first, so every log line of the request carries it; /healthz next, so a
    # probe needs no session, no allowed host and no HTTPS (core/health.py).
    "core.request_id.RequestIdMiddleware",
    "core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A retried API write with the same Idempotency-Key gets the first answer (core/idempotency.py).
    "core.idempotency.IdempotencyMiddleware",
    "core.middleware.ConflictMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp)
# Scripts and styles come from our own static files only: no inline <script>, no on...=
# handlers, no style= attributes, no eval (htmx runs with allowEval off). The API docs pages
# relax it per view (salesdept/urls.py). tests/salesdept/test_frontend.py keeps it strict.
INSTALLED_APPS += ["csp"]
MIDDLEWARE += ["csp.middleware.CSPMiddleware"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

ROOT_URLCONF = "salesdept.urls"
WSGI_APPLICATION = "salesdept.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "reports.context_processors.notifications",
                "deals.context_processors.header",
            ],
        },
    },
]

# Forms and widgets render through Django's Jinja2 copies of its form templates (the same HTML,
# several times less CPU for a filter form's selects); core/renderers.py.
FORM_RENDERER = "core.renderers.FormRenderer"

# --- Database: DATABASE_URL (postgres://user:pass@host:5432/name or sqlite:///path).
# Without it there is no database here; local.py defaults to a SQLite file.


# A time like PostgreSQL's settings take it: 30s, 1500ms, 2min (or a number of milliseconds).
_PG_DURATION = re.compile(r"[0-9]{1,9}(ms|s|min)?")


def database(url: str) -> dict:
    """Django's DATABASES entry for a database URL, with CONN_MAX_AGE from the environment."""
    config = env.db_url_config(url)
    config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
    if config["ENGINE"] == "django.db.backends.postgresql":
        # The CRM's queries are short; PostgreSQL's JIT compilation cost more than it saved on
        # the board and warning queries at department scale (measured with EXPLAIN ANALYZE).
        options = ["-c jit=off"]
        # DATABASE_STATEMENT_TIMEOUT cuts a statement off after that long: deploy/start-web.sh
        # sets it (30s) for the web process, whose threaded gunicorn workers cannot end a
        # request that hangs (a statement waiting on a row lock); workers, the beat and
        # migrations run without it.
        timeout = env.str("DATABASE_STATEMENT_TIMEOUT", default="").strip()
        if timeout:
            if not _PG_DURATION.fullmatch(timeout):
                raise ImproperlyConfigured(
                    f"DATABASE_STATEMENT_TIMEOUT={timeout!r}: give a time such as 30s, 1500ms or 2min."
                )
            options.append(f"-c statement_timeout={timeout}")
        config.setdefault("OPTIONS", {})["options"] = " ".join(options)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # The embedded default serves several people at once: write-ahead logging lets readers
        # go on while one writes, IMMEDIATE transactions take the write lock up front (no
        # deadlock between two readers upgrading), and a writer waits up to 20 s for the lock
        # instead of failing with "database is locked".
        config.setdefault("OPTIONS", {}).update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
    return config


DATABASES = {"default": database(env.str("DATABASE_URL"))} if env.str("DATABASE_URL", default="") else {}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A book's hand-over chosen per client posts a field per client (accounts.handover takes up
# to MAX_ASSIGNMENTS = 5,000): Django's default of 1,000 fields answered a bare 400 for a
# larger book. The body stays bounded by DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5_200

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    # 0.6 rather than Django's 0.7: a username doubled ("rep10rep10!") scores 0.625.
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"max_similarity": 0.6},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule: Django calls password_changed() on every validator after a new password is
    # saved, which is where a user's API tokens are revoked.
    {"NAME": "accounts.passwords.RevokeApiTokensOnPasswordChange"},
]

# --- Sign-in lockout (django-axes) --------------------------------------------------------
# One policy for the login page, POST /api/v1/auth/token/ and /admin/login/: all three call
# authenticate(), which AxesStandaloneBackend guards. LOGIN_FAILURE_LIMIT wrong passwords for
# one username from one client address lock that pair for LOGIN_LOCKOUT_SECONDS; other names
# and other addresses are unaffected, so nobody can lock the department from one address.
# Failures are rows in the database (axes' database handler), shared by every worker and
# machine; nothing in it depends on the cache.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=900)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# These two read LOGIN_FAILURE_LIMIT and LOGIN_LOCKOUT_SECONDS at each sign-in.
AXES_FAILURE_LIMIT = "accounts.services.sign_in_failure_limit"
AXES_COOLOFF_TIME = "accounts.services.sign_in_cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A lock runs LOGIN_LOCKOUT_SECONDS from the failure that set it; knocking on a locked door
# does not extend it (the hand-written throttle behaved the same way).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.sign_in_locked_response"
# The client address: behind TRUSTED_PROXY_COUNT reverse proxies (each appending to
# X-Forwarded-For), the address the outermost trusted proxy saw. ipware counts the proxies
# *listed* in X-Forwarded-For, and the proxy nearest to us is REMOTE_ADDR, not listed; with
# IPWARE_STRICT off it reads the header from the right, so entries a client forges on the left
# are ignored. With no proxy the header is whatever the client wrote and is not read at all.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
IPWARE_STRICT = False
AXES_IPWARE_PROXY_ORDER = "left-most"
if TRUSTED_PROXY_COUNT > 0:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_PROXY_COUNT = None
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# API tokens (accounts.ApiToken) expire this many days after they are issued.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)
# How long GET /api/v1/deletions/ remembers a deleted record (the nightly run purges older ones).
TOMBSTONE_RETENTION_DAYS = env.int("TOMBSTONE_RETENTION_DAYS", default=180)
# Webhooks: HTTPS to public addresses only unless allowed (development, tests with a local
# receiver); each attempt waits at most WEBHOOK_TIMEOUT_SECONDS; a failed attempt is retried
# after WEBHOOK_RETRY_BASE_SECONDS × 2^(attempt-1), up to WEBHOOK_MAX_ATTEMPTS attempts; an
# endpoint is disabled after WEBHOOK_DISABLE_AFTER deliveries in a row failed every attempt.
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=False)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=False)
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=5)
WEBHOOK_RETRY_BASE_SECONDS = env.int("WEBHOOK_RETRY_BASE_SECONDS", default=30)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=6)
WEBHOOK_DISABLE_AFTER = env.int("WEBHOOK_DISABLE_AFTER", default=5)
# --- end of sign-in lockout ----------------------------------------------------------------

# --- Cache: CACHE_URL (redis://host:6379/2). Unset or empty: beside a Redis broker (below),
# otherwise process memory.


def cache_url_beside_broker(broker_url: str) -> str:
    """The broker's Redis URL with the database number CACHE_REDIS_DB (2), or the next one when
    the broker uses that: the cache and the task queue never share a Redis database, so
    flushing or evicting the cache never touches queued tasks."""
    parts = urlsplit(broker_url)
    path = parts.path.strip("/")
    broker_db = int(path) if path.isdigit() else 0
    cache_db = env.int("CACHE_REDIS_DB", default=2)
    if cache_db == broker_db:
        cache_db += 1
    return urlunsplit(parts._replace(path=f"/{cache_db}"))


def cache_config(cache_url: str, broker_url: str) -> dict:
    """CACHE_URL when set; else the broker's Redis server in another database, so cached counts
    (unread notifications) and the beat's heartbeat hold across every process; else memory."""
    if not cache_url and broker_url.startswith(("redis://", "rediss://")):
        cache_url = cache_url_beside_broker(broker_url)
    config = env.cache_url_config(cache_url or "locmemcache://")
    if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        # A Redis that is down is a quick error (and a failing /healthz), not a hung request.
        config.setdefault("OPTIONS", {}).update({"socket_connect_timeout": 2, "socket_timeout": 5})
    return config


CACHES = {"default": cache_config(env.str("CACHE_URL", default=""), env.str("CELERY_BROKER_URL", default=""))}

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers per language (salesdept/formats/<language>/formats.py): one date format
# per language across the product, and each language's thousand and decimal separators
# (templates group amounts with floatformat's "g" and core's money filters). Ids print
# ungrouped: USE_THOUSAND_SEPARATOR stays off so no id or URL part gets a separator.
FORMAT_MODULE_PATH = ["salesdept.formats"]
# The department's currency (ISO 4217), shown on every amount; exports carry the code.
DEPARTMENT_CURRENCY = env.str("DEPARTMENT_CURRENCY", default="RUB")
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "media/"

# --- E-mail: SMTP unless EMAIL_BACKEND says otherwise (local.py: the console).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="salesdept <noreply@localhost>")

# --- Products and proposals: the discount a rep may give on a line without a lead's
# approval (a new product's default; each product may set its own), and the stage an
# accepted proposal may move its deal to (by name).
DEFAULT_MAX_DISCOUNT_PERCENT = env.str("DEFAULT_MAX_DISCOUNT_PERCENT", default="10")
QUOTE_ACCEPTED_STAGE = env.str("QUOTE_ACCEPTED_STAGE", default="Contract")
QUOTE_VALID_DAYS = env.int("QUOTE_VALID_DAYS", default=30)
# Where people reach the site: links in e-mails are absolute from here. local.py uses the
# address `make run` serves; production must set it (a deploy check says so).
SITE_URL = env.str("SITE_URL", default="").rstrip("/")

# --- Celery: the broker at CELERY_BROKER_URL; local.py runs tasks in-process without one.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL) or None
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=1500)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=1800)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task whose worker process dies (SIGKILL, out of memory, a lost machine) goes back to the
# queue for another worker instead of being acknowledged as failed: the report tasks are
# idempotent (runs.py), so running one again writes the same rows.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# With the Redis broker, a message taken by a worker that died unacknowledged is delivered
# again after the visibility timeout. It must be longer than the longest task (the hard time
# limit), or a task still running would be delivered a second time.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 600),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
# Workers log through LOGGING below (time, level, logger, request id = the task id).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
# The nightly report run, at REPORTS_NIGHTLY_AT (HH:MM) in the department's time zone.
REPORTS_NIGHTLY_HOUR, REPORTS_NIGHTLY_MINUTE = (
    int(part) for part in env.str("REPORTS_NIGHTLY_AT", default="01:30").split(":")
)
# The beat's heartbeat: a tiny task every BEAT_HEARTBEAT_SECONDS that records the time;
# /healthz fails its "beat" check when the last one is older than BEAT_HEARTBEAT_MAX_AGE.
BEAT_HEARTBEAT_SECONDS = env.int("BEAT_HEARTBEAT_SECONDS", default=60)
BEAT_HEARTBEAT_MAX_AGE = env.int("BEAT_HEARTBEAT_MAX_AGE", default=5 * BEAT_HEARTBEAT_SECONDS)
# Seconds /healthz waits for the broker.
HEALTH_CHECK_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=2.0)
CELERY_BEAT_SCHEDULE: dict = {
    "reports-nightly": {
        "task": "reports.run_nightly",
        "schedule": crontab(hour=REPORTS_NIGHTLY_HOUR, minute=REPORTS_NIGHTLY_MINUTE),
    },
    "beat-heartbeat": {
        "task": "core.beat_heartbeat",
        "schedule": BEAT_HEARTBEAT_SECONDS,
        # Heartbeats nobody took in time say nothing: they are dropped, not piled up.
        "options": {"expires": BEAT_HEARTBEAT_SECONDS},
    },
    # API answers kept for Idempotency-Key retries are dropped after a day.
    "idempotency-purge": {
        "task": "core.idempotency_purge",
        "schedule": crontab(minute=17),
    },
    # Reminders before timed tasks and the morning digests (each sent once however often).
    "reminders-every-minute": {
        "task": "reports.send_reminders",
        "schedule": crontab(minute="*"),
    },
}

# A list filter's "no choice" option reads "Any" in the reader's language (django-filter's
# default is "---------", which stood beside filters that said "Everyone" or "All teams").
FILTERS_EMPTY_CHOICE_LABEL = _("Any")

# --- REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        # First: ?view=<id> puts a saved view's parameters under the request's own.
        "accounts.saved_views.SavedViewFilter",
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "core.api.OrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
API_MAX_PAGE_SIZE = 200
# JSON request bodies nested deeper than this are a 400 (Python's parser fails near 1,000).
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=64)
# Client import bounds (clients/imports.py): data rows, columns read, text per cell, and the
# bytes an XLSX may unpack to (5 MB of zip can hold gigabytes of XML).
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
IMPORT_MAX_COLUMNS = 100
IMPORT_MAX_CELL_LENGTH = 10_000
IMPORT_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024

# --- Documents (documents/): attachments, contracts, client requests.
# Attachments: the largest file accepted, and the types accepted (detected from the file's
# content, never its name: documents/files.py names what each key means).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
ATTACHMENT_ALLOWED_TYPES = env.list(
    "ATTACHMENT_ALLOWED_TYPES", default=["pdf", "png", "jpeg", "docx", "xlsx", "txt", "csv"]
)
# Moving a deal to won without an approved or signed contract: "warn" (the move happens and
# the page says so), "block" (refused: a form error, 400 on the API) or "off".
CONTRACT_REQUIRED_TO_WIN = env.str("CONTRACT_REQUIRED_TO_WIN", default="warn")
# How many hours the department has to answer a client request, per kind.
CLIENT_REQUEST_RESPONSE_HOURS = {"question": 24, "complaint": 8, "return": 72, "service": 48}

SPECTACULAR_SETTINGS = {
    "TITLE": "salesdept API",
    "DESCRIPTION": "REST API of the salesdept sales-department CRM.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The error statuses every operation can answer (core/schema.py), after the enum naming.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.add_error_responses",
    ],
    # Several models have a "kind" or "status" with different choices: name each set.
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "accounts.models.Role",
        "WebhookEventEnum": "integrations.models.WebhookEvent",
        "ActivityKindEnum": "clients.models.ActivityKind",
        "TaskKindEnum": "clients.models.TaskKind",
        "ForecastCategoryEnum": "deals.models.ForecastCategory",
        "TaskStatusEnum": "clients.models.TaskStatus",
        "NotificationKindEnum": "reports.models.NotificationKind",
        "ClientStatusEnum": "clients.models.ClientStatus",
        "StageKindEnum": "deals.models.StageKind",
        "FactKindEnum": "deals.models.FactKind",
        "ReportKindEnum": "reports.models.ReportKind",
        "RunStatusEnum": "reports.models.RunStatus",
        "AlertStatusEnum": "reports.models.AlertStatus",
        "ScopeEnum": "reports.models.Scope",
        "PeriodKindEnum": "reports.models.PeriodKind",
        "ContractStatusEnum": "documents.models.ContractStatus",
        "RequestKindEnum": "documents.models.RequestKind",
        "RequestStatusEnum": "documents.models.RequestStatus",
        "RequestPriorityEnum": "documents.models.RequestPriority",
    },
}

# Every line: time, level, logger, request id (core.request_id; the task id in a worker), message.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_id.RequestIdFilter"}},
    "formatters": {
        "default": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "default"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Error reporting: Sentry, only when SENTRY_DSN is set (web and workers alike).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        # Names, e-mails and addresses of the department's people stay out of error reports.
        send_default_pii=False,
    )

SESSION_COOKIE_AGE = 60 * 60 * 12
PASSWORD_RESET_TIMEOUT = int(timedelta(days=1).total_seconds())
# Sessions read from the cache, written through to the database: a request's session costs a
# cache read instead of a query (0.45 ms of CPU of the 1.3 ms a signed-in request costs before
# its view, measured in-process); the database keeps them when the cache is emptied. Only where
# every process reads the same cache (Redis): with each process's own memory, a session ended in
# one (signing out) would still be read from the others' memory.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    else "django.contrib.sessions.backends.db"
)
