"""Helpers for building the hand-made data sets of the report tests."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Team
from clients.models import Activity
from deals.models import Deal
from targets.models import ActivityNorm
from tests import shared_data
from tests.factories import (
    ActivityFactory,
    ClientFactory,
    DealFactory,
    StageChangeFactory,
    TaskFactory,
    TeamFactory,
    stage,
)


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A moment in the department's time zone."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def make_deal(
    owner,
    *,
    stage_name: str = "Lead",
    amount: str = "1000.00",
    created: datetime.datetime | None = None,
    closed: datetime.date | None = None,
    client=None,
    history: list[tuple[str | None, str, datetime.datetime]] = (),
    next_step: str = "",
    next_step_due: datetime.date | None = None,
    **extra,
) -> Deal:
    """A deal with its creation moment, close date and stage history as given, and an open
    task (``next_step``, due ``next_step_due``) when one is named."""
    client = client or ClientFactory(owner=owner)
    deal = DealFactory(
        owner=owner, client=client, stage=stage(stage_name), amount=Decimal(amount), closed_at=closed, **extra
    )
    if created is not None:
        Deal.objects.filter(pk=deal.pk).update(created_at=created)
        deal.refresh_from_db()
    if next_step:
        TaskFactory(
            client=client,
            deal=deal,
            owner=owner,
            title=next_step,
            due_date=next_step_due or timezone.localdate(),
        )
    for from_name, to_name, moment in history:
        StageChangeFactory(
            deal=deal,
            from_stage=stage(from_name) if from_name else None,
            to_stage=stage(to_name),
            changed_at=moment,
        )
    return deal


def log(owner, kind: str, moment: datetime.datetime, count: int = 1) -> list[Activity]:
    client = ClientFactory(owner=owner)
    return [ActivityFactory(client=client, owner=owner, kind=kind, occurred_at=moment) for _ in range(count)]


def norm(*, role: str = "", user=None, calls_per_day: int = 0, meetings_per_week: int = 0) -> ActivityNorm:
    return ActivityNorm.objects.create(
        role=role, user=user, calls_per_day=calls_per_day, meetings_per_week=meetings_per_week
    )


def build_east() -> Team:
    return TeamFactory(name="East")


shared_data.register("east", build_east, module=__name__)


@pytest.fixture
def east(request, db) -> Team:
    """A team with nobody in it: its rows must exist, with zeros."""
    return shared_data.value(request, "east")


def report_row(model, period: datetime.date, who=None, **extra):
    """The row of ``model`` for ``period`` and a scope: None = the department, a Team, or a
    person."""
    from accounts.models import User

    if who is None:
        return model.objects.get(period=period, scope="department", **extra)
    if isinstance(who, User):
        return model.objects.get(period=period, scope="rep", rep=who, **extra)
    return model.objects.get(period=period, scope="team", team=who, **extra)


def comparable_rows(model) -> list[tuple]:
    """Every row with every column, to compare two runs."""
    fields = [field.attname for field in model._meta.concrete_fields]
    return sorted(tuple(str(getattr(row, name)) for name in fields) for row in model.objects.all())


AS_OF = datetime.date(2026, 3, 18)
MARCH = datetime.date(2026, 3, 1)


def build_reporting(department, east):
    from reports.services.runs import REPORT_KINDS, report_run_execute
    from tests.factories import InstallmentFactory

    d = department
    norm(role="rep", calls_per_day=10, meetings_per_week=5)
    north_deal = make_deal(d.rep_north, stage_name="Won", amount="2000.00", closed=datetime.date(2026, 3, 5))
    south_deal = make_deal(d.rep_south, stage_name="Won", amount="1000.00", closed=datetime.date(2026, 3, 9))
    make_deal(d.rep_north_2, stage_name="Lost", closed=datetime.date(2026, 3, 10))
    make_deal(d.rep_south, stage_name="Won", amount="700.00", service_end=datetime.date(2026, 3, 25))
    log(d.rep_north, "call", local(2026, 3, 16), 4)
    InstallmentFactory(deal=north_deal, due_date=datetime.date(2026, 3, 10), amount=Decimal("800.00"))
    InstallmentFactory(deal=south_deal, due_date=datetime.date(2026, 2, 10), amount=Decimal("600.00"))
    for kind in REPORT_KINDS:
        report_run_execute(kind=kind, run_date=AS_OF)
    return d


shared_data.register("reporting", build_reporting, "department", "east", module=__name__)


@pytest.fixture
def reporting(request, department, east):
    """A small department with figures in March 2026, every report computed for the 18th
    and overdue alerts (one for North, one for South) with their notifications. Built once for
    consecutive tests of a module that share it (tests/shared_data.py)."""
    return shared_data.value(request, "reporting", department, east)
