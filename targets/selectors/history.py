"""The change history of an installment and of a payment (core.history), for everyone who
may see the record: the receivables pages' history tabs."""

from __future__ import annotations

from django.core.paginator import Page
from django.utils import formats

from core.history import history_page
from core.templatetags.money import money
from deals.selectors.history import deal_titles, user_names
from targets.models import Installment, Payment


def _installment_labels(ids: set[int]) -> dict[int, str]:
    """An installment named by its due date and amount (the deal is on the page)."""
    rows = Installment.objects.filter(pk__in=ids).values_list("pk", "due_date", "amount")
    return {
        pk: f"{formats.date_format(due_date, 'DATE_FORMAT')} · {money(amount)}"
        for pk, due_date, amount in rows
    }


def installment_history(*, installment: Installment, page: str | int | None = 1) -> Page:
    """One page of the installment's history, newest first: count, records with their
    users, and the deal's title."""
    return history_page(
        records=installment.history.all(), model=Installment, related={"deal": deal_titles}, page=page
    )


def payment_history(*, payment: Payment, page: str | int | None = 1) -> Page:
    """One page of the payment's history, newest first: count, records with their users,
    the installment, who recorded it and, once voided, who voided it."""
    return history_page(
        records=payment.history.all(),
        model=Payment,
        related={"installment": _installment_labels, "recorded_by": user_names, "voided_by": user_names},
        page=page,
    )
