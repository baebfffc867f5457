"""Planning the demo deals: each client's deals and renewals walked through the stages to
their outcome, in memory; demo.deals.records writes them."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from clients.models import Client, ClientStatus, Segment
from deals.models import Deal, DealType, Stage, StageKind

HISTORY_DAYS = 730
DEALS_PER_CLIENT = {
    ClientStatus.LEAD: (0, 1),
    ClientStatus.PROSPECT: (1, 3),
    ClientStatus.CUSTOMER: (6, 11),
    ClientStatus.FORMER: (1, 3),
}
AMOUNT_RANGE = {  # thousands
    Segment.SMALL: (40, 400),
    Segment.MID: (300, 2000),
    Segment.ENTERPRISE: (1500, 9000),
}
DWELL_DAYS = [(2, 14), (3, 20), (5, 25), (5, 30), (3, 15)]  # per open stage, in pipeline order
LOST_AT_WEIGHTS = [30, 25, 20, 15, 10]
PRODUCTS = [
    "CRM licences",
    "Warehouse automation",
    "Fleet telematics",
    "Annual support contract",
    "Cloud backup",
    "Payroll module",
    "Procurement portal",
    "BI dashboards",
    "Field service app",
    "E-invoicing integration",
    "Security audit",
    "Staff training programme",
]
QUALIFIERS = [
    "pilot",
    "phase 2",
    "50 seats",
    "120 seats",
    "HQ rollout",
    "regional offices",
    "3-year deal",
    "",
]
# (the reason from the seeded list, the rep's comment); as many as before, so the demo's
# random draws stay what they were.
LOST_REASONS = [
    ("Competitor", "Chose a competitor on price"),
    ("No budget", "Budget frozen until next year"),
    ("No decision / timing", "No access to the decision maker"),
    ("Price", "Asked for 30% off; we could give 10%"),
    ("Other", "Went with their in-house team"),
    ("Product fit", "Our delivery time was too long"),
    ("Lost contact", "Stopped answering after the proposal"),
]
# Competitors the demo's clients name in facts (the fact's text names the competitor).
COMPETITORS = ["Nordsoft", "Sinara CRM", "Tianyu Software", "Baltic Data", "Volga Systems"]


@dataclass
class Plan:
    """One generated deal before it is written: its path through the stages."""

    client: Client
    owner_id: int
    title: str
    amount: Decimal
    deal_type: str
    created: datetime.datetime
    events: list[tuple[Stage, datetime.datetime]] = field(default_factory=list)
    lost_reason: str = ""  # a seeded reason's name
    lost_comment: str = ""
    renewal_of: Plan | None = None
    service: tuple[datetime.date, datetime.date] | None = None
    deal: Deal | None = None
    next_task: tuple[str, datetime.date] | None = None  # (what, due) of an open deal

    @property
    def stage(self) -> Stage:
        return self.events[-1][0]


def working_moment(rng: random.Random, day: datetime.date) -> datetime.datetime:
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(9, 17), rng.choice((0, 15, 30, 45))))
    return timezone.make_aware(moment)


def between(rng: random.Random, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
    if end <= start:
        return start
    return start + datetime.timedelta(seconds=rng.randint(0, int((end - start).total_seconds())))


def _amount(rng: random.Random, segment: str) -> Decimal:
    low, high = AMOUNT_RANGE.get(segment, AMOUNT_RANGE[Segment.SMALL])
    return Decimal(rng.randint(low, high) * 1000)


class Pipeline:
    def __init__(self, rng: random.Random, now: datetime.datetime):
        self.rng = rng
        self.now = now
        stages = list(Stage.objects.order_by("order", "pk"))
        self.open = [stage for stage in stages if stage.kind == StageKind.OPEN]
        self.won = next(stage for stage in stages if stage.kind == StageKind.WON)
        self.lost = next(stage for stage in stages if stage.kind == StageKind.LOST)

    def path(self, plan: Plan, *, outcome: str, start_index: int = 0, furthest: int | None = None) -> None:
        """Walk the open stages from ``start_index`` to ``outcome`` ('won', 'lost' or 'stall'),
        sometimes skipping a stage, never beyond ``furthest``; whatever lies after now has
        not happened yet."""
        rng = self.rng
        moment = plan.created
        last_open = len(self.open) - 1 if furthest is None else furthest
        if furthest is not None and outcome == "won":
            outcome = "stall"
        lost_at = None
        if outcome == "lost":
            reachable = range(start_index, last_open + 1)
            weights = [LOST_AT_WEIGHTS[min(index, len(LOST_AT_WEIGHTS) - 1)] for index in reachable]
            lost_at = rng.choices(reachable, weights=weights)[0]
        stall_at = rng.randint(start_index, last_open) if outcome == "stall" else None
        index = start_index
        plan.events = [(self.open[index], moment)]
        while True:
            low, high = DWELL_DAYS[min(index, len(DWELL_DAYS) - 1)]
            moment = moment + datetime.timedelta(days=rng.randint(low, high), hours=rng.randint(0, 6))
            if moment > self.now or index == stall_at:
                return
            if index == lost_at:
                plan.events.append((self.lost, moment))
                plan.lost_reason, plan.lost_comment = rng.choice(LOST_REASONS)
                return
            if index == last_open:
                if furthest is None:
                    plan.events.append((self.won, moment))
                return
            step = 2 if index + 2 <= last_open and rng.random() < 0.1 else 1
            index += step
            plan.events.append((self.open[index], moment))


def plan_client_deals(
    client: Client, *, rng: random.Random, pipeline: Pipeline, now: datetime.datetime, size: str
) -> list[Plan]:
    """A client's deals over its history, each walked down the pipeline to its outcome."""
    low, high = DEALS_PER_CLIENT.get(client.status, (0, 1))
    if size != "small":
        high *= 2
    count = rng.randint(low, high)
    first_day = max(timezone.localtime(client.created_at), now - datetime.timedelta(days=HISTORY_DAYS))
    span = max(1, int((now - first_day).total_seconds() // 86400) - 1)
    days = sorted(rng.randrange(span) for _ in range(count))
    plans: list[Plan] = []
    for position, offset in enumerate(days):
        created = working_moment(rng, (first_day + datetime.timedelta(days=offset)).date())
        created = min(max(created, first_day), now - datetime.timedelta(hours=2))
        product = rng.choice(PRODUCTS)
        qualifier = rng.choice(QUALIFIERS)
        plan = Plan(
            client=client,
            owner_id=client.owner_id,
            title=f"{product} — {qualifier}" if qualifier else product,
            amount=_amount(rng, client.segment),
            deal_type=DealType.UPSELL if position > 0 and rng.random() < 0.3 else DealType.NEW,
            created=created,
        )
        outcome = _deal_outcome(rng, client=client, position=position, created=created, now=now)
        if outcome == "open":  # still open whatever the date: make it recent
            plan.created = max(created, now - datetime.timedelta(days=rng.randint(5, 80)))
            outcome = "stall"
        if client.status == ClientStatus.LEAD:
            # A lead's deals go no further than Qualified.
            pipeline.path(plan, outcome=outcome, start_index=0, furthest=1)
        else:
            pipeline.path(plan, outcome=outcome, start_index=1 if rng.random() < 0.15 else 0)
        plans.append(plan)
    return plans


def _deal_outcome(
    rng: random.Random, *, client: Client, position: int, created: datetime.datetime, now: datetime.datetime
) -> str:
    """How a deal ends: "won", "lost", "stall" (open and stuck) or "open" (open and recent).
    A customer's first deal was won; leads and prospects have not won yet."""
    if client.status == ClientStatus.CUSTOMER and position == 0:
        outcome = "won"
    elif client.status in (ClientStatus.LEAD, ClientStatus.PROSPECT):
        outcome = rng.choices(["lost", "stall", "open"], weights=[45, 5, 50])[0]
    else:
        outcome = rng.choices(["won", "lost", "stall"], weights=[52, 43, 5])[0]
    if outcome == "stall" and created < now - datetime.timedelta(days=365):
        outcome = "lost"  # a deal stalled for over a year has been closed by now
    return outcome


def plan_renewals(
    plans: list[Plan],
    *,
    rng: random.Random,
    pipeline: Pipeline,
    now: datetime.datetime,
    today: datetime.date,
) -> list[Plan]:
    """Renewals: a won deal with a service period comes up for renewal before it ends; a won
    renewal comes up again a year later."""
    renewals: list[Plan] = []
    horizon = today + datetime.timedelta(days=75)
    queue = [plan for plan in plans if plan.stage.kind == StageKind.WON]
    while queue:
        original = queue.pop()
        if original.service is None:
            closed = original.events[-1][1].date()
            if rng.random() < 0.35:
                continue
            start = closed + datetime.timedelta(days=rng.randint(0, 10))
            original.service = (start, start + datetime.timedelta(days=364))
        renewal = _plan_renewal(original, rng=rng, pipeline=pipeline, now=now, horizon=horizon)
        if renewal is None:
            continue
        if renewal.stage.kind == StageKind.WON:
            queue.append(renewal)
        renewals.append(renewal)
    return renewals


def _plan_renewal(
    original: Plan, *, rng: random.Random, pipeline: Pipeline, now: datetime.datetime, horizon: datetime.date
) -> Plan | None:
    """The renewal of a won deal whose service ends before the horizon, opened 45 to 75 days
    before the end; None when it ends later or the renewal would open in the future."""
    service_end = original.service[1]
    if service_end > horizon:
        return None
    created = working_moment(rng, service_end - datetime.timedelta(days=rng.randint(45, 75)))
    created = max(created, original.events[-1][1] + datetime.timedelta(days=20))
    if created >= now:
        return None
    renewal = Plan(
        client=original.client,
        owner_id=original.owner_id,
        title=f"Renewal {service_end.year}: {original.title.split(' — ')[0]}",
        amount=(original.amount * Decimal(rng.choice(("1.00", "1.05", "1.10", "1.15")))).quantize(
            Decimal("1")
        ),
        deal_type=DealType.RENEWAL,
        created=created,
        renewal_of=original,
    )
    outcome = (
        "lost" if original.client.status == ClientStatus.FORMER else rng.choices(["won", "lost"], [78, 22])[0]
    )
    pipeline.path(renewal, outcome=outcome, start_index=2)
    if renewal.stage.kind == StageKind.WON:
        renewal.service = (
            service_end + datetime.timedelta(days=1),
            service_end + datetime.timedelta(days=365),
        )
    return renewal
