"""The department-scale deals with their stage history, facts and reviews."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from decimal import Decimal

from demo.scale.commerce import LINE_COLUMNS, WITH_LINES, Commerce, ContractCandidate, Quoted
from demo.scale.common import CHUNK, Clients, Period, Scale, Staff, say, timestamp
from demo.scale.writer import TableWriter, next_id, reset_sequences

FACT_KINDS = [
    "budget_confirmed",
    "decision_maker_met",
    "asked_price",
    "requested_contract",
    "gave_purchase_date",
    "named_competitor",
    "left_contact",
]
VERDICTS = ["on_track", "on_track", "at_risk", "needs_help", "unqualified"]


class _DealRows:
    """One chunk of rows for the deal tables."""

    def __init__(self):
        self.deals: list[tuple] = []
        self.changes: list[tuple] = []
        self.facts: list[tuple] = []
        self.reviews: list[tuple] = []
        self.tasks: list[tuple] = []
        self.lines: list[tuple] = []


class _DealMaker:
    """Makes one deal's rows at a time: the deal, its stage history, facts and a review."""

    def __init__(
        self,
        *,
        rng: random.Random,
        scale: Scale,
        staff: Staff,
        clients: Clients,
        period: Period,
        commerce: Commerce,
        now: datetime.datetime,
    ):
        from deals.models import Deal, LostReason, Stage

        self.rng, self.scale, self.clients, self.period = rng, scale, clients, period
        self.commerce, self.now = commerce, now
        stages = {stage.name: stage for stage in Stage.objects.all()}
        self.open_path = [
            stages[name] for name in ("Lead", "Qualified", "Proposal", "Negotiation", "Contract")
        ]
        self.won, self.lost = stages["Won"], stages["Lost"]
        self.contract_stage = stages["Contract"].pk
        self.price_reason = LostReason.objects.get_or_create(name="Price")[0].pk
        self.deal_start = next_id(Deal)
        self.rep_team = {rep.pk: rep.team_id for rep in staff.reps}
        self.lead_of_team = {team.pk: team.lead_id for team in staff.teams}
        self.won_deals: list[tuple[int, Decimal, datetime.date, int]] = []  # id, amount, closed, owner
        # each client's deals as (created on, id), for the activities that concern one
        self.client_deals: dict[int, list[tuple[datetime.date, int]]] = {}

    def make(self, index: int, rows: _DealRows) -> None:
        rng, scale, today = self.rng, self.scale, self.period.today
        won, lost = self.won, self.lost
        deal_id = self.deal_start + index
        client_index = rng.randrange(scale.clients)
        owner = self.clients.owner[client_index]
        created = self.period.first_day + datetime.timedelta(
            days=int(self.period.span_days * (index / scale.deals) ** 0.8)
        )
        created = min(created, today)
        self.client_deals.setdefault(client_index, []).append((created, deal_id))
        amount = Decimal(rng.randrange(500, 500_000)) * 10
        age = (today - created).days
        closes = age > 120 or rng.random() < age / 150
        depth = rng.choice([1, 2, 2, 3, 3, 4, 4, 5]) if closes else rng.randrange(1, 6)
        path = self.open_path[:depth]
        final = (won if rng.random() < 0.45 else lost) if closes else path[-1]
        if final.kind != "open":
            path = [*path, final]
        first_change = len(rows.changes)
        last_change = self._stage_history(
            rows.changes, deal_id=deal_id, owner=owner, path=path, created=created
        )
        closed_at = last_change.date() if final.kind != "open" else None
        expected = created + datetime.timedelta(days=rng.randrange(20, 120))
        renewal = final is won and rng.random() < 0.5
        service_start = closed_at if renewal else None
        service_end = closed_at + datetime.timedelta(days=365) if renewal else None
        amount = self._lines(
            rows,
            deal_id=deal_id,
            owner=owner,
            client_index=client_index,
            path=path,
            final=final,
            amount=amount,
        )
        self._contract_candidate(
            deal_id=deal_id,
            owner=owner,
            amount=amount,
            path=path,
            final=final,
            created=created,
            closed_at=closed_at,
            service_start=service_start,
            service_end=service_end,
            moments=rows.changes[-len(path) :],
        )
        has_next_step = final.kind == "open" and rng.random() < 0.75
        if has_next_step:  # three open deals in four have their next task
            due = today + datetime.timedelta(days=rng.randrange(-10, 20))
            rows.tasks.append(
                (
                    deal_id,
                    self.clients.start + client_index,
                    owner,
                    owner,
                    "call",
                    "Call back with the proposal",
                    due,
                )
            )
        rows.deals.append(
            (
                deal_id,
                f"Deal {index + 1}",
                self.clients.start + client_index,
                owner,
                amount,
                final.pk,
                expected,
                rng.choice(["new", "new", "new", "renewal", "upsell"]),
                service_start,
                service_end,
                self.price_reason if final is lost else None,
                "Price too high" if final is lost else "",
                closed_at,
                last_change,
                # created no later than its first stage change (both on the day it was made)
                min(timestamp(created, rng), rows.changes[first_change][4]),
            )
        )
        if final is won:
            self.won_deals.append((deal_id, amount, closed_at, owner))
        self._facts_and_review(rows, deal_id=deal_id, owner=owner, depth=depth, created=created)

    def _lines(
        self,
        rows: _DealRows,
        *,
        deal_id: int,
        owner: int,
        client_index: int,
        path: list,
        final,
        amount: Decimal,
    ) -> Decimal:
        """A share of the deals that reached the proposal stage have lines (the amount becomes
        their net total, as deals.services write it); the answer is the deal's amount."""
        if len(path) < 3 or path[2].name != "Proposal" or self.rng.random() >= WITH_LINES:
            return amount
        changes = rows.changes[-len(path) :]
        proposed = changes[2][4]
        amount, copied = self.commerce.lines(
            self.rng, rows.lines, deal_id=deal_id, owner=owner, amount=amount, created=proposed
        )
        end = changes[-1][4] if final.kind != "open" else self.now
        self.commerce.quoted.append(
            Quoted(
                deal_id=deal_id,
                client_index=client_index,
                owner=owner,
                start=proposed,
                end=max(end, proposed),
                final=final.name,
                lines=copied,
            )
        )
        return amount

    def _contract_candidate(
        self,
        *,
        deal_id: int,
        owner: int,
        amount: Decimal,
        path: list,
        final,
        created: datetime.date,
        closed_at,
        service_start,
        service_end,
        moments: list,
    ) -> None:
        """Won deals and open ones at the contract stage may have a contract, dated when the
        deal reached that stage (a won deal's at least five days before it was won)."""
        if final is not self.won and final.name != "Contract":
            return
        reached = [change[4] for change in moments if change[2] == self.contract_stage]
        day = reached[0].date() if reached else closed_at
        if final is self.won:
            day = max(created, min(day, closed_at - datetime.timedelta(days=5)))
        self.commerce.contracts.append(
            ContractCandidate(
                deal_id=deal_id,
                owner=owner,
                amount=amount,
                day=day,
                closed_at=closed_at if final is self.won else None,
                service_start=service_start,
                service_end=service_end,
            )
        )

    def _stage_history(
        self, changes: list, *, deal_id: int, owner: int, path: list, created
    ) -> datetime.datetime:
        """The stage changes along ``path``; the answer is the moment of the last one."""
        rng, today = self.rng, self.period.today
        # every change by now, each no earlier than the one before (a day's random hour may be
        # later today than now)
        moment = min(self.now, timestamp(created, rng))
        previous = None
        for stage in path:
            changes.append(
                (
                    deal_id,
                    previous.pk if previous else None,
                    stage.pk,
                    owner,
                    moment,
                    self.price_reason if stage is self.lost else None,
                    "Price too high" if stage is self.lost else "",
                )
            )
            previous = stage
            moment = moment + datetime.timedelta(days=rng.randrange(2, 25), hours=rng.randrange(8))
            if moment > self.now:
                moment = max(changes[-1][4], min(self.now, timestamp(today, rng)))
        return changes[-1][4]

    def _facts_and_review(self, rows: _DealRows, *, deal_id: int, owner: int, depth: int, created) -> None:
        rng = self.rng
        if depth >= 3:
            for _ in range(rng.randrange(1, 4)):
                rows.facts.append(
                    (
                        deal_id,
                        rng.choice(FACT_KINDS),
                        "The client's buyer asked for a contract draft.",
                        created + datetime.timedelta(days=rng.randrange(1, 30)),
                        owner,
                    )
                )
        if depth >= 2 and rng.random() < 0.35:
            rows.reviews.append(
                (
                    deal_id,
                    self.lead_of_team[self.rep_team[owner]],
                    rng.choice(VERDICTS),
                    "Reviewed on the weekly 抓单.",
                    timestamp(
                        min(self.period.today, created + datetime.timedelta(days=rng.randrange(3, 40))), rng
                    ),
                )
            )


def seed_large_deals(
    *,
    rng: random.Random,
    scale: Scale,
    staff: Staff,
    clients: Clients,
    period: Period,
    now: datetime.datetime,
    commerce: Commerce,
    out: Callable[[str], None],
    started: float,
) -> tuple[list[tuple[int, Decimal, datetime.date, int]], dict[int, list[tuple[datetime.date, int]]]]:
    """Deals with their stage history, facts and reviews, written a chunk at a time; the
    answer is the won deals (id, amount, closed on, owner) for the receivables and each
    client's deals (created on, id; by client index) for the activities about them. The deal
    lines are written with their deals; ``commerce`` keeps what the proposals and contracts
    are made of."""
    from clients.models import Task
    from deals.models import Deal, DealLine, Fact, Review, StageChange

    maker = _DealMaker(
        rng=rng, scale=scale, staff=staff, clients=clients, period=period, commerce=commerce, now=now
    )
    deal_writer = TableWriter(
        Deal,
        [
            "id",
            "title",
            "client",
            "owner",
            "amount",
            "stage",
            "expected_close",
            "deal_type",
            "service_start",
            "service_end",
            "lost_reason",
            "lost_comment",
            "closed_at",
            "stage_changed_at",
            "created_at",
        ],
        now,
    )
    change_writer = TableWriter(
        StageChange,
        ["deal", "from_stage", "to_stage", "changed_by", "changed_at", "lost_reason", "lost_comment"],
        now,
    )
    fact_writer = TableWriter(Fact, ["deal", "kind", "text", "happened_on", "recorded_by"], now)
    review_writer = TableWriter(Review, ["deal", "reviewer", "verdict", "comment", "reviewed_at"], now)
    task_writer = TableWriter(
        Task, ["deal", "client", "owner", "created_by", "kind", "title", "due_date"], now
    )
    line_writer = TableWriter(DealLine, LINE_COLUMNS, now)

    for chunk_start in range(0, scale.deals, CHUNK):
        rows = _DealRows()
        for index in range(chunk_start, min(scale.deals, chunk_start + CHUNK)):
            maker.make(index, rows)
        deal_writer.write(rows.deals)
        change_writer.write(rows.changes)
        fact_writer.write(rows.facts)
        review_writer.write(rows.reviews)
        task_writer.write(rows.tasks)
        line_writer.write(rows.lines)
        say(out, started, f"deals: {deal_writer.count:,}, stage changes: {change_writer.count:,}")
    reset_sequences(Deal, StageChange, Fact, Review, Task, DealLine)
    say(
        out,
        started,
        f"facts: {fact_writer.count:,}, reviews: {review_writer.count:,}, tasks: {task_writer.count:,}, "
        f"deal lines: {line_writer.count:,}",
    )
    return maker.won_deals, maker.client_deals
