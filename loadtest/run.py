"""``make load``: the load mix (loadtest/locustfile.py) against gunicorn, bounded and local.

Starts gunicorn with 4 workers on 127.0.0.1 (loopback only) against DATABASE_URL, waits until
it answers, runs Locust headless with a bounded number of users for a bounded time, then stops
gunicorn and prints requests/s, p50/p95/p99, errors and the server's CPU time per request
(the gunicorn processes' user+system CPU time, read with psutil, before and after, divided by
the requests served)."""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


def cpu_seconds(master: psutil.Process) -> float:
    """User + system CPU time of gunicorn's master and its live workers."""
    total = 0.0
    for process in [master, *master.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer at {url} within {seconds:.0f} s")


def read_totals(prefix: str) -> dict:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {"rows": rows, "total": next(row for row in rows if row["Name"] == "Aggregated")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", "8765")))
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if not 1 <= args.users <= 50 or not 10 <= args.seconds <= 600:
        raise SystemExit("Keep the load bounded: 1-50 users, 10-600 seconds.")
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL (a seeded PostgreSQL database; see README, Performance).")
    host = f"http://127.0.0.1:{args.port}"
    env = {**os.environ, "DEBUG": "false", "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60")}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "salesdept.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(f"{host}/accounts/login/")
        master = psutil.Process(server.pid)
        with tempfile.TemporaryDirectory() as directory:
            prefix = str(Path(directory) / "load")
            before = cpu_seconds(master)
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
                check=False,
            )
            cpu = cpu_seconds(master) - before
            stats = read_totals(prefix)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    total = stats["total"]
    requests = int(total["Request Count"])
    failures = int(total["Failure Count"])
    print()
    print(
        f"load: {args.users} users for {args.seconds} s against gunicorn ({args.workers} workers) at {host}"
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
    print(f"server CPU: {cpu:.1f} s, {1000 * cpu / max(requests, 1):.1f} ms per request")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
