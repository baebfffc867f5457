"""Helpers for the pipeline tests: deals built directly (for set-up), aged and annotated."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from clients.models import Activity
from deals.models import Deal, Review, Stage, StageChange
from tests import shared_data
from tests.factories import (
    ActivityFactory,
    ClientFactory,
    DealFactory,
    FactFactory,
    ReviewFactory,
    TaskFactory,
)
from tests.migration_support import restore_default_stages

shared_data.register("stages", restore_default_stages, module=__name__)


@pytest.fixture
def stages(request, db) -> dict[str, Stage]:
    """The default pipeline. Transactional tests flush the database when they end, data
    migrations included, so the stages are put back when missing. Looked up once for
    consecutive tests of a module that share it (tests/shared_data.py)."""
    return shared_data.value(request, "stages")


def make_deal(
    owner,
    *,
    stage: str = "Lead",
    amount: str = "1000.00",
    probability: int | None = None,
    expected_close: datetime.date | None = None,
    next_step: str = "Call back",
    age_days: int = 0,
    facts: int = 0,
    client=None,
    **extra,
) -> Deal:
    """A deal as it would look after the services ran: its StageChange from nowhere, an open
    task (``next_step``, none when empty), and (``age_days``) created that long ago."""
    stage_object = Stage.objects.get(name=stage)
    deal = DealFactory(
        owner=owner,
        client=client or ClientFactory(owner=owner),
        stage=stage_object,
        amount=Decimal(amount),
        probability=probability,
        expected_close=expected_close,
        closed_at=timezone.localdate() if stage_object.is_closed else None,
        **extra,
    )
    StageChange.objects.create(
        deal=deal, from_stage=None, to_stage=stage_object, changed_by=owner, changed_at=timezone.now()
    )
    if next_step:
        TaskFactory(client=deal.client, deal=deal, owner=owner, title=next_step)
    for _ in range(facts):
        FactFactory(deal=deal, recorded_by=owner)
    if age_days:
        age(deal, age_days)
    return deal


def age(deal: Deal, days: int) -> Deal:
    created = timezone.now() - datetime.timedelta(days=days)
    Deal.objects.filter(pk=deal.pk).update(created_at=created)
    deal.created_at = created
    return deal


def log_activity(deal: Deal, *, days_ago: int = 0) -> Activity:
    return ActivityFactory(
        client=deal.client,
        deal=deal,
        owner=deal.owner,
        occurred_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def review(deal: Deal, reviewer, *, days_ago: int = 0) -> Review:
    return ReviewFactory(
        deal=deal, reviewer=reviewer, reviewed_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


def snapshot(deal: Deal) -> dict:
    """Everything about a deal that a refused action must leave alone."""
    fresh = Deal.objects.get(pk=deal.pk)
    return {
        "fields": {field.attname: getattr(fresh, field.attname) for field in Deal._meta.concrete_fields},
        "changes": list(StageChange.objects.filter(deal=deal).values_list("pk", flat=True)),
        "facts": fresh.facts.count(),
        "reviews": fresh.reviews.count(),
        "history": fresh.history.count(),
    }
