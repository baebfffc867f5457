"""`make load`'s server CPU by request: loadtest/server.py notes each request's CPU time under
the name the mix gives it, and loadtest/run.py reads the notes back."""

from __future__ import annotations

from wsgiref.util import setup_testing_defaults

import pytest

from loadtest import run, server

pytestmark = pytest.mark.django_db


def serve(name: str | None) -> list[bytes]:
    environ: dict = {}
    setup_testing_defaults(environ)
    environ["PATH_INFO"] = "/healthz"
    if name is not None:
        environ[server.HEADER] = name
    statuses = []
    body = server.noting_cpu(environ, lambda status, headers, *rest: statuses.append(status))
    return statuses, b"".join(body)


def test_each_request_is_noted_by_its_name_and_read_back(tmp_path, monkeypatch):
    log = tmp_path / "cpu.log"
    monkeypatch.setattr(server, "LOG", str(log))
    for name in ("deal list", "deal list", "move on kanban", None, "kanban\n<script> ;rm -rf / ../x"):
        statuses, body = serve(name)
        assert statuses and statuses[0].split()[0] in {"200", "503"}  # the health answer itself
        assert body
    lines = log.read_text().splitlines()
    assert len(lines) == 5
    assert [line.split()[0] for line in lines] == [
        "deal_list",
        "deal_list",
        "move_on_kanban",
        "unnamed",
        "kanbanscript_rm_rf__x",  # letters, digits and spaces only: one word a line
    ]
    spent = run.cpu_by_request(log)
    assert sorted(spent) == ["deal list", "kanbanscript rm rf  x", "move on kanban", "unnamed"]
    assert len(spent["deal list"]) == 2
    assert all(value >= 0 for values in spent.values() for value in values)


def test_a_run_whose_directory_is_gone_still_answers(tmp_path, monkeypatch):
    monkeypatch.setattr(server, "LOG", str(tmp_path / "gone" / "cpu.log"))
    statuses, body = serve("deal list")
    assert statuses and body


def test_no_log_no_notes(tmp_path):
    assert run.cpu_by_request(tmp_path / "missing.log") == {}
