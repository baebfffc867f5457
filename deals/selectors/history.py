"""A deal's change history for everyone who may see the deal (core.history over
django-simple-history's records): who changed what, when, old → new."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page
from django.db.models import OuterRef, Subquery
from django.utils import formats

from accounts.models import User
from clients.models import Client
from core.history import HISTORY_PAGE_SIZE, FieldChange, history_page
from core.templatetags.money import money
from deals.models import Deal, DealLine, Stage

__all__ = ["HISTORY_PAGE_SIZE", "deal_history", "deal_line_changes", "user_names"]


def user_names(ids: set[int]) -> dict[int, str]:
    return {user.pk: user.full_name for user in User.objects.filter(pk__in=ids)}


def _stage_names(ids: set[int]) -> dict[int, str]:
    return {stage.pk: stage.display_name for stage in Stage.objects.filter(pk__in=ids)}


def _client_names(ids: set[int]) -> dict[int, str]:
    return dict(Client.objects.filter(pk__in=ids).values_list("pk", "name"))


def deal_titles(ids: set[int]) -> dict[int, str]:
    return dict(Deal.objects.filter(pk__in=ids).values_list("pk", "title"))


DEAL_RELATED = {
    "stage": _stage_names,
    "owner": user_names,
    "client": _client_names,
    "renewal_of": deal_titles,
    "forecast_override_by": user_names,
}


def deal_history(*, deal: Deal, page: str | int | None = 1) -> Page:
    """One page of the deal's history, newest first. Three queries and one per related kind
    the page names: count, the records with their users, stages, owners, clients, renewals."""
    return history_page(records=deal.history.all(), model=Deal, related=DEAL_RELATED, page=page)


# --- the deal's lines in its timeline ---------------------------------------------------------

# What a reader of a line's change wants to see: how many, at what price, with what discount,
# and what was decided about the discount.
LINE_FIELDS = ("name", "quantity", "unit_price", "discount_percent", "tax_rate", "approval")


@dataclass
class LineChange:
    """One record of a deal line's history, against the line's record before it."""

    at: datetime.datetime
    by: User | None
    kind: str  # "+" added, "~" changed, "-" removed
    name: str
    decision: str  # "approved" / "rejected" when this record is a discount decision, else ""
    changes: list[FieldChange] = field(default_factory=list)


def deal_line_changes(*, deal: Deal, limit: int) -> list[LineChange]:
    """The newest ``limit`` records of the deal's lines' history (added, changed, removed,
    discounts approved or refused), each with what changed: two queries, the records (with
    their users and the id of each one's previous record) and those previous records."""
    Historical = DealLine.history.model
    previous = Historical.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by(
        "-history_id"
    )
    records = list(
        Historical.objects.filter(deal_id=deal.pk)
        .select_related("history_user")
        .annotate(previous_id=Subquery(previous.values("history_id")[:1]))
        .order_by("-history_date", "-history_id")[:limit]
    )
    ids = {record.previous_id for record in records} - {None}
    before = {}
    if ids:
        before = {record.history_id: record for record in Historical.objects.filter(history_id__in=ids)}
    fields = {name: DealLine._meta.get_field(name) for name in LINE_FIELDS}
    result = []
    for record in records:
        old = before.get(record.previous_id)
        changes = _line_field_changes(record, old, fields)
        approval_changed = old is not None and old.approval != record.approval
        decided = approval_changed and record.approval in ("approved", "rejected") and len(changes) == 1
        result.append(
            LineChange(
                at=record.history_date,
                by=record.history_user,
                kind=record.history_type,
                name=record.name,
                decision=record.approval if decided else "",
                changes=changes,
            )
        )
    return result


# Of a line's figures only the price is money; quantity, discount and tax rate are plain numbers.
MONEY_LINE_FIELDS = {"unit_price"}


def _line_shown(record, line_field) -> str:
    value = getattr(record, line_field.attname)
    if value in (None, ""):
        return "—"
    if line_field.choices:
        return str(dict(line_field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        if line_field.name in MONEY_LINE_FIELDS:
            return money(value)
        return formats.number_format(value, decimal_pos=2, force_grouping=True)
    return str(value)


def _line_field_changes(record, old, fields) -> list[FieldChange]:
    if record.history_type == "-":
        return []
    changes = []
    for name, line_field in fields.items():
        if old is None and name == "name":
            continue  # the entry is titled with the line's name
        new_shown = _line_shown(record, line_field)
        old_shown = _line_shown(old, line_field) if old is not None else "—"
        if old is not None and old_shown == new_shown:
            continue
        if old is None and name == "approval" and record.approval == "not_needed":
            continue
        changes.append(FieldChange(label=str(line_field.verbose_name), old=old_shown, new=new_shown))
    return changes
