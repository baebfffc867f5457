"""Demo pipeline: two years of deals for the demo sellers with realistic stage histories,
facts on the advanced deals, leads' reviews, renewals of earlier won deals with service
periods, and some deals stalled, silent or past their expected close.

Runs after demo.clients and works on the clients it created (none: nothing to do).
Deterministic: every random choice comes from ``rng``; dates are relative to today."""

from __future__ import annotations

import contextlib
import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from clients.models import Activity, ActivityKind, Client, ClientStatus, Direction, Segment
from deals.models import Deal, DealType, Fact, FactKind, Review, Stage, StageChange, StageKind, Verdict

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
LOST_REASONS = [
    "Chose a competitor on price",
    "Budget frozen until next year",
    "No decision maker access",
    "Project cancelled by the client",
    "Went with their in-house team",
    "Our delivery time was too long",
    "Stopped answering after the proposal",
]
NEXT_STEPS = [
    "Send the revised proposal",
    "Call the CFO about the budget",
    "Book the demo with the IT team",
    "Agree the contract draft with their lawyer",
    "Meet the procurement committee",
    "Confirm the pilot scope",
    "Send references from a similar client",
]
FACTS = {
    FactKind.LEFT_CONTACT: ["Their IT director left his mobile and asked us to call after the tender."],
    FactKind.DECISION_MAKER_MET: [
        "Met the CEO; she wants the rollout before the new season.",
        "The owner joined the second meeting and asked detailed questions.",
    ],
    FactKind.ASKED_PRICE: [
        "The director asked whether we can lower the price by 10%.",
        "Procurement asked for a volume discount for 3 years.",
    ],
    FactKind.BUDGET_CONFIRMED: [
        "The CFO confirmed the budget line for this quarter.",
        "Budget approved at the board meeting, they said so in writing.",
    ],
    FactKind.NAMED_COMPETITOR: ["They compare us with a competitor and sent their quote for us to beat."],
    FactKind.GAVE_PURCHASE_DATE: ["They want to sign before the end of the month to use this year's budget."],
    FactKind.REQUESTED_CONTRACT: [
        "Their buyer asked for a contract draft.",
        "Accounting asked for the invoice details to prepay 50%.",
    ],
}
FACTS_BY_DEPTH = [
    [FactKind.LEFT_CONTACT, FactKind.DECISION_MAKER_MET],
    [FactKind.DECISION_MAKER_MET, FactKind.LEFT_CONTACT, FactKind.NAMED_COMPETITOR],
    [FactKind.ASKED_PRICE, FactKind.BUDGET_CONFIRMED, FactKind.NAMED_COMPETITOR],
    [FactKind.ASKED_PRICE, FactKind.GAVE_PURCHASE_DATE, FactKind.BUDGET_CONFIRMED],
    [FactKind.REQUESTED_CONTRACT, FactKind.GAVE_PURCHASE_DATE],
]
DEAL_CALLS = [
    "Went through the proposal for “{title}” with their team.",
    "Follow-up on “{title}”: they are checking the budget.",
    "Discussed timing and scope of “{title}”.",
    "Answered technical questions about “{title}”.",
]
REVIEW_COMMENTS = {
    Verdict.ON_TRACK: [
        "Fact is solid: contract draft requested. Keep the pace.",
        "Budget confirmed; push for the date.",
    ],
    Verdict.AT_RISK: [
        "No fact since the proposal — find out who decides.",
        "Competitor is cheaper; prepare value arguments.",
    ],
    Verdict.NEEDS_HELP: [
        "I will join the next meeting with their CFO.",
        "Escalate to our director for the price.",
    ],
    Verdict.UNQUALIFIED: [
        "Only feelings so far. Qualify or close it.",
        "No budget, no decision maker: close as lost.",
    ],
}


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
    lost_reason: str = ""
    renewal_of: Plan | None = None
    service: tuple[datetime.date, datetime.date] | None = None
    deal: Deal | None = None

    @property
    def stage(self) -> Stage:
        return self.events[-1][0]


@contextlib.contextmanager
def _given_timestamps(*models):
    """Let bulk_create keep the created/updated moments we give (auto_now would say 'now')."""
    saved = []
    for model in models:
        for name in ("created_at", "updated_at"):
            try:
                model_field = model._meta.get_field(name)
            except Exception:  # noqa: BLE001 - the model has no such field
                continue
            saved.append((model_field, model_field.auto_now, model_field.auto_now_add))
            model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in saved:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


def _working_moment(rng: random.Random, day: datetime.date) -> datetime.datetime:
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(9, 17), rng.choice((0, 15, 30, 45))))
    return timezone.make_aware(moment)


def _between(rng: random.Random, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
    if end <= start:
        return start
    return start + datetime.timedelta(seconds=rng.randint(0, int((end - start).total_seconds())))


def _amount(rng: random.Random, segment: str) -> Decimal:
    low, high = AMOUNT_RANGE.get(segment, AMOUNT_RANGE[Segment.SMALL])
    return Decimal(rng.randint(low, high) * 1000)


class _Pipeline:
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
                plan.lost_reason = rng.choice(LOST_REASONS)
                return
            if index == last_open:
                if furthest is None:
                    plan.events.append((self.won, moment))
                return
            step = 2 if index + 2 <= last_open and rng.random() < 0.1 else 1
            index += step
            plan.events.append((self.open[index], moment))


def seed(*, staff, rng: random.Random, size: str = "small") -> None:
    clients = list(Client.objects.filter(owner__in=staff.sellers).select_related("owner").order_by("pk"))
    if not clients:
        return
    now = timezone.now()
    today = timezone.localdate()
    pipeline = _Pipeline(rng, now)
    reviewer_of_team = {lead.team_id: lead for lead in staff.leads}
    sdr = staff.others.get("sdr1")

    plans: list[Plan] = []
    for client in clients:
        if sdr is not None and client.owner_id == sdr.pk:
            continue  # SDRs work leads; deals are opened by the rep a lead is handed to
        plans.extend(_plan_client_deals(client, rng=rng, pipeline=pipeline, now=now, size=size))
    renewals = _plan_renewals(plans, rng=rng, pipeline=pipeline, now=now, today=today)

    _write(plans, rng=rng, today=today)
    _write(renewals, rng=rng, today=today)
    open_index = {stage.pk: index for index, stage in enumerate(pipeline.open)}
    _write_history(
        plans + renewals,
        rng=rng,
        now=now,
        open_index=open_index,
        reviewer_of_team=reviewer_of_team,
        head=staff.head,
    )


def _plan_client_deals(
    client: Client, *, rng: random.Random, pipeline: _Pipeline, now: datetime.datetime, size: str
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
        created = _working_moment(rng, (first_day + datetime.timedelta(days=offset)).date())
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


def _plan_renewals(
    plans: list[Plan],
    *,
    rng: random.Random,
    pipeline: _Pipeline,
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
    original: Plan, *, rng: random.Random, pipeline: _Pipeline, now: datetime.datetime, horizon: datetime.date
) -> Plan | None:
    """The renewal of a won deal whose service ends before the horizon, opened 45 to 75 days
    before the end; None when it ends later or the renewal would open in the future."""
    service_end = original.service[1]
    if service_end > horizon:
        return None
    created = _working_moment(rng, service_end - datetime.timedelta(days=rng.randint(45, 75)))
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


def _write(plans: list[Plan], *, rng: random.Random, today: datetime.date) -> None:
    deals = []
    for plan in plans:
        stage, changed_at = plan.events[-1]
        closed = stage.kind != StageKind.OPEN
        planned_cycle = datetime.timedelta(days=rng.randint(30, 120))
        if closed:
            expected = timezone.localtime(changed_at).date() + datetime.timedelta(days=rng.randint(-20, 10))
        else:
            expected = (plan.created + planned_cycle).date()
            if expected < today and rng.random() < 0.7:
                expected = today + datetime.timedelta(days=rng.randint(3, 90))
        next_step, next_step_due = "", None
        if not closed and rng.random() < 0.8:
            next_step = rng.choice(NEXT_STEPS)
            next_step_due = today + datetime.timedelta(days=rng.randint(-5, 14))
        deal = Deal(
            title=plan.title,
            client=plan.client,
            owner_id=plan.owner_id,
            amount=plan.amount,
            stage=stage,
            probability=rng.choice((35, 50, 70, 90)) if not closed and rng.random() < 0.08 else None,
            expected_close=expected,
            deal_type=plan.deal_type,
            renewal_of=plan.renewal_of.deal if plan.renewal_of else None,
            service_start=plan.service[0] if plan.service else None,
            service_end=plan.service[1] if plan.service else None,
            next_step=next_step,
            next_step_due=next_step_due,
            lost_reason=plan.lost_reason if stage.kind == StageKind.LOST else "",
            closed_at=timezone.localtime(changed_at).date() if closed else None,
            stage_changed_at=changed_at,
            created_at=plan.created,
            updated_at=changed_at,
        )
        plan.deal = deal
        deals.append(deal)
    if deals:
        with _given_timestamps(Deal):
            bulk_create_with_history(deals, Deal, batch_size=500, default_change_reason="Demo data")


def _write_history(
    plans: list[Plan],
    *,
    rng: random.Random,
    now: datetime.datetime,
    open_index: dict[int, int],
    reviewer_of_team: dict,
    head,
) -> None:
    owner_team = {}
    for plan in plans:
        owner_team[plan.owner_id] = plan.client.owner.team_id
    changes, facts, reviews, activities = [], [], [], []
    for plan in plans:
        deal = plan.deal
        previous = None
        for stage, moment in plan.events:
            changes.append(
                StageChange(
                    deal=deal,
                    from_stage=previous,
                    to_stage=stage,
                    changed_by_id=plan.owner_id,
                    changed_at=moment,
                    lost_reason=plan.lost_reason if stage.kind == StageKind.LOST else "",
                    updated_at=moment,
                )
            )
            previous = stage
        is_open = plan.stage.kind == StageKind.OPEN
        end = now if is_open else plan.events[-1][1]

        # Facts: the further a deal got, the more evidence of intent it collected; some open
        # deals have none ("feelings only") — that is what the board is for.
        open_events = [(stage, moment) for stage, moment in plan.events if stage.kind == StageKind.OPEN]
        feelings_only = is_open and rng.random() < 0.22
        fact_count = 0
        for position, (stage, entered) in enumerate(open_events):
            level = min(open_index[stage.pk], len(FACTS_BY_DEPTH) - 1)
            chance = (0.35, 0.5, 0.75, 0.85, 0.9)[level]
            if feelings_only or rng.random() > chance:
                continue
            left = open_events[position + 1][1] if position + 1 < len(open_events) else end
            kind = rng.choice(FACTS_BY_DEPTH[level])
            happened = _between(rng, entered, left)
            fact_count += 1
            facts.append(
                Fact(
                    deal=deal,
                    kind=kind,
                    text=rng.choice(FACTS[kind]),
                    happened_on=timezone.localtime(happened).date(),
                    recorded_by_id=plan.owner_id,
                    created_at=happened,
                    updated_at=happened,
                )
            )

        # Reviews by the owner's lead: most open deals on the weekly cadence, some not.
        reviewer = reviewer_of_team.get(owner_team.get(plan.owner_id)) or head
        if is_open:
            roll = rng.random()
            moments = []
            if roll < 0.62:
                moments.append(now - datetime.timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 8)))
            elif roll < 0.85:
                moments.append(now - datetime.timedelta(days=rng.randint(8, 30)))
            moments = [m for m in moments if m > plan.created]
        else:
            moments = [_between(rng, plan.created, end)] if rng.random() < 0.35 else []
        for moment in moments:
            if plan.stage.kind == StageKind.LOST:
                verdict = rng.choice((Verdict.AT_RISK, Verdict.UNQUALIFIED))
            elif fact_count:
                verdict = rng.choice((Verdict.ON_TRACK, Verdict.ON_TRACK, Verdict.AT_RISK))
            else:
                verdict = rng.choice((Verdict.AT_RISK, Verdict.NEEDS_HELP, Verdict.UNQUALIFIED))
            reviews.append(
                Review(
                    deal=deal,
                    reviewer=reviewer,
                    verdict=verdict,
                    comment=rng.choice(REVIEW_COMMENTS[verdict]),
                    next_action=rng.choice(NEXT_STEPS) if verdict != Verdict.UNQUALIFIED else "",
                    next_action_due=(
                        timezone.localtime(moment).date() + datetime.timedelta(days=rng.randint(2, 10))
                    )
                    if verdict != Verdict.UNQUALIFIED
                    else None,
                    reviewed_at=moment,
                    updated_at=moment,
                )
            )

        # The deal's own calls and meetings; a share of open deals has gone silent.
        silent = is_open and rng.random() < 0.2
        count = rng.randint(1, 4)
        for _ in range(count):
            if is_open and not silent and rng.random() < 0.7:
                moment = _between(rng, max(plan.created, now - datetime.timedelta(days=10)), now)
            else:
                latest = min(end, now - datetime.timedelta(days=16)) if silent else end
                moment = _between(rng, plan.created, latest)
            moment = _working_moment(rng, timezone.localtime(moment).date())
            if moment > now or moment < plan.created:
                continue
            kind = rng.choices([ActivityKind.CALL, ActivityKind.MEETING, ActivityKind.EMAIL], [6, 2, 2])[0]
            activities.append(
                Activity(
                    kind=kind,
                    direction=Direction.OUTGOING if kind != ActivityKind.MEETING else "",
                    client=plan.client,
                    deal=deal,
                    owner_id=plan.owner_id,
                    occurred_at=moment,
                    duration_minutes={ActivityKind.CALL: rng.randint(3, 20), ActivityKind.MEETING: 60}.get(
                        kind, 0
                    ),
                    outcome=rng.choice(DEAL_CALLS).format(title=deal.title),
                    created_at=moment,
                    updated_at=moment,
                )
            )
    with _given_timestamps(StageChange, Fact, Review, Activity):
        StageChange.objects.bulk_create(changes, batch_size=1000)
        Fact.objects.bulk_create(facts, batch_size=1000)
        Review.objects.bulk_create(reviews, batch_size=1000)
        Activity.objects.bulk_create(activities, batch_size=1000)
