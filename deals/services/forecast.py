"""Forecast categories of open deals: the owner sets one (``deal_forecast_set``); the
owner's lead or the head may override it with a note (``deal_forecast_override``), and
who overrode it, when and why stays on the deal and in its history."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from deals.models import Deal, ForecastCategory
from deals.rules import may_override_forecast, may_set_forecast
from deals.services.checks import _lock

NOTE_MAX_LENGTH = 500


def _category(value: str | None, *, field: str, allow_empty: bool = False) -> str:
    value = (value or "").strip()
    if allow_empty and not value:
        return ""
    if value not in ForecastCategory.values:
        raise ValidationError({field: _("Choose pipeline, best case, commit or omitted.")})
    return value


@transaction.atomic
def deal_forecast_set(*, deal: Deal, by: User, category: str) -> Deal:
    """The owner's (or anyone who may change the deal) forecast category for an open deal."""
    category = _category(category, field="forecast_category")
    current = _lock(deal, by)
    if not may_set_forecast(by, current):
        raise ValidationError({"forecast_category": _("Only an open deal has a forecast category.")})
    if current.forecast_category == category and current.forecast_category_set:
        return current
    current.forecast_category = category
    current.forecast_category_set = True
    current._history_user = by
    current.save(update_fields=["forecast_category", "forecast_category_set", "updated_at"])
    return current


@transaction.atomic
def deal_forecast_override(*, deal: Deal, by: User, category: str | None, note: str = "") -> Deal:
    """A manager's category over the owner's, with a note saying why (an empty category
    withdraws the override; the note then says why too, and stays in the history)."""
    category = _category(category, field="forecast_override", allow_empty=True)
    note = (note or "").strip()
    current = _lock(deal, by)
    if not may_override_forecast(by, current):
        if current.stage.is_closed:
            raise ValidationError({"forecast_override": _("Only an open deal has a forecast category.")})
        raise PermissionDenied(
            _("Only the owner's team lead or the head of sales may override a deal's forecast category.")
        )
    if not note:
        raise ValidationError({"forecast_override_note": _("Say why you override the owner's category.")})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "forecast_override_note": _("Keep the note under %(count)s characters.")
                % {"count": NOTE_MAX_LENGTH}
            }
        )
    current.forecast_override = category
    current.forecast_override_note = note
    current.forecast_override_by = by
    current.forecast_override_at = timezone.now()
    current._history_user = by
    current._change_reason = note[:100]
    current.save(
        update_fields=[
            "forecast_override",
            "forecast_override_note",
            "forecast_override_by",
            "forecast_override_at",
            "updated_at",
        ]
    )
    return current
