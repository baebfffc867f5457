"""Writes to client requests and complaints: logging one (its answer is due by a time set
per kind, CLIENT_REQUEST_RESPONSE_HOURS) and moving it open → in progress → resolved /
rejected (the client's satisfaction recorded when resolved)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.visibility import get_visible_or_404
from clients.models import Client
from core.locks import lock_one
from deals.models import Deal
from documents.models import ClientRequest, Contract, RequestKind, RequestPriority, RequestStatus
from documents.rules import may_add_requests, may_handle_request, may_own_request

DESCRIPTION_MAX_LENGTH = 10_000
RESOLUTION_MAX_LENGTH = 5_000
DEFAULT_RESPONSE_HOURS = 48
# Where a request may go from each status.
MOVES = {
    RequestStatus.OPEN: (RequestStatus.IN_PROGRESS, RequestStatus.RESOLVED, RequestStatus.REJECTED),
    RequestStatus.IN_PROGRESS: (RequestStatus.RESOLVED, RequestStatus.REJECTED),
    RequestStatus.RESOLVED: (),
    RequestStatus.REJECTED: (),
}


def response_time(kind: str) -> datetime.timedelta:
    hours = getattr(settings, "CLIENT_REQUEST_RESPONSE_HOURS", {}).get(kind, DEFAULT_RESPONSE_HOURS)
    return datetime.timedelta(hours=hours)


def _related_errors(by: User, client: Client, deal: Deal | None, contract: Contract | None) -> dict:
    errors = {}
    if deal is not None and (
        deal.client_id != client.pk or not Deal.objects.visible_to(by).filter(pk=deal.pk).exists()
    ):
        errors["deal"] = _("Choose a deal of this client.")
    if contract is not None and (
        not Contract.objects.visible_to(by).filter(pk=contract.pk, deal__client_id=client.pk).exists()
    ):
        errors["contract"] = _("Choose a contract of this client.")
    return errors


@transaction.atomic
def request_create(
    *,
    by: User,
    client: Client,
    kind: str,
    description: str,
    priority: str = RequestPriority.NORMAL,
    owner: User | None = None,
    deal: Deal | None = None,
    contract: Contract | None = None,
) -> ClientRequest:
    client = get_visible_or_404(Client.objects.all(), by, pk=client.pk)
    if not may_add_requests(by, client):
        raise PermissionDenied(_("You may not log requests for this client."))
    if owner is None:
        owner = client.owner if may_own_request(by, client.owner) else by
    errors = _related_errors(by, client, deal, contract)
    description = (description or "").strip()
    if kind not in RequestKind.values:
        errors["kind"] = _("Choose a valid kind of request.")
    if priority not in RequestPriority.values:
        errors["priority"] = _("Choose a valid priority.")
    if not description:
        errors["description"] = _("Describe what the client asks or complains about.")
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = _("Keep the description under %(limit)s characters.") % {
            "limit": DESCRIPTION_MAX_LENGTH
        }
    if not may_own_request(by, owner):
        errors["owner"] = _("You may not give a request to this person.")
    if errors:
        raise ValidationError(errors)
    request = ClientRequest(
        kind=kind,
        client=client,
        deal=deal,
        contract=contract,
        description=description,
        priority=priority,
        owner=owner,
        due_by=timezone.now() + response_time(kind),
        created_by=by,
    )
    request._history_user = by
    request.save()
    return request


def _move_errors(current: ClientRequest, status: str, resolution: str, satisfaction) -> dict:
    errors = {}
    if status not in MOVES.get(current.status, ()):
        errors["status"] = _("A request that is “%(from)s” cannot become “%(to)s”.") % {
            "from": current.get_status_display(),
            "to": dict(RequestStatus.choices).get(status, status),
        }
    if status == RequestStatus.REJECTED and not resolution:
        errors["resolution"] = _("Say why the request is rejected.")
    if len(resolution) > RESOLUTION_MAX_LENGTH:
        errors["resolution"] = _("Keep the resolution under %(limit)s characters.") % {
            "limit": RESOLUTION_MAX_LENGTH
        }
    if satisfaction is not None:
        if status != RequestStatus.RESOLVED:
            errors["satisfaction"] = _("The client's satisfaction is recorded when the request is resolved.")
        elif not (isinstance(satisfaction, int) and 1 <= satisfaction <= 5):
            errors["satisfaction"] = _("Satisfaction is from 1 to 5.")
    return errors


@transaction.atomic
def request_move(
    *,
    by: User,
    request: ClientRequest,
    status: str,
    resolution: str = "",
    satisfaction: int | None = None,
) -> ClientRequest:
    get_visible_or_404(ClientRequest.objects.all(), by, pk=request.pk)
    current = lock_one(ClientRequest.objects, pk=request.pk)
    if not may_handle_request(by, current):
        raise PermissionDenied(_("You may not change this request."))
    resolution = (resolution or "").strip()
    errors = _move_errors(current, status, resolution, satisfaction)
    if errors:
        raise ValidationError(errors)
    current.status = status
    fields = ["status"]
    if status in (RequestStatus.RESOLVED, RequestStatus.REJECTED):
        current.closed_at = timezone.now()
        current.resolution = resolution
        current.satisfaction = satisfaction
        fields += ["closed_at", "resolution", "satisfaction"]
    current._history_user = by
    current.save(update_fields=[*fields, "updated_at"])
    return current
