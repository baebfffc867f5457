"""The embedded default (SQLite, what `make run` serves) takes concurrent writers.

A real server process on a SQLite file, eight people saving at the same moment: every
save answers 201 and every row is there. Before WAL, IMMEDIATE transactions and a busy
timeout, about half of such saves answered 500 "database is locked"."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.migrated_template import copy_kept_database

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 8
SAVES_EACH = 6


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _call(url: str, *, method: str = "GET", data: dict | None = None, token: str | None = None):
    request = urllib.request.Request(url, method=method, data=json.dumps(data).encode() if data else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read()[:300]


# Each writer gets an API token straight from the service: signing in with a password would
# hash it with the laptop settings' real hasher, sixteen times (about 5 s of CPU) for what this
# test does not look at (the token endpoint has its own tests).
SETUP = f"""
import json
from accounts.models import Role, User
from accounts.services import api_token_create
from clients.models import Client
tokens = []
for n in range({WRITERS}):
    user = User.objects.create_user(f"writer{{n}}", password=None, role=Role.REP)
    Client.objects.create(name=f"Client of writer {{n}}", owner=user)
    tokens.append(api_token_create(user=user, name="concurrency").key)
print(json.dumps(tokens))
"""


@pytest.fixture
def sqlite_server(tmp_path, django_db_setup):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    database = tmp_path / "db.sqlite3"
    env["DATABASE_URL"] = f"sqlite:///{database}"
    manage = [sys.executable, str(ROOT / "manage.py")]
    # A copy of the migrated database instead of migrating again (some fourteen seconds).
    if not copy_kept_database(database):
        subprocess.run(
            [*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT, timeout=300
        )
    made = subprocess.run(
        [*manage, "shell", "-c", SETUP],
        env=env,
        check=True,
        cwd=ROOT,
        timeout=120,
        capture_output=True,
        text=True,
    )
    tokens = json.loads(made.stdout.strip().splitlines()[-1])
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield base, tokens
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_eight_simultaneous_writers_all_succeed(sqlite_server):
    sqlite_server, tokens = sqlite_server
    clients = []
    for token in tokens:
        status, body = _call(f"{sqlite_server}/api/v1/clients/", token=token)
        assert status == 200, body
        clients.append(body["results"][0]["id"])
    assert len(clients) == WRITERS

    statuses: list[int] = []
    start = threading.Barrier(WRITERS)

    def write(n: int) -> None:
        start.wait()
        for save in range(SAVES_EACH):
            status, _ = _call(
                f"{sqlite_server}/api/v1/activities/",
                method="POST",
                token=tokens[n],
                data={
                    "client": clients[n],
                    "kind": "call",
                    "direction": "outgoing",
                    "outcome": f"call {save}",
                },
            )
            statuses.append(status)
            status, _ = _call(
                f"{sqlite_server}/api/v1/clients/{clients[n]}/",
                method="PATCH",
                token=tokens[n],
                data={"notes": f"after call {save}"},
            )
            statuses.append(status)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert sorted(set(statuses)) == [200, 201]
    assert statuses.count(201) == WRITERS * SAVES_EACH
    for n in range(WRITERS):
        status, body = _call(f"{sqlite_server}/api/v1/activities/?client={clients[n]}", token=tokens[n])
        assert status == 200
        assert body["count"] == SAVES_EACH
