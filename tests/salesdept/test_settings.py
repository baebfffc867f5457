"""Base is safe by default, local is the laptop's default, production refuses a missing or
development SECRET_KEY and passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

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


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in the environment for production" in result.stderr


def test_production_refuses_the_development_secret_key():
    from salesdept.settings.base import DEVELOPMENT_SECRET_KEY

    result = run_manage("check", SECRET_KEY=DEVELOPMENT_SECRET_KEY)
    assert result.returncode != 0
    assert "SECRET_KEY is the development key" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_manage("check", SECRET_KEY="short-key")
    assert result.returncode != 0
    assert "SECRET_KEY is too short" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", SECRET_KEY=REAL_KEY, ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_refuses_to_start_without_a_database_url():
    result = run_manage("check", SECRET_KEY=REAL_KEY, DATABASE_URL="")
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr


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
    result = run_python(
        "import salesdept.settings.base as s;"
        "print(s.DEBUG, s.ALLOWED_HOSTS, repr(s.SECRET_KEY), s.DATABASES, s.CELERY_TASK_ALWAYS_EAGER)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "[]", "''", "{}", "False"]


def test_base_turns_debug_on_only_when_asked():
    result = run_python("import salesdept.settings.base as s; print(s.DEBUG)", DEBUG="true")
    assert result.stdout.split() == ["True"]


def test_the_laptop_default_uses_sqlite_eager_celery_and_console_mail():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SETTINGS_MODULE, s.DEBUG, s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER,"
        " s.EMAIL_BACKEND)",
        DJANGO_SETTINGS_MODULE="salesdept.settings.local",
    )
    assert result.stdout.split() == [
        "salesdept.settings.local",
        "True",
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ], result.stderr


def test_database_cache_and_broker_come_from_the_environment():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'], d['OPTIONS']['options'], d['CONN_MAX_AGE'],"
        " s.CACHES['default']['LOCATION'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER)",
        DJANGO_SETTINGS_MODULE="salesdept.settings.local",
        DATABASE_URL="postgres://crm@db.example:5432/crm",
        CONN_MAX_AGE="60",
        CACHE_URL="redis://cache.example:6379/2",
        CELERY_BROKER_URL="redis://cache.example:6379/3",
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "crm",
        "db.example",
        "5432",
        "-c",
        "jit=off",
        "60",
        "redis://cache.example:6379/2",
        "redis://cache.example:6379/3",
        "False",
    ], result.stderr


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
    for value in ("", "/crm", "crm.example.com"):
        result = run_manage("check", "--deploy", SECRET_KEY=REAL_KEY, SITE_URL=value)
        assert result.returncode != 0
        assert "core.E001" in result.stderr + result.stdout


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "salesdept.settings.production",
    "SECRET_KEY": REAL_KEY,
    "ALLOWED_HOSTS": "crm.example.com",
    "DATABASE_URL": "postgres://crm@db.example:5432/crm",
}
PRINT_TOPOLOGY = (
    "import django; django.setup(); from django.conf import settings as s; d = s.DATABASES['default'];"
    "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND'],"
    " s.CACHES['default']['LOCATION'])"
)


def test_production_keeps_database_connections_a_minute_and_checks_them():
    result = run_python(PRINT_TOPOLOGY, **PRODUCTION_ENV, CELERY_BROKER_URL="redis://redis:6379/0")
    assert result.stdout.split() == [
        "60",
        "True",
        "redis://redis:6379/0",
        "django.core.cache.backends.redis.RedisCache",
        "redis://redis:6379/2",
    ], result.stderr


def test_production_connection_age_and_checks_come_from_the_environment():
    result = run_python(
        PRINT_TOPOLOGY,
        **PRODUCTION_ENV,
        CELERY_BROKER_URL="redis://redis:6379/0",
        CONN_MAX_AGE="0",
        CONN_HEALTH_CHECKS="false",
    )
    assert result.stdout.split()[:2] == ["0", "False"], result.stderr


def test_the_cache_never_shares_the_brokers_redis_database():
    cases = {
        # broker → cache (CI's second pass uses database 1 for the broker)
        "redis://redis:6379/0": "redis://redis:6379/2",
        "redis://redis:6379/1": "redis://redis:6379/2",
        "redis://redis:6379/2": "redis://redis:6379/3",
        "redis://:secret@redis:6379": "redis://:secret@redis:6379/2",
    }
    for broker, cache in cases.items():
        result = run_python(PRINT_TOPOLOGY, **PRODUCTION_ENV, CELERY_BROKER_URL=broker)
        assert result.stdout.split()[2:] == [broker, "django.core.cache.backends.redis.RedisCache", cache], (
            broker,
            result.stderr,
        )


def test_cache_url_wins_over_the_broker_and_the_tests_keep_a_memory_cache():
    result = run_python(
        PRINT_TOPOLOGY,
        **PRODUCTION_ENV,
        CELERY_BROKER_URL="redis://redis:6379/0",
        CACHE_URL="redis://c:6379/5",
    )
    assert result.stdout.split()[-1] == "redis://c:6379/5", result.stderr
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        " print(s.CACHES['default']['BACKEND'])",
        DJANGO_SETTINGS_MODULE="salesdept.settings.test",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/1",
    )
    assert result.stdout.split() == ["django.core.cache.backends.locmem.LocMemCache"], result.stderr


SENTRY_STATE = (
    "import django; django.setup(); import sentry_sdk; client = sentry_sdk.get_client();"
    "print(client.is_active(), sorted(name for name in ('django', 'celery')"
    " if client.get_integration(name) is not None))"
)


def test_without_sentry_dsn_settings_import_and_nothing_reports_errors():
    result = run_python(SENTRY_STATE, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False []"


def test_with_sentry_dsn_errors_go_to_sentry_from_django_and_celery():
    result = run_python(SENTRY_STATE, **PRODUCTION_ENV, SENTRY_DSN="https://public@sentry.example.invalid/1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True ['celery', 'django']"
