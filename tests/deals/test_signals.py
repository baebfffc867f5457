"""A deal's warning flags are read in Python from three plain columns (deals.selectors.deals.
warning_flags), while filters, counts and the board's order keep the SQL conditions
(warning_q). Both must say the same of every deal: here, of deals spread over every
condition and its boundaries (the cut-off itself, a second either side), on SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime
import itertools
import random

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import TaskStatus
from deals.models import Deal, Stage, StageKind
from deals.selectors.deals import (
    DEAL_ROW_FIELDS,
    SIGNAL_FIELDS,
    WARNING_KEYS,
    Clock,
    deal_list,
    deal_warnings,
    warning_q,
    with_signals,
)
from deals.selectors.pipeline import kanban_card
from deals.selectors.policy import WarningPolicy
from tests.factories import (
    ActivityFactory,
    ClientFactory,
    DealFactory,
    FactFactory,
    ReviewFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)


def _spread_deals(department, stages, now: datetime.datetime) -> list[Deal]:
    """Deals over every stage kind, creation age, newest activity and review, open task,
    expected close and stage entry, each at, just before and just after its cut-off."""
    rep = department.rep_north
    client = ClientFactory(owner=rep)
    open_stages = [stage for stage in stages.values() if stage.kind == StageKind.OPEN]
    closed = [stage for stage in stages.values() if stage.kind != StageKind.OPEN]
    limited = open_stages[0]
    Stage.objects.filter(pk=limited.pk).update(max_days_in_stage=10)
    activity_cutoff = now - datetime.timedelta(days=14)
    review_cutoff = now - datetime.timedelta(days=7)
    stage_cutoff = now - datetime.timedelta(days=10)
    created = [
        now,
        activity_cutoff + SECOND,
        activity_cutoff,
        activity_cutoff - SECOND,
        now - datetime.timedelta(days=40),
    ]
    activity = [None, activity_cutoff - SECOND, activity_cutoff, activity_cutoff + SECOND, now]
    reviewed = [None, review_cutoff - SECOND, review_cutoff, review_cutoff + SECOND]
    entered = [None, stage_cutoff - SECOND, stage_cutoff, stage_cutoff + SECOND]
    today = now.date()
    closes = [None, today - datetime.timedelta(days=1), today, today + datetime.timedelta(days=1)]
    tasks = [None, TaskStatus.OPEN, TaskStatus.DONE]
    chooser = random.Random(20261205)
    combinations = list(itertools.product(created, activity, reviewed, entered, closes, tasks))
    chosen = chooser.sample(combinations, 70)
    deals = []
    for number, (made, acted, review, stage_entry, close, task) in enumerate(chosen):
        stage = limited if number % 3 else chooser.choice(open_stages[1:] + closed)
        deal = DealFactory(
            owner=rep, client=client, stage=stage, expected_close=close, stage_changed_at=stage_entry
        )
        Deal.objects.filter(pk=deal.pk).update(created_at=made)
        if acted is not None:
            ActivityFactory(
                client=client, deal=deal, owner=rep, occurred_at=acted - datetime.timedelta(days=3)
            )
            ActivityFactory(client=client, deal=deal, owner=rep, occurred_at=acted)
        if review is not None:
            ReviewFactory(deal=deal, reviewer=department.lead_north, reviewed_at=review)
        if task is not None:
            TaskFactory(client=client, deal=deal, owner=rep, status=task)
        deals.append(deal)
    # every stage kind at the limited stage's cut-offs, whatever the sample drew
    for stage in (limited, *closed):
        deal = DealFactory(owner=rep, client=client, stage=stage, stage_changed_at=stage_cutoff - SECOND)
        Deal.objects.filter(pk=deal.pk).update(created_at=now - datetime.timedelta(days=40))
        deals.append(deal)
    return deals


def test_the_flags_read_in_python_are_the_sql_conditions_of_every_warning(department, stages):
    now = datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0)
    deals = _spread_deals(department, stages, now)
    clock = Clock(now=now, today=now.date(), given_policy=WarningPolicy.load())
    read = {deal.pk: deal for deal in with_signals(Deal.objects.filter(pk__in=[d.pk for d in deals]), clock)}
    assert len(read) == len(deals)
    for warning in WARNING_KEYS:
        in_sql = set(Deal.objects.filter(warning_q(warning, clock), pk__in=read).values_list("pk", flat=True))
        in_python = {pk for pk, deal in read.items() if getattr(deal, f"warn_{warning}")}
        assert in_python == in_sql, warning
        # the spread reaches both answers for every warning, so the comparison means something
        assert in_sql and in_sql != set(read), warning


def test_every_reader_of_deals_gets_the_flags_and_severities(department, stages):
    """The list's rows (read with .only()), a kanban card, the board's ordering (its severity
    in SQL) and a chained queryset all come out with the same flags."""
    now = datetime.datetime.now(tz=datetime.UTC)
    deal = DealFactory(
        owner=department.rep_north,
        stage=stages["Lead"],
        expected_close=now.date() - datetime.timedelta(days=1),
    )
    Deal.objects.filter(pk=deal.pk).update(created_at=now - datetime.timedelta(days=30))
    clock = Clock.current()
    listed = (  # as the list's table reads its page (core.tables.table_for_request)
        deal_list(viewer=department.rep_north, clock=clock)
        .filter(pk=deal.pk)
        .select_related(None)
        .select_related("client", "owner", "stage")
        .only(*DEAL_ROW_FIELDS)
    )
    rows = [
        listed.get(),
        kanban_card(deal=deal, clock=clock),
        with_signals(Deal.objects.filter(pk=deal.pk), clock, severity=True).order_by("-severity").first(),
    ]
    for row in rows:
        assert deal_warnings(row) == deal_warnings(rows[0]), row
        assert row.warn_past_close and row.warn_no_activity and row.warn_no_open_task
        assert not row.warn_stale_in_stage
        assert row.severity_past_close == clock.policy.severity("past_close")
    assert "past_close" in deal_warnings(rows[0])


def test_rows_read_through_only_carry_what_their_warnings_read():
    assert set(SIGNAL_FIELDS) <= set(DEAL_ROW_FIELDS)


@pytest.mark.parametrize(
    "narrowed",
    [
        lambda deals: deals.only("id", "title", "amount"),
        lambda deals: deals.only(*[name for name in DEAL_ROW_FIELDS if name != "stage_changed_at"]),
        lambda deals: deals.defer("created_at"),
        lambda deals: deals.defer("stage"),
    ],
    ids=["only-three-fields", "only-without-stage-change", "defer-created", "defer-stage"],
)
def test_deals_read_with_warnings_but_without_what_they_read_are_refused(department, stages, narrowed):
    """A page reading deals through .only() without the columns the warnings read would run
    a query per row for them, right but unseen: it is refused at once, naming them, and no
    query for the rows runs."""
    DealFactory(owner=department.rep_north, stage=stages["Lead"])
    clock = Clock.current()
    assert clock.policy is not None  # the warnings' thresholds, read once a request
    deals = narrowed(with_signals(Deal.objects.all(), clock))
    with CaptureQueriesContext(connection) as queries, pytest.raises(FieldError, match="SIGNAL_FIELDS"):
        list(deals)
    assert len(queries) == 0


@pytest.mark.parametrize(
    "narrowed",
    [
        lambda deals: deals.only(*DEAL_ROW_FIELDS),
        lambda deals: deals.only("id", "stage", "created_at", "expected_close", "stage_changed_at"),
        lambda deals: deals.select_related("stage").only(
            "id", "stage__name", "created_at", "expected_close", "stage_changed_at"
        ),
        lambda deals: deals.defer("title", "lost_comment"),
        lambda deals: deals.select_related("stage").defer("stage__name"),
        lambda deals: deals,
    ],
    ids=[
        "only-row-fields",
        "only-stage-by-relation-name",
        "only-a-field-of-the-stage",
        "defer-others",
        "defer-a-field-of-the-stage",
        "every-field",
    ],
)
def test_deals_read_with_what_their_warnings_read_cost_one_query(department, stages, narrowed):
    for _ in range(3):
        DealFactory(owner=department.rep_north, stage=stages["Lead"])
    clock = Clock.current()
    assert clock.policy is not None  # the warnings' thresholds, read once a request
    deals = narrowed(with_signals(Deal.objects.all(), clock))
    with CaptureQueriesContext(connection) as queries:
        read = list(deals)
    assert len(read) == 3
    assert all(deal.warn_no_open_task for deal in read)
    assert len(queries) == 1


def test_the_annotations_made_once_are_not_changed_by_the_queries_that_use_them(department, stages):
    """with_signals and deal_list share their subqueries across requests: a query that puts
    them in a subquery of its own (its tables renamed U0, U1…), a union or a count leaves
    them as they were, and the next request's SQL is the same as the first's."""
    deal = DealFactory(owner=department.rep_north, stage=stages["Lead"])
    FactFactory(deal=deal)
    clock = Clock.current()
    before = str(deal_list(viewer=department.head, clock=clock).query)
    inner = with_signals(Deal.objects.all(), clock).filter(fact_count__gt=0, has_open_task=False)
    assert list(Deal.objects.filter(pk__in=inner.values("pk")).values_list("pk", flat=True)) == [deal.pk]
    assert deal_list(viewer=department.rep_north, clock=clock).filter(fact_count=1).count() == 1
    listed = deal_list(viewer=department.head, clock=clock).order_by()
    assert [row.pk for row in listed.filter(pk=deal.pk).union(listed.filter(pk=deal.pk))] == [deal.pk]
    assert str(deal_list(viewer=department.head, clock=clock).query) == before
