"""One record's change history for the people who may see it, from django-simple-history's
records: who changed what, when, old → new, each field named by its (translated) verbose
name. The deal page's and the receivables pages' history tabs read through here, so a
record's history reads the same everywhere.

core imports no app: a caller names how the rows its foreign keys point at are shown
(`related`: field name → function from a set of ids to {id: label}, one query each)."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext
from simple_history import manager as history_manager
from simple_history import models as history_models

from core.templatetags.money import money

HISTORY_PAGE_SIZE = 20
# Fields whose changes say nothing to a reader (the moments are the records' own).
SKIPPED_FIELDS = {"updated_at", "created_at", "id"}

RelatedLabels = Callable[[set[int]], dict[int, str]]


class HistoryManager(history_manager.HistoryManager):
    """django-simple-history's manager, its class built once per queryset class.

    The library's descriptor builds a new manager class (`from_queryset`: a `type()` call and
    an `inspect.getmembers` over QuerySet) each time `Model.history` is read, and it reads it
    for every historical record it writes: about half a millisecond on each save of a
    tracked model. Only the class is kept; each read still gets its own manager instance."""

    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


class HistoricalRecords(history_models.HistoricalRecords):
    """What every tracked model declares (`history = HistoricalRecords()`), with the manager
    class above."""

    def __init__(self, *args, history_manager=HistoryManager, **kwargs):
        super().__init__(*args, history_manager=history_manager, **kwargs)


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime.datetime
    by: object | None  # the user who made the change (None: the system)
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list[FieldChange] = field(default_factory=list)


def history_page(
    *,
    records: models.QuerySet,
    model: type[models.Model],
    related: dict[str, RelatedLabels],
    page: str | int | None = 1,
    skipped: Iterable[str] = (),
) -> Page:
    """One page of a record's history, newest first: each record against the one before it
    (read one further than the page, so the page's oldest change has its old values).
    Queries: count, the records with their users, one per foreign key in `related` that the
    page's records point at."""
    records = records.select_related("history_user").order_by("-history_date", "-history_id")
    paginator = Paginator(records, HISTORY_PAGE_SIZE)
    page_obj = paginator.get_page(page)
    start = (page_obj.number - 1) * HISTORY_PAGE_SIZE
    window = list(records[start : start + HISTORY_PAGE_SIZE + 1])
    names = _related_names(window, related)
    fields = [
        model_field
        for model_field in model._meta.concrete_fields
        if model_field.name not in SKIPPED_FIELDS and model_field.name not in set(skipped)
    ]
    entries = []
    for index, record in enumerate(window[:HISTORY_PAGE_SIZE]):
        previous = window[index + 1] if index + 1 < len(window) else None
        entries.append(
            HistoryEntry(
                at=record.history_date,
                by=record.history_user,
                kind=record.history_type,
                changes=_changes(record, previous, fields, names),
            )
        )
    page_obj.object_list = entries
    return page_obj


def _related_names(records, related: dict[str, RelatedLabels]) -> dict[str, dict[int, str]]:
    names: dict[str, dict[int, str]] = {}
    for name, labels in related.items():
        ids = {getattr(record, f"{name}_id") for record in records} - {None}
        names[name] = labels(ids) if ids else {}
    return names


def _shown(record, model_field, names) -> str:
    if model_field.name in names:
        value = getattr(record, f"{model_field.name}_id")
        return "—" if value is None else names[model_field.name].get(value, f"#{value}")
    value = getattr(record, model_field.attname)
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _changes(record, previous, fields, names) -> list[FieldChange]:
    changes = []
    for model_field in fields:
        new = _shown(record, model_field, names)
        old = _shown(previous, model_field, names) if previous is not None else "—"
        if previous is not None and old == new:
            continue
        if previous is None and new == "—":
            continue
        changes.append(FieldChange(label=str(model_field.verbose_name), old=old, new=new))
    return changes
