"""Production settings refuse a missing or development SECRET_KEY and pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
REAL_KEY = "kq3!v9#Lr0wZt7pX2m@c8Hs5nYf1bJd6eQa4uT-gK0iW_oR2zN"


def run_manage(*args, **env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        {"DJANGO_SETTINGS_MODULE": "salesdept.settings.production", "ALLOWED_HOSTS": "crm.example.com"}
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


def test_embedded_default_uses_sqlite_eager_celery_and_console_mail():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)"
    )
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_BACKEND"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "salesdept.settings.base"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_database_and_broker_come_from_the_environment():
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['HOST'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER)"
    )
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="salesdept.settings.base",
        DATABASE_URL="postgres://crm@db.example:5432/crm",
        CELERY_BROKER_URL="redis://cache.example:6379/3",
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "crm",
        "db.example",
        "redis://cache.example:6379/3",
        "False",
    ]


@pytest.mark.django_db
def test_celery_is_configured_for_json_and_time_limits():
    from salesdept.celery import app

    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit > 0


def test_check_deploy_refuses_a_missing_or_relative_site_url():
    for value in ("", "/crm", "crm.example.com"):
        result = run_manage("check", "--deploy", SECRET_KEY=REAL_KEY, SITE_URL=value)
        assert result.returncode != 0
        assert "core.E001" in result.stderr + result.stdout
