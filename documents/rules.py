"""Who may do what with attachments, contracts and client requests. Built from the role
predicates of accounts.roles and the visibility helpers, so role rules stay in one place."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import is_assistant, is_head, is_lead, is_usable
from accounts.visibility import can_write, may_own, team_ids_of
from clients.models import Client
from clients.rules import may_write_client_records
from deals.hooks import WinObjection
from deals.models import Deal, Quote
from deals.rules import may_change_deal
from documents.models import (
    CONTRACT_READY_STATUSES,
    Attachment,
    ClientRequest,
    Contract,
    ContractStatus,
)

# --- attachments -----------------------------------------------------------------------------


def may_attach_to(user: User, parent) -> bool:
    """Files go on a record by those who may change it: a client's by whoever keeps its
    contacts and activities, a deal's and a contract's by whoever may change the deal."""
    if isinstance(parent, Client):
        return may_write_client_records(user, parent)
    if isinstance(parent, Deal):
        return may_change_deal(user, parent)
    if isinstance(parent, Contract | Quote):
        return may_change_deal(user, parent.deal)
    return False


def _owner_id_and_deal(parent) -> tuple[int | None, Deal | None]:
    if isinstance(parent, Client):
        return parent.owner_id, None
    if isinstance(parent, Deal):
        return parent.owner_id, parent
    if isinstance(parent, Contract | Quote):
        return parent.deal.owner_id, parent.deal
    return None, None


def attachment_deleter(user: User, parent) -> Callable[[Attachment], bool]:
    """Whether ``user`` may delete each file of ``parent``: the uploader, the parent's owner,
    a lead of the owner's team (one who may change the record), and the head. Asked once per
    parent, so a list of its files costs no query per row."""
    if not is_usable(user):
        return lambda attachment: False
    owner_id, deal = _owner_id_and_deal(parent)
    if is_head(user):
        manager = True
    elif is_lead(user):
        manager = can_write(user, deal if deal is not None else parent)
    else:
        manager = False
    return lambda attachment: manager or user.pk in (attachment.uploaded_by_id, owner_id)


def may_delete_attachment(user: User, attachment: Attachment) -> bool:
    return attachment_deleter(user, attachment.parent)(attachment)


# --- contracts -------------------------------------------------------------------------------


def may_write_contract(user: User, contract: Contract) -> bool:
    """Drafting, changing, submitting and signing follow the deal: whoever may change it."""
    return may_change_deal(user, contract.deal)


def may_add_contract(user: User, deal: Deal) -> bool:
    return may_change_deal(user, deal)


def may_review_contract(user: User, contract: Contract) -> bool:
    """The owner's lead reviews (合同稽核); the head reviews any. A lead's own contract goes
    to the head: nobody approves their own."""
    owner = contract.deal.owner
    if is_head(user):
        return True
    if not is_lead(user) or owner is None or owner.pk == user.pk:
        return False
    return owner.team_id is not None and team_ids_of(user).filter(pk=owner.team_id).exists()


def reviewable_contracts_q(user: User) -> Q:
    """The contracts ``user`` reviews, as a filter on Contract."""
    if is_head(user):
        return Q()
    if is_lead(user):
        return Q(deal__owner__team_id__in=team_ids_of(user)) & ~Q(deal__owner_id=user.pk)
    return Q(pk__in=[])


def contracts_awaiting_review(user: User) -> QuerySet[Contract]:
    return Contract.objects.visible_to(user).awaiting_review().filter(reviewable_contracts_q(user))


def contract_mode() -> str:
    mode = getattr(settings, "CONTRACT_REQUIRED_TO_WIN", "warn")
    return mode if mode in ("warn", "block", "off") else "warn"


def contract_win_check(deal: Deal) -> WinObjection | None:
    """deals.hooks: a deal is won on an approved or signed contract; without one the move
    is refused ("block") or goes through with a warning ("warn")."""
    mode = contract_mode()
    if mode == "off":
        return None
    if Contract.objects.filter(deal_id=deal.pk, status__in=CONTRACT_READY_STATUSES).exists():
        return None
    if mode == "block":
        return WinObjection(
            _("The deal has no approved or signed contract: it cannot be won yet."), blocks=True
        )
    return WinObjection(_("Note: this deal was won without an approved or signed contract."))


# --- client requests ---------------------------------------------------------------------------


def may_add_requests(user: User, client: Client) -> bool:
    """A request is logged by whoever keeps the client's contacts and activities."""
    return may_write_client_records(user, client)


def may_handle_request(user: User, request: ClientRequest) -> bool:
    return can_write(user, request)


def may_own_request(by: User, owner: User) -> bool:
    return may_own(by, owner, model=ClientRequest)


def request_owner_choices(viewer: User) -> QuerySet[User]:
    """The active people the viewer may give a request to: the head anyone, a lead or an
    assistant their team, everyone else themselves."""
    people = User.objects.filter(is_active=True)
    if is_head(viewer):
        return people
    if is_lead(viewer) or is_assistant(viewer):
        return people.filter(Q(pk=viewer.pk) | Q(team_id__in=team_ids_of(viewer)))
    return people.filter(pk=viewer.pk)


__all__ = [
    "ContractStatus",
    "contract_mode",
    "contract_win_check",
    "contracts_awaiting_review",
    "may_add_contract",
    "may_add_requests",
    "may_attach_to",
    "attachment_deleter",
    "may_delete_attachment",
    "may_handle_request",
    "may_own_request",
    "may_review_contract",
    "may_write_contract",
    "request_owner_choices",
    "reviewable_contracts_q",
]
