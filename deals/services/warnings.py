"""The head's deal-warning settings: thresholds, severities and days allowed per open stage,
written together so a half-saved policy never shows."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.validation import full_clean
from deals.models import MAX_WARNING_DAYS, Stage, StageKind, WarningSettings
from deals.rules import may_set_warning_settings

SETTING_FIELDS = [
    "no_activity_days",
    "review_cadence_days",
    "no_activity_severity",
    "past_close_severity",
    "no_open_task_severity",
    "not_reviewed_severity",
    "stale_in_stage_severity",
    "attention_severity",
]


def warning_settings_current() -> WarningSettings:
    """The settings row, or an unsaved one with the defaults."""
    return WarningSettings.objects.filter(pk=WarningSettings.SINGLETON_PK).first() or WarningSettings(
        pk=WarningSettings.SINGLETON_PK
    )


@transaction.atomic
def warning_settings_update(
    *, by: User, values: dict, stage_days: dict[int, int | None] | None = None
) -> WarningSettings:
    """Save the thresholds and severities (every field of SETTING_FIELDS in ``values``) and,
    for the open stages named in ``stage_days``, the days a deal may stay there (None: no
    limit). Only the head may; out-of-range values raise ValidationError and write nothing."""
    if not may_set_warning_settings(by):
        raise PermissionDenied(_("Only the head sets the warning thresholds."))
    unknown = set(values) - set(SETTING_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    current = (
        WarningSettings.objects.select_for_update().filter(pk=WarningSettings.SINGLETON_PK).first()
        or warning_settings_current()
    )
    for name, value in values.items():
        setattr(current, name, value)
    current.updated_by = by
    full_clean(current, exclude=["updated_by"])
    stages = _stages_to_change(stage_days or {})
    current.save()
    for stage in stages:
        stage.save(update_fields=["max_days_in_stage", "updated_at"])
    return current


def _stages_to_change(stage_days: dict[int, int | None]) -> list[Stage]:
    stages = {
        stage.pk: stage
        for stage in Stage.objects.select_for_update().filter(pk__in=list(stage_days), kind=StageKind.OPEN)
    }
    if set(stage_days) - set(stages):
        raise ValidationError({"stage_days": _("Days in stage are set for open stages only.")})
    changed = []
    for pk, days in sorted(stage_days.items()):
        if days is not None and not 1 <= days <= MAX_WARNING_DAYS:
            raise ValidationError(
                {"stage_days": _("Days in stage must be between 1 and %(max)s.") % {"max": MAX_WARNING_DAYS}}
            )
        if stages[pk].max_days_in_stage != days:
            stages[pk].max_days_in_stage = days
            changed.append(stages[pk])
    return changed
