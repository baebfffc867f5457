"""Demo data of the documents app: contracts at every step of their review, a signed one
with its scan, and client requests and complaints (some overdue, some on clients whose
renewal is due) — written through the services, as people would."""

from __future__ import annotations

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone

from deals.models import Deal, StageKind
from documents import services
from documents.models import ClientRequest, RequestKind

SCAN = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
CLAUSES = [
    "Payment in two parts: 50% on signing, 50% on delivery.",
    "Delivery to the client's warehouse in Kazan at our expense.",
    "Penalty for late delivery: 0.1% of the amount a day, at most 10%.",
    "Warranty extended to 24 months.",
]
REQUESTS = [
    (RequestKind.QUESTION, "Asked how to add users to their licence."),
    (RequestKind.COMPLAINT, "The last delivery arrived three days late."),
    (RequestKind.SERVICE, "Needs the quarterly maintenance visit scheduled."),
    (RequestKind.RETURN, "One unit failed in the first week; asks for a replacement."),
    (RequestKind.COMPLAINT, "Invoice sent twice; accounting is unhappy."),
]


def _lead_of(deal: Deal, staff):
    team_id = deal.owner.team_id
    return next((lead for lead in staff.leads if lead.team_id == team_id), staff.head)


def _contracts(staff, rng: random.Random) -> None:
    open_deals = list(
        Deal.objects.filter(stage__kind=StageKind.OPEN, owner__role__in=["rep", "account_manager"])
        .select_related("owner", "stage")
        .order_by("-stage__order", "pk")[:8]
    )
    steps = ["draft", "submitted", "returned", "approved", "submitted_v2", "signed", "submitted", "approved"]
    for deal, step in zip(open_deals, steps, strict=False):
        owner, lead = deal.owner, _lead_of(deal, staff)
        contract = services.contract_create(
            by=owner,
            deal=deal,
            number=services.next_number(),
            term_months=rng.choice([6, 12, 24]),
            special_clauses=rng.choice(CLAUSES),
        )
        if step == "draft":
            continue
        services.contract_submit(by=owner, contract=contract)
        if step == "submitted":
            continue
        if step in ("returned", "submitted_v2"):
            services.contract_return(by=lead, contract=contract, comment="Lower the penalty to 0.1% a day.")
            if step == "submitted_v2":
                services.contract_update(by=owner, contract=contract, special_clauses=CLAUSES[2])
                services.contract_submit(by=owner, contract=contract)
            continue
        services.contract_approve(by=lead, contract=contract)
        if step == "signed":
            scan = services.attachment_add(
                by=owner,
                upload=SimpleUploadedFile(f"{contract.number} signed.pdf", SCAN, "application/pdf"),
                contract=contract,
            )
            services.contract_sign(by=owner, contract=contract, scan=scan)


def _requests(staff, rng: random.Random) -> None:
    today = timezone.localdate()
    # Customers whose renewal is due soon first: a complaint there is a risk to the renewal.
    due_soon = Deal.objects.filter(
        stage__kind=StageKind.WON, service_end__range=(today, today + datetime.timedelta(days=60))
    ).select_related("client__owner")
    clients = [deal.client for deal in due_soon[:3]]
    others = Deal.objects.filter(stage__kind=StageKind.WON).select_related("client__owner").order_by("pk")
    for deal in others[:40]:
        if deal.client not in clients:
            clients.append(deal.client)
    for index, client in enumerate(clients[:8]):
        kind, text = REQUESTS[index % len(REQUESTS)]
        if index < 3:
            kind, text = REQUESTS[1]
        item = services.request_create(by=client.owner, client=client, kind=kind, description=text)
        if index % 3 == 1:
            # Logged two days ago and not answered: overdue.
            ClientRequest.objects.filter(pk=item.pk).update(
                created_at=F("created_at") - datetime.timedelta(days=2),
                due_by=F("due_by") - datetime.timedelta(days=2),
            )
        elif index % 3 == 2:
            services.request_move(by=client.owner, request=item, status="in_progress")
            if index > 4:
                services.request_move(
                    by=client.owner,
                    request=item,
                    status="resolved",
                    resolution="Done.",
                    satisfaction=rng.randint(3, 5),
                )


def seed(*, staff, rng: random.Random, size: str = "small") -> None:
    _contracts(staff, rng)
    _requests(staff, rng)
