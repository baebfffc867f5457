"""Loaded only into the topology test's Celery workers (``--include``): computing the report kind
named by TOPOLOGY_SLOW_KIND stalls for two minutes after its rows are written, the first time
only, so the test can SIGKILL the worker in the middle of a run whose rows are already in the
database. Each execution of that kind appends the worker's pid to ``executions``; the first also
writes it to ``stalled`` (TOPOLOGY_MARKER_DIR), which is the test's signal to kill."""

import os
import time
from pathlib import Path

import django

django.setup()

from reports.services import runs  # noqa: E402

SLOW_KIND = os.environ.get("TOPOLOGY_SLOW_KIND", "")
MARKERS = Path(os.environ.get("TOPOLOGY_MARKER_DIR", "/nonexistent"))
_compute = runs._compute


def _compute_then_stall_once(kind, run_date, *, send_email):
    result = _compute(kind, run_date, send_email=send_email)
    if kind == SLOW_KIND:
        worker = os.getppid()  # the prefork pool process's parent: the worker itself
        with open(MARKERS / "executions", "a") as executions:
            executions.write(f"{worker}\n")
        stalled = MARKERS / "stalled"
        if not stalled.exists():
            stalled.write_text(str(worker))
            time.sleep(120)
    return result


runs._compute = _compute_then_stall_once
