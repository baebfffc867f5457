import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from core import periods
from core.filters import BoundedModelChoiceField
from deals.rules import scope_people
from reports.models import ReportKind


class RunTriggerForm(forms.Form):
    run_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kinds = forms.MultipleChoiceField(
        label=_("Reports"), choices=ReportKind.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["run_date"].initial = timezone.localdate()
            self.fields["kinds"].initial = list(ReportKind.values)


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("What is being done about it?")}),
    )


class NotificationPreferenceForm(forms.Form):
    language = forms.ChoiceField(label=_("E-mail language"), choices=settings.LANGUAGES)
    email_enabled = forms.BooleanField(label=_("Send me e-mails"), required=False)


class ForecastForm(forms.Form):
    """The forecast's period (``core.periods``; default: this quarter), team and person —
    the page's filters and GET /api/v1/forecast/'s parameters. Bad values are form errors."""

    period = forms.CharField(label=_("Period"), required=False, max_length=20)
    # ``from`` is a Python keyword: the range's ends are added in __init__.
    team = BoundedModelChoiceField(label=_("Team"), queryset=None, required=False, empty_label=_("All teams"))
    owner = BoundedModelChoiceField(
        label=_("Person"), queryset=None, required=False, empty_label=_("Everyone")
    )

    def __init__(self, *args, viewer, today: datetime.date | None = None, default: str = "quarter", **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.default = default  # "quarter": this quarter; "report": core.periods' default
        self.fields["from"] = forms.CharField(label=_("From"), required=False, max_length=10)
        self.fields["to"] = forms.CharField(label=_("To"), required=False, max_length=10)
        self.fields["team"].queryset = Team.objects.visible_to(viewer).order_by("name")
        self.fields["owner"].queryset = scope_people(viewer).order_by("last_name", "first_name", "username")

    def clean(self):
        cleaned = super().clean()
        raw = {name: cleaned.get(name) or "" for name in ("period", "from", "to")}
        try:
            if any(raw.values()):
                cleaned["period_range"] = periods.parse_period(raw, self.today)
            elif self.default == "report":
                cleaned["period_range"] = periods.default_period(self.today)
            else:
                today = self.today
                cleaned["period_range"] = periods.Period.quarter(today.year, (today.month - 1) // 3 + 1)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(name, message)
        return cleaned
