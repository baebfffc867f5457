"""Demo pipeline: two years of deals for the demo sellers with realistic stage histories,
facts on the advanced deals, leads' reviews, renewals of earlier won deals with service
periods, and some deals stalled, silent or past their expected close.

Runs after demo.clients and works on the clients it created (none: nothing to do).
Deterministic: every random choice comes from ``rng``; dates are relative to today."""

from __future__ import annotations

import random

from django.utils import timezone

from clients.models import Client
from demo.deals import catalogue
from demo.deals.pipeline import Pipeline, Plan, plan_client_deals, plan_renewals
from demo.deals.records import write_deals, write_history


def seed(*, staff, rng: random.Random, size: str = "small") -> None:
    clients = list(Client.objects.filter(owner__in=staff.sellers).select_related("owner").order_by("pk"))
    if not clients:
        return
    now = timezone.now()
    today = timezone.localdate()
    pipeline = Pipeline(rng, now)
    reviewer_of_team = {lead.team_id: lead for lead in staff.leads}
    sdr = staff.others.get("sdr1")

    plans: list[Plan] = []
    for client in clients:
        if sdr is not None and client.owner_id == sdr.pk:
            continue  # SDRs work leads; deals are opened by the rep a lead is handed to
        plans.extend(plan_client_deals(client, rng=rng, pipeline=pipeline, now=now, size=size))
    renewals = plan_renewals(plans, rng=rng, pipeline=pipeline, now=now, today=today)

    write_deals(plans, rng=rng, today=today)
    # A won renewal is renewed again (renewal_of points at a renewal), so renewals are written
    # in generations: a deal is only bulk-created once the deal it renews has been saved.
    pending = renewals
    while pending:
        ready = [plan for plan in pending if getattr(getattr(plan.renewal_of, "deal", None), "pk", None)]
        if not ready:
            raise RuntimeError("demo renewals form a cycle")
        write_deals(ready, rng=rng, today=today)
        written = {id(plan) for plan in ready}
        pending = [plan for plan in pending if id(plan) not in written]
    open_index = {stage.pk: index for index, stage in enumerate(pipeline.open)}
    write_history(
        plans + renewals,
        rng=rng,
        now=now,
        open_index=open_index,
        reviewer_of_team=reviewer_of_team,
        head=staff.head,
    )
    # its own generator: the catalogue leaves the random choices of the seeds after it alone
    catalogue.seed(rng=random.Random(13))
