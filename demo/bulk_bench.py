"""Issue 16's "Done when" for bulk actions, measured on any database: a lead bulk-reassigns
``rows`` deals of their team through core.bulk (more than BULK_ASYNC_THRESHOLD rows: one
BulkJob run by one task, eager), then the same batch plus one deal of another team, which
refuses the whole batch with the reason. Everything runs in one transaction that is rolled
back at the end, so the database is left as it was (``python manage.py bulk_bench``)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from types import SimpleNamespace

from celery import current_app
from celery.signals import task_prerun
from django.db import connection, connections, transaction

from accounts.models import User
from core.bulk import async_threshold, bulk_start, read_request, resource_named
from core.models import BulkJob
from deals import rules
from deals.models import Deal, StageKind


@dataclass
class BulkBenchResult:
    lead: str
    receiver: str
    rows: int
    queries: int
    seconds: float
    tasks: list[str]
    job_status: str
    job_done: int
    moved_inside: int
    seen_outside: int | None
    refused_status: str
    slowest: list = field(default_factory=list)
    refused_errors: dict = field(default_factory=dict)
    moved_after_refusal: int = 0
    left_after_rollback: int = 0

    @property
    def one_transaction(self) -> bool:
        """Every row moved inside the transaction and none was visible to another
        connection before it ended."""
        return self.moved_inside == self.rows and not self.seen_outside

    def lines(self) -> list[str]:
        refused = "; ".join(f"deal {pk}: {reason}" for pk, reason in self.refused_errors.items())
        return [
            f"lead {self.lead} reassigns {self.rows} deals of the team to {self.receiver}",
            f"rows: {self.rows}  queries: {self.queries}  seconds: {self.seconds:.2f}",
            f"tasks run: {len(self.tasks)} ({', '.join(self.tasks)}); job {self.job_status}, "
            f"{self.job_done} done",
            f"one transaction: {'yes' if self.one_transaction else 'NO'} ({self.moved_inside} moved inside, "
            f"{'not checked' if self.seen_outside is None else self.seen_outside} seen by another "
            "connection before the end)",
            f"with another team's deal added: job {self.refused_status}, "
            f"{self.moved_after_refusal} moved — {refused}",
            f"after the rollback: {self.left_after_rollback} of them moved (the database is unchanged)",
            *(f"  {seconds:.2f}s in: {sql}" for sql, seconds in self.slowest),
        ]


class _Rollback(Exception):
    pass


class _QueryCounter:
    """Counts every query (CaptureQueriesContext keeps only the last 9,000) and sums the
    time of each statement's shape, to name the slowest."""

    def __init__(self):
        self.count = 0
        self.seconds: dict[str, float] = {}

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            shape = sql[:120]
            self.seconds[shape] = self.seconds.get(shape, 0.0) + time.perf_counter() - started

    def slowest(self, n: int = 3) -> list[tuple[str, float]]:
        return sorted(self.seconds.items(), key=lambda item: -item[1])[:n]


def _pick(lead: User, rows: int):
    """The receiver (a teammate who may own deals) and ``rows`` deals of the lead's team
    owned by someone else, open ones first; one deal of another team."""
    team = lead.team
    receiver = rules.deal_owner_choices(lead).filter(team=team).exclude(pk=lead.pk).order_by("pk").first()
    if receiver is None:
        raise ValueError(f"{lead} has no teammate who may own deals.")
    deals = Deal.objects.visible_to(lead).filter(owner__team=team).exclude(owner=receiver)
    ids = list(deals.filter(stage__kind=StageKind.OPEN).order_by("pk").values_list("pk", flat=True)[:rows])
    if len(ids) < rows:
        closed = deals.exclude(stage__kind=StageKind.OPEN).order_by("-pk").values_list("pk", flat=True)
        ids += list(closed[: rows - len(ids)])
    if len(ids) < rows:
        raise ValueError(f"{team} has only {len(ids)} deals another teammate owns.")
    stranger = Deal.objects.exclude(owner__team=team).order_by("pk").values_list("pk", flat=True).first()
    return receiver, ids, stranger


def _start_and_run(lead: User, ids: list[int], receiver: User) -> BulkJob:
    """bulk_start as the API calls it, then the callbacks it queued for the commit (the
    task), run eagerly now: the outer transaction never commits."""
    request = SimpleNamespace(user=lead)
    bulk = read_request(
        resource_named("deals"), {"ids": ids, "action": "reassign", "params": {"owner": receiver.pk}}, request
    )
    queued = len(connection.run_on_commit)
    outcome = bulk_start(request=request, bulk=bulk)
    callbacks = connection.run_on_commit[queued:]
    del connection.run_on_commit[queued:]
    for _savepoints, callback, _robust in callbacks:
        callback()
    if outcome.job is None:
        raise ValueError(f"{len(ids)} rows ran at once: the threshold is {async_threshold()}.")
    outcome.job.refresh_from_db()
    return outcome.job


def _seen_elsewhere(ids: list[int], receiver: User) -> int | None:
    """Deals of ``ids`` owned by ``receiver`` as another connection sees them now (None on a
    database without a second independent connection: SQLite's shared in-memory tests)."""
    if connection.vendor != "postgresql":
        return None
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {Deal._meta.db_table} WHERE owner_id = %s AND id = ANY(%s)",
                [receiver.pk, ids],
            )
            return cursor.fetchone()[0]
    finally:
        other.close()


def measure_bulk_reassign(*, lead: User, rows: int = 1000) -> BulkBenchResult:
    """Run the measurement; nothing is left changed (the transaction is rolled back)."""
    receiver, ids, stranger = _pick(lead, rows)
    tasks: list[str] = []

    def seen(sender=None, **kwargs):
        tasks.append(sender.name)

    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    task_prerun.connect(seen, weak=False)
    result = None
    try:
        with transaction.atomic():
            before = transaction.savepoint()
            queries = _QueryCounter()
            with connection.execute_wrapper(queries):
                started = time.perf_counter()
                job = _start_and_run(lead, ids, receiver)
                seconds = time.perf_counter() - started
            moved = Deal.objects.filter(pk__in=ids, owner=receiver).count()
            result = BulkBenchResult(
                lead=lead.username,
                receiver=receiver.username,
                rows=len(ids),
                queries=queries.count,
                slowest=queries.slowest(),
                seconds=seconds,
                tasks=list(tasks),
                job_status=job.status,
                job_done=job.done,
                moved_inside=moved,
                seen_outside=_seen_elsewhere(ids, receiver),
                refused_status="",
            )
            transaction.savepoint_rollback(before)
            refused = _start_and_run(lead, [*ids, stranger], receiver)
            result.refused_status = refused.status
            result.refused_errors = {int(pk): reason for pk, reason in refused.errors.items()}
            result.moved_after_refusal = Deal.objects.filter(pk__in=ids, owner=receiver).count()
            raise _Rollback
    except _Rollback:
        pass
    finally:
        task_prerun.disconnect(seen)
        current_app.conf.task_always_eager = eager
    result.left_after_rollback = Deal.objects.filter(pk__in=ids, owner=receiver).count()
    return result
