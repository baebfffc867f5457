"""The image, compose file and Procfile agree with each other and with the topology test: one
set of scripts (deploy/) builds and starts every process. (`docker compose config` checks the
compose file's syntax where Docker's compose plugin exists; this machine has none.)"""

import os
import re
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[2]
APP_SERVICES = {
    "migrate": "deploy/migrate.sh",
    "web": "deploy/start-web.sh",
    "worker": "deploy/start-worker.sh",
}


def compose() -> dict:
    return yaml.safe_load((PROJECT / "compose.yaml").read_text())


def test_every_deploy_script_is_executable_and_stops_on_errors():
    scripts = sorted((PROJECT / "deploy").glob("*.sh"))
    assert [script.name for script in scripts] == [
        "build.sh",
        "migrate.sh",
        "start-beat.sh",
        "start-web.sh",
        "start-worker.sh",
    ]
    for script in scripts:
        assert os.access(script, os.X_OK), script
        assert "set -eu" in script.read_text(), script


def test_the_image_builds_with_the_build_script_and_runs_as_a_user():
    dockerfile = (PROJECT / "Dockerfile").read_text()
    assert dockerfile.startswith("# ") and "FROM python:3.11-slim" in dockerfile
    assert "RUN pip install -r requirements.txt" in dockerfile
    assert "RUN deploy/build.sh" in dockerfile
    assert re.search(r"^USER salesdept$", dockerfile, re.MULTILINE)
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core", "fonts-noto-cjk"):
        assert package in dockerfile
    assert 'CMD ["deploy/start-web.sh"]' in dockerfile
    assert "/healthz" in dockerfile


def test_compose_runs_postgres_redis_a_one_shot_migrate_web_workers_and_one_beat():
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker", "beat"}
    for name, script in APP_SERVICES.items():
        assert services[name]["command"] == [script]
    assert services["beat"]["command"] == ["deploy/start-beat.sh"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    # Workers scale (`--scale worker=3`): nothing that two copies could not share.
    assert "container_name" not in services["worker"] and "ports" not in services["worker"]
    assert services["beat"]["deploy"] == {"replicas": 1}
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert services["web"]["environment"]["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert services["web"]["environment"]["DJANGO_SETTINGS_MODULE"] == "salesdept.settings.production"


def test_make_up_runs_the_same_scripts():
    procfile = (PROJECT / "Procfile").read_text().splitlines()
    assert procfile == [
        "web: deploy/start-web.sh",
        "worker: deploy/start-worker.sh",
        "beat: deploy/start-beat.sh",
    ]
    makefile = (PROJECT / "Makefile").read_text()
    assert (
        "deploy/build.sh" in makefile
        and "deploy/migrate.sh" in makefile
        and "honcho start -f Procfile" in makefile
    )
