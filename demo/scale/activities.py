"""The department-scale activities: calls, meetings, e-mails and visits."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterator

from demo.scale.common import Clients, Period, Scale, say, timestamp
from demo.scale.writer import TableWriter, reset_sequences


def seed_large_activities(
    *,
    rng: random.Random,
    scale: Scale,
    clients: Clients,
    client_deals: dict[int, list[tuple[datetime.date, int]]],
    period: Period,
    now: datetime.datetime,
    out: Callable[[str], None],
    started: float,
) -> None:
    """Activities spread evenly over the period, a few with a next step (done unless recent).
    Two in three that follow one of their client's deals concern the latest of those deals (as
    in the demo, where a deal's page lists its calls and a fact may cite one); the choice draws
    nothing from ``rng``, so the rest of the seed is the same data as before."""
    from clients.models import Activity, Task

    first_day, span_days, today = period.first_day, period.span_days, period.today
    kinds = ["call"] * 12 + ["meeting"] * 4 + ["email"] * 3 + ["visit"]
    task_rows: list[tuple] = []

    def activity_rows() -> Iterator[tuple]:
        for index in range(scale.activities):
            client_index = rng.randrange(scale.clients)
            owner = clients.owner[client_index]
            day = first_day + datetime.timedelta(days=int(span_days * index / scale.activities))
            kind = rng.choice(kinds)
            next_step = rng.random() < 0.03
            due = day + datetime.timedelta(days=rng.randrange(1, 14)) if next_step else None
            done = timestamp(due, rng) if due and due < today - datetime.timedelta(days=7) else None
            if next_step:  # a few plan an e-mail: done unless recent
                task_rows.append(
                    (
                        clients.start + client_index,
                        owner,
                        owner,
                        "email",
                        "Send the offer",
                        due,
                        "done" if done else "open",
                        done,
                        owner if done else None,
                    )
                )
            yield (
                clients.start + client_index,
                _latest_deal(client_deals.get(client_index, ()), day) if index % 3 else None,
                owner,
                kind,
                rng.choice(["outgoing", "outgoing", "incoming"]) if kind in ("call", "email") else "",
                min(now, timestamp(day, rng)),  # today's calls by now
                rng.randrange(1, 60),
                "Discussed the next delivery.",
            )

    activity_writer = TableWriter(
        Activity,
        [
            "client",
            "deal",
            "owner",
            "kind",
            "direction",
            "occurred_at",
            "duration_minutes",
            "outcome",
        ],
        now,
    )
    activity_writer.write(activity_rows())
    task_writer = TableWriter(
        Task,
        ["client", "owner", "created_by", "kind", "title", "due_date", "status", "done_at", "done_by"],
        now,
    )
    task_writer.write(task_rows)
    reset_sequences(Activity, Task)
    say(out, started, f"activities: {activity_writer.count:,}, their tasks: {task_writer.count:,}")


def _latest_deal(deals, day: datetime.date) -> int | None:
    """The id of the latest of a client's deals made on or before ``day`` (deals come in the
    order they were made, so by day), or None."""
    latest = None
    for created, deal_id in deals:
        if created > day:
            break
        latest = deal_id
    return latest
