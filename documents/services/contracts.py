"""Writes to contracts: drafting, changing, and the review (合同稽核) — submit, approve,
return with a comment, sign with the signed scan attached. Every change is kept in the
contract's history with who did it and why."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.visibility import get_visible_or_404
from core.filters import check_date_in_range
from core.locks import ensure_unchanged, lock_one
from core.money import MAX_MONEY
from deals.models import Deal
from documents.history import APPROVED, CHANGED, DRAFTED, RETURNED, SIGNED, SUBMITTED
from documents.models import Attachment, Contract, ContractStatus
from documents.rules import may_add_contract, may_review_contract, may_write_contract

EDITABLE_STATUSES = (ContractStatus.DRAFT, ContractStatus.RETURNED)
UPDATABLE_FIELDS = frozenset(
    {"number", "date", "start_date", "end_date", "term_months", "amount", "special_clauses"}
)
CLAUSES_MAX_LENGTH = 20_000
COMMENT_MAX_LENGTH = 5_000


def next_number(today: datetime.date | None = None) -> str:
    """A suggestion for a new contract's number: C-<year>-<sequence>."""
    year = (today or timezone.localdate()).year
    prefix = f"C-{year}-"
    taken = Contract.objects.filter(number__startswith=prefix).count()
    for sequence in range(taken + 1, taken + 1000):
        number = f"{prefix}{sequence:04d}"
        if not Contract.objects.filter(number=number).exists():
            return number
    return f"{prefix}{timezone.now():%H%M%S}"


def _amount(value) -> Decimal | None:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return amount if amount.is_finite() else None


def _errors(values: dict[str, Any], contract: Contract | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if "number" in values:
        number = (values["number"] or "").strip()
        values["number"] = number
        if not number:
            errors["number"] = _("Give the contract a number.")
        elif len(number) > 50:
            errors["number"] = _("Keep the number under 50 characters.")
        elif Contract.objects.filter(number=number).exclude(pk=getattr(contract, "pk", None)).exists():
            errors["number"] = _("Another contract has this number.")
    for name in ("date", "start_date", "end_date"):
        try:
            check_date_in_range(values.get(name))
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    if "date" in values and values["date"] is None:
        errors["date"] = _("Give the contract's date.")
    start = values.get("start_date", getattr(contract, "start_date", None))
    end = values.get("end_date", getattr(contract, "end_date", None))
    if start and end and end < start and "end_date" not in errors:
        errors["end_date"] = _("The term cannot end before it starts.")
    months = values.get("term_months")
    if months is not None and not (isinstance(months, int) and 1 <= months <= 600):
        errors["term_months"] = _("The term is from 1 to 600 months.")
    if "amount" in values:
        amount = _amount(values["amount"])
        if amount is None:
            errors["amount"] = _("Enter the amount as a number.")
        elif not Decimal("0") <= amount <= MAX_MONEY:
            errors["amount"] = _("The amount is from 0 to %(max)s.") % {"max": MAX_MONEY}
        else:
            values["amount"] = amount.quantize(Decimal("0.01"))
    if len(values.get("special_clauses") or "") > CLAUSES_MAX_LENGTH:
        errors["special_clauses"] = _("Keep the special clauses under %(limit)s characters.") % {
            "limit": CLAUSES_MAX_LENGTH
        }
    return errors


def _save(contract: Contract, *, by: User, reason: str, fields: list[str] | None = None) -> None:
    contract._history_user = by
    contract._change_reason = reason
    try:
        with transaction.atomic():
            contract.save(update_fields=[*fields, "updated_at"] if fields else None)
    except IntegrityError:
        raise ValidationError({"number": _("Another contract has this number.")}) from None


@transaction.atomic
def contract_create(
    *,
    by: User,
    deal: Deal,
    number: str,
    date: datetime.date | None = None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    term_months: int | None = None,
    amount: Decimal | str | int | None = None,
    special_clauses: str = "",
) -> Contract:
    """A draft contract for ``deal``; its amount defaults to the deal's."""
    deal = get_visible_or_404(Deal.objects.select_related("owner"), by, pk=deal.pk)
    if not may_add_contract(by, deal):
        raise PermissionDenied(_("You may not add a contract to this deal."))
    values = {
        "number": number,
        "date": date or timezone.localdate(),
        "start_date": start_date,
        "end_date": end_date,
        "term_months": term_months,
        "amount": deal.amount if amount is None else amount,
        "special_clauses": (special_clauses or "").strip(),
    }
    errors = _errors(values, None)
    if errors:
        raise ValidationError(errors)
    contract = Contract(deal=deal, created_by=by, **values)
    _save(contract, by=by, reason=DRAFTED)
    return contract


def _lock(contract: Contract, by: User) -> Contract:
    get_visible_or_404(Contract.objects.all(), by, pk=contract.pk)
    current = lock_one(Contract.objects, pk=contract.pk)
    current.deal = Deal.objects.select_related("owner").get(pk=current.deal_id)
    return current


def _ensure_writer(by: User, contract: Contract) -> None:
    if not may_write_contract(by, contract):
        raise PermissionDenied(_("You may not change this contract."))


def _ensure_status(contract: Contract, allowed, message: str) -> None:
    if contract.status not in allowed:
        raise ValidationError({"status": message})


@transaction.atomic
def contract_update(
    *, by: User, contract: Contract, shown: dict[str, Any] | None = None, **changes: Any
) -> Contract:
    """Change a draft or a returned contract (a submitted one is with the reviewer).
    ``shown``: what the edit page showed for the fields it changes; one someone else changed
    meanwhile is a ``RecordChanged`` and nothing is written."""
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"contract_update does not change {sorted(unknown)}")
    current = _lock(contract, by)
    _ensure_writer(by, current)
    _ensure_status(current, EDITABLE_STATUSES, _("Only a draft or a returned contract can be changed."))
    if shown:
        ensure_unchanged(current, shown)
    values = dict(changes)
    if "special_clauses" in values:
        values["special_clauses"] = (values["special_clauses"] or "").strip()
    errors = _errors(values, current)
    if errors:
        raise ValidationError(errors)
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, values[name])
    _save(current, by=by, reason=CHANGED, fields=changed)
    return current


@transaction.atomic
def contract_submit(*, by: User, contract: Contract) -> Contract:
    """Send a draft, or a returned contract as its next version, to the reviewer."""
    current = _lock(contract, by)
    _ensure_writer(by, current)
    _ensure_status(current, EDITABLE_STATUSES, _("Only a draft or a returned contract can be submitted."))
    if current.status == ContractStatus.RETURNED:
        current.version += 1
    current.status = ContractStatus.SUBMITTED
    current.submitted_at = timezone.now()
    _save(
        current,
        by=by,
        reason=SUBMITTED % {"version": current.version},
        fields=["status", "version", "submitted_at"],
    )
    return current


def _review(by: User, contract: Contract, status: str, comment: str, reason: str) -> Contract:
    current = _lock(contract, by)
    if not may_review_contract(by, current):
        raise PermissionDenied(_("The owner's team lead or the head of sales reviews this contract."))
    _ensure_status(current, (ContractStatus.SUBMITTED,), _("Only a submitted contract can be reviewed."))
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"comment": _("Keep the comment under %(limit)s characters.") % {"limit": COMMENT_MAX_LENGTH}}
        )
    current.status = status
    current.review_comment = comment
    current.reviewed_by = by
    current.reviewed_at = timezone.now()
    _save(current, by=by, reason=reason, fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    return current


@transaction.atomic
def contract_approve(*, by: User, contract: Contract, comment: str = "") -> Contract:
    return _review(by, contract, ContractStatus.APPROVED, comment, APPROVED)


@transaction.atomic
def contract_return(*, by: User, contract: Contract, comment: str) -> Contract:
    """Send the contract back to its owner; the comment says what to change."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what has to change: a returned contract needs a comment.")})
    return _review(by, contract, ContractStatus.RETURNED, comment, RETURNED)


@transaction.atomic
def contract_sign(*, by: User, contract: Contract, scan: Attachment | None) -> Contract:
    """Mark an approved contract signed; the signed scan must be one of its attachments."""
    current = _lock(contract, by)
    _ensure_writer(by, current)
    _ensure_status(current, (ContractStatus.APPROVED,), _("Only an approved contract can be signed."))
    if scan is None or not Attachment.objects.filter(pk=scan.pk, contract_id=current.pk).exists():
        raise ValidationError({"scan": _("Attach the signed scan to this contract first, then choose it.")})
    current.status = ContractStatus.SIGNED
    current.signed_scan = scan
    current.signed_at = timezone.now()
    _save(current, by=by, reason=SIGNED, fields=["status", "signed_scan", "signed_at"])
    return current


@transaction.atomic
def contract_delete(*, by: User, contract: Contract) -> None:
    """A draft entered by mistake is removed with its files."""
    current = _lock(contract, by)
    _ensure_writer(by, current)
    _ensure_status(current, (ContractStatus.DRAFT,), _("Only a draft contract can be deleted."))
    current._history_user = by
    current.delete()  # its attachments with it; their files leave the storage on commit
