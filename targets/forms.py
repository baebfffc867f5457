"""Forms of the targets pages: they check input, a service decides and writes."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.filters import BoundedModelChoiceField
from core.forms import date_input
from targets.models import MonthMethod, PlanMetric, SplitMethod
from targets.services import MAX_INSTALLMENTS, MAX_INTERVAL_MONTHS, month_name

MONEY_WIDGET = {"inputmode": "decimal", "step": "0.01", "min": "0"}


def money_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs=MONEY_WIDGET),
        **kwargs,
    )


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    metric = forms.ChoiceField(label=_("Metric"), choices=PlanMetric.choices, initial=PlanMetric.BOOKED)
    amount = money_field(_("Target amount"), min_value=0)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PlanEditForm(forms.Form):
    amount = money_field(
        _("Target amount"),
        min_value=0,
        help_text=_("The split stays as it is; the difference shows as unallocated until you split again."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecomposeForm(forms.Form):
    """How to split a plan: months (even / weights / last year's shares), then teams and reps
    (even / weights). One weight field per month, team and rep."""

    month_method = forms.ChoiceField(
        label=_("Months"),
        choices=[
            (MonthMethod.LAST_YEAR, MonthMethod.LAST_YEAR.label),
            (MonthMethod.EVEN, MonthMethod.EVEN.label),
            (MonthMethod.WEIGHTS, MonthMethod.WEIGHTS.label),
        ],
        initial=MonthMethod.LAST_YEAR,
        widget=forms.RadioSelect,
    )
    team_method = forms.ChoiceField(
        label=_("Teams"), choices=SplitMethod.choices, initial=SplitMethod.EVEN, widget=forms.RadioSelect
    )
    rep_method = forms.ChoiceField(
        label=_("Reps within each team"),
        choices=SplitMethod.choices,
        initial=SplitMethod.EVEN,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, members: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        weight = {"required": False, "min_value": 0, "max_digits": 12, "decimal_places": 4}
        attrs = {"inputmode": "decimal", "step": "any", "min": "0", "class": "weight"}
        for month in range(1, 13):
            self.fields[f"month_{month}"] = forms.DecimalField(
                label=month_name(month), initial=1, widget=forms.NumberInput(attrs=attrs), **weight
            )
        self.teams = []
        self.members = members
        for member in members:
            if member.team not in self.teams:
                self.teams.append(member.team)
        for team in self.teams:
            self.fields[f"team_{team.pk}"] = forms.DecimalField(
                label=team.name, initial=1, widget=forms.NumberInput(attrs=attrs), **weight
            )
        for member in members:
            self.fields[f"rep_{member.pk}"] = forms.DecimalField(
                label=member.full_name, initial=1, widget=forms.NumberInput(attrs=attrs), **weight
            )

    def month_fields(self):
        return [self[f"month_{month}"] for month in range(1, 13)]

    def team_fields(self):
        return [self[f"team_{team.pk}"] for team in self.teams]

    def rep_fields_by_team(self):
        return [
            (team, [self[f"rep_{m.pk}"] for m in self.members if m.team_id == team.pk]) for team in self.teams
        ]

    def clean(self):
        cleaned = super().clean()
        for method, prefix, keys in (
            ("month_method", "month", range(1, 13)),
            ("team_method", "team", [team.pk for team in self.teams]),
            ("rep_method", "rep", [member.pk for member in self.members]),
        ):
            if cleaned.get(method) == "weights":
                for key in keys:
                    if cleaned.get(f"{prefix}_{key}") is None and f"{prefix}_{key}" not in self.errors:
                        self.add_error(f"{prefix}_{key}", _("Give a weight (0 or more)."))
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            "month_method": data["month_method"],
            "team_method": data["team_method"],
            "rep_method": data["rep_method"],
        }
        if data["month_method"] == MonthMethod.WEIGHTS:
            kwargs["month_weights"] = [data[f"month_{month}"] for month in range(1, 13)]
        if data["team_method"] == SplitMethod.WEIGHTS:
            kwargs["team_weights"] = {team.pk: data[f"team_{team.pk}"] for team in self.teams}
        if data["rep_method"] == SplitMethod.WEIGHTS:
            kwargs["rep_weights"] = {member.pk: data[f"rep_{member.pk}"] for member in self.members}
        return kwargs


class CellsForm(forms.Form):
    """A grid of money cells named ``<prefix>-<key>-<month>``."""

    def add_cell(self, name: str, label: str, initial) -> None:
        self.fields[name] = money_field(label, required=True, min_value=0, initial=initial)
        self.fields[name].widget.attrs.update({"class": "cell-input", "aria-label": label})

    def cell(self, name: str):
        return self[name]


class TeamSplitForm(CellsForm):
    """A team's rep × month cells; the team-month totals stay fixed (checked by the service)."""

    def __init__(self, *args, team, reps: list[User], amounts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        self.reps = reps
        for rep in reps:
            for month in range(1, 13):
                self.add_cell(
                    f"cell-{rep.pk}-{month}",
                    f"{rep.full_name} · {month_name(month)}",
                    amounts.get((month, rep.pk), 0),
                )

    def amounts(self) -> dict[tuple[int, int], object]:
        return {
            (month, rep.pk): self.cleaned_data[f"cell-{rep.pk}-{month}"]
            for rep in self.reps
            for month in range(1, 13)
        }

    def rows(self):
        return [(rep, [self[f"cell-{rep.pk}-{month}"] for month in range(1, 13)]) for rep in self.reps]


class DepartmentSplitForm(CellsForm):
    """The head's month totals and team-month totals."""

    def __init__(self, *args, teams, amounts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = teams
        for month in range(1, 13):
            self.add_cell(
                f"month-{month}", _("Month total") + f" · {month_name(month)}", amounts.get((month, None), 0)
            )
        for team in teams:
            for month in range(1, 13):
                self.add_cell(
                    f"team-{team.pk}-{month}",
                    f"{team.name} · {month_name(month)}",
                    amounts.get((month, team.pk), 0),
                )

    def month_row(self):
        return [self[f"month-{month}"] for month in range(1, 13)]

    def team_rows(self):
        return [(team, [self[f"team-{team.pk}-{month}"] for month in range(1, 13)]) for team in self.teams]

    def months(self) -> dict[int, object]:
        return {month: self.cleaned_data[f"month-{month}"] for month in range(1, 13)}

    def team_months(self) -> dict[tuple[int, int], object]:
        return {
            (month, team.pk): self.cleaned_data[f"team-{team.pk}-{month}"]
            for team in self.teams
            for month in range(1, 13)
        }


class NormRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.REP)
    calls_per_day = forms.IntegerField(label=_("Calls per day"), min_value=0, max_value=1000)
    meetings_per_week = forms.IntegerField(label=_("Meetings per week"), min_value=0, max_value=200)


class NormPersonForm(forms.Form):
    person = BoundedModelChoiceField(label=_("Person"), queryset=User.objects.none())
    calls_per_day = forms.IntegerField(label=_("Calls per day"), min_value=0, max_value=1000)
    meetings_per_week = forms.IntegerField(label=_("Meetings per week"), min_value=0, max_value=200)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ScheduleForm(forms.Form):
    installments = forms.IntegerField(
        label=_("Installments"), min_value=1, max_value=MAX_INSTALLMENTS, initial=3
    )
    first_due = forms.DateField(label=_("First due"), widget=date_input())
    interval_months = forms.IntegerField(
        label=_("Every … months"), min_value=1, max_value=MAX_INTERVAL_MONTHS, initial=1
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["first_due"].initial = timezone.localdate() + datetime.timedelta(days=30)


class PaymentForm(forms.Form):
    # No browser-side minimum: the service's message says what is wrong with the amount.
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=date_input())
    is_overpayment = forms.BooleanField(
        label=_("Record as an overpayment"),
        required=False,
        help_text=_("Tick only if the client paid more than is outstanding."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, outstanding=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["paid_on"].initial = timezone.localdate()
            if outstanding is not None and outstanding > 0:
                self.fields["amount"].initial = outstanding.quantize(Decimal("0.01"))


class OverdueReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it late?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    promised_date = forms.DateField(label=_("Promised date"), required=False, widget=date_input())
