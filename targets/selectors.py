"""Reads of plans and receivables that other apps (the board, reports, the client page) share."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    DurationField,
    Exists,
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
from django.db.models.functions import Coalesce, ExtractMonth, Round
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User
from accounts.roles import QUOTA_CARRYING_ROLES, sees_everything, sees_team
from deals.models import Deal, StageKind
from targets.models import ActivityNorm, Allocation, Installment, OverdueReason, Payment, PlanMetric

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


def rep_month_plans(*, year: int, month: int, rep_ids: Iterable[int]) -> dict[int, Decimal]:
    """Each rep's booked-revenue plan for one month (reps without an allocation are absent)."""
    rows = (
        Allocation.objects.filter(
            plan__year=year, plan__metric=PlanMetric.BOOKED, month=month, rep_id__in=list(rep_ids)
        )
        .values("rep_id")
        .annotate(total=Sum("amount"))
    )
    return {row["rep_id"]: _cents(row["total"]) for row in rows}


# --------------------------------------------------------------------------- plan vs actual

SCOPE_DEPARTMENT = "department"
SCOPE_TEAM = "team"
SCOPE_REP = "rep"
SCOPES = (SCOPE_DEPARTMENT, SCOPE_TEAM, SCOPE_REP)


def _year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _cents(value) -> Decimal:
    """Sums come back from SQLite as 500 or 500.0000000; money is shown and compared in cents."""
    return (value or Decimal("0")).quantize(Decimal("0.01"))


def department_monthly_actuals(*, year: int, metric: str) -> dict[int, Decimal]:
    """The whole department's booked (won deals by close date) or collected (payments by
    date) revenue per month of ``year``, summed in the database. Used to split a plan by
    last year's shares, so it deliberately ignores who is asking."""
    start, end = _year_range(year)
    if metric == PlanMetric.COLLECTED:
        rows = (
            Payment.objects.filter(paid_on__range=(start, end))
            .annotate(month=ExtractMonth("paid_on"))
            .values("month")
            .annotate(total=Sum("amount"))
        )
    else:
        rows = (
            Deal.objects.filter(stage__kind=StageKind.WON, closed_at__range=(start, end))
            .annotate(month=ExtractMonth("closed_at"))
            .values("month")
            .annotate(total=Sum("amount"))
        )
    return {row["month"]: _cents(row["total"]) for row in rows.order_by()}


def plan_scopes_for(viewer) -> tuple[str, ...]:
    """The levels whose figures ``viewer`` may see: the head and analyst all three, a lead
    or assistant their team(s) and its reps, everybody else their own line."""
    if sees_everything(viewer):
        return SCOPES
    if sees_team(viewer):
        return (SCOPE_TEAM, SCOPE_REP)
    return (SCOPE_REP,)


@dataclass
class MonthFigures:
    """One month (or, with ``month`` None, the year) of a plan-vs-actual line."""

    month: int | None
    plan: Decimal = Decimal("0.00")
    plan_collected: Decimal = Decimal("0.00")
    booked: Decimal = Decimal("0.00")
    collected: Decimal = Decimal("0.00")
    forecast: Decimal = Decimal("0.00")

    @property
    def gap(self) -> Decimal:
        """How much booked revenue is still missing to reach the plan (never negative)."""
        return max(self.plan - self.booked, Decimal("0.00"))

    @property
    def percent(self) -> Decimal | None:
        """Booked as a percentage of plan, one decimal; None without a plan."""
        if not self.plan:
            return None
        return (self.booked * 100 / self.plan).quantize(Decimal("0.1"))

    @property
    def collected_percent(self) -> Decimal | None:
        if not self.plan_collected:
            return None
        return (self.collected * 100 / self.plan_collected).quantize(Decimal("0.1"))


@dataclass
class PlanLine:
    """Plan vs actual for one department, team or rep: 12 months and the year."""

    scope: str
    key: int | None
    label: str
    months: list[MonthFigures] = field(default_factory=list)
    year: MonthFigures = field(default_factory=lambda: MonthFigures(month=None))


FIGURES = ("plan", "plan_collected", "booked", "collected", "forecast")


Figures = dict[tuple[int | None, int], dict[str, Decimal]]

# What each scope's lines are keyed by: on allocations, and on deals (through their owner).
ALLOCATION_LEVELS = {
    SCOPE_DEPARTMENT: ({"team__isnull": True, "rep__isnull": True}, None),
    SCOPE_TEAM: ({"team__isnull": False, "rep__isnull": True}, "team_id"),
    SCOPE_REP: ({"rep__isnull": False}, "rep_id"),
}
DEAL_KEYS = {SCOPE_DEPARTMENT: None, SCOPE_TEAM: "owner__team_id", SCOPE_REP: "owner_id"}


def _add_plan_figures(figures: Figures, *, viewer, year, scope, team_id, rep_id) -> None:
    """The booked and collected plans' allocations at ``scope``'s level, per line and month."""
    level, allocation_key = ALLOCATION_LEVELS[scope]
    allocations = Allocation.objects.visible_to(viewer).filter(plan__year=year, **level)
    if team_id is not None:
        allocations = allocations.filter(team_id=team_id)
    if rep_id is not None:
        allocations = allocations.filter(rep_id=rep_id)
    plan_rows = allocations.values("plan__metric", "month", *([allocation_key] if allocation_key else []))
    for row in plan_rows.annotate(total=Sum("amount")).order_by():
        key = row[allocation_key] if allocation_key else None
        figure = "plan" if row["plan__metric"] == PlanMetric.BOOKED else "plan_collected"
        figures.setdefault((key, row["month"]), {})[figure] = _cents(row["total"])


def _add_grouped(figures: Figures, queryset, *, figure, date_field, key_path, total, scale=None) -> None:
    """Sum ``total`` over ``queryset`` per month of ``date_field`` (and per ``key_path``)."""
    keys = ["month"] + ([key_path] if key_path else [])
    rows = queryset.annotate(month=ExtractMonth(date_field)).values(*keys).annotate(total=total).order_by()
    for row in rows:
        key = row[key_path] if key_path else None
        value = row["total"] or Decimal("0.00")
        if scale is not None:
            value = value / scale
        figures.setdefault((key, row["month"]), {})[figure] = _cents(value)


def _narrowed(queryset, owner_path: str, *, team_id, rep_id):
    if team_id is not None:
        queryset = queryset.filter(**{f"{owner_path}__team_id": team_id})
    if rep_id is not None:
        queryset = queryset.filter(**{f"{owner_path}_id": rep_id})
    return queryset


def _add_actual_figures(figures: Figures, *, viewer, year, scope, team_id, rep_id) -> None:
    """Booked (won deals by close date), collected (payments by date) and forecast (open
    deals' weighted amount by expected close) per line and month."""
    start, end = _year_range(year)
    deal_key = DEAL_KEYS[scope]
    deals = _narrowed(Deal.objects.visible_to(viewer), "owner", team_id=team_id, rep_id=rep_id)
    booked = deals.filter(stage__kind=StageKind.WON, closed_at__range=(start, end))
    _add_grouped(
        figures, booked, figure="booked", date_field="closed_at", key_path=deal_key, total=Sum("amount")
    )

    payment_key = f"installment__deal__{deal_key}" if deal_key else None
    payments = _narrowed(
        Payment.objects.visible_to(viewer), "installment__deal__owner", team_id=team_id, rep_id=rep_id
    ).filter(paid_on__range=(start, end))
    _add_grouped(
        figures, payments, figure="collected", date_field="paid_on", key_path=payment_key, total=Sum("amount")
    )

    weighted = Sum(
        ExpressionWrapper(
            F("amount") * Coalesce(F("probability"), F("stage__default_probability")),
            output_field=DecimalField(max_digits=20, decimal_places=2),
        )
    )
    pipeline = deals.filter(stage__kind=StageKind.OPEN, expected_close__range=(start, end))
    _add_grouped(
        figures,
        pipeline,
        figure="forecast",
        date_field="expected_close",
        key_path=deal_key,
        total=weighted,
        scale=Decimal(100),
    )


def _plan_line(scope: str, key, label: str, figures: Figures) -> PlanLine:
    line = PlanLine(scope=scope, key=key, label=label)
    for month in range(1, 13):
        month_figures = MonthFigures(month=month, **figures.get((key, month), {}))
        line.months.append(month_figures)
        for name in FIGURES:
            setattr(line.year, name, getattr(line.year, name) + getattr(month_figures, name))
    return line


def plan_vs_actual(
    *, viewer, year: int, scope: str = SCOPE_DEPARTMENT, team_id: int | None = None, rep_id: int | None = None
) -> list[PlanLine]:
    """Plan, booked, collected and forecast per month of ``year``, one line per department
    (scope ``department``), team (``team``) or rep (``rep``) that ``viewer`` may see,
    optionally narrowed to one team or rep.

    - plan: the booked-revenue plan's allocations at that level; plan_collected likewise
      for the collected-revenue plan;
    - booked: won deals' amounts by close date;
    - collected: payments by date;
    - forecast: open deals' amount × probability (the deal's, else its stage's) by
      expected close month.

    Runs a fixed number of aggregate queries (one per figure, plus the line names) whatever
    the number of rows; a team's and a rep's actuals follow the deal owner's current team."""
    if scope not in plan_scopes_for(viewer):
        raise ValueError(f"scope {scope!r} is not available to this viewer")
    figures: Figures = {}
    narrowing = {"viewer": viewer, "year": year, "scope": scope, "team_id": team_id, "rep_id": rep_id}
    _add_plan_figures(figures, **narrowing)
    _add_actual_figures(figures, **narrowing)
    labels = _line_labels(viewer, scope, {key for key, _month in figures}, team_id=team_id, rep_id=rep_id)
    return [_plan_line(scope, key, label, figures) for key, label in labels]


def _line_labels(
    viewer, scope, keys_with_figures, *, team_id=None, rep_id=None
) -> list[tuple[int | None, str]]:
    """The lines to show, in display order: every visible team (or quota-carrying rep) and
    anybody else with figures, so a team without deals still shows its plan."""
    if scope == SCOPE_DEPARTMENT:
        return [(None, str(_("Department")))]
    if scope == SCOPE_TEAM:
        teams = Team.objects.visible_to(viewer)
        if team_id is not None:
            teams = teams.filter(pk=team_id)
        lines = [(team.pk, team.name) for team in teams.order_by("name", "pk")]
        if None in keys_with_figures and team_id is None and rep_id is None:
            lines.append((None, str(_("No team"))))
        return lines
    people = User.objects.visible_to(viewer).filter(
        Q(pk__in=[key for key in keys_with_figures if key is not None])
        | Q(is_active=True, role__in=QUOTA_CARRYING_ROLES, team__isnull=False)
    )
    if plan_scopes_for(viewer) == (SCOPE_REP,):
        # A rep sees their teammates' names, not their plan lines.
        people = people.filter(pk=viewer.pk)
    if team_id is not None:
        people = people.filter(team_id=team_id)
    if rep_id is not None:
        people = people.filter(pk=rep_id)
    people = people.select_related("team").order_by("team__name", "last_name", "first_name", "username")
    return [(person.pk, person.full_name) for person in people]


# --------------------------------------------------------------------------- the plan grid


@dataclass
class GridRow:
    """One rep's line of the plan grid."""

    rep: User
    cells: list[Decimal | None]
    total: Decimal


@dataclass
class GridTeam:
    team: Team
    cells: list[Decimal | None]  # the team-month totals, the fixed parents of the rep cells
    total: Decimal
    rows: list[GridRow]
    unallocated: list[Decimal]  # team-month total minus what the reps hold
    unallocated_total: Decimal
    editable: bool = False

    @property
    def has_unallocated(self) -> bool:
        return any(self.unallocated)


@dataclass
class PlanGrid:
    plan: object
    months: list[Decimal | None] | None  # department month totals; None when not visible
    months_total: Decimal | None
    teams: list[GridTeam]
    unallocated: list[Decimal] | None  # month total minus what the teams hold
    unallocated_total: Decimal | None
    plan_unallocated: Decimal | None  # plan amount minus the month totals

    @property
    def has_unallocated(self) -> bool:
        return (
            bool(self.plan_unallocated)
            or any(self.unallocated or [])
            or any(team.has_unallocated for team in self.teams)
        )


def department_split(*, plan) -> tuple[list, dict]:
    """What the head's month-and-team form edits: the plan's teams and its month and
    team-month amounts keyed by (month, team id or None), in two queries."""
    from accounts.models import Team

    teams = list(
        Team.objects.filter(pk__in=Allocation.objects.filter(plan=plan, team__isnull=False).values("team_id"))
    )
    amounts = {
        (row["month"], row["team_id"]): row["amount"]
        for row in Allocation.objects.filter(plan=plan, rep__isnull=True).values("month", "team_id", "amount")
    }
    return teams, amounts


def plan_grid(*, plan, viewer, adjustable_team_ids=frozenset()) -> PlanGrid:
    """The reps × months grid of ``plan`` as ``viewer`` may see it, with row, column and team
    totals and what is left unallocated at each level — all sums come from the database."""
    zero = Decimal("0.00")
    cells = Allocation.objects.visible_to(viewer).filter(plan=plan)
    year_totals = {
        (row["team_id"], row["rep_id"]): _cents(row["total"])
        for row in cells.values("team_id", "rep_id").annotate(total=Sum("amount")).order_by()
    }
    reps_per_team_month = {
        (row["team_id"], row["month"]): _cents(row["total"])
        for row in cells.filter(rep__isnull=False)
        .values("team_id", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    teams_per_month = {
        row["month"]: _cents(row["total"])
        for row in cells.filter(team__isnull=False, rep__isnull=True)
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    amounts: dict[tuple, Decimal] = {}
    rep_people: dict[int, User] = {}
    team_objects: dict[int, Team] = {}
    for cell in cells.select_related("team", "rep"):
        amounts[(cell.month, cell.team_id, cell.rep_id)] = cell.amount
        if cell.rep_id is not None:
            rep_people[cell.rep_id] = cell.rep
        if cell.team_id is not None:
            team_objects[cell.team_id] = cell.team
    # People who carry a quota but joined after the split still get an (empty) row.
    members = User.objects.visible_to(viewer).filter(
        is_active=True, role__in=QUOTA_CARRYING_ROLES, team__isnull=False
    )
    if not sees_team(viewer) and not sees_everything(viewer):
        members = members.filter(pk=viewer.pk)
    rep_team: dict[int, int] = {}
    for (_month, team_id, rep_id), _amount in amounts.items():
        if rep_id is not None:
            rep_team.setdefault(rep_id, team_id)
    for member in members.select_related("team"):
        rep_people.setdefault(member.pk, member)
        team_objects.setdefault(member.team_id, member.team)
        rep_team.setdefault(member.pk, member.team_id)

    def month_cells(team_id, rep_id):
        return [amounts.get((month, team_id, rep_id)) for month in range(1, 13)]

    teams = []
    for team in sorted(team_objects.values(), key=lambda t: (t.name, t.pk)):
        rows = [
            GridRow(
                rep=rep, cells=month_cells(team.pk, rep.pk), total=year_totals.get((team.pk, rep.pk), zero)
            )
            for rep in sorted(
                (rep_people[rep_id] for rep_id, team_id in rep_team.items() if team_id == team.pk),
                key=lambda person: (person.last_name, person.first_name, person.username),
            )
        ]
        team_cells = month_cells(team.pk, None)
        unallocated = [
            (team_cells[month - 1] or zero) - reps_per_team_month.get((team.pk, month), zero)
            for month in range(1, 13)
        ]
        teams.append(
            GridTeam(
                team=team,
                cells=team_cells,
                total=year_totals.get((team.pk, None), zero),
                rows=rows,
                unallocated=unallocated,
                unallocated_total=sum(unallocated, zero),
                editable=team.pk in adjustable_team_ids,
            )
        )
    if not sees_everything(viewer):
        return PlanGrid(plan, None, None, teams, None, None, None)
    months = month_cells(None, None)
    months_total = year_totals.get((None, None), zero)
    unallocated = [
        (months[month - 1] or zero) - teams_per_month.get(month, zero) if teams else zero
        for month in range(1, 13)
    ]
    return PlanGrid(
        plan=plan,
        months=months,
        months_total=months_total,
        teams=teams,
        unallocated=unallocated,
        unallocated_total=sum(unallocated, zero),
        plan_unallocated=plan.amount - months_total,
    )


# --------------------------------------------------------------------------- norms


def effective_norms(*, viewer, people=None):
    """People ``viewer`` may see, annotated in the database with their effective
    ``calls_per_day`` and ``meetings_per_week`` (a personal norm overrides the role's;
    0 when neither is set), ``has_personal_norm`` and ``personal_norm_id``."""
    people = (
        User.objects.visible_to(viewer)
        if people is None
        else people.filter(pk__in=User.objects.visible_to(viewer).values("pk"))
    )
    personal = ActivityNorm.objects.filter(user=OuterRef("pk"))
    by_role = ActivityNorm.objects.filter(user__isnull=True, role=OuterRef("role"))
    return people.annotate(
        calls_per_day=Coalesce(
            Subquery(personal.values("calls_per_day")[:1]), Subquery(by_role.values("calls_per_day")[:1]), 0
        ),
        meetings_per_week=Coalesce(
            Subquery(personal.values("meetings_per_week")[:1]),
            Subquery(by_role.values("meetings_per_week")[:1]),
            0,
        ),
        has_personal_norm=Exists(personal),
        personal_norm_id=Subquery(personal.values("pk")[:1]),
    )


# --------------------------------------------------------------------------- receivables


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
    ).select_related("deal__client", "deal__owner__team")


def overdue_installments(*, viewer, today: datetime.date):
    """The overdue list: due before ``today`` with something still outstanding."""
    return receivable_installments(viewer=viewer, today=today).filter(due_date__lt=today, outstanding__gt=0)


AGING_GROUPS = {
    "owner": (
        "deal__owner_id",
        ("deal__owner__username", "deal__owner__first_name", "deal__owner__last_name"),
    ),
    "team": ("deal__owner__team_id", ("deal__owner__team__name",)),
    "client": ("deal__client_id", ("deal__client__name",)),
}
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
        queryset = queryset.filter(deal__owner__team_id=team_id)
    if owner_id is not None:
        queryset = queryset.filter(deal__owner_id=owner_id)
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
    owner, team or client, one aggregate query: a values() QuerySet of dicts with ``key``,
    the group's name fields, one field per bucket (``current``, ``days_1_30`` …),
    ``outstanding_total``, ``overdue_total`` and ``installment_count``, largest debt first."""
    key, names = AGING_GROUPS[group_by]
    queryset = _receivables_base(
        viewer=viewer, today=today, team_id=team_id, owner_id=owner_id, client_id=client_id
    )
    return (
        queryset.values(key, *names)
        .annotate(key=F(key), **_bucket_sums())
        .order_by("-outstanding_total", *names)
    )


AGING_SUM_FIELDS = [*BUCKET_FIELDS.values(), "outstanding_total", "overdue_total", "installment_count"]


def receivables_rollup(*, viewer, today: datetime.date, team_id=None):
    """The receivables overview in one aggregate query: the rows per owner (as
    :func:`receivables_aging` gives them, plus the owner's team), and the rows per team and
    the totals rolled up from those owner rows — a sum over at most one row per person,
    never over installments. Returns ``(totals, by_team, by_owner)``."""
    key, names = AGING_GROUPS["owner"]
    team_key, team_names = AGING_GROUPS["team"]
    by_owner = list(
        _receivables_base(viewer=viewer, today=today, team_id=team_id)
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
    payments = Payment.objects.select_related("recorded_by").order_by("-paid_on", "-pk")
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
