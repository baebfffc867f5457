"""The department-scale data set (``seed_demo --size large``), deterministic and fast.

120 reps in 10 teams, 30,000 clients, 150,000 deals over three years with their stage
histories, facts and reviews, 2,000,000 activities, 100,000 installments with payments,
and decomposed plans for every year. Rows are generated in chunks and written with
PostgreSQL's COPY (plain batched INSERTs on other databases), so memory stays flat and
the whole set loads in minutes on a 2-core machine.
"""

from __future__ import annotations

import datetime
import io
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

CHUNK = 50_000


@dataclass(frozen=True)
class Scale:
    teams: int = 10
    reps_per_team: int = 12
    clients: int = 30_000
    deals: int = 150_000
    activities: int = 2_000_000
    installments: int = 100_000
    years: int = 3


LARGE = Scale()


# --- writing rows -------------------------------------------------------------------------


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    text = str(value)
    if any(ch in text for ch in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


class TableWriter:
    """Writes plain tuples into one model's table: COPY on PostgreSQL, INSERTs elsewhere.

    Columns not given get the field's default once (timestamps: the load's start), so a
    field added later with a default does not break the loader."""

    def __init__(self, model: type[models.Model], columns: list[str], now: datetime.datetime):
        self.model = model
        self.columns = columns
        fields = {f.name: f for f in model._meta.concrete_fields}
        self.fixed: dict[str, object] = {}
        for name, field in fields.items():
            if name in columns:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                self.fixed[name] = now
            elif field.has_default():
                self.fixed[name] = field.get_default()
            elif field.null:
                self.fixed[name] = None
            elif field.empty_strings_allowed and field.blank:
                self.fixed[name] = ""
            elif field.primary_key:
                continue
            else:
                raise ValueError(f"{model.__name__}.{name} needs a value in the scale loader")
        self.db_columns = [fields[name].column for name in columns] + [fields[n].column for n in self.fixed]
        self.fixed_values = tuple(self.fixed.values())
        self.count = 0

    def write(self, rows: Iterable[tuple]) -> None:
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= CHUNK:
                self._flush(batch)
                batch = []
        if batch:
            self._flush(batch)

    def _flush(self, batch: list[tuple]) -> None:
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.db_columns)
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            tail = self.fixed_values
            for row in batch:
                buffer.write("\t".join(_copy_text(v) for v in (*row, *tail)))
                buffer.write("\n")
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
        else:
            placeholders = ", ".join(["%s"] * len(self.db_columns))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
            with connection.cursor() as cursor:
                cursor.executemany(sql, [(*row, *self.fixed_values) for row in batch])
        self.count += len(batch)


def _reset_sequences(*model_classes: type[models.Model]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_classes))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


# --- the data -----------------------------------------------------------------------------

FIRST_NAMES = [
    "Anna",
    "Pavel",
    "Olga",
    "Sergey",
    "Maria",
    "Andrey",
    "Natalia",
    "Ivan",
    "Elena",
    "Dmitry",
    "Irina",
    "Alexei",
    "Svetlana",
    "Mikhail",
    "Tatiana",
    "Nikolai",
    "Li",
    "Wang",
    "Zhang",
    "Chen",
]
LAST_NAMES = [
    "Ivanov",
    "Smirnov",
    "Kuznetsov",
    "Popov",
    "Lebedev",
    "Kozlov",
    "Novikov",
    "Morozov",
    "Petrov",
    "Volkov",
    "Sokolov",
    "Orlov",
    "Fedorov",
    "Egorov",
    "Pavlov",
    "Semenov",
    "Wei",
    "Min",
    "Fang",
    "Jing",
]
INDUSTRIES = [
    "Manufacturing",
    "Retail",
    "Logistics",
    "Construction",
    "Healthcare",
    "Education",
    "Finance",
    "IT services",
    "Energy",
    "Agriculture",
    "Hospitality",
    "Telecom",
]
TERRITORIES = ["North-West", "Central", "Volga", "Urals", "Siberia", "South", "Far East", "North Caucasus"]
COMPANY_WORDS = [
    "Alfa",
    "Vector",
    "Nord",
    "Sigma",
    "Techno",
    "Stroy",
    "Trans",
    "Agro",
    "Med",
    "Info",
    "Energo",
    "Prom",
    "Servis",
    "Logistic",
    "Capital",
    "Sever",
    "Ural",
    "Volga",
    "Baikal",
    "Orion",
]
COMPANY_FORMS = ["LLC", "JSC", "Group", "Holding", "Trade", "Systems", "Plant", "Partners"]


def _timestamp(day: datetime.date, rng: random.Random) -> datetime.datetime:
    naive = datetime.datetime.combine(day, datetime.time(9 + rng.randrange(9), rng.randrange(60)))
    return timezone.make_aware(naive)


def _say(out: Callable[[str], None], started: float, message: str) -> None:
    out(f"[{time.monotonic() - started:7.1f}s] {message}")


def seed_large(*, rng: random.Random, out: Callable[[str], None] = print, scale: Scale = LARGE) -> None:
    """The department at scale. The phases run in this order and draw from ``rng`` in this
    order, so a seed gives the same data every time."""
    started = time.monotonic()
    now = timezone.now()
    today = timezone.localdate()
    period = _Period(first_day=today.replace(year=today.year - scale.years, month=1, day=1), today=today)

    staff = _seed_large_staff(rng=rng, scale=scale)
    _say(out, started, f"staff: {len(staff.reps)} reps in {len(staff.teams)} teams")
    clients = _seed_large_clients(rng=rng, scale=scale, staff=staff, now=now)
    _say(out, started, f"clients: {scale.clients:,} with contacts")
    won_deals = _seed_large_deals(
        rng=rng, scale=scale, staff=staff, clients=clients, period=period, now=now, out=out, started=started
    )
    _seed_large_activities(
        rng=rng, scale=scale, clients=clients, period=period, now=now, out=out, started=started
    )
    _seed_large_receivables(
        rng=rng, scale=scale, won_deals=won_deals, today=today, now=now, out=out, started=started
    )
    _seed_plans(
        head=staff.head, years=range(today.year - scale.years + 1, today.year + 1), out=out, started=started
    )

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    _say(out, started, "done")


@dataclass(frozen=True)
class _Period:
    """The days the data covers: from the first of January ``scale.years`` ago to today."""

    first_day: datetime.date
    today: datetime.date

    @property
    def span_days(self) -> int:
        return (self.today - self.first_day).days


@dataclass(frozen=True)
class _Staff:
    head: object
    teams: list
    reps: list
    territories: list
    industries: list

    @property
    def rep_ids(self) -> list[int]:
        return [rep.pk for rep in self.reps]


@dataclass(frozen=True)
class _Clients:
    start: int  # the id of the first client
    owner: list[int]  # the owner id of each client, by its index


def _seed_large_staff(*, rng: random.Random, scale: Scale) -> _Staff:
    """The head, one lead and one assistant a team, the reps, two analysts; the territories,
    industries and the reps' activity norm."""
    from accounts.models import Role, Team, Territory, User
    from clients.models import Industry
    from targets.models import ActivityNorm

    password = make_password("demo", salt="salesdeptscale")
    with transaction.atomic():
        territories = [Territory.objects.create(name=name) for name in TERRITORIES]
        head = User.objects.create(
            username="head",
            first_name="Viktor",
            last_name="Orlov",
            role=Role.HEAD,
            password=password,
            is_staff=True,
            is_superuser=True,
        )
        users = []
        teams = []
        reps: list[User] = []
        for t in range(scale.teams):
            team = Team.objects.create(name=f"Team {t + 1:02d}")
            lead = User.objects.create(
                username=f"lead{t + 1}",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                role=Role.LEAD,
                team=team,
                territory=territories[t % len(territories)],
                password=password,
            )
            team.lead = lead
            team.save(update_fields=["lead"])
            teams.append(team)
            users.append(
                User(
                    username=f"assistant{t + 1}",
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    role=Role.ASSISTANT,
                    team=team,
                    password=password,
                )
            )
            for r in range(scale.reps_per_team):
                number = t * scale.reps_per_team + r + 1
                reps.append(
                    User(
                        username=f"rep{number}",
                        first_name=rng.choice(FIRST_NAMES),
                        last_name=rng.choice(LAST_NAMES),
                        role=Role.REP,
                        team=team,
                        territory=territories[(t + r) % len(territories)],
                        password=password,
                    )
                )
        users += [
            User(
                username=f"analyst{n}",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                role=Role.ANALYST,
                password=password,
            )
            for n in (1, 2)
        ]
        User.objects.bulk_create(users + reps)
        reps = list(User.objects.filter(role=Role.REP).order_by("pk"))
        industries = [Industry.objects.create(name=name) for name in INDUSTRIES]
        ActivityNorm.objects.create(role=Role.REP, calls_per_day=30, meetings_per_week=8)
    return _Staff(head=head, teams=teams, reps=reps, territories=territories, industries=industries)


def _seed_large_clients(
    *, rng: random.Random, scale: Scale, staff: _Staff, now: datetime.datetime
) -> _Clients:
    """The clients, each owned by a random rep, and one or two contacts each."""
    from clients.models import Client, Contact

    rep_ids = staff.rep_ids
    territories, industries = staff.territories, staff.industries
    client_start = _next_id(Client)
    client_owner: list[int] = []
    statuses = ["lead"] * 3 + ["prospect"] * 3 + ["customer"] * 5 + ["former"]
    sources = ["inbound", "cold_call", "referral", "exhibition", "website", "partner", "tender"]

    def client_rows() -> Iterator[tuple]:
        for index in range(scale.clients):
            owner = rng.choice(rep_ids)
            client_owner.append(owner)
            stem = f"{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_WORDS).lower()}"
            name = f"{stem} {COMPANY_FORMS[index % 8]} {index + 1}"
            yield (
                client_start + index,
                name,
                name.casefold(),
                f"{7700000000 + index}",
                industries[index % len(industries)].pk,
                rng.choice(["small", "small", "mid", "enterprise"]),
                territories[index % len(territories)].pk,
                rng.choice("AABBBCCCCC"),
                rng.choice(statuses),
                rng.choice(sources),
                owner,
                f"+7 495 {index % 1000:03d}-{index % 10000:04d}",
            )

    TableWriter(
        Client,
        [
            "id",
            "name",
            "normalized_name",
            "tax_id",
            "industry",
            "segment",
            "territory",
            "tier",
            "status",
            "source",
            "owner",
            "phone",
        ],
        now,
    ).write(client_rows())

    contact_start = _next_id(Contact)

    def contact_rows() -> Iterator[tuple]:
        contact_id = contact_start
        for index in range(scale.clients):
            for position in ("Director", "Procurement manager")[: 1 + index % 2]:
                yield (
                    contact_id,
                    client_start + index,
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    position,
                    f"+7 916 {contact_id % 1000:03d}-{contact_id % 10000:04d}",
                    f"contact{contact_id}@client{index + 1}.example",
                    position == "Director",
                )
                contact_id += 1

    TableWriter(
        Contact, ["id", "client", "name", "position", "phone", "email", "is_decision_maker"], now
    ).write(contact_rows())
    _reset_sequences(Client, Contact)
    return _Clients(start=client_start, owner=client_owner)


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


class _DealMaker:
    """Makes one deal's rows at a time: the deal, its stage history, facts and a review."""

    def __init__(
        self, *, rng: random.Random, scale: Scale, staff: _Staff, clients: _Clients, period: _Period
    ):
        from deals.models import Deal, Stage

        self.rng, self.scale, self.clients, self.period = rng, scale, clients, period
        stages = {stage.name: stage for stage in Stage.objects.all()}
        self.open_path = [
            stages[name] for name in ("Lead", "Qualified", "Proposal", "Negotiation", "Contract")
        ]
        self.won, self.lost = stages["Won"], stages["Lost"]
        self.deal_start = _next_id(Deal)
        self.rep_team = {rep.pk: rep.team_id for rep in staff.reps}
        self.lead_of_team = {team.pk: team.lead_id for team in staff.teams}
        self.won_deals: list[tuple[int, Decimal, datetime.date, int]] = []  # id, amount, closed, owner

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
        amount = Decimal(rng.randrange(500, 500_000)) * 10
        age = (today - created).days
        closes = age > 120 or rng.random() < age / 150
        depth = rng.choice([1, 2, 2, 3, 3, 4, 4, 5]) if closes else rng.randrange(1, 6)
        path = self.open_path[:depth]
        final = (won if rng.random() < 0.45 else lost) if closes else path[-1]
        if final.kind != "open":
            path = [*path, final]
        last_change = self._stage_history(
            rows.changes, deal_id=deal_id, owner=owner, path=path, created=created
        )
        closed_at = last_change.date() if final.kind != "open" else None
        expected = created + datetime.timedelta(days=rng.randrange(20, 120))
        renewal = final is won and rng.random() < 0.5
        service_start = closed_at if renewal else None
        service_end = closed_at + datetime.timedelta(days=365) if renewal else None
        has_next_step = final.kind == "open" and rng.random() < 0.75
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
                "Call back with the proposal" if has_next_step else "",
                today + datetime.timedelta(days=rng.randrange(-10, 20)) if has_next_step else None,
                "Price too high" if final is lost else "",
                closed_at,
                last_change,
                _timestamp(created, rng),
            )
        )
        if final is won:
            self.won_deals.append((deal_id, amount, closed_at, owner))
        self._facts_and_review(rows, deal_id=deal_id, owner=owner, depth=depth, created=created)

    def _stage_history(
        self, changes: list, *, deal_id: int, owner: int, path: list, created
    ) -> datetime.datetime:
        """The stage changes along ``path``; the answer is the moment of the last one."""
        rng, today = self.rng, self.period.today
        moment = _timestamp(created, rng)
        previous = None
        for stage in path:
            changes.append(
                (
                    deal_id,
                    previous.pk if previous else None,
                    stage.pk,
                    owner,
                    moment,
                    "Price too high" if stage is self.lost else "",
                )
            )
            previous = stage
            moment = moment + datetime.timedelta(days=rng.randrange(2, 25), hours=rng.randrange(8))
            if moment.date() > today:
                moment = _timestamp(today, rng)
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
                    _timestamp(
                        min(self.period.today, created + datetime.timedelta(days=rng.randrange(3, 40))), rng
                    ),
                )
            )


def _seed_large_deals(
    *,
    rng: random.Random,
    scale: Scale,
    staff: _Staff,
    clients: _Clients,
    period: _Period,
    now: datetime.datetime,
    out: Callable[[str], None],
    started: float,
) -> list[tuple[int, Decimal, datetime.date, int]]:
    """Deals with their stage history, facts and reviews, written a chunk at a time; the
    answer is the won deals (id, amount, closed on, owner) for the receivables."""
    from deals.models import Deal, Fact, Review, StageChange

    maker = _DealMaker(rng=rng, scale=scale, staff=staff, clients=clients, period=period)
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
            "next_step",
            "next_step_due",
            "lost_reason",
            "closed_at",
            "stage_changed_at",
            "created_at",
        ],
        now,
    )
    change_writer = TableWriter(
        StageChange, ["deal", "from_stage", "to_stage", "changed_by", "changed_at", "lost_reason"], now
    )
    fact_writer = TableWriter(Fact, ["deal", "kind", "text", "happened_on", "recorded_by"], now)
    review_writer = TableWriter(Review, ["deal", "reviewer", "verdict", "comment", "reviewed_at"], now)

    for chunk_start in range(0, scale.deals, CHUNK):
        rows = _DealRows()
        for index in range(chunk_start, min(scale.deals, chunk_start + CHUNK)):
            maker.make(index, rows)
        deal_writer.write(rows.deals)
        change_writer.write(rows.changes)
        fact_writer.write(rows.facts)
        review_writer.write(rows.reviews)
        _say(out, started, f"deals: {deal_writer.count:,}, stage changes: {change_writer.count:,}")
    _reset_sequences(Deal, StageChange, Fact, Review)
    _say(out, started, f"facts: {fact_writer.count:,}, reviews: {review_writer.count:,}")
    return maker.won_deals


def _seed_large_activities(
    *,
    rng: random.Random,
    scale: Scale,
    clients: _Clients,
    period: _Period,
    now: datetime.datetime,
    out: Callable[[str], None],
    started: float,
) -> None:
    """Activities spread evenly over the period, a few with a next step (done unless recent)."""
    from clients.models import Activity

    first_day, span_days, today = period.first_day, period.span_days, period.today
    kinds = ["call"] * 12 + ["meeting"] * 4 + ["email"] * 3 + ["visit"]

    def activity_rows() -> Iterator[tuple]:
        for index in range(scale.activities):
            client_index = rng.randrange(scale.clients)
            owner = clients.owner[client_index]
            day = first_day + datetime.timedelta(days=int(span_days * index / scale.activities))
            kind = rng.choice(kinds)
            next_step = "Send the offer" if rng.random() < 0.03 else ""
            due = day + datetime.timedelta(days=rng.randrange(1, 14)) if next_step else None
            done = _timestamp(due, rng) if due and due < today - datetime.timedelta(days=7) else None
            yield (
                clients.start + client_index,
                owner,
                kind,
                rng.choice(["outgoing", "outgoing", "incoming"]) if kind in ("call", "email") else "",
                _timestamp(day, rng),
                rng.randrange(1, 60),
                "Discussed the next delivery.",
                next_step,
                due,
                done,
            )

    activity_writer = TableWriter(
        Activity,
        [
            "client",
            "owner",
            "kind",
            "direction",
            "occurred_at",
            "duration_minutes",
            "outcome",
            "next_step",
            "next_step_due",
            "next_step_done_at",
        ],
        now,
    )
    activity_writer.write(activity_rows())
    _reset_sequences(Activity)
    _say(out, started, f"activities: {activity_writer.count:,}")


def _seed_large_receivables(
    *,
    rng: random.Random,
    scale: Scale,
    won_deals: list[tuple[int, Decimal, datetime.date, int]],
    today: datetime.date,
    now: datetime.datetime,
    out: Callable[[str], None],
    started: float,
) -> None:
    """Monthly installments for the won deals and their payments: most paid, some half, some not."""
    from targets.models import Installment, Payment
    from targets.services import installment_paid_refresh

    installment_start = _next_id(Installment)
    installment_writer = TableWriter(Installment, ["id", "deal", "due_date", "amount", "note"], now)
    payment_writer = TableWriter(
        Payment, ["installment", "amount", "paid_on", "is_overpayment", "note", "recorded_by"], now
    )
    installments, payments = [], []
    installment_id = installment_start
    per_deal = max(1, -(-scale.installments // max(1, len(won_deals))))
    for deal_id, amount, closed_at, owner in won_deals:
        if installment_id - installment_start >= scale.installments:
            break
        share = (amount / per_deal).quantize(Decimal("0.01"))
        for number in range(per_deal):
            part = share if number < per_deal - 1 else amount - share * (per_deal - 1)
            due = closed_at + datetime.timedelta(days=30 * (number + 1))
            installments.append((installment_id, deal_id, due, part, ""))
            if due <= today:
                payment = _payment_row(rng, installment_id=installment_id, part=part, due=due, owner=owner)
                if payment is not None:
                    payments.append(payment)
            installment_id += 1
    installment_writer.write(installments)
    payment_writer.write(payments)
    _reset_sequences(Installment, Payment)
    installment_paid_refresh()
    _say(out, started, f"installments: {installment_writer.count:,}, payments: {payment_writer.count:,}")


def _payment_row(rng: random.Random, *, installment_id: int, part: Decimal, due: datetime.date, owner: int):
    """A due installment is paid in full (80%), half paid on the day (10%) or not at all."""
    roll = rng.random()
    if roll < 0.8:
        return (installment_id, part, due + datetime.timedelta(days=rng.randrange(-5, 10)), False, "", owner)
    if roll < 0.9:
        return (installment_id, (part / 2).quantize(Decimal("0.01")), due, False, "", owner)
    return None


def _seed_plans(*, head, years, out, started) -> None:
    """A booked-revenue plan for every year, decomposed by the product's own service: months
    by last year's actual shares (even for the first year), then evenly to teams and reps."""
    from targets.models import MonthMethod, PlanMetric
    from targets.services import plan_create, plan_decompose

    years = list(years)
    for index, year in enumerate(years):
        plan = plan_create(actor=head, year=year, metric=PlanMetric.BOOKED, amount=Decimal("1800000000.00"))
        plan_decompose(
            actor=head, plan=plan, month_method=MonthMethod.LAST_YEAR if index else MonthMethod.EVEN
        )
    _say(out, started, f"plans: {len(years)} years decomposed to months, teams and reps")
