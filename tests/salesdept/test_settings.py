"""Base is safe by default, local is the laptop's default, production refuses a missing or
development SECRET_KEY and passes check --deploy.

What a settings module computes from the environment is read by importing it afresh in this
process (`fresh_settings`), which costs milliseconds; a new Python process (about two seconds
for `manage.py check`) is started only where the process itself is the point: an entry point's
default settings module, `check --deploy`, seed_demo's refusal, Sentry's SDK."""

import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

PROJECT = Path(__file__).resolve().parents[2]
REAL_KEY = "kq3!v9#Lr0wZt7pX2m@c8Hs5nYf1bJd6eQa4uT-gK0iW_oR2zN"
# Production needs a database URL; `check` never connects, so any SQLite path will do.
SCRATCH_DATABASE_URL = "sqlite:////tmp/salesdept-settings-check.sqlite3"

SETTINGS_VARIABLES = {
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "EMAIL_BACKEND",
    "CACHE_URL",
    "CONN_MAX_AGE",
    "CONN_HEALTH_CHECKS",
    "SENTRY_DSN",
}


def _is_settings_module(name: str) -> bool:
    return name == "salesdept.settings" or name.startswith("salesdept.settings.")


def fresh_settings(module: str, **env_overrides) -> ModuleType:
    """The settings module `module` imported afresh with none of the settings variables in the
    environment, except those given: what a new process with that environment would compute.

    The settings modules read only os.environ (base.py calls no read_env, so no .env file is
    read). Every salesdept.settings module is taken out of sys.modules for the import and put
    back afterwards, and the environment restored, so the running Django never sees the fresh
    modules. An ImproperlyConfigured raised by the import propagates."""
    package = sys.modules["salesdept"]
    saved_attribute = package.__dict__.get("settings")
    saved = {name: loaded for name, loaded in sys.modules.items() if _is_settings_module(name)}
    with pytest.MonkeyPatch.context() as patch:
        for name in SETTINGS_VARIABLES:
            patch.delenv(name, raising=False)
        for name, value in env_overrides.items():
            patch.setenv(name, value)
        for name in saved:
            del sys.modules[name]
        try:
            return importlib.import_module(module)
        finally:
            for name in [name for name in sys.modules if _is_settings_module(name)]:
                del sys.modules[name]
            sys.modules.update(saved)
            if saved_attribute is None:
                package.__dict__.pop("settings", None)
            else:
                package.settings = saved_attribute


def refusal(module: str, **env_overrides) -> str:
    """The message of the ImproperlyConfigured that importing `module` raises."""
    with pytest.raises(ImproperlyConfigured) as refused:
        fresh_settings(module, **env_overrides)
    return str(refused.value)


def run_python(code: str, **env_overrides) -> subprocess.CompletedProcess:
    """Run code in a fresh interpreter with none of the settings variables set, except those given."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60
    )


def run_manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "salesdept.settings.production",
            "ALLOWED_HOSTS": "crm.example.com",
            "DATABASE_URL": os.environ.get("DATABASE_URL") or SCRATCH_DATABASE_URL,
        }
    )
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = "salesdept.settings.production"
# What run_manage sets besides the settings module: production's other two required values.
PRODUCTION_REQUIRED = {"ALLOWED_HOSTS": "crm.example.com", "DATABASE_URL": SCRATCH_DATABASE_URL}


def test_production_refuses_to_start_without_a_secret_key():
    message = refusal(PRODUCTION, **PRODUCTION_REQUIRED)
    assert "SECRET_KEY must be set in the environment for production" in message


def test_production_refuses_the_development_secret_key():
    from salesdept.settings.base import DEVELOPMENT_SECRET_KEY

    message = refusal(PRODUCTION, **PRODUCTION_REQUIRED, SECRET_KEY=DEVELOPMENT_SECRET_KEY)
    assert "SECRET_KEY is the development key" in message


def test_production_refuses_a_short_secret_key():
    message = refusal(PRODUCTION, **PRODUCTION_REQUIRED, SECRET_KEY="short-key")
    assert "SECRET_KEY is too short" in message


def test_production_refuses_to_start_without_allowed_hosts():
    message = refusal(PRODUCTION, **{**PRODUCTION_REQUIRED, "ALLOWED_HOSTS": ""}, SECRET_KEY=REAL_KEY)
    assert "ALLOWED_HOSTS must be set" in message


def test_production_refuses_to_start_without_a_database_url():
    message = refusal(PRODUCTION, **{**PRODUCTION_REQUIRED, "DATABASE_URL": ""}, SECRET_KEY=REAL_KEY)
    assert "DATABASE_URL must be set" in message


def test_production_imports_with_the_values_it_must_have():
    """The refusals above are each about their one missing value: with all of them set,
    production's settings import."""
    s = fresh_settings(PRODUCTION, **PRODUCTION_REQUIRED, SECRET_KEY=REAL_KEY)
    assert (s.SECRET_KEY, s.ALLOWED_HOSTS, s.IS_PRODUCTION) == (REAL_KEY, ["crm.example.com"], True)


def test_check_deploy_is_clean_with_real_values():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=REAL_KEY,
        SITE_URL="https://crm.example.com",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_seed_demo_refuses_to_run_under_production_settings():
    result = run_manage("seed_demo", SECRET_KEY=REAL_KEY)
    assert result.returncode != 0
    assert "seed_demo refuses to run under production settings" in result.stderr


def test_base_is_safe_by_default():
    """Nothing in the environment: no DEBUG, no allowed host, no key, no database, no eager Celery."""
    s = fresh_settings("salesdept.settings.base")
    assert (s.DEBUG, s.ALLOWED_HOSTS, s.SECRET_KEY, s.DATABASES, s.CELERY_TASK_ALWAYS_EAGER) == (
        False,
        [],
        "",
        {},
        False,
    )


def test_base_turns_debug_on_only_when_asked():
    assert fresh_settings("salesdept.settings.base", DEBUG="true").DEBUG is True


def test_the_laptop_default_uses_sqlite_eager_celery_and_console_mail():
    s = fresh_settings("salesdept.settings.local")
    assert (s.DEBUG, s.DATABASES["default"]["ENGINE"], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND) == (
        True,
        "django.db.backends.sqlite3",
        True,
        "django.core.mail.backends.console.EmailBackend",
    )


def test_database_cache_and_broker_come_from_the_environment():
    s = fresh_settings(
        "salesdept.settings.local",
        DATABASE_URL="postgres://crm@db.example:5432/crm",
        CONN_MAX_AGE="60",
        CACHE_URL="redis://cache.example:6379/2",
        CELERY_BROKER_URL="redis://cache.example:6379/3",
    )
    d = s.DATABASES["default"]
    assert [
        d["ENGINE"],
        d["NAME"],
        d["HOST"],
        d["PORT"],
        d["OPTIONS"]["options"],
        d["CONN_MAX_AGE"],
        s.CACHES["default"]["LOCATION"],
        s.CELERY_BROKER_URL,
        s.CELERY_TASK_ALWAYS_EAGER,
    ] == [
        "django.db.backends.postgresql",
        "crm",
        "db.example",
        5432,
        "-c jit=off",
        60,
        "redis://cache.example:6379/2",
        "redis://cache.example:6379/3",
        False,
    ]


def test_a_statement_timeout_is_set_only_when_asked_and_only_as_a_time():
    url = "postgres://crm@db.example:5432/crm"
    plain = fresh_settings("salesdept.settings.local", DATABASE_URL=url)
    assert plain.DATABASES["default"]["OPTIONS"]["options"] == "-c jit=off"
    web = fresh_settings("salesdept.settings.local", DATABASE_URL=url, DATABASE_STATEMENT_TIMEOUT="30s")
    assert web.DATABASES["default"]["OPTIONS"]["options"] == "-c jit=off -c statement_timeout=30s"
    for bad in ("30 s", "30s -c fsync=off", "-1", "1h"):
        with pytest.raises(ImproperlyConfigured, match="DATABASE_STATEMENT_TIMEOUT"):
            fresh_settings("salesdept.settings.local", DATABASE_URL=url, DATABASE_STATEMENT_TIMEOUT=bad)


def test_the_web_process_cuts_off_a_statement_after_its_timeout():
    """deploy/start-web.sh's timeout reaches PostgreSQL: with a short one, a statement that
    waits longer is cancelled (a threaded worker's hung request ends) instead of waiting on."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statement_timeout (the PostgreSQL pass)")
    script = (PROJECT / "deploy" / "start-web.sh").read_text()
    assert 'export DATABASE_STATEMENT_TIMEOUT="${DATABASE_STATEMENT_TIMEOUT:-30s}"' in script
    result = run_python(
        "import django; django.setup(); from django.db import connection, utils\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SHOW statement_timeout'); print(c.fetchone()[0])\n"
        "    try:\n"
        "        c.execute('SELECT pg_sleep(3)'); print('finished')\n"
        "    except utils.OperationalError as error:\n"
        "        print(type(error.__cause__).__name__)\n",
        DATABASE_URL=os.environ["DATABASE_URL"],
        DATABASE_STATEMENT_TIMEOUT="300ms",
        DJANGO_SETTINGS_MODULE="salesdept.settings.local",
    )
    assert result.stdout.split() == ["300ms", "QueryCanceled"], result.stderr


def test_the_celery_app_defaults_to_the_local_settings_not_base():
    result = run_python(
        "from salesdept.celery import app; from django.conf import settings as s;"
        "print(s.SETTINGS_MODULE, app.conf.task_always_eager, app.conf.task_serializer)"
    )
    assert result.stdout.split() == ["salesdept.settings.local", "True", "json"], result.stderr


def test_manage_py_defaults_to_the_local_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "diffsettings", "--output", "unified"],
        cwd=PROJECT,
        env={k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "+ DEBUG = True" in result.stdout
    assert "+ EMAIL_BACKEND = 'django.core.mail.backends.console.EmailBackend'" in result.stdout


def test_the_wsgi_entry_point_defaults_to_production():
    result = run_python("import salesdept.wsgi", ALLOWED_HOSTS="crm.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in the environment for production" in result.stderr


def test_check_deploy_refuses_a_missing_or_relative_site_url():
    # The process: `manage.py check --deploy` under production settings without a SITE_URL.
    result = run_manage("check", "--deploy", SECRET_KEY=REAL_KEY, SITE_URL="")
    assert result.returncode != 0
    assert "core.E001" in result.stderr + result.stdout
    # Each missing or relative value: the SITE_URL production's settings make of it, through the
    # same command's security checks (where core.E001 is registered) in this process.
    for value in ("", "/crm", "crm.example.com"):
        site_url = fresh_settings(
            PRODUCTION, **PRODUCTION_REQUIRED, SECRET_KEY=REAL_KEY, SITE_URL=value
        ).SITE_URL
        with override_settings(SITE_URL=site_url), pytest.raises(SystemCheckError, match=r"core\.E001"):
            call_command("check", "--deploy", "--tag", "security")


PRODUCTION_ENV = {
    "SECRET_KEY": REAL_KEY,
    "ALLOWED_HOSTS": "crm.example.com",
    "DATABASE_URL": "postgres://crm@db.example:5432/crm",
}


def topology(**env_overrides) -> list:
    """Production's connection age and checks, broker, cache backend and cache location."""
    s = fresh_settings(PRODUCTION, **PRODUCTION_ENV, **env_overrides)
    d = s.DATABASES["default"]
    cache = s.CACHES["default"]
    return [
        d["CONN_MAX_AGE"],
        d["CONN_HEALTH_CHECKS"],
        s.CELERY_BROKER_URL,
        cache["BACKEND"],
        cache["LOCATION"],
    ]


def test_production_keeps_database_connections_a_minute_and_checks_them():
    assert topology(CELERY_BROKER_URL="redis://redis:6379/0") == [
        60,
        True,
        "redis://redis:6379/0",
        "django.core.cache.backends.redis.RedisCache",
        "redis://redis:6379/2",
    ]


def test_production_connection_age_and_checks_come_from_the_environment():
    result = topology(CELERY_BROKER_URL="redis://redis:6379/0", CONN_MAX_AGE="0", CONN_HEALTH_CHECKS="false")
    assert result[:2] == [0, False]


def test_the_cache_never_shares_the_brokers_redis_database():
    cases = {
        # broker → cache (CI's second pass uses database 1 for the broker)
        "redis://redis:6379/0": "redis://redis:6379/2",
        "redis://redis:6379/1": "redis://redis:6379/2",
        "redis://redis:6379/2": "redis://redis:6379/3",
        "redis://:secret@redis:6379": "redis://:secret@redis:6379/2",
    }
    for broker, cache in cases.items():
        assert topology(CELERY_BROKER_URL=broker)[2:] == [
            broker,
            "django.core.cache.backends.redis.RedisCache",
            cache,
        ], broker


def test_cache_url_wins_over_the_broker_and_the_tests_keep_a_memory_cache():
    assert topology(CELERY_BROKER_URL="redis://redis:6379/0", CACHE_URL="redis://c:6379/5")[-1] == (
        "redis://c:6379/5"
    )
    s = fresh_settings("salesdept.settings.test", CELERY_BROKER_URL="redis://127.0.0.1:6379/1")
    assert s.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


SENTRY_STATE = (
    "import django; django.setup(); import sentry_sdk; client = sentry_sdk.get_client();"
    "print(client.is_active(), sorted(name for name in ('django', 'celery')"
    " if client.get_integration(name) is not None))"
)


# A process of its own for each: Sentry's SDK, once initialised, stays so for the process.
SENTRY_ENV = {"DJANGO_SETTINGS_MODULE": PRODUCTION, **PRODUCTION_ENV}


def test_without_sentry_dsn_settings_import_and_nothing_reports_errors():
    result = run_python(SENTRY_STATE, **SENTRY_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False []"


def test_with_sentry_dsn_errors_go_to_sentry_from_django_and_celery():
    result = run_python(SENTRY_STATE, **SENTRY_ENV, SENTRY_DSN="https://public@sentry.example.invalid/1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True ['celery', 'django']"


CACHED_DB = "django.contrib.sessions.backends.cached_db"
DB_SESSIONS = "django.contrib.sessions.backends.db"


def test_sessions_are_read_through_the_cache_only_where_every_process_shares_it():
    """A session ended in one process (signing out) must end in all: with each process's own
    memory for a cache, the others would still read it from theirs, so sessions stay in the
    database alone; on Redis (CACHE_URL, or the broker's server) they are read through it."""
    production = {**PRODUCTION_REQUIRED, "SECRET_KEY": REAL_KEY}
    assert fresh_settings(PRODUCTION, **production).SESSION_ENGINE == DB_SESSIONS
    shared = fresh_settings(PRODUCTION, **production, CELERY_BROKER_URL="redis://redis:6379/0")
    assert shared.SESSION_ENGINE == CACHED_DB
    assert fresh_settings(PRODUCTION, **production, CACHE_URL="redis://c:6379/5").SESSION_ENGINE == CACHED_DB
    memory = fresh_settings(
        PRODUCTION, **production, CELERY_BROKER_URL="redis://redis:6379/0", CACHE_URL="locmemcache://"
    )
    assert memory.SESSION_ENGINE == DB_SESSIONS
    assert fresh_settings("salesdept.settings.local").SESSION_ENGINE == DB_SESSIONS
    # the tests: one process per test database, whose memory is every reader's cache
    assert fresh_settings("salesdept.settings.test").SESSION_ENGINE == CACHED_DB
