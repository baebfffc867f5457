"""A deal's change history for everyone who may see the deal (django-simple-history's
records): who changed what, when, old → new, named by the fields' verbose names."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Subquery
from django.utils import formats, timezone

from accounts.models import User
from clients.models import Client
from deals.models import Deal, DealLine, Stage

HISTORY_PAGE_SIZE = 20
# Fields whose changes say nothing to a reader (the moments are the records' own).
SKIPPED_FIELDS = {"updated_at", "created_at", "id"}
RELATED = {"stage": Stage, "owner": User, "client": Client, "renewal_of": Deal}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime.datetime
    by: User | None
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list[FieldChange] = field(default_factory=list)


def deal_history(*, deal: Deal, page: str | int | None = 1) -> Page:
    """One page of the deal's history, newest first: each record against the one before it
    (read one further than the page, so the page's oldest change has its old values).
    Three queries: count, the records with their users, the names of the related rows."""
    records = deal.history.select_related("history_user").order_by("-history_date", "-history_id")
    paginator = Paginator(records, HISTORY_PAGE_SIZE)
    page_obj = paginator.get_page(page)
    start = (page_obj.number - 1) * HISTORY_PAGE_SIZE
    window = list(records[start : start + HISTORY_PAGE_SIZE + 1])
    names = _related_names(window)
    entries = []
    for index, record in enumerate(window[:HISTORY_PAGE_SIZE]):
        previous = window[index + 1] if index + 1 < len(window) else None
        entries.append(
            HistoryEntry(
                at=record.history_date,
                by=record.history_user,
                kind=record.history_type,
                changes=_changes(record, previous, names),
            )
        )
    page_obj.object_list = entries
    return page_obj


def _related_names(records) -> dict[str, dict[int, str]]:
    names: dict[str, dict[int, str]] = {}
    for name, model in RELATED.items():
        ids = {getattr(record, f"{name}_id") for record in records} - {None}
        if not ids:
            names[name] = {}
            continue
        if model is User:
            names[name] = {user.pk: user.full_name for user in User.objects.filter(pk__in=ids)}
        elif model is Stage:
            names[name] = {stage.pk: stage.display_name for stage in Stage.objects.filter(pk__in=ids)}
        else:
            label = "title" if model is Deal else "name"
            names[name] = dict(model.objects.filter(pk__in=ids).values_list("pk", label))
    return names


def _shown(record, deal_field, names) -> str:
    if deal_field.name in RELATED:
        value = getattr(record, f"{deal_field.name}_id")
        return "—" if value is None else names[deal_field.name].get(value, f"#{value}")
    value = getattr(record, deal_field.attname)
    if value in (None, ""):
        return "—"
    if deal_field.choices:
        return str(dict(deal_field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return formats.number_format(value, decimal_pos=2, force_grouping=True)
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _changes(record, previous, names) -> list[FieldChange]:
    changes = []
    for deal_field in Deal._meta.concrete_fields:
        if deal_field.name in SKIPPED_FIELDS:
            continue
        new = _shown(record, deal_field, names)
        old = _shown(previous, deal_field, names) if previous is not None else "—"
        if previous is not None and old == new:
            continue
        if previous is None and new == "—":
            continue
        changes.append(FieldChange(label=str(deal_field.verbose_name), old=old, new=new))
    return changes


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


def _line_field_changes(record, old, fields) -> list[FieldChange]:
    if record.history_type == "-":
        return []
    changes = []
    for name, line_field in fields.items():
        if old is None and name == "name":
            continue  # the entry is titled with the line's name
        new_shown = _shown(record, line_field, {})
        old_shown = _shown(old, line_field, {}) if old is not None else "—"
        if old is not None and old_shown == new_shown:
            continue
        if old is None and name == "approval" and record.approval == "not_needed":
            continue
        changes.append(FieldChange(label=str(line_field.verbose_name), old=old_shown, new=new_shown))
    return changes
