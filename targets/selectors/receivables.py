"""Reads of receivables: installments with their balances and aging buckets computed in
the database, the overdue list, the aging roll-ups, a deal's schedule and a client's debts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round

from accounts.models import Team, User
from core.versions import data_version, latest
from deals.models import Deal
from targets.models import Installment, OverdueReason, Payment

MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


class AgingBucket:
    """Aging buckets by days past due (SPEC §4). ``current`` = not yet due."""

    CURRENT = "current"
    DAYS_1_30 = "1-30"
    DAYS_31_60 = "31-60"
    DAYS_61_90 = "61-90"
    DAYS_90_PLUS = "90+"
    ORDER = [CURRENT, DAYS_1_30, DAYS_31_60, DAYS_61_90, DAYS_90_PLUS]


def aging_bucket_expression(today: datetime.date) -> Case:
    """The bucket of an installment by its due date, computed in the database by comparing
    with fixed dates (no per-database date arithmetic)."""

    def days_before(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    return Case(
        When(due_date__gte=today, then=Value(AgingBucket.CURRENT)),
        When(due_date__gte=days_before(30), then=Value(AgingBucket.DAYS_1_30)),
        When(due_date__gte=days_before(60), then=Value(AgingBucket.DAYS_31_60)),
        When(due_date__gte=days_before(90), then=Value(AgingBucket.DAYS_61_90)),
        default=Value(AgingBucket.DAYS_90_PLUS),
        output_field=CharField(),
    )


def installments_with_balance(
    queryset: QuerySet[Installment] | None = None, *, today: datetime.date | None = None
):
    """Installments annotated in the database with ``paid``, ``outstanding``, ``is_overdue``
    and (when ``today`` is given) ``bucket``. Paid is the installment's kept sum of payments
    (``paid_amount``), so the annotations are plain column arithmetic that compose with any
    aggregate or filter at department scale."""
    queryset = Installment.objects.all() if queryset is None else queryset
    # Rounded in SQL: SQLite does decimal arithmetic in floating point, and a balance of
    # 5.7e-14 must not count as outstanding (nor make a paid installment overdue).
    queryset = queryset.annotate(paid=F("paid_amount")).annotate(
        outstanding=Round(F("amount") - F("paid_amount"), 2, output_field=MONEY)
    )
    if today is not None:
        queryset = queryset.annotate(
            is_overdue=Case(
                When(Q(due_date__lt=today) & Q(outstanding__gt=0), then=Value(True)),
                default=Value(False),
            ),
            bucket=aging_bucket_expression(today),
        )
    return queryset


def days_overdue_expression(today: datetime.date):
    """Days past due as a duration computed in the database (negative before the due date)."""
    return ExpressionWrapper(
        Value(today, output_field=DateField()) - F("due_date"), output_field=DurationField()
    )


def receivable_installments(*, viewer, today: datetime.date):
    """Installments ``viewer`` may see with paid, outstanding, is_overdue, bucket and
    days_overdue annotated in the database, and the latest overdue reason (text, promised
    date, when) from correlated subqueries. Related deal, client and owner are joined."""
    latest = OverdueReason.objects.filter(installment=OuterRef("pk")).order_by("-recorded_at", "-pk")
    queryset = installments_with_balance(Installment.objects.visible_to(viewer), today=today)
    return queryset.annotate(
        days_overdue=days_overdue_expression(today),
        latest_reason=Subquery(latest.values("reason")[:1]),
        latest_promised_date=Subquery(latest.values("promised_date")[:1]),
        latest_reason_at=Subquery(latest.values("recorded_at")[:1]),
    ).select_related("deal__client", "deal__owner__team", "follow_up_by")


def overdue_installments(*, viewer, today: datetime.date):
    """The overdue list: due before ``today`` with something still outstanding."""
    return receivable_installments(viewer=viewer, today=today).filter(due_date__lt=today, outstanding__gt=0)


def _follow_up(field: str):
    """A field of the person following an installment up: ``follow_up_by`` when set (a
    handed-over book's receiver), else the deal's owner."""
    return Case(
        When(follow_up_by__isnull=True, then=F(f"deal__owner__{field}")), default=F(f"follow_up_by__{field}")
    )


# The follow-up person's id, names and team, annotated on the installments the aging
# roll-ups group: a hand-over moves the collection (and so the debt's row) to the receiver.
FOLLOW_UP_FIELDS = {
    "person_id": Coalesce("follow_up_by_id", "deal__owner_id"),
    "person_username": _follow_up("username"),
    "person_first_name": _follow_up("first_name"),
    "person_last_name": _follow_up("last_name"),
    "person_team_id": _follow_up("team_id"),
    "person_team_name": _follow_up("team__name"),
}

AGING_GROUPS = {
    "owner": ("person_id", ("person_username", "person_first_name", "person_last_name")),
    "team": ("person_team_id", ("person_team_name",)),
    "client": ("deal__client_id", ("deal__client__name",)),
}


def aging_row_name(group: str, row: dict) -> str | None:
    """The name an aging row shows: the follow-up person's full name (else username), the
    team's name (None without a team) or the client's name."""
    if group == "owner":
        full_name = f"{row['person_first_name']} {row['person_last_name']}".strip()
        return full_name or row["person_username"]
    if group == "team":
        return row["person_team_name"]
    return row["deal__client__name"]


def follow_up_team_q(team_id) -> Q:
    """Installments followed up by someone of ``team_id``."""
    return Q(follow_up_by__team_id=team_id) | Q(follow_up_by__isnull=True, deal__owner__team_id=team_id)


def follow_up_person_q(user_id) -> Q:
    """Installments ``user_id`` follows up (set on them, else as the deal's owner)."""
    return Q(follow_up_by_id=user_id) | Q(follow_up_by__isnull=True, deal__owner_id=user_id)


BUCKET_FIELDS = {
    AgingBucket.CURRENT: "current",
    AgingBucket.DAYS_1_30: "days_1_30",
    AgingBucket.DAYS_31_60: "days_31_60",
    AgingBucket.DAYS_61_90: "days_61_90",
    AgingBucket.DAYS_90_PLUS: "days_90_plus",
}


def _bucket_sums() -> dict:
    sums = {
        name: Coalesce(Sum("outstanding", filter=Q(bucket=bucket)), ZERO)
        for bucket, name in BUCKET_FIELDS.items()
    }
    sums["outstanding_total"] = Coalesce(Sum("outstanding"), ZERO)
    sums["overdue_total"] = Coalesce(Sum("outstanding", filter=~Q(bucket=AgingBucket.CURRENT)), ZERO)
    sums["installment_count"] = Count("pk")
    return sums


def _outstanding_installments(*, viewer, team_id=None, owner_id=None, client_id=None):
    """Installments with something still to pay, in ``viewer``'s scope. "Paid less than the
    amount" is the column comparison a partial index (installment_outstanding_idx) serves."""
    queryset = Installment.objects.visible_to(viewer).filter(paid_amount__lt=F("amount"))
    if team_id is not None:
        queryset = queryset.filter(follow_up_team_q(team_id))
    if owner_id is not None:
        queryset = queryset.filter(follow_up_person_q(owner_id))
    if client_id is not None:
        queryset = queryset.filter(deal__client_id=client_id)
    return queryset


def receivables_client_count(*, viewer, team_id=None) -> int:
    """How many clients owe something: the receivables page's client list length, counted
    without summing every client's buckets."""
    return (
        _outstanding_installments(viewer=viewer, team_id=team_id).values("deal__client_id").distinct().count()
    )


def _receivables_base(*, viewer, today, team_id=None, owner_id=None, client_id=None):
    queryset = installments_with_balance(
        _outstanding_installments(viewer=viewer, team_id=team_id, owner_id=owner_id, client_id=client_id),
        today=today,
    )
    return queryset


def receivables_aging(
    *, viewer, today: datetime.date, group_by: str = "owner", team_id=None, owner_id=None, client_id=None
):
    """Outstanding amounts per aging bucket (current, 1–30, 31–60, 61–90, 90+ days) grouped by
    follow-up person (``follow_up_by``, else the deal's owner), that person's team or the
    client, one aggregate query: a values() QuerySet of dicts with ``key``,
    the group's name fields, one field per bucket (``current``, ``days_1_30`` …),
    ``outstanding_total``, ``overdue_total`` and ``installment_count``, largest debt first."""
    key, names = AGING_GROUPS[group_by]
    queryset = _receivables_base(
        viewer=viewer, today=today, team_id=team_id, owner_id=owner_id, client_id=client_id
    )
    if group_by != "client":
        queryset = queryset.annotate(**FOLLOW_UP_FIELDS)
    return (
        queryset.values(key, *names)
        .annotate(key=F(key), **_bucket_sums())
        .order_by("-outstanding_total", *names)
    )


AGING_SUM_FIELDS = [*BUCKET_FIELDS.values(), "outstanding_total", "overdue_total", "installment_count"]


def receivables_rollup(*, viewer, today: datetime.date, team_id=None):
    """The receivables overview in one aggregate query: the rows per follow-up person (as
    :func:`receivables_aging` gives them, plus the owner's team), and the rows per team and
    the totals rolled up from those owner rows — a sum over at most one row per person,
    never over installments. Returns ``(totals, by_team, by_owner)``."""
    key, names = AGING_GROUPS["owner"]
    team_key, team_names = AGING_GROUPS["team"]
    by_owner = list(
        _receivables_base(viewer=viewer, today=today, team_id=team_id)
        .annotate(**FOLLOW_UP_FIELDS)
        .values(key, *names, team_key, *team_names)
        .annotate(key=F(key), **_bucket_sums())
        .order_by("-outstanding_total", *names)
    )

    def zeros() -> dict:
        return {name: 0 if name == "installment_count" else Decimal("0.00") for name in AGING_SUM_FIELDS}

    totals = zeros()
    teams: dict = {}
    for row in by_owner:
        team = teams.setdefault(
            row[team_key],
            {"key": row[team_key], team_key: row[team_key], team_names[0]: row[team_names[0]], **zeros()},
        )
        for name in AGING_SUM_FIELDS:
            team[name] += row[name]
            totals[name] += row[name]
    by_team = sorted(teams.values(), key=lambda row: (-row["outstanding_total"], row[team_names[0]] or ""))
    return totals, by_team, by_owner


def aging_rows_totals(rows) -> dict:
    """The totals of :func:`receivables_aging`'s rows, summed here: the same figures as
    :func:`receivables_totals` without a second pass over the installments."""
    totals = {name: 0 if name == "installment_count" else Decimal("0.00") for name in AGING_SUM_FIELDS}
    for row in rows:
        for name in AGING_SUM_FIELDS:
            totals[name] += row[name] or 0
    return totals


def receivables_totals(*, viewer, today: datetime.date, team_id=None, owner_id=None, client_id=None) -> dict:
    """The same sums as :func:`receivables_aging` over everything ``viewer`` sees."""
    queryset = _receivables_base(
        viewer=viewer, today=today, team_id=team_id, owner_id=owner_id, client_id=client_id
    )
    return queryset.aggregate(**_bucket_sums())


def deal_schedule(*, deal, today: datetime.date):
    """A deal's installments with balances, their payments (newest first, with who
    recorded them) and overdue reasons prefetched."""
    reasons = OverdueReason.objects.select_related("recorded_by").order_by("-recorded_at", "-pk")
    payments = Payment.objects.select_related("recorded_by", "voided_by").order_by("-paid_on", "-pk")
    queryset = installments_with_balance(Installment.objects.filter(deal=deal), today=today).annotate(
        days_overdue=days_overdue_expression(today)
    )
    return queryset.prefetch_related(
        Prefetch("payments", queryset=payments), Prefetch("overdue_reasons", queryset=reasons)
    ).order_by("due_date", "pk")


def client_receivables(*, viewer, client, today: datetime.date):
    """The installments of ``client``'s deals (as far as ``viewer`` sees them) that still
    have something outstanding, oldest first."""
    return (
        receivable_installments(viewer=viewer, today=today)
        .filter(deal__client=client, outstanding__gt=0)
        .order_by("due_date", "pk")
    )


def schedule_totals(*, deal, today: datetime.date) -> dict:
    """A deal's schedule summed in the database: ``scheduled_total``, ``paid_total``,
    ``outstanding_total`` (what is still owed; an overpayment does not offset other
    lines), ``overdue_total`` and ``installment_count``."""
    queryset = installments_with_balance(Installment.objects.filter(deal=deal), today=today)
    owed = Q(outstanding__gt=0)
    return queryset.aggregate(
        scheduled_total=Coalesce(Sum("amount"), ZERO),
        paid_total=Coalesce(Sum("paid"), ZERO),
        outstanding_total=Coalesce(Sum("outstanding", filter=owed), ZERO),
        overdue_total=Coalesce(Sum("outstanding", filter=owed & Q(due_date__lt=today)), ZERO),
        installment_count=Count("pk"),
    )


# --- the aging figures, kept until the receivables change -----------------------------------

# Kept this long at most: changes the version below does not see (a client renamed) show
# within this time.
RECEIVABLES_CACHE_SECONDS = 300


# Part of the version: bumped when the cached rows change shape or meaning (2: grouped by
# the follow-up person), so figures cached by the previous code are never read back.
RECEIVABLES_CACHE_SCHEMA = 2


def receivables_version() -> str:
    """The receivables' data as of its last change, in one query of index-only maxima: the
    newest history row of an installment and of a payment (every create, change, void and
    delete; a payment's write is what changes an installment's paid amount), of a deal
    (its owner or client moved, or it was deleted), and the newest change of a person or a
    team (names and teams the rows show). Its cost does not grow with the data."""
    parts = [
        latest(Installment.history.model, "history_id"),
        latest(Payment.history.model, "history_id"),
        latest(Installment, "updated_at"),
        latest(Payment, "updated_at"),
        latest(Deal.history.model, "history_id"),
        latest(User, "updated_at"),
        latest(Team, "updated_at"),
    ]
    return data_version(parts, salt=RECEIVABLES_CACHE_SCHEMA)


class ReceivablesCache:
    """The aging aggregates of one viewer for one day, computed once per change of the
    receivables (:func:`receivables_version`, read once per request): each aggregate reads
    every outstanding installment in scope, which grows with the department, while what a
    page or the API shows does not change between two payments."""

    def __init__(self, *, viewer, today: datetime.date):
        self.viewer = viewer
        self.today = today
        self._version: str | None = None

    @property
    def version(self) -> str:
        if self._version is None:
            self._version = receivables_version()
        return self._version

    def get(self, name: str, compute: Callable[[], object], **params) -> object:
        arguments = ",".join(f"{key}={value}" for key, value in sorted(params.items()))
        key = f"receivables:{name}:{self.viewer.pk}:{self.today.isoformat()}:{arguments}:{self.version}"
        return cache.get_or_set(key, compute, RECEIVABLES_CACHE_SECONDS)
