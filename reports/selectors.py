"""Reads of the report tables, alerts, notifications and runs, for pages and the API.
Every read is scoped by ``visible_to``; summaries come from the precomputed rows."""

from __future__ import annotations

import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Team, User
from accounts.roles import sees_team
from accounts.visibility import sees_everything, team_ids_of
from deals.models import Deal, StageKind
from documents.models import ClientRequest, RequestKind
from reports.models import (
    AlertLevel,
    AlertStatus,
    Notification,
    OverdueAlert,
    ReportRow,
    ReportRun,
    Scope,
)
from reports.services.common import Month
from reports.services.renewal import renewals_due, won_renewals_of


def renewal_month(month: datetime.date) -> Month:
    """The month whose renewals a page or the API shows, as known today — or at the month's
    end, for a past month (a renewal won after it does not count for it)."""
    whole = Month.of(month)
    return Month(start=whole.start, end=whole.end, as_of=min(whole.end, timezone.localdate()))


def not_renewed_deals(*, viewer: User, month: Month) -> QuerySet[Deal]:
    """The viewer's deals due for renewal in ``month`` that no won deal renewed (by the
    month's ``as_of``), with whether a renewal is in the works and how many complaints of
    the client are open now — a risk to the renewal, so those deals come first."""
    in_progress = Deal.objects.filter(renewal_of=OuterRef("pk"), stage__kind=StageKind.OPEN)
    complaints = (
        ClientRequest.objects.still_open()
        .filter(client_id=OuterRef("client_id"), kind=RequestKind.COMPLAINT)
        .order_by()
        .values("client_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        renewals_due(month)
        .visible_to(viewer)
        .exclude(Exists(won_renewals_of(OuterRef("pk"), as_of=month.as_of)))
        .annotate(
            renewal_in_progress=Exists(in_progress),
            open_complaints=Coalesce(Subquery(complaints, output_field=IntegerField()), Value(0)),
        )
        .select_related("client", "owner", "stage")
        .order_by(Case(When(open_complaints__gt=0, then=Value(0)), default=Value(1)), "service_end", "pk")
    )


def not_renewed_in(
    *, viewer: User, month: datetime.date, owner: User | None = None, team: Team | None = None
) -> QuerySet[Deal]:
    """``not_renewed_deals`` for the month a page or the API shows, narrowed to the chosen
    person or else the chosen team."""
    deals = not_renewed_deals(viewer=viewer, month=renewal_month(month))
    if owner:
        return deals.filter(owner=owner)
    if team:
        return deals.filter(owner__team=team)
    return deals


SCOPE_ORDER = Case(
    When(scope=Scope.DEPARTMENT, then=Value(0)),
    When(scope=Scope.TEAM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def report_rows(model: type[ReportRow], *, viewer: User) -> QuerySet:
    """A report table as the viewer may see it: department first, then teams, then people."""
    return (
        model.objects.visible_to(viewer)
        .select_related("team", "rep", "rep__team")
        .annotate(scope_order=SCOPE_ORDER)
        .order_by("-period", "scope_order", "team__name", "rep__last_name", "rep__first_name", "pk")
    )


def latest_period(model: type[ReportRow], *, viewer: User, **filters) -> datetime.date | None:
    return model.objects.visible_to(viewer).filter(**filters).aggregate(latest=Max("period"))["latest"]


def headline_scope(viewer: User, *, team: Team | None = None, person: User | None = None) -> dict:
    """Which row sums up a page for the viewer: the chosen person's or team's, else the
    department's for those who see everything, their team's for a lead or assistant, and
    their own for everyone else."""
    if person is not None:
        return {"scope": Scope.REP, "rep": person}
    if team is not None:
        return {"scope": Scope.TEAM, "team": team}
    if sees_everything(viewer):
        return {"scope": Scope.DEPARTMENT}
    if sees_team(viewer):
        team_id = team_ids_of(viewer).order_by("pk").values_list("pk", flat=True).first()
        if team_id is not None:
            return {"scope": Scope.TEAM, "team_id": team_id}
    return {"scope": Scope.REP, "rep": viewer}


def months_back(month: datetime.date, count: int) -> list[datetime.date]:
    """``count`` first-of-month dates ending with ``month``, oldest first."""
    months = [month]
    for _index in range(count - 1):
        months.append((months[-1] - datetime.timedelta(days=1)).replace(day=1))
    return months[::-1]


def trend(
    model: type[ReportRow], *, viewer: User, scope: dict, month: datetime.date, count: int = 12, **filters
):
    """The headline scope's rows for the ``count`` months up to ``month``, by month."""
    months = months_back(month, count)
    rows = model.objects.visible_to(viewer).filter(
        period__gte=months[0], period__lte=month, **scope, **filters
    )
    by_month = {row.period: row for row in rows}
    return [(start, by_month.get(start)) for start in months]


def alert_list(*, viewer: User, with_may_acknowledge: bool = False) -> QuerySet[OverdueAlert]:
    """The alerts the viewer sees; ``with_may_acknowledge`` adds whether the viewer may act
    on each (the visibility rules decide, in the same query)."""
    alerts = OverdueAlert.objects.visible_to(viewer).select_related(
        "client", "installment__deal__owner__team", "installment__follow_up_by", "acknowledged_by"
    )
    if with_may_acknowledge:
        writable = OverdueAlert.objects.writable_by(viewer).filter(pk=OuterRef("pk"))
        alerts = alerts.annotate(may_acknowledge=Exists(writable))
    return alerts


def alert_summary(*, viewer: User) -> dict:
    return OverdueAlert.objects.visible_to(viewer).aggregate(
        open=Count("pk", filter=Q(status=AlertStatus.OPEN)),
        escalated=Count("pk", filter=Q(status=AlertStatus.OPEN, level=AlertLevel.ESCALATED)),
        unacknowledged=Count("pk", filter=Q(status=AlertStatus.OPEN, acknowledged_at__isnull=True)),
        outstanding=Sum("outstanding", filter=Q(status=AlertStatus.OPEN)),
        checked_on=Max("checked_on"),
    )


def notification_list(*, viewer: User) -> QuerySet[Notification]:
    """The viewer's notifications, each with ``alert_visible``: whether the viewer may still
    see its alert. A notification outlives a change of team or owner; the alert's client,
    amount and reason are shown only while the alert itself is visible."""
    visible_alerts = OverdueAlert.objects.visible_to(viewer).filter(pk=OuterRef("alert_id"))
    return (
        Notification.objects.visible_to(viewer)
        .annotate(alert_visible=Exists(visible_alerts))
        .select_related("alert__client", "alert__installment__deal__owner", "task__client")
    )


def run_list(*, viewer: User) -> QuerySet[ReportRun]:
    return ReportRun.objects.visible_to(viewer).select_related("triggered_by")
