"""The lost report's parameters (its page and GET /api/v1/reports/lost/): the period, team
and person of the forecast's form (core.periods; default: the reports' default period) and
what to group by. Bad values are form errors: a message on the page, a 400 on the API."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.forms import ForecastForm
from reports.lost import GROUP_CHOICES, REASON


class LostReportForm(ForecastForm):
    group_by = forms.ChoiceField(label=_("Group by"), choices=GROUP_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", "report")
        super().__init__(*args, **kwargs)

    def clean_group_by(self) -> str:
        return self.cleaned_data.get("group_by") or REASON
