"""The department-scale staff, clients and contacts."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from django.contrib.auth.hashers import make_password
from django.db import transaction

from demo.scale.common import (
    COMPANY_FORMS,
    COMPANY_WORDS,
    FIRST_NAMES,
    INDUSTRIES,
    LAST_NAMES,
    TERRITORIES,
    Clients,
    Scale,
    Staff,
)
from demo.scale.writer import TableWriter, next_id, reset_sequences


def seed_large_staff(*, rng: random.Random, scale: Scale) -> Staff:
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
    return Staff(head=head, teams=teams, reps=reps, territories=territories, industries=industries)


def seed_large_clients(*, rng: random.Random, scale: Scale, staff: Staff, now: datetime.datetime) -> Clients:
    """The clients, each owned by a random rep, and one or two contacts each."""
    from clients.models import Client, Contact

    rep_ids = staff.rep_ids
    territories, industries = staff.territories, staff.industries
    client_start = next_id(Client)
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

    contact_start = next_id(Contact)

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
    reset_sequences(Client, Contact)
    return Clients(start=client_start, owner=client_owner)
