import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from core import periods
from core.filters import BoundedModelChoiceField
from core.forms import date_input
from deals.rules import scope_people
from reports.models import ReportKind
from targets.models import PlanMetric


class RunTriggerForm(forms.Form):
    run_date = forms.DateField(label=_("Date"), widget=date_input())
    kinds = forms.MultipleChoiceField(
        label=_("Reports"), choices=ReportKind.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["run_date"].initial = timezone.localdate()
            self.fields["kinds"].initial = list(ReportKind.values)


class AcknowledgeForm(forms.Form):
    """Carries the comment and shows the service's messages about it (alert_acknowledge says
    what is wrong with a comment: the form checking it too told everything twice)."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 2,
                "maxlength": 2000,
                "required": True,
                "placeholder": _("What is being done about it?"),
            }
        ),
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


class IncentivesForm(ForecastForm):
    """The leaderboard's period (default: this month, or the last full month while this one
    is younger than a week, as every report opens — on the 3rd nobody has a bonus yet), team
    and person. Bonuses are
    monthly: a quarter or a year (to date) sums its months, and a custom range must start on
    a month's first day and end on a month's last."""

    def clean(self):
        if not any(self.data.get(name) for name in ("period", "from", "to")):
            cleaned = forms.Form.clean(self)
            cleaned["period_range"] = periods.default_period(self.today)
            return cleaned
        cleaned = super().clean()
        period = cleaned.get("period_range")
        if (
            period is not None
            and period.kind == periods.RANGE
            and (period.start.day != 1 or (period.end + datetime.timedelta(days=1)).day != 1)
        ):
            self.add_error(
                "to", _("Bonuses are monthly: give whole months (from a 1st to a month's last day).")
            )
            cleaned.pop("period_range", None)
        return cleaned


class BonusSchemeForm(forms.Form):
    """One role's scheme on the settings page: its basis, whether it is active, and up to
    MAX_TIERS tiers (threshold %, rate %); blank tier rows are ignored. The tiers are
    checked by reports.services.incentives.tiers_clean (Decimal, ascending, rates 0–100)."""

    MAX_TIERS = 5

    basis = forms.ChoiceField(label=_("Basis"), choices=PlanMetric.choices)
    active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, self.MAX_TIERS + 1):
            self.fields[f"threshold_{number}"] = forms.CharField(
                # xgettext:no-python-format
                label=_("From % of plan"),
                required=False,
                max_length=12,
            )
            self.fields[f"rate_{number}"] = forms.CharField(
                # xgettext:no-python-format
                label=_("Rate, % of basis"),
                required=False,
                max_length=12,
            )

    def tier_fields(self):
        return [(self[f"threshold_{n}"], self[f"rate_{n}"]) for n in range(1, self.MAX_TIERS + 1)]

    def clean(self):
        from reports.services.incentives import tiers_clean

        cleaned = super().clean()
        pairs = []
        for number in range(1, self.MAX_TIERS + 1):
            threshold = (cleaned.get(f"threshold_{number}") or "").strip()
            rate = (cleaned.get(f"rate_{number}") or "").strip()
            if threshold or rate:
                if not (threshold and rate):
                    self.add_error(None, _("Give both the threshold and the rate of every tier."))
                    return cleaned
                pairs.append((threshold, rate))
        try:
            cleaned["tiers"] = tiers_clean(pairs)
        except ValidationError as error:
            for message in error.messages:
                self.add_error(None, message)
        return cleaned

    @classmethod
    def initial_for(cls, scheme) -> dict:
        if scheme is None:
            return {"basis": PlanMetric.BOOKED, "active": True}
        initial = {"basis": scheme.basis, "active": scheme.active}
        for number, tier in enumerate(scheme.tiers.all(), start=1):
            initial[f"threshold_{number}"] = tier.threshold_pct
            initial[f"rate_{number}"] = tier.rate_pct
        return initial
