"""Reads of attachments, contracts and client requests, each scoped by visibility and with
the joins its page, export or API list needs."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

from accounts.models import Team, User
from accounts.visibility import get_visible_or_404
from clients.models import Client
from core.versions import data_version, kept_figures, latest, row_count
from deals.models import Deal
from documents.models import Attachment, ClientRequest, Contract


def attachment_list(*, viewer: User) -> QuerySet[Attachment]:
    return Attachment.objects.visible_to(viewer).select_related("uploaded_by")


def attachments_of(*, viewer: User, **parent) -> QuerySet[Attachment]:
    """The files of one record (client=…, deal=…, contract=… or quote=…), newest first."""
    return attachment_list(viewer=viewer).filter(**parent)


def attachment_detail(*, viewer: User, pk) -> Attachment:
    return get_visible_or_404(
        Attachment.objects.select_related("client", "deal", "contract__deal", "quote__deal", "uploaded_by"),
        viewer,
        pk=pk,
    )


def contract_list(*, viewer: User) -> QuerySet[Contract]:
    # a team's contracts by its people's ids: they are reached through the deals
    return Contract.objects.visible_to(viewer, members_listed=True).select_related(
        "deal__client", "deal__owner__team", "reviewed_by", "signed_scan"
    )


def contract_list_version() -> str:
    """What the contract list's count and sum read: the contracts (their newest history row:
    every create, change and delete), their deals (an owner handed over), the people and
    teams, with how many teams there are (who sees whose: a team deleted leaves its people's
    rows as they were), and the clients (the search matches their names)."""
    return data_version(
        [
            latest(Contract.history.model, "history_id"),
            latest(Contract, "updated_at"),
            latest(Deal, "updated_at"),
            latest(User, "updated_at"),
            latest(Team, "updated_at"),
            row_count(Team),
            latest(Client, "updated_at"),
        ]
    )


# Kept figures are kept this long at most, whatever their version says.
LIST_FIGURES_SECONDS = 300


def contract_list_totals(*, viewer: User, query: str, compute: Callable[[], dict]) -> dict:
    """The contract list's count and sum (``compute``), kept for the same viewer and filters
    (``query``, core.http.filter_query) while :func:`contract_list_version` stays: they read
    every contract the viewer sees (a team's 2,400 through its 15,000 deals at scale, 11 ms),
    while a page shows 50."""
    return kept_figures(
        "contract-list-totals",
        viewer_id=viewer.pk,
        query=query,
        version=contract_list_version(),
        compute=compute,
        seconds=LIST_FIGURES_SECONDS,
    )


def contract_detail(*, viewer: User, pk) -> Contract:
    contract = get_visible_or_404(
        Contract.objects.select_related(
            "deal__client", "deal__owner__team", "deal__stage", "reviewed_by", "created_by", "signed_scan"
        ),
        viewer,
        pk=pk,
    )
    return contract


def contract_history(contract: Contract) -> list:
    """The contract's recorded changes, oldest first, with who made them; each entry's
    ``new_comment`` is the review comment when that change wrote it (not repeated after)."""
    entries = list(contract.history.select_related("history_user").order_by("history_date", "history_id"))
    previous = ""
    for entry in entries:
        entry.new_comment = entry.review_comment if entry.review_comment != previous else ""
        previous = entry.review_comment
    return entries


def request_list(*, viewer: User) -> QuerySet[ClientRequest]:
    return ClientRequest.objects.visible_to(viewer).select_related(
        "client", "owner__team", "deal", "contract"
    )


def request_detail(*, viewer: User, pk) -> ClientRequest:
    return get_visible_or_404(
        ClientRequest.objects.select_related("client", "owner__team", "deal", "contract", "created_by"),
        viewer,
        pk=pk,
    )


def request_history(request: ClientRequest):
    return request.history.select_related("history_user").order_by("history_date", "history_id")


__all__ = [
    "attachment_detail",
    "attachment_list",
    "attachments_of",
    "contract_detail",
    "contract_list_totals",
    "contract_list_version",
    "contract_history",
    "contract_list",
    "request_detail",
    "request_history",
    "request_list",
]
