"""``make load``: the load mix (loadtest/locustfile.py) against gunicorn, bounded and local.

Starts gunicorn as deploy/start-web.sh does (2 workers of 4 threads) on 127.0.0.1 (loopback
only) against DATABASE_URL, waits until
it answers, runs Locust headless with a bounded number of users for a bounded time, then stops
gunicorn and prints requests/s, p50/p95/p99, errors and the server's CPU time per request
(the gunicorn processes' user+system CPU time, read with psutil, before and after, divided by
the requests served), and that CPU time by request (loadtest/server.py notes each request's
thread CPU time under the name the mix gives it)."""

from __future__ import annotations

import argparse
import csv
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


def cpu_times(master: psutil.Process) -> tuple[float, float]:
    """User and system CPU time of gunicorn's master and its live workers."""
    user = system = 0.0
    for process in [master, *master.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        user += times.user
        system += times.system
    return user, system


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer at {url} within {seconds:.0f} s")


SESSIONS_CODE = """
import json, django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from accounts.models import User
keys = {}
for user in User.objects.filter(username__in=%r, is_active=True):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys[user.username] = session.session_key
print(json.dumps(keys))
"""


def signed_in_sessions(env: dict, usernames: list[str]) -> str:
    """A session per demo login, written straight into the session store: the mix measures
    the pages, not twenty password hashes at once (signing in is the hasher's cost by design)."""
    result = subprocess.run(
        [sys.executable, "-c", SESSIONS_CODE % (usernames,)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def read_totals(prefix: str) -> dict:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    failures_path = Path(f"{prefix}_failures.csv")
    failures = []
    if failures_path.exists():
        with failures_path.open(newline="") as handle:
            failures = list(csv.DictReader(handle))
    return {
        "rows": rows,
        "total": next(row for row in rows if row["Name"] == "Aggregated"),
        "failures": failures,
    }


def cpu_by_request(path: Path) -> dict[str, list[float]]:
    """The CPU milliseconds loadtest/server.py noted for each request, by the mix's names."""
    spent: dict[str, list[float]] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            name, _, milliseconds = line.rpartition(" ")
            spent.setdefault(name.replace("_", " "), []).append(float(milliseconds))
    return spent


def print_cpu_by_request(spent: dict[str, list[float]], cpu: float) -> None:
    noted = sum(sum(values) for values in spent.values())
    if not noted:
        return
    print()
    print(f"{'server CPU by request':<22} {'count':>6} {'mean ms':>8} {'median':>7} {'share':>6}")
    for name, values in sorted(spent.items(), key=lambda item: -sum(item[1])):
        print(
            f"{name:<22} {len(values):>6} {statistics.mean(values):>8.1f} {statistics.median(values):>7.1f} "
            f"{100 * sum(values) / noted:>5.1f}%"
        )
    print(
        f"in the requests' threads: {noted / 1000:.1f} s of the {cpu:.1f} s "
        "(the rest: gunicorn reading and writing the connections, its threads and workers)"
    )


def emptied_cache(url: str) -> str:
    """``url``'s Redis database (``CACHE_URL``), emptied: nothing kept by an earlier run (of the
    same data, whose versions are the same) answers this one's first requests."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.RedisError as error:
        raise SystemExit(f"CACHE_URL={url}: {error}") from error
    return url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", "8765")))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if not 1 <= args.users <= 50 or not 10 <= args.seconds <= 600:
        raise SystemExit("Keep the load bounded: 1-50 users, 10-600 seconds.")
    if not 1 <= args.workers <= 16 or not 1 <= args.threads <= 32:
        raise SystemExit("Keep the server on this machine's scale: 1-16 workers of 1-32 threads.")
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL (a seeded PostgreSQL database; see README, Performance).")
    host = f"http://127.0.0.1:{args.port}"
    # The laptop settings with DEBUG off and persistent connections as in production: the
    # production settings insist on HTTPS (secure cookies, redirects), which loopback HTTP
    # cannot carry.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("LOAD_SETTINGS", "salesdept.settings.local"),
        "DEBUG": "false",
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        "WEB_THREADS": str(args.threads),  # read by salesdept/gunicorn_conf.py, as in production
        "DATABASE_STATEMENT_TIMEOUT": os.environ.get("DATABASE_STATEMENT_TIMEOUT", "30s"),  # as start-web.sh
    }
    if os.environ.get("CACHE_URL"):  # the cache on Redis, as in production; else each worker's memory
        env["CACHE_URL"] = emptied_cache(os.environ["CACHE_URL"])
    env["LOAD_SESSIONS"] = signed_in_sessions(env, ["head", *(f"rep{number}" for number in range(1, 13))])
    directory = tempfile.TemporaryDirectory()
    cpu_log = Path(directory.name) / "cpu.log"
    env["LOAD_CPU_LOG"] = str(cpu_log)  # read by loadtest/server.py
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "loadtest.server:application",  # salesdept.wsgi's, noting each request's CPU
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
            "--config",
            "python:salesdept.gunicorn_conf",  # as deploy/start-web.sh: preloaded and warmed up
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(f"{host}/accounts/login/")
        for _ in range(4 * args.workers * args.threads):  # every worker past its first request
            urllib.request.urlopen(f"{host}/accounts/login/", timeout=30)
        master = psutil.Process(server.pid)
        with directory:
            prefix = str(Path(directory.name) / "load")
            cpu_log.unlink(missing_ok=True)  # the warm-up's requests are not the mix's
            before = cpu_times(master)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(ROOT / "loadtest" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(max(args.users // 4, 1)),
                    "--run-time",
                    f"{args.seconds}s",
                    "--host",
                    host,
                    "--csv",
                    prefix,
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env=env,
                check=False,
            )
            after = cpu_times(master)
            user, system = after[0] - before[0], after[1] - before[1]
            cpu = user + system
            stats = read_totals(prefix)
            spent = cpu_by_request(cpu_log)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    total = stats["total"]
    requests = int(total["Request Count"])
    failures = int(total["Failure Count"])
    print()
    print(
        f"load: {args.users} users for {args.seconds} s against gunicorn "
        f"({args.workers} workers × {args.threads} threads) at {host}"
    )
    print(f"{'request':<18} {'count':>7} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for row in stats["rows"]:
        print(
            f"{row['Name']:<18} {int(row['Request Count']):>7} {int(row['Failure Count']):>5} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
        )
    print()
    print(f"requests/s: {float(total['Requests/s']):.1f}")
    print(f"p50/p95/p99: {total['50%']} / {total['95%']} / {total['99%']} ms")
    print(f"errors: {failures} of {requests}")
    for failure in stats["failures"]:  # what went wrong, as Locust saw it
        print(f"  {failure['Method']} {failure['Name']}: {failure['Error']} ({failure['Occurrences']}x)")
    print(
        f"server CPU: {cpu:.1f} s, {1000 * cpu / max(requests, 1):.1f} ms per request "
        f"({1000 * user / max(requests, 1):.1f} user, {1000 * system / max(requests, 1):.1f} system)"
    )
    print_cpu_by_request(spent, cpu)
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
