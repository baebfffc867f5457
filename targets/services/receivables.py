"""Every write to payment schedules, payments and overdue reasons."""

from __future__ import annotations

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from core.dates import check_happened, check_planned, errors_of
from core.filters import check_date_in_range
from core.locks import lock_all, lock_one, retry_on_lost_race
from core.money import CENT, money_text
from core.templatetags.money import money
from deals.models import Deal, StageKind
from targets import rules
from targets.models import (
    Installment,
    OverdueReason,
    Payment,
)
from targets.services.common import (
    date_in_range,
    parse_money,
    split_exactly,
)
from targets.signals import installment_changed, payment_recorded

MAX_INSTALLMENTS = 60
MAX_INTERVAL_MONTHS = 12
# A voided payment's change reason, kept in English and translated where a history shows it.
VOIDED = gettext_noop("Voided")


def _lock_installment(*, pk: int, deal_id: int) -> Installment:
    """The installment's current row, locked after its deal's (the order the schedule
    generator locks in, so the two never deadlock); a line the generator removed meanwhile
    is a Conflict (409), not a 500."""
    lock_one(Deal.objects, pk=deal_id)
    return lock_one(
        Installment.objects,
        pk=pk,
        gone=_("The payment schedule was changed meanwhile and this installment is gone; reload it."),
    )


def _outstanding(installment: Installment) -> Decimal:
    paid = installment.payments.counted().aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return installment.amount - paid


def installment_paid_refresh(*, installment_ids=None) -> int:
    """Recompute the kept sum of payments of the given installments (all when None) from
    the payments themselves, in one UPDATE. Every code path that writes payments calls it."""
    paid = (
        Payment.objects.counted()
        .filter(installment=OuterRef("pk"))
        .order_by()
        .values("installment")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    queryset = Installment.objects.all()
    if installment_ids is not None:
        queryset = queryset.filter(pk__in=list(installment_ids))
    return queryset.update(
        paid_amount=Coalesce(
            Subquery(paid, output_field=Installment._meta.get_field("paid_amount")), Decimal("0")
        )
    )


def _installment_paid_saved(installment: Installment, *, actor: User) -> None:
    """After a payment changed: bring the kept paid sum up to date, then save the installment
    so its history shows the paid sum moving (by whom), not a record with nothing changed."""
    installment_paid_refresh(installment_ids=[installment.pk])
    installment.refresh_from_db(fields=["paid_amount"])
    installment._history_user = actor
    installment.save(update_fields=["updated_at"])


@retry_on_lost_race
@transaction.atomic
def installment_schedule_create(
    *,
    actor: User,
    deal: Deal,
    installments: int,
    first_due: datetime.date,
    interval_months: int = 1,
    note: str = "",
) -> list[Installment]:
    """Split a won deal's amount into ``installments`` lines due every ``interval_months``
    from ``first_due``, adding up exactly to the amount (the last line takes the odd cents).

    Regenerating a schedule keeps every installment that has a payment against it exactly
    as it is and spreads only what those do not cover over the new lines."""
    rules.ensure_can_keep_receivables(actor, deal)
    # no join: the stage is read after the lock
    deal = lock_one(Deal.objects, pk=deal.pk, check=lambda row: rules.ensure_can_keep_receivables(actor, row))
    errors = {}
    if deal.stage.kind != StageKind.WON:
        errors["deal"] = _("Only a won deal gets a payment schedule; this deal is at %(stage)s.") % {
            "stage": deal.stage.name
        }
    if not isinstance(installments, int) or not 1 <= installments <= MAX_INSTALLMENTS:
        errors["installments"] = _("Choose between 1 and %(max)d installments.") % {"max": MAX_INSTALLMENTS}
    if not isinstance(interval_months, int) or not 1 <= interval_months <= MAX_INTERVAL_MONTHS:
        errors["interval_months"] = _("Choose an interval of 1 to %(max)d months.") % {
            "max": MAX_INTERVAL_MONTHS
        }
    if not isinstance(first_due, datetime.date):
        errors["first_due"] = _("Give the first due date.")
    if errors:
        raise ValidationError(errors)
    date_in_range(first_due, field_name="first_due")
    try:
        last_due = first_due + relativedelta(months=(installments - 1) * interval_months)
        check_date_in_range(last_due)
    except (ValueError, OverflowError, ValidationError):
        raise ValidationError(
            {
                "first_due": _(
                    "The last of %(count)d installments would fall due beyond the dates the "
                    "system keeps; choose an earlier first due date."
                )
                % {"count": installments}
            }
        ) from None
    existing = lock_all(Installment.objects.filter(deal=deal))
    paid_ids = set(Payment.objects.filter(installment__deal=deal).values_list("installment_id", flat=True))
    kept = [line for line in existing if line.pk in paid_ids]
    kept_total = sum((line.amount for line in kept), Decimal("0.00"))
    remaining = deal.amount - kept_total
    if remaining <= 0:
        message = _(
            "The installments with payments already cover the deal's %(amount)s; "
            "there is nothing left to schedule."
        ) % {"amount": money_text(deal.amount)}
        raise ValidationError({"installments": message})
    if remaining < CENT * installments:
        raise ValidationError(
            {
                "installments": _("%(amount)s cannot be split into %(count)d installments.")
                % {"amount": money_text(remaining), "count": installments}
            }
        )
    for line in existing:
        if line.pk not in paid_ids:
            line._history_user = actor
            line.delete()
    lines = [
        Installment(
            deal=deal,
            due_date=first_due + relativedelta(months=index * interval_months),
            amount=amount,
            note=note,
        )
        for index, amount in enumerate(split_exactly(remaining, [1] * installments))
    ]
    created = bulk_create_with_history(lines, Installment, default_user=actor)
    installment_changed.send(sender=Installment, installment_ids=[line.pk for line in created])
    return created


@retry_on_lost_race
@transaction.atomic
def installment_update(
    *, actor: User, installment: Installment, due_date: datetime.date | None = None, note: str | None = None
) -> Installment:
    """Reschedule an installment or change its note; amounts change through the generator."""
    rules.ensure_can_keep_receivables(actor, installment.deal)
    installment = _lock_installment(pk=installment.pk, deal_id=installment.deal_id)
    if due_date is not None:
        date_in_range(due_date, field_name="due_date")
        installment.due_date = due_date
    if note is not None:
        installment.note = note
    installment._history_user = actor
    installment.save()
    if due_date is not None:
        installment_changed.send(sender=Installment, installment_ids=[installment.pk])
    return installment


@retry_on_lost_race
@transaction.atomic
def payment_record(
    *,
    actor: User,
    installment: Installment,
    amount,
    paid_on: datetime.date,
    is_overpayment: bool = False,
    note: str = "",
) -> Payment:
    """Record a payment against an installment. The amount must be positive and at most
    what is outstanding, unless it is explicitly recorded as an overpayment. The
    installment row is locked so two people cannot both pay off the same balance."""
    rules.ensure_can_keep_receivables(actor, installment.deal)
    installment = _lock_installment(pk=installment.pk, deal_id=installment.deal_id)
    amount = parse_money(amount, field_name="amount", allow_zero=False)
    today = timezone.localdate()
    if not isinstance(paid_on, datetime.date):
        raise ValidationError({"paid_on": _("Give the date of the payment.")})
    date_in_range(paid_on, field_name="paid_on")
    if paid_on > today:
        raise ValidationError({"paid_on": _("A payment cannot be dated in the future.")})
    # Nor before the client came into the CRM (the date policy, core.dates).
    check_happened(paid_on, field="paid_on", not_before=installment.deal.client.created_at)
    outstanding = _outstanding(installment)
    exceeds = amount > outstanding
    if exceeds and not is_overpayment:
        if outstanding <= 0:
            message = _(
                "This installment is paid in full; "
                "record the payment as an overpayment if the client paid again."
            )
        else:
            message = _(
                "The payment of %(amount)s is more than the %(outstanding)s outstanding; "
                "record it as an overpayment if the client really paid that much."
            ) % {"amount": money(amount), "outstanding": money(outstanding)}  # with the currency
        raise ValidationError({"amount": message})
    payment = Payment(
        installment=installment,
        amount=amount,
        paid_on=paid_on,
        is_overpayment=exceeds,
        note=note or "",
        recorded_by=actor,
    )
    payment._history_user = actor
    payment.save()
    _installment_paid_saved(installment, actor=actor)
    installment_changed.send(sender=Installment, installment_ids=[installment.pk])
    payment_recorded.send(sender=Payment, payment_id=payment.pk)
    return payment


@retry_on_lost_race
@transaction.atomic
def payment_delete(*, actor: User, payment: Payment) -> None:
    """Remove a payment row entered by mistake (the deletion stays in its history). Only
    code reaches this — no page or API route does: people void a payment
    (:func:`payment_void`), which keeps it on record. The installment's balance and its
    overdue alert follow at once."""
    rules.ensure_can_keep_receivables(actor, payment.installment.deal)
    installment = _lock_installment(pk=payment.installment_id, deal_id=payment.installment.deal_id)
    payment = lock_one(Payment.objects, pk=payment.pk, gone=_("This payment was already taken back."))
    payment._history_user = actor
    payment.delete()
    _installment_paid_saved(installment, actor=actor)
    installment_changed.send(sender=Installment, installment_ids=[installment.pk])


MAX_VOID_REASON_LENGTH = Payment._meta.get_field("void_reason").max_length


@transaction.atomic
def payment_void(*, actor: User, payment: Payment, reason: str) -> Payment:
    """Void a payment that bounced or was recorded by mistake. The row stays (who voided
    it, when and why, and the change is in its history); it no longer counts in the
    installment's paid sum, so the balance and the overdue alert follow at once."""
    rules.ensure_can_void_payment(actor, payment.installment.deal)
    # The same lock order as every receivables write: the deal, its installment, then the row.
    installment = _lock_installment(pk=payment.installment_id, deal_id=payment.installment.deal_id)
    payment = lock_one(Payment.objects, pk=payment.pk, gone=_("This payment is gone; reload the schedule."))
    reason = (reason or "").strip()
    if payment.voided_at is not None:
        raise ValidationError({"payment": _("This payment is already voided.")})
    if not reason:
        raise ValidationError({"reason": _("Say why the payment is voided.")})
    if len(reason) > MAX_VOID_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason under %(limit)d characters.") % {"limit": MAX_VOID_REASON_LENGTH}}
        )
    payment.voided_at = timezone.now()
    payment.voided_by = actor
    payment.void_reason = reason
    payment._history_user = actor
    payment._change_reason = VOIDED  # kept in English (core.reasons)
    payment.save(update_fields=["voided_at", "voided_by", "void_reason", "updated_at"])
    _installment_paid_saved(installment, actor=actor)
    installment_changed.send(sender=Installment, installment_ids=[installment.pk])
    return payment


@retry_on_lost_race
@transaction.atomic
def overdue_reason_add(
    *, actor: User, installment: Installment, reason: str, promised_date: datetime.date | None = None
) -> OverdueReason:
    """Why a payment is late and when it is now promised. Reasons are never overwritten:
    each one is kept and the latest is shown."""
    rules.ensure_can_keep_receivables(actor, installment.deal)
    installment = _lock_installment(pk=installment.pk, deal_id=installment.deal_id)
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Say why the payment is late.")
    elif len(reason) > 2000:
        errors["reason"] = _("Keep the reason under 2,000 characters.")
    if promised_date is not None and promised_date < timezone.localdate():
        errors["promised_date"] = _("The promised date cannot be in the past.")
    elif promised_date is not None:
        try:
            check_date_in_range(promised_date)
        except ValidationError as error:
            errors["promised_date"] = error.messages[0]
        else:
            errors.update(errors_of(check_planned, promised_date, field="promised_date"))
    if _outstanding(installment) <= 0:
        errors["installment"] = _("This installment is paid in full; there is nothing to explain.")
    if errors:
        raise ValidationError(errors)
    return OverdueReason.objects.create(
        installment=installment,
        reason=reason,
        promised_date=promised_date,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
