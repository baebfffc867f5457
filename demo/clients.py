"""Demo client base: industries, a few hundred clients owned by the sellers, their contacts
and two years of activities (calls dominating), with next steps open, done and overdue.

Deterministic: every random choice comes from ``rng``; dates are relative to today."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from clients.history import DEMO_DATA
from clients.models import (
    Activity,
    ActivityKind,
    Client,
    ClientStatus,
    Contact,
    Direction,
    Industry,
    Segment,
    Source,
    Task,
    TaskKind,
    TaskStatus,
    Tier,
    normalize_name,
)

INDUSTRIES = [
    "IT & software",
    "Manufacturing",
    "Retail",
    "Logistics",
    "Construction",
    "Healthcare",
    "Finance & insurance",
    "Energy",
    "Food & beverage",
    "Education",
]

NAME_ROOTS = [
    "Altair", "Baltic", "Cedar", "Delta", "Everest", "Falcon", "Granite", "Horizon", "Irtysh", "Jade",
    "Kama", "Ladoga", "Meridian", "Neva", "Onega", "Polar", "Quantum", "Rubin", "Sever", "Taiga",
    "Ural", "Vega", "Volga", "Yenisei", "Zenith", "Amur", "Borei", "Kristall", "Orion", "Sibir",
    "Huaxia", "Changjiang", "Tianshan", "Jinlong", "Hongqi",
]  # fmt: skip
NAME_NOUNS = [
    "Systems", "Logistics", "Foods", "Steel", "Pharma", "Build", "Energy", "Trade", "Tech", "Motors",
    "Agro", "Telecom", "Retail Group", "Engineering", "Plast", "Med", "Capital", "Textile", "Print", "Chem",
]  # fmt: skip
LEGAL_FORMS = ["LLC", "JSC", "Ltd", "Co., Ltd"]
FIRST_NAMES = [
    "Alexander", "Dmitry", "Sergey", "Andrey", "Alexey", "Maxim", "Ivan", "Nikolai", "Yulia", "Ekaterina",
    "Anastasia", "Olga", "Tatiana", "Irina", "Natalia", "Wei", "Li", "Hua", "Jun", "Mei", "John", "Emma",
]  # fmt: skip
LAST_NAMES = [
    "Ivanov", "Smirnov", "Kuznetsov", "Popov", "Vasiliev", "Petrov", "Sokolov", "Mikhailov", "Novikov",
    "Fedorov", "Morozov", "Volkov", "Alexeev", "Lebedev", "Semenov", "Wang", "Zhang", "Liu", "Chen", "Smith",
]  # fmt: skip
POSITIONS = [
    "CEO", "Procurement manager", "CFO", "IT director", "Chief engineer", "Office manager",
    "Head of logistics", "Commercial director", "Chief accountant",
]  # fmt: skip
OUTCOMES = {
    ActivityKind.CALL: [
        "Discussed the current contract; they are happy with delivery times.",
        "Asked about volume discounts for next quarter.",
        "No answer, left a message with the secretary.",
        "Procurement wants an updated price list.",
        "The director asked whether we can lower the price.",
        "Confirmed the meeting for next week.",
        "They compare us with a competitor; sent arguments.",
        "Call back after their budget meeting.",
    ],
    ActivityKind.MEETING: [
        "Presented the new product line to the management team.",
        "Negotiated payment terms: 50% prepayment.",
        "Met the decision maker; budget is approved for Q3.",
        "Reviewed last year's results and renewal plans.",
    ],
    ActivityKind.EMAIL: [
        "Sent the commercial proposal.",
        "Sent the contract draft for review.",
        "Answered technical questions from their engineers.",
        "Sent the invoice and payment details.",
    ],
    ActivityKind.VISIT: [
        "Visited the plant; saw the current equipment.",
        "Trip to their regional office; met the branch director.",
        "Site survey for the installation.",
    ],
    ActivityKind.NOTE: [
        "Their fiscal year starts in April.",
        "New procurement director since last month.",
    ],
}
NEXT_STEPS = [
    "Send the commercial proposal",
    "Call back the procurement manager",
    "Prepare the contract draft",
    "Agree on the meeting date",
    "Send the updated price list",
    "Check the payment",
    "Invite to the product demo",
    "Confirm the delivery schedule",
]

KIND_WEIGHTS = [
    (ActivityKind.CALL, 62),
    (ActivityKind.MEETING, 14),
    (ActivityKind.EMAIL, 14),
    (ActivityKind.VISIT, 7),
    (ActivityKind.NOTE, 3),
]
ACTIVITIES_PER_STATUS = {
    ClientStatus.LEAD: (4, 20),
    ClientStatus.PROSPECT: (20, 55),
    ClientStatus.CUSTOMER: (45, 110),
    ClientStatus.FORMER: (15, 50),
}
HISTORY_DAYS = 730


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def _working_moment(rng: random.Random, day: datetime.date) -> datetime.datetime:
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    moment = datetime.datetime.combine(
        day, datetime.time(rng.randint(9, 17), rng.choice((0, 10, 20, 30, 40, 50)))
    )
    return timezone.make_aware(moment)


def _mobile(rng: random.Random) -> str:
    return f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"


def _company_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = f"{rng.choice(NAME_ROOTS)} {rng.choice(NAME_NOUNS)}"
        if len(seen) >= len(NAME_ROOTS) * len(NAME_NOUNS):
            name = f"{name} {len(names)}"
        key = normalize_name(name)
        if key in seen:
            continue
        seen.add(key)
        names.append(name)
    return names


def seed(*, staff, rng: random.Random, size: str = "small") -> None:
    today = timezone.localdate()
    client_count = 300 if size == "small" else 3000
    industries = [Industry.objects.get_or_create(name=name)[0] for name in INDUSTRIES]
    clients, created_on = _seed_clients(
        staff=staff, rng=rng, industries=industries, today=today, count=client_count
    )
    contacts_of = _seed_contacts(clients=clients, rng=rng)
    _seed_activities(
        staff=staff, rng=rng, clients=clients, created_on=created_on, contacts_of=contacts_of, today=today
    )


def _seed_clients(*, staff, rng: random.Random, industries, today, count: int):
    """The clients, spread over the sellers in turn, and the day each was created; their
    creation moments and history records are back-dated to that day."""
    clients: list[Client] = []
    created_on: list[datetime.date] = []
    used_tax_ids: set[str] = set()
    sellers = staff.sellers
    for index, name in enumerate(_company_names(rng, count)):
        owner = sellers[index % len(sellers)]
        status = _client_status(rng, owner)
        segment = _weighted(rng, [(Segment.SMALL, 50), (Segment.MID, 35), (Segment.ENTERPRISE, 15)])
        tier = _weighted(
            rng,
            [(Tier.A, 40), (Tier.B, 40), (Tier.C, 20)]
            if segment == Segment.ENTERPRISE
            else [(Tier.A, 5), (Tier.B, 30), (Tier.C, 65)],
        )
        tax_id = _unique_tax_id(rng, used_tax_ids) if rng.random() < 0.85 else None
        age_days = rng.randint(30, HISTORY_DAYS) if status != ClientStatus.LEAD else rng.randint(3, 200)
        created_on.append(today - datetime.timedelta(days=age_days))
        territory = owner.territory if rng.random() < 0.8 else rng.choice(staff.territories)
        root = name.split()[0].lower()
        clients.append(
            Client(
                name=name,
                normalized_name=normalize_name(name),
                legal_name=f"{name} {rng.choice(LEGAL_FORMS)}",
                tax_id=tax_id,
                industry=rng.choice(industries),
                segment=segment,
                territory=territory,
                tier=tier,
                status=status,
                source=_weighted(
                    rng,
                    [
                        (Source.INBOUND, 20),
                        (Source.COLD_CALL, 25),
                        (Source.REFERRAL, 15),
                        (Source.EXHIBITION, 10),
                        (Source.WEBSITE, 15),
                        (Source.PARTNER, 8),
                        (Source.TENDER, 7),
                    ],
                ),
                owner=owner,
                owner_assigned_at=_working_moment(rng, created_on[-1]),
                owner_assigned_by=owner,
                phone=f"+7 495 {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
                website=f"www.{root}-{name.split()[1].lower()}.example",
                address=f"{territory or 'Moscow'}, {rng.randint(1, 120)} {rng.choice(NAME_ROOTS)} street",
            )
        )
    clients = bulk_create_with_history(clients, Client, batch_size=500, default_change_reason=DEMO_DATA)
    _backdate_clients(clients=clients, created_on=created_on, rng=rng)
    return clients, created_on


def _client_status(rng: random.Random, owner) -> str:
    """The SDR holds leads and prospects only; everyone else has the whole lifecycle."""
    if owner.username == "sdr1":
        return _weighted(rng, [(ClientStatus.LEAD, 7), (ClientStatus.PROSPECT, 3)])
    return _weighted(
        rng,
        [
            (ClientStatus.LEAD, 15),
            (ClientStatus.PROSPECT, 25),
            (ClientStatus.CUSTOMER, 48),
            (ClientStatus.FORMER, 12),
        ],
    )


def _unique_tax_id(rng: random.Random, used_tax_ids: set[str]) -> str:
    tax_id = None
    while tax_id is None or tax_id in used_tax_ids:
        tax_id = str(rng.randint(10**9, 10**10 - 1))
    used_tax_ids.add(tax_id)
    return tax_id


def _backdate_clients(*, clients: list[Client], created_on: list[datetime.date], rng: random.Random) -> None:
    for client, day in zip(clients, created_on, strict=True):
        client.created_at = _working_moment(rng, day)
    Client.objects.bulk_update(clients, ["created_at"], batch_size=500)
    history = list(Client.history.filter(id__in=[client.pk for client in clients]))
    by_pk = {client.pk: client for client in clients}
    for record in history:
        record.history_date = by_pk[record.id].created_at
        record.history_user_id = by_pk[record.id].owner_id
    Client.history.model.objects.bulk_update(history, ["history_date", "history_user"], batch_size=500)


def _seed_contacts(*, clients: list[Client], rng: random.Random) -> dict[int, list[Contact]]:
    """One to three contacts per client; the answer is the contacts of each client pk."""
    contacts: list[Contact] = []
    for client in clients:
        domain = client.website.removeprefix("www.")
        for number in range(rng.choice((1, 1, 2, 2, 2, 3))):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            contacts.append(
                Contact(
                    client=client,
                    name=f"{first} {last}",
                    position=POSITIONS[0] if number == 0 and rng.random() < 0.4 else rng.choice(POSITIONS),
                    phone=_mobile(rng),
                    email=f"{first.lower()}.{last.lower()}@{domain}",
                    is_decision_maker=number == 0 and rng.random() < 0.6,
                )
            )
    contacts = Contact.objects.bulk_create(contacts, batch_size=1000)
    contacts_of: dict[int, list[Contact]] = {}
    for contact in contacts:
        contacts_of.setdefault(contact.client_id, []).append(contact)
    return contacts_of


def _seed_activities(*, staff, rng: random.Random, clients, created_on, contacts_of, today) -> None:
    """Each client's history of calls, meetings, visits and notes since it was created."""
    assistant = staff.others.get("assistant1")
    lead_of_team = {lead.team_id: lead for lead in staff.leads}
    now = timezone.now()
    activities: list[Activity] = []
    steps: list[tuple[Activity, dict]] = []
    for client, first_day in zip(clients, created_on, strict=True):
        low, high = ACTIVITIES_PER_STATUS[client.status]
        count = rng.randint(low, high) * (2 if client.tier == Tier.A else 1)
        span = max(1, (today - first_day).days)
        if client.status == ClientStatus.FORMER:
            span = max(1, span - 180)  # former customers went quiet half a year ago
        days = sorted(rng.randrange(span) for _ in range(count))
        helpers = _activity_helpers(client, lead_of_team=lead_of_team, assistant=assistant)
        for position, offset in enumerate(days):
            activity = _demo_activity(
                rng,
                client=client,
                day=first_day + datetime.timedelta(days=offset),
                helpers=helpers,
                assistant=assistant,
                client_contacts=contacts_of.get(client.pk, []),
                now=now,
            )
            if activity.kind != ActivityKind.NOTE:
                step = _maybe_next_step(
                    rng, activity, client=client, is_latest=position == len(days) - 1, today=today
                )
                if step is not None:
                    steps.append((activity, step))
            activities.append(activity)
    Activity.objects.bulk_create(activities, batch_size=2000)
    Task.objects.bulk_create([_step_task(activity, step) for activity, step in steps], batch_size=2000)


# The task a next step becomes: what kind it is, by what it says.
STEP_KINDS = {
    "call": TaskKind.CALL,
    "meet": TaskKind.MEETING,
    "visit": TaskKind.VISIT,
    "send": TaskKind.EMAIL,
}


def _step_task(activity: Activity, step: dict) -> Task:
    """A planned next task of an activity: open ones due soon (some with a time), past ones done."""
    title = step["title"]
    kind = next((kind for word, kind in STEP_KINDS.items() if word in title.lower()), TaskKind.TODO)
    done_at = step["done_at"]
    timed = done_at is None and kind in (TaskKind.CALL, TaskKind.MEETING, TaskKind.VISIT)
    return Task(
        kind=kind,
        title=title,
        client=activity.client,
        contact=activity.contact,
        owner=activity.owner,
        created_by=activity.owner,
        due_date=step["due"],
        due_time=datetime.time(9 + activity.pk % 9, 30 if activity.pk % 2 else 0) if timed else None,
        duration_minutes=(60 if kind != TaskKind.CALL else 15) if timed else None,
        status=TaskStatus.DONE if done_at else TaskStatus.OPEN,
        done_at=done_at,
        done_by=activity.owner if done_at else None,
    )


def _activity_helpers(client: Client, *, lead_of_team, assistant) -> list:
    """Who besides the owner may log on a client: the owner's team lead and the team's assistant."""
    helpers = [client.owner]
    if client.owner.team_id in lead_of_team:
        helpers.append(lead_of_team[client.owner.team_id])
    if assistant is not None and client.owner.team_id == assistant.team_id:
        helpers.append(assistant)
    return helpers


def _demo_activity(rng: random.Random, *, client, day, helpers, assistant, client_contacts, now) -> Activity:
    occurred_at = _working_moment(rng, day)
    if occurred_at > now:
        occurred_at = now - datetime.timedelta(hours=1)
    kind = _weighted(rng, KIND_WEIGHTS)
    owner = client.owner if rng.random() < 0.88 else rng.choice(helpers)
    if owner == assistant:
        kind = _weighted(rng, [(ActivityKind.CALL, 1), (ActivityKind.EMAIL, 1)])
    return Activity(
        kind=kind,
        direction=(
            _weighted(rng, [(Direction.OUTGOING, 3), (Direction.INCOMING, 1)])
            if kind in (ActivityKind.CALL, ActivityKind.EMAIL)
            else ""
        ),
        client=client,
        contact=rng.choice(client_contacts) if client_contacts and rng.random() < 0.75 else None,
        owner=owner,
        occurred_at=occurred_at,
        # All three draws happen for every activity (the dict is built whole): kept so the
        # seeded data stays the same.
        duration_minutes={
            ActivityKind.CALL: rng.randint(1, 25),
            ActivityKind.MEETING: rng.choice((30, 45, 60, 90, 120)),
            ActivityKind.VISIT: rng.choice((60, 120, 180, 240)),
        }.get(kind, 0),
        outcome=rng.choice(OUTCOMES[kind]),
    )


def _maybe_next_step(
    rng: random.Random, activity: Activity, *, client, is_latest: bool, today
) -> dict | None:
    """About a third of activities, and the latest of each client, plan a next task; most past
    ones are done, a few forgotten ones stay open and overdue. The latest open one of a client
    is due from today on (recent or upcoming), as a rep keeps their day."""
    if not (rng.random() < 0.3 or is_latest):
        return None
    title = rng.choice(NEXT_STEPS)
    due = activity.occurred_at.date() + datetime.timedelta(days=rng.randint(1, 14))
    still_open = (is_latest and client.status != ClientStatus.FORMER and rng.random() < 0.75) or due >= today
    if not still_open and rng.random() < 0.015:
        still_open = True  # forgotten: stays open, long overdue
    done_at = None
    if not still_open:
        done_day = min(due + datetime.timedelta(days=rng.randint(-2, 3)), today)
        done_at = max(_working_moment(rng, done_day), activity.occurred_at)
    elif is_latest and due < today - datetime.timedelta(days=3):
        due = today + datetime.timedelta(days=activity.occurred_at.day % 10 - 2)
    return {"title": title, "due": due, "done_at": done_at}
