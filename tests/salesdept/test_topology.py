"""The production topology run as a whole: two gunicorn web processes, two Celery workers and
one beat, started with the image's own scripts (deploy/), all against one PostgreSQL database
and one Redis.

- a session created on one web process works on the other;
- a report run triggered through the API is executed by a worker and recorded;
- a worker SIGKILLed in the middle of a run (its rows already written) loses nothing: the run
  is delivered again (late acknowledgement) to the other worker, which completes it, and the
  report table holds no duplicate rows (idempotent upserts);
- /healthz answers 200 on both web processes, and 503 once Redis is stopped.

The processes get their own Redis server on a free port (this test stops it; the shared one
on 6379 is never touched) and their own PostgreSQL database, created, migrated with
deploy/migrate.sh and dropped here. Runs only in CI's PostgreSQL + Redis pass; every wait is
bounded."""

from __future__ import annotations

import datetime
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
from django.conf import settings

PROJECT = Path(__file__).resolve().parents[2]
DEPLOY = PROJECT / "deploy"
REAL_KEY = "kq3!v9#Lr0wZt7pX2m@c8Hs5nYf1bJd6eQa4uT-gK0iW_oR2zN"
PASSWORD = "topology-pass-1"
SLOW_KIND = "conversion"
# What the settings modules read; the subprocesses get only the values given here.
STRIPPED = {
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CACHE_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "PYTEST_XDIST_WORKER",
    "SENTRY_DSN",
}

DATABASE = settings.DATABASES["default"]
pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        DATABASE["ENGINE"] != "django.db.backends.postgresql" or not settings.CELERY_BROKER_URL,
        reason="the topology test runs in the PostgreSQL + Redis pass (DATABASE_URL, CELERY_BROKER_URL)",
    ),
    pytest.mark.skipif(
        shutil.which("redis-server") is None, reason="needs redis-server to start its own Redis"
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(what: str, condition, timeout: float, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except (OSError, http.client.HTTPException):
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class Web:
    """A tiny HTTP client for one web process: no redirects followed, cookies passed by hand
    (production cookies are Secure, and the test speaks plain HTTP to the loopback)."""

    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, *, cookies: dict | None = None, headers=None, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = dict(headers or {})
        if cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return (
            response.status,
            response.headers,
            content,
            {name: morsel.value for name, morsel in jar.items()},
        )

    def healthz(self) -> tuple[int, dict]:
        status, _, content, _ = self.request("GET", "/healthz")
        return status, json.loads(content)


def assert_kept_alive_after(web: Web, *, idle: float) -> None:
    """Two requests on one connection, ``idle`` seconds apart, both answered on it."""
    connection = http.client.HTTPConnection("127.0.0.1", web.port, timeout=30)
    try:
        connection.request("GET", "/accounts/login/")
        first = connection.getresponse()
        first.read()
        assert first.status == 200
        assert first.getheader("Connection", "").lower() != "close"
        socket_used = connection.sock
        time.sleep(idle)
        connection.request("GET", "/accounts/login/")
        second = connection.getresponse()
        second.read()
        assert second.status == 200
        assert connection.sock is socket_used
    finally:
        connection.close()


class Topology:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self.processes[name] = process
        return process

    def kill(self, name: str, sig=signal.SIGKILL) -> None:
        process = self.processes[name]
        if process.poll() is None:
            os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def logs(self) -> str:
        tails = []
        for log in sorted(self.workdir.glob("*.log")):
            tails.append(
                f"--- {log.name} (last lines)\n"
                + "\n".join(log.read_text(errors="replace").splitlines()[-40:])
            )
        return "\n".join(tails)


def run(command: list[str], env: dict, timeout: int) -> None:
    result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"


def admin_sql(sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(
        dbname="postgres",
        user=DATABASE["USER"],
        password=DATABASE["PASSWORD"],
        host=DATABASE["HOST"],
        port=DATABASE["PORT"] or 5432,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def topology_sql(database: str, sql: str, params=()) -> list[tuple]:
    import psycopg2

    connection = psycopg2.connect(
        dbname=database,
        user=DATABASE["USER"],
        password=DATABASE["PASSWORD"],
        host=DATABASE["HOST"],
        port=DATABASE["PORT"] or 5432,
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.close()


def database_url(name: str) -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def topology(tmp_path):
    database = f"salesdept_topology_{uuid.uuid4().hex[:10]}"
    redis_port, port_a, port_b = free_port(), free_port(), free_port()
    markers = tmp_path / "markers"
    markers.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in STRIPPED}
    env.update(
        {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
            "DJANGO_SETTINGS_MODULE": "salesdept.settings.production",
            "SECRET_KEY": REAL_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": "http://127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url(database),
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
            "STATIC_ROOT": str(tmp_path / "static"),
            "WEB_CONCURRENCY": "1",
            "CELERY_CONCURRENCY": "1",
            "CELERY_BEAT_SCHEDULE_FILE": str(tmp_path / "celerybeat-schedule"),
            # Fast enough to watch: a heartbeat every 2 s, and a message whose worker died goes
            # back to the queue after 6 s (each run here takes well under that).
            "BEAT_HEARTBEAT_SECONDS": "2",
            "BEAT_HEARTBEAT_MAX_AGE": "30",
            "CELERY_VISIBILITY_TIMEOUT": "6",
            "CELERY_UNACKED_RESTORE_INTERVAL": "1",
            "CELERY_UNACKED_RESTORE_THROTTLE": "1",
            "TOPOLOGY_SLOW_KIND": SLOW_KIND,
            "TOPOLOGY_MARKER_DIR": str(markers),
        }
    )
    processes = Topology(tmp_path)
    admin_sql(f'CREATE DATABASE "{database}"')
    try:
        processes.start(
            "redis",
            [
                "redis-server",
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            env,
        )
        prebuilt = os.environ.get("TOPOLOGY_PREBUILT_STATIC")
        if prebuilt:
            # A STATIC_ROOT deploy/build.sh filled before, for quick runs on a busy machine.
            env["STATIC_ROOT"] = prebuilt
        else:
            run([str(DEPLOY / "build.sh")], env, timeout=900)
        run([str(DEPLOY / "migrate.sh")], env, timeout=600)
        run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from accounts.models import Role, Team, User;"
                "team = Team.objects.create(name='North');"
                f"User.objects.create_user(username='head', password='{PASSWORD}', role=Role.HEAD,"
                " first_name='Helen', last_name='Head');"
                f"User.objects.create_user(username='rep1', password='{PASSWORD}', role=Role.REP, team=team)",
            ],
            env,
            timeout=120,
        )
        processes.start("web_a", [str(DEPLOY / "start-web.sh")], {**env, "PORT": str(port_a), "BIND": ""})
        processes.start("web_b", [str(DEPLOY / "start-web.sh")], {**env, "PORT": str(port_b), "BIND": ""})
        for name in ("worker_1", "worker_2"):
            processes.start(
                name,
                [str(DEPLOY / "start-worker.sh"), "--include", "tests.salesdept.topology_slow"],
                {**env, "CELERY_HOSTNAME": f"{name}@%h"},
            )
        processes.start("beat", [str(DEPLOY / "start-beat.sh")], env)
        yield {
            "processes": processes,
            "a": Web(port_a),
            "b": Web(port_b),
            "database": database,
            "markers": markers,
        }
    except BaseException:
        print(processes.logs())
        raise
    finally:
        processes.stop_all()
        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def sign_in(web: Web) -> dict:
    status, _, content, cookies = web.request("GET", "/accounts/login/")
    assert status == 200
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1).decode()
    status, headers, _, signed_in = web.request(
        "POST",
        "/accounts/login/",
        cookies=cookies,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body=urlencode({"username": "head", "password": PASSWORD, "csrfmiddlewaretoken": token}),
    )
    assert status == 302, status
    assert "sessionid" in signed_in
    return {**cookies, **signed_in}


def report_run(web: Web, cookies: dict, pk: int) -> dict:
    status, _, content, _ = web.request("GET", f"/api/v1/report-runs/{pk}/", cookies=cookies)
    assert status == 200
    return json.loads(content)


def start_run(web: Web, cookies: dict, kind: str) -> dict:
    status, _, content, _ = web.request(
        "POST",
        "/api/v1/report-runs/",
        cookies=cookies,
        headers={"Content-Type": "application/json", "X-CSRFToken": cookies["csrftoken"]},
        body=json.dumps({"kinds": [kind]}),
    )
    assert status == 202, content
    (queued,) = json.loads(content)
    # Answered before any worker touched it: the run went through the broker.
    assert queued["status"] == "queued"
    return queued


def test_web_worker_and_beat_work_together_and_survive_a_lost_worker(topology):
    try:
        exercise(topology)
    except BaseException:
        print(topology["processes"].logs())  # shown with the failure
        raise


def exercise(topology) -> None:
    processes, web_a, web_b = topology["processes"], topology["a"], topology["b"]
    markers = topology["markers"]

    # Both web processes up, the beat's heartbeat taken by a worker: every check passes.
    for web in (web_a, web_b):
        wait_until(f"/healthz 200 on port {web.port}", lambda web=web: web.healthz()[0] == 200, timeout=180)
        assert web.healthz() == (200, {"database": "ok", "cache": "ok", "broker": "ok", "beat": "ok"})

    # A connection kept alive still answers after its client idled longer than gunicorn's
    # default keep-alive (2 s): the server is not the one to close it as a request is sent.
    assert_kept_alive_after(web_a, idle=3)

    # A session created on A works on B; without it B sends the visitor to sign in.
    cookies = sign_in(web_a)
    status, _, content, _ = web_b.request("GET", "/", cookies={"sessionid": cookies["sessionid"]})
    assert status == 200
    assert b"Helen Head" in content
    status, headers, _, _ = web_b.request("GET", "/")
    assert status == 302
    assert headers["Location"].startswith("/accounts/login/")

    # A run triggered on B is executed by a worker and recorded, as A sees it.
    queued = start_run(web_b, cookies, "activity")
    finished = wait_until(
        "the activity run to succeed",
        lambda: (run := report_run(web_a, cookies, queued["id"]))["status"] == "succeeded" and run,
        timeout=90,
    )
    assert finished["attempts"] == 1
    assert finished["rows_total"] > 0
    assert finished["rows_written"] == finished["rows_total"]

    # A worker SIGKILLed after writing a run's rows: the other one completes the run.
    queued = start_run(web_a, cookies, SLOW_KIND)
    stalled = markers / "stalled"
    wait_until("a worker to stall in the middle of the run", stalled.exists, timeout=90, interval=0.2)
    victim_pid = int(wait_until("the stalled worker's pid", lambda: stalled.read_text().strip(), timeout=5))
    workers = {processes.processes[name].pid: name for name in ("worker_1", "worker_2")}
    assert victim_pid in workers, (victim_pid, workers)
    assert report_run(web_a, cookies, queued["id"])["status"] == "running"
    processes.kill(workers[victim_pid])
    survivor_pid = next(pid for pid in workers if pid != victim_pid)

    finished = wait_until(
        "the interrupted run to complete on the other worker",
        lambda: (run := report_run(web_b, cookies, queued["id"]))["status"] == "succeeded" and run,
        timeout=120,
    )
    assert finished["attempts"] == 2
    executions = (markers / "executions").read_text().split()
    assert executions == [str(victim_pid), str(survivor_pid)]
    today = datetime.date.fromisoformat(finished["run_date"])
    database = topology["database"]
    rows = topology_sql(
        database,
        "SELECT scope, team_id, rep_id, count(*) FROM reports_conversionreport WHERE period = %s"
        " GROUP BY scope, team_id, rep_id ORDER BY scope",
        [today.replace(day=1)],
    )
    assert [row[0] for row in rows] == ["department", "rep", "team"]
    assert all(row[3] == 1 for row in rows), rows
    assert finished["rows_total"] == 3
    assert topology_sql(
        database,
        "SELECT count(*) FROM reports_reportrun WHERE kind = %s AND run_date = %s",
        [SLOW_KIND, today],
    ) == [(1,)]

    # Log lines carry time, level, logger and the request id (in a worker: the task id), and
    # gunicorn's access line ends with the id the response carried.
    workdir = processes.workdir
    worker_logs = "".join((workdir / f"{name}.log").read_text(errors="replace") for name in workers.values())
    assert re.search(
        r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} INFO celery\.app\.trace \[([0-9a-f-]{36})\] "
        r"Task reports\.run_report\[\1\] succeeded",
        worker_logs,
        re.MULTILINE,
    ), worker_logs[-2000:]
    status, headers, _, _ = web_a.request(
        "GET", "/accounts/login/", headers={"X-Request-ID": "topology-check-1"}
    )
    assert headers["X-Request-ID"] == "topology-check-1"
    wait_until(
        "the access log line with the request id",
        lambda: (
            '"GET /accounts/login/ HTTP/1.1" 200' in (log := (workdir / "web_a.log").read_text())
            and "id=topology-check-1" in log
        ),
        timeout=10,
    )

    # Redis stops: both web processes say so.
    for web in (web_a, web_b):
        assert web.healthz()[0] == 200
    processes.kill("redis", signal.SIGTERM)
    for web in (web_a, web_b):
        started = time.monotonic()
        status, checks = web.healthz()
        assert status == 503
        assert checks == {"database": "ok", "cache": "fail", "broker": "fail", "beat": "fail"}
        assert time.monotonic() - started < 15
