"""The department-scale data set (``seed_demo --size large``), deterministic and fast.

120 reps in 10 teams, 30,000 clients, 150,000 deals over three years with their stage
histories, facts and reviews, a product catalogue with lines on a third of the deals,
proposals, contracts and client requests (demo/scale/commerce.py), 2,000,000 activities,
100,000 installments with payments, and decomposed plans for every year. Rows are
generated in chunks and written with PostgreSQL's COPY (plain batched INSERTs on other
databases), so memory stays flat and the whole set loads in minutes on a 2-core machine.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from django.db import connection
from django.utils import timezone

from demo.reports import seed_bonus_schemes
from demo.scale.activities import seed_large_activities
from demo.scale.commerce import (
    Commerce,
    seed_large_catalogue,
    seed_large_contracts,
    seed_large_quotes,
    seed_large_requests,
)
from demo.scale.common import LARGE, Period, Scale, say
from demo.scale.deals import seed_large_deals
from demo.scale.people import seed_large_clients, seed_large_staff
from demo.scale.targets import seed_large_plans, seed_large_receivables

__all__ = ["LARGE", "Scale", "seed_large"]


def seed_large(*, rng: random.Random, out: Callable[[str], None] = print, scale: Scale = LARGE) -> None:
    """The department at scale. The phases run in this order and draw from ``rng`` in this
    order, so a seed gives the same data every time."""
    started = time.monotonic()
    now = timezone.now()
    today = timezone.localdate()
    period = Period(first_day=today.replace(year=today.year - scale.years, month=1, day=1), today=today)

    staff = seed_large_staff(rng=rng, scale=scale)
    say(out, started, f"staff: {len(staff.reps)} reps in {len(staff.teams)} teams")
    clients = seed_large_clients(rng=rng, scale=scale, staff=staff, now=now)
    say(out, started, f"clients: {scale.clients:,} with contacts")
    lead_of_team = {team.pk: team.lead_id for team in staff.teams}
    commerce = Commerce(
        products=seed_large_catalogue(),
        lead_of_owner={rep.pk: lead_of_team[rep.team_id] for rep in staff.reps},
    )
    won_deals, client_deals = seed_large_deals(
        rng=rng,
        scale=scale,
        staff=staff,
        clients=clients,
        period=period,
        now=now,
        commerce=commerce,
        out=out,
        started=started,
    )
    seed_large_quotes(
        rng=rng, commerce=commerce, clients=clients, now=now, today=today, out=out, started=started
    )
    seed_large_contracts(rng=rng, commerce=commerce, now=now, out=out, started=started)
    seed_large_requests(
        rng=rng,
        clients=clients,
        client_deals=client_deals,
        first_day=period.first_day,
        today=today,
        now=now,
        out=out,
        started=started,
    )
    del commerce
    seed_large_activities(
        rng=rng,
        scale=scale,
        clients=clients,
        client_deals=client_deals,
        period=period,
        now=now,
        out=out,
        started=started,
    )
    seed_large_receivables(
        rng=rng, scale=scale, won_deals=won_deals, today=today, now=now, out=out, started=started
    )
    seed_large_plans(
        head=staff.head, years=range(today.year - scale.years + 1, today.year + 1), out=out, started=started
    )
    # The demo department's bonus schemes: the home page's bonus panel and the leaderboard read
    # the same rows at both sizes (the benchmark compares their queries).
    seed_bonus_schemes(head=staff.head)

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    say(out, started, "done")
