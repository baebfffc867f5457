"""Deal panels other apps' pages load by URL (htmx), so those apps need not import deals.

The client page (clients, a layer below deals) shows the client's deals by loading
``deals:client_deals`` into its Deals card, as it loads the receivables from targets."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import User
from accounts.visibility import get_visible_or_404
from clients.models import Client
from deals.models import Deal
from deals.rules import changes_no_deal


def client_deals(*, viewer: User, client: Client) -> QuerySet[Deal]:
    """The client's deals the viewer may see, open ones first; renewal date = service end."""
    return (
        Deal.objects.visible_to(viewer)
        .filter(client=client)
        .select_related("stage", "owner")
        .order_by("stage__kind", "-created_at", "-pk")
    )


@login_required
@require_GET
def client_deals_panel(request, client_id: int):
    """The Deals card of the client page (404 when the client is hidden)."""
    client = get_visible_or_404(Client.objects.all(), request.user, pk=client_id)
    return render(
        request,
        "deals/partials/client_deals.html",
        {
            "client": client,
            "deals": client_deals(viewer=request.user, client=client),
            "may_create": not changes_no_deal(request.user),
        },
    )
