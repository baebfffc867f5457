"""``manage.py bench --compare``: both sizes in one sitting, interleaved (issue 15).

Two child processes each hold one database (the small demo and the department-scale data)
and answer "measure request i once" on request; the parent asks them in turn, request by
request and run by run, so that the machine's noise falls on both sizes alike. For every
request it prints the median at each size, the large/small ratio, the query count at both
sizes and the HTML bytes, then the budget lines as holding or failing:

- every request <= 2x from small to large; the board and kanban pages <= 1.5x;
- every page <= 150 KB of HTML at both sizes; query counts equal at both sizes;
- nightly report run <= 5x the SQL floor and <= 300 MB; 36-month backfill <= 10x one night
  (the jobs run on the large database, after the requests).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

from django.conf import settings

PAGE_BYTES_BUDGET = 150_000
RATIO_BUDGET = 2.0
TIGHT_RATIO_BUDGET = 1.5
TIGHT = ("Page board", "Page kanban")
NIGHTLY_FLOOR_BUDGET = 5.0
NIGHTLY_MB_BUDGET = 300.0
BACKFILL_NIGHTS_BUDGET = 10.0


# --- the child: one database, one request at a time --------------------------------------


def serve(out=sys.stdout, inp=sys.stdin) -> None:
    """The child's loop: print the measured requests' names, then answer each line ``i``
    with one timed run of request i as JSON (ms, queries, bytes, status)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from demo.bench import _client_for, measured_requests

    requests = measured_requests()
    clients = {username: _client_for(username) for username in {row[2] for row in requests}}
    out.write(json.dumps([row[0] for row in requests]) + "\n")
    out.flush()
    for line in inp:
        index = int(line)
        name, kind, username, path, _budget = requests[index]
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = clients[username].get(path, HTTP_HOST="localhost")
            body = b"".join(response.streaming_content) if response.streaming else response.content
            elapsed = (time.perf_counter() - start) * 1000
        answer = {"ms": elapsed, "queries": len(captured), "bytes": len(body), "status": response.status_code}
        out.write(json.dumps(answer) + "\n")
        out.flush()


class Child:
    def __init__(self, url: str):
        env = os.environ.copy()
        env["DATABASE_URL"] = url
        env["DEBUG"] = "false"
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "bench", "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=settings.BASE_DIR,
        )
        self.names = json.loads(self.process.stdout.readline())

    def measure(self, index: int) -> dict:
        self.process.stdin.write(f"{index}\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the benchmark's child process stopped")
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


# --- the parent ------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    small_ms: list[float] = field(default_factory=list)
    large_ms: list[float] = field(default_factory=list)
    small_queries: int = 0
    large_queries: int = 0
    small_bytes: int = 0
    large_bytes: int = 0

    @property
    def ratio(self) -> float:
        return statistics.median(self.large_ms) / statistics.median(self.small_ms)

    @property
    def is_page(self) -> bool:
        return self.name.startswith("Page")

    @property
    def ratio_budget(self) -> float:
        return TIGHT_RATIO_BUDGET if self.name in TIGHT else RATIO_BUDGET


def compare(
    *, small_url: str, large_url: str, runs: int, jobs: bool, out=print, only: list[str] | None = None
) -> bool:
    """``only``: measure just the requests whose name contains one of these (case-insensitive)."""
    small, large = Child(small_url), Child(large_url)
    try:
        if small.names != large.names:
            raise RuntimeError("the two databases measure different requests")
        wanted = [word.lower() for word in only or []]
        chosen = [
            (index, name)
            for index, name in enumerate(small.names)
            if not wanted or any(word in name.lower() for word in wanted)
        ]
        rows = [Row(name) for _index, name in chosen]
        indexes = [index for index, _name in chosen]
        for row, index in zip(rows, indexes, strict=True):  # warm-up, and the counts and bytes
            for child, size in ((small, "small"), (large, "large")):
                answer = child.measure(index)
                if answer["status"] != 200:
                    raise RuntimeError(f"{row.name} answered {answer['status']} at the {size} size")
                setattr(row, f"{size}_queries", answer["queries"])
                setattr(row, f"{size}_bytes", answer["bytes"])
        for run in range(runs):
            for position, (row, index) in enumerate(zip(rows, indexes, strict=True)):
                first, second = (small, large) if (run + position) % 2 == 0 else (large, small)
                for child in (first, second):
                    answer = child.measure(index)
                    size = "small" if child is small else "large"
                    getattr(row, f"{size}_ms").append(answer["ms"])
                    # the counts and bytes of the steady state (a cache filled by the warm-up)
                    setattr(row, f"{size}_queries", answer["queries"])
                    setattr(row, f"{size}_bytes", answer["bytes"])
    finally:
        small.close()
        large.close()
    holds = _print_requests(rows, out)
    if jobs:
        holds = _jobs(large_url, out) and holds
    out("\nEvery budget line holds." if holds else "\nSome budget lines FAIL.")
    return holds


def _print_requests(rows: list[Row], out) -> bool:
    header = (
        f"{'request':<38} {'small':>9} {'large':>9} {'ratio':>6} {'budget':>6} "
        f"{'queries':>9} {'KB small':>9} {'KB large':>9}  holds"
    )
    out(header)
    out("-" * len(header))
    every = True
    for row in rows:
        ratio_ok = row.ratio <= row.ratio_budget
        queries_ok = row.small_queries == row.large_queries
        bytes_ok = not row.is_page or max(row.small_bytes, row.large_bytes) <= PAGE_BYTES_BUDGET
        holds = ratio_ok and queries_ok and bytes_ok
        every = every and holds
        failing = [
            label
            for label, ok in (("ratio", ratio_ok), ("queries", queries_ok), ("bytes", bytes_ok))
            if not ok
        ]
        small_ms, large_ms = statistics.median(row.small_ms), statistics.median(row.large_ms)
        out(
            f"{row.name:<38} {small_ms:>7.1f}ms {large_ms:>7.1f}ms "
            f"{row.ratio:>5.2f}x {'<=' + format(row.ratio_budget, '.1f'):>6} "
            f"{row.small_queries:>4}/{row.large_queries:<4} {row.small_bytes / 1000:>9.1f} "
            f"{row.large_bytes / 1000:>9.1f}  {'yes' if holds else 'NO (' + ', '.join(failing) + ')'}"
        )
    out("")
    for label, ok in (
        ("every request <= 2x from small to large", all(r.ratio <= RATIO_BUDGET for r in rows)),
        (
            "board and kanban pages <= 1.5x",
            all(r.ratio <= TIGHT_RATIO_BUDGET for r in rows if r.name in TIGHT),
        ),
        (
            "every page <= 150 KB at both sizes",
            all(max(r.small_bytes, r.large_bytes) <= PAGE_BYTES_BUDGET for r in rows if r.is_page),
        ),
        ("query counts equal at both sizes", all(r.small_queries == r.large_queries for r in rows)),
    ):
        out(f"budget: {label:<48} {'holds' if ok else 'FAILS'}")
    return every


def _jobs(large_url: str, out) -> bool:
    """The nightly run and the 36-month backfill on the large database, against its SQL floor."""
    env = os.environ.copy()
    env["DATABASE_URL"] = large_url
    result = subprocess.run(
        [sys.executable, "manage.py", "bench", "--size", "large", "--runs", "3", "--jobs-only"],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
    )
    if result.returncode != 0:
        out(result.stderr[-2000:])
        return False
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    floor, nightly, peak, backfill = (
        figures["floor_ms"],
        figures["nightly_ms"],
        figures["nightly_mb"],
        figures["backfill_ms"],
    )
    lines = [
        (f"nightly run <= 5x the SQL floor ({nightly / floor:.2f}x of {floor:.0f} ms)", nightly <= 5 * floor),
        (f"nightly run <= 300 MB ({peak:.0f} MB)", peak <= NIGHTLY_MB_BUDGET),
        (
            f"36-month backfill <= 10x one night ({backfill / nightly:.2f}x: {backfill / 1000:.1f} s)",
            backfill <= BACKFILL_NIGHTS_BUDGET * nightly,
        ),
    ]
    for label, ok in lines:
        out(f"budget: {label:<48} {'holds' if ok else 'FAILS'}")
    return all(ok for _, ok in lines)
