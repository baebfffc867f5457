"""Demo plans, norms, payment schedules, payments and overdue reasons.

Runs after the clients and deals demos: it reads the won deals they created. Without any
deals it still sets this year's and last year's plans and the activity norms."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import Role
from clients.models import Activity, ActivityKind
from deals.models import Deal, StageKind
from targets import services
from targets.models import Installment, OverdueReason, Payment, PlanMetric, SplitMethod
from targets.services import installment_paid_refresh

DEFAULT_BOOKED = Decimal("12000000.00")

REASONS = [
    "Waiting for the client's budget approval; the CFO signs on Fridays.",
    "Invoice went to the wrong department; re-sent to accounts payable.",
    "Client asked to pay after the goods are accepted by their warehouse.",
    "Their bank transfer was rejected: wrong reference. They will resend.",
    "New procurement manager needs the contract re-approved.",
    "Cash-flow gap at the client until their own customer pays them.",
    "Disputing one line of the invoice; agreed to pay the rest first.",
    "Director on holiday, nobody else can sign the payment order.",
]


def _round_to(amount: Decimal, step: Decimal) -> Decimal:
    return (amount / step).quantize(Decimal("1")) * step


def _booked(year: int) -> Decimal:
    total = Deal.objects.filter(stage__kind=StageKind.WON, closed_at__year=year).aggregate(
        total=Sum("amount")
    )["total"]
    return total or Decimal("0.00")


def _seed_plans(staff, rng: random.Random) -> None:
    """Targets a little above what the department actually does: last year's plan 8% over
    last year's result, this year's 5% over this year's pace, so fulfilment looks real."""
    head = staff.head
    today = timezone.localdate()
    this_year = today.year
    step = Decimal("100000.00")
    last_year_actual = _booked(this_year - 1)
    last_amount = _round_to(last_year_actual * Decimal("1.08"), step) if last_year_actual else DEFAULT_BOOKED
    so_far = _booked(this_year)
    elapsed = Decimal(today.timetuple().tm_yday) / Decimal(365)
    this_amount = _round_to(so_far / elapsed * Decimal("1.05"), step) if so_far else DEFAULT_BOOKED
    members = list(services.plan_members())
    rep_weights = _rep_weights(members, rng)
    for year, amount, metric in (
        (this_year - 1, last_amount, PlanMetric.BOOKED),
        (this_year, this_amount, PlanMetric.BOOKED),
        (this_year, _round_to(this_amount * Decimal("0.9"), step), PlanMetric.COLLECTED),
    ):
        plan = services.plan_create(
            actor=head, year=year, metric=metric, amount=amount, note="Agreed with management in December."
        )
        services.plan_decompose(
            actor=head,
            plan=plan,
            month_method="last_year",
            team_method=SplitMethod.EVEN,
            rep_method=SplitMethod.WEIGHTS if members else SplitMethod.EVEN,
            rep_weights=rep_weights if members else None,
        )


def _rep_weights(members, rng: random.Random) -> dict[int, Decimal]:
    """Each plan member's share of the plan: their share of the last twelve months' wins,
    give or take 15%, so each rep's fulfilment lands around the department's (not 4% for
    one and 250% for another). Someone who won nothing still gets a small plan."""
    since = timezone.localdate() - datetime.timedelta(days=365)
    won = dict(
        Deal.objects.filter(stage__kind=StageKind.WON, closed_at__gte=since, owner__in=members)
        .values("owner_id")
        .annotate(total=Sum("amount"))
        .values_list("owner_id", "total")
    )
    average = (sum(won.values(), Decimal("0")) / len(members)) if members and won else Decimal("1")
    floor = average / 4 or Decimal("1")
    return {
        member.pk: max(won.get(member.pk) or Decimal("0"), floor) * Decimal(rng.randint(90, 115)) / 100
        for member in members
    }


# Calls a day each role is asked for, as a share of what that role's people log on a working
# day of the last four weeks: the norm sits near the middle, so some meet it and some do not.
NORMS = (
    # role, calls (× the role's median daily calls), meetings per week
    (Role.REP, Decimal("1.0"), 2),
    (Role.ACCOUNT_MANAGER, Decimal("0.9"), 2),
    (Role.SDR, Decimal("0.9"), 1),
    (Role.LEAD, Decimal("1.1"), 1),
)


def _daily_calls() -> dict[int, Decimal]:
    """Calls per working day each person logged over the last four weeks (20 working days)."""
    since = timezone.now() - datetime.timedelta(days=28)
    calls = (
        Activity.objects.filter(kind=ActivityKind.CALL, occurred_at__gte=since)
        .values("owner_id")
        .annotate(count=Count("pk"))
        .values_list("owner_id", "count")
    )
    return {owner_id: Decimal(count) / 20 for owner_id, count in calls}


def _median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    if not ordered:
        return Decimal("0")
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _seed_norms(staff) -> None:
    head = staff.head
    daily = _daily_calls()
    people = [*staff.reps, *staff.leads, *staff.others.values()]
    for role, share, meetings in NORMS:
        rates = [daily.get(person.pk, Decimal("0")) for person in people if person.role == role]
        calls = max(1, int((_median(rates) * share).quantize(Decimal("1"))))
        services.norm_set_for_role(actor=head, role=role, calls_per_day=calls, meetings_per_week=meetings)
    if len(staff.reps) >= 7:
        # one rep asked for more than their role, one for less
        rep_norm = max(1, int(_median([daily.get(rep.pk, Decimal("0")) for rep in staff.reps])))
        services.norm_set_for_user(
            actor=head, person=staff.reps[0], calls_per_day=rep_norm + 2, meetings_per_week=3
        )
        services.norm_set_for_user(
            actor=head, person=staff.reps[6], calls_per_day=max(1, rep_norm - 2), meetings_per_week=1
        )


def _at(day: datetime.date, hour: int = 11) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _seed_receivables(staff, rng: random.Random) -> None:
    today = timezone.localdate()
    won = list(
        Deal.objects.filter(stage__kind=StageKind.WON, closed_at__isnull=False, amount__gt=0)
        .select_related("owner")
        .order_by("pk")
    )
    if not won:
        return
    assistants = {}
    for person in staff.others.values():
        if person.role == Role.ASSISTANT and person.team_id:
            assistants[person.team_id] = person
    lines: list[Installment] = []
    for deal in won:
        count = rng.choice([1, 1, 2, 3, 3, 4, 6])
        interval = 3 if count == 4 else 1
        first_due = deal.closed_at + datetime.timedelta(days=rng.choice([7, 14, 30]))
        for index, amount in enumerate(services.split_exactly(deal.amount, [1] * count)):
            lines.append(
                Installment(
                    deal=deal,
                    due_date=first_due + relativedelta(months=index * interval),
                    amount=amount,
                    note="Per contract" if index == 0 else "",
                )
            )
    lines = bulk_create_with_history(
        lines, Installment, batch_size=500, default_user=staff.head, default_change_reason="Demo data"
    )
    deals_by_pk = {deal.pk: deal for deal in won}
    payments: list[Payment] = []
    reasons: list[OverdueReason] = []
    for line in lines:
        if line.due_date > today:
            continue
        deal = deals_by_pk[line.deal_id]
        recorder = assistants.get(deal.owner.team_id, deal.owner) if rng.random() < 0.5 else deal.owner
        days_late = (today - line.due_date).days
        roll = rng.random()
        # Only the last four months hold unpaid debt; older installments were all settled.
        may_stay_unpaid = 1 <= days_late <= 120
        if roll < 0.68 or not may_stay_unpaid and roll < 0.85:
            paid_on = max(line.due_date - datetime.timedelta(days=rng.randint(0, 5)), deal.closed_at)
            payments.append(
                Payment(installment=line, amount=line.amount, paid_on=paid_on, recorded_by=recorder)
            )
            continue
        if not may_stay_unpaid:
            paid_on = min(line.due_date + datetime.timedelta(days=rng.randint(3, 45)), today)
            payments.append(
                Payment(installment=line, amount=line.amount, paid_on=paid_on, recorded_by=recorder)
            )
            continue
        if roll < 0.78:
            late = min(rng.randint(2, 20), days_late)
            paid_on = line.due_date + datetime.timedelta(days=late)
            payments.append(
                Payment(installment=line, amount=line.amount, paid_on=paid_on, recorded_by=recorder)
            )
            continue
        if roll < 0.88:
            part = (line.amount * Decimal(rng.randint(30, 70)) / 100).quantize(Decimal("0.01"))
            if part > 0:
                payments.append(
                    Payment(
                        installment=line,
                        amount=part,
                        paid_on=line.due_date,
                        recorded_by=recorder,
                        note="Part",
                    )
                )
        if rng.random() < 0.75:
            said_on = line.due_date + datetime.timedelta(days=min(rng.randint(1, 10), days_late))
            reasons.append(
                OverdueReason(
                    installment=line,
                    reason=rng.choice(REASONS),
                    promised_date=today + datetime.timedelta(days=rng.randint(3, 30)),
                    recorded_by=deal.owner if rng.random() < 0.7 else recorder,
                    recorded_at=_at(said_on),
                )
            )
    bulk_create_with_history(
        payments, Payment, batch_size=1000, default_user=staff.head, default_change_reason="Demo data"
    )
    installment_paid_refresh()
    OverdueReason.objects.bulk_create(reasons, batch_size=1000)


def seed(*, staff, rng: random.Random, size: str = "small") -> None:
    _seed_norms(staff)
    _seed_receivables(staff, rng)
    _seed_plans(staff, rng)
