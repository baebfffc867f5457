"""Writing the planned demo deals: the deals, their stage history, facts on the advanced
ones, leads' reviews and the calls logged on them, with the moments the plan gives."""

from __future__ import annotations

import contextlib
import datetime
import random

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from clients.models import Activity, ActivityKind, Direction, Task, TaskKind
from deals.models import Deal, Fact, FactKind, LostReason, Review, StageChange, StageKind, Verdict
from demo.deals.pipeline import COMPETITORS, LOST_REASONS, Plan, between, working_moment

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


def _competitor(plan: Plan) -> str:
    """The competitor a deal's client names (no random draw, so the demo's others stay)."""
    return COMPETITORS[(plan.client.pk + len(plan.title)) % len(COMPETITORS)]


def _fact_text(rng: random.Random, kind: str, plan: Plan) -> str:
    text = rng.choice(FACTS[kind])  # drawn for every kind, so the demo's other draws stay
    return _competitor(plan) if kind == FactKind.NAMED_COMPETITOR else text  # counted by name


def _lost_to_competitor(plan: Plan, end: datetime.datetime) -> list[Fact]:
    """Lost to a competitor or on price: the rep wrote down whom the client chose."""
    if plan.stage.kind != StageKind.LOST or plan.lost_reason not in ("Competitor", "Price"):
        return []
    return [
        Fact(
            deal=plan.deal,
            kind=FactKind.NAMED_COMPETITOR,
            text=_competitor(plan),
            happened_on=timezone.localtime(end).date(),
            recorded_by_id=plan.owner_id,
            created_at=end,
            updated_at=end,
        )
    ]


def write_deals(plans: list[Plan], *, rng: random.Random, today: datetime.date) -> None:
    reasons = {
        name: LostReason.objects.get_or_create(name=name)[0] for name in {name for name, _c in LOST_REASONS}
    }
    deals = []
    kept_past = False  # at least one slipped date stays, whatever day the demo is seeded on
    for plan in plans:
        stage, changed_at = plan.events[-1]
        closed = stage.kind != StageKind.OPEN
        planned_cycle = datetime.timedelta(days=rng.randint(30, 120))
        if closed:
            expected = timezone.localtime(changed_at).date() + datetime.timedelta(days=rng.randint(-20, 10))
        else:
            expected = (plan.created + planned_cycle).date()
            # most slipped dates were moved on; a few stay past (a warning worth reading)
            if expected < today and rng.random() < 0.88 and kept_past:
                expected = today + datetime.timedelta(days=rng.randint(3, 90))
            kept_past = kept_past or expected < today
        next_step, next_step_due = "", None
        if not closed and rng.random() < 0.93:  # most open deals have their next task
            next_step = rng.choice(NEXT_STEPS)
            next_step_due = today + datetime.timedelta(days=rng.randint(-5, 14))
        plan.next_task = (next_step, next_step_due) if next_step else None
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
            lost_reason=reasons[plan.lost_reason] if stage.kind == StageKind.LOST else None,
            lost_comment=plan.lost_comment if stage.kind == StageKind.LOST else "",
            forecast_category=stage.default_forecast_category,
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
        _write_deal_tasks(plans)


def _write_deal_tasks(plans: list[Plan]) -> None:
    """Each open deal's next task, on the deal, for its owner; one deal in five has none (the
    board flags those: "no open task")."""
    kinds = {
        "call": TaskKind.CALL,
        "meet": TaskKind.MEETING,
        "book": TaskKind.MEETING,
        "send": TaskKind.EMAIL,
    }
    tasks = []
    for plan in plans:
        if plan.next_task is None:
            continue
        title, due = plan.next_task
        kind = next((kind for word, kind in kinds.items() if title.lower().startswith(word)), TaskKind.TODO)
        tasks.append(
            Task(
                kind=kind,
                title=title,
                client=plan.client,
                deal=plan.deal,
                owner_id=plan.owner_id,
                created_by_id=plan.owner_id,
                due_date=due,
            )
        )
    Task.objects.bulk_create(tasks, batch_size=1000)


def write_history(
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
                    lost_reason=deal.lost_reason if stage.kind == StageKind.LOST else None,
                    lost_comment=deal.lost_comment if stage.kind == StageKind.LOST else "",
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
            happened = between(rng, entered, left)
            fact_count += 1
            facts.append(
                Fact(
                    deal=deal,
                    kind=kind,
                    text=_fact_text(rng, kind, plan),
                    happened_on=timezone.localtime(happened).date(),
                    recorded_by_id=plan.owner_id,
                    created_at=happened,
                    updated_at=happened,
                )
            )
        facts.extend(_lost_to_competitor(plan, end))

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
            moments = [between(rng, plan.created, end)] if rng.random() < 0.35 else []
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
        silent = is_open and rng.random() < 0.08
        count = rng.randint(1, 4)
        for _ in range(count):
            if is_open and not silent and rng.random() < 0.7:
                moment = between(rng, max(plan.created, now - datetime.timedelta(days=10)), now)
            else:
                latest = min(end, now - datetime.timedelta(days=16)) if silent else end
                moment = between(rng, plan.created, latest)
            moment = working_moment(rng, timezone.localtime(moment).date())
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
