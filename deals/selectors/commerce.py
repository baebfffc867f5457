"""Reads of a deal's lines and proposals (the deal page's panel, the proposal page, the API)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.visibility import get_visible_or_404
from deals.models import ApprovalStatus, Deal, DealLine, Quote, StageKind, default_max_discount
from deals.pricing import Totals, sum_totals
from deals.rules import approvable_deals_q

# The home shows at most this many discounts awaiting the viewer's decision (the oldest
# first); the count says how many there are in all.
APPROVALS_PANEL_SIZE = 10


def deal_lines(*, deal: Deal) -> list[DealLine]:
    return list(DealLine.objects.filter(deal=deal).select_related("product", "approved_by"))


def lines_totals(lines: list[DealLine]) -> Totals:
    return sum_totals(Totals(line.net, line.tax, line.gross) for line in lines)


def deal_quotes(*, deal: Deal) -> list[Quote]:
    return list(Quote.objects.filter(deal=deal).order_by("-version", "-pk"))


def visible_lines(*, viewer) -> QuerySet[DealLine]:
    return DealLine.objects.visible_to(viewer).select_related("product", "approved_by")


def visible_quotes(*, viewer) -> QuerySet[Quote]:
    return Quote.objects.visible_to(viewer).select_related("deal", "created_by").prefetch_related("lines")


def quote_detail(*, viewer, pk) -> Quote:
    return get_visible_or_404(
        Quote.objects.select_related(
            "deal__client", "deal__owner", "deal__stage", "created_by"
        ).prefetch_related("lines"),
        viewer,
        pk=pk,
    )


@dataclass
class AwaitingApproval:
    lines: list[DealLine]
    count: int

    def __post_init__(self):
        # Each line's limit, as the services judged it (a free-text line: the default).
        default = default_max_discount()
        for line in self.lines:
            line.discount_limit = line.product.max_discount_percent if line.product_id else default


def lines_awaiting_approval(*, viewer) -> QuerySet[DealLine]:
    """Lines of open deals whose discount is above the limit and still awaits a decision
    the viewer may take (deals.rules.approvable_deals_q), oldest first."""
    return (
        DealLine.objects.visible_to(viewer)
        .filter(approval=ApprovalStatus.PENDING, deal__stage__kind=StageKind.OPEN)
        .filter(approvable_deals_q(viewer, prefix="deal__"))
        .select_related("deal__client", "deal__owner", "product")
        .order_by("updated_at", "pk")
    )


def approvals_panel(*, viewer) -> AwaitingApproval:
    """The home's "discounts awaiting your approval": two queries (count, the oldest lines)."""
    waiting = lines_awaiting_approval(viewer=viewer)
    count = waiting.count()
    return AwaitingApproval(lines=list(waiting[:APPROVALS_PANEL_SIZE]) if count else [], count=count)
