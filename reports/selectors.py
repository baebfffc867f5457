"""Reads of the report tables, alerts, notifications and runs, for pages and the API.
Every read is scoped by ``visible_to``; summaries come from the precomputed rows."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import User
from deals.models import Deal, StageKind
from reports.services.common import Month
from reports.services.renewal import renewals_due, won_renewals_of


def not_renewed_deals(*, viewer: User, month: Month) -> QuerySet[Deal]:
    """The viewer's deals due for renewal in ``month`` that no won deal renewed (by the
    month's ``as_of``), with whether a renewal is in the works."""
    in_progress = Deal.objects.filter(renewal_of=OuterRef("pk"), stage__kind=StageKind.OPEN)
    return (
        renewals_due(month)
        .visible_to(viewer)
        .exclude(Exists(won_renewals_of(OuterRef("pk"), as_of=month.as_of)))
        .annotate(renewal_in_progress=Exists(in_progress))
        .select_related("client", "owner", "stage")
        .order_by("service_end", "pk")
    )
