"""Filters shared by the report pages and the API (same names, same meaning)."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.filters import visible_teams
from accounts.models import User
from core.filters import DateFilter, ModelChoiceFilter, UpdatedSinceFilterSet
from reports.models import (
    ActivityStat,
    AlertLevel,
    AlertStatus,
    ConversionReport,
    CoverageReport,
    Notification,
    OverdueAlert,
    PeriodKind,
    PlanFulfilment,
    RenewalReport,
    ReportKind,
    ReportRun,
    RunStatus,
    Scope,
)
from targets.selectors import AgingBucket


class AnyYesNo(forms.Select):
    """A yes/no filter whose empty choice reads "Any" (not Django's "Unknown")."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])

    def format_value(self, value):
        return {True: "true", False: "false", "true": "true", "false": "false"}.get(value, "")


def visible_people(request):
    """Offer only the people the viewer may see."""
    if request is None:
        return User.objects.none()
    return User.objects.visible_to(request.user).order_by("last_name", "first_name", "username")


# The report pages count months back and forth from the chosen one (a year of trend, the
# month's end): far-off years would overflow the date arithmetic, and no report has rows there.
EARLIEST_MONTH_YEAR = 2000
LATEST_MONTH_YEAR = 2100


class MonthField(forms.CharField):
    """A month as YYYY-MM (what <input type="month"> sends), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            month = datetime.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(_("Give the month as YYYY-MM."), code="invalid") from None
        if not EARLIEST_MONTH_YEAR <= month.year <= LATEST_MONTH_YEAR:
            raise forms.ValidationError(
                _("Give a month between %(first)s-01 and %(last)s-12.")
                % {"first": EARLIEST_MONTH_YEAR, "last": LATEST_MONTH_YEAR},
                code="out_of_range",
            )
        return month


class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, queryset, value):
        return queryset if value is None else queryset.filter(**{self.field_name: value})


class ReportRowFilter(UpdatedSinceFilterSet):
    """The filters of every report table: a month or a period range, the scope, a team
    (its own row and its people's) and a person."""

    month = MonthFilter(field_name="period", label=_("Month"))
    period_from = DateFilter(field_name="period", lookup_expr="gte", label=_("Period from"))
    period_to = DateFilter(field_name="period", lookup_expr="lte", label=_("Period to"))
    scope = django_filters.ChoiceFilter(choices=Scope.choices, label=_("Scope"), empty_label=_("All"))
    team = ModelChoiceFilter(
        queryset=visible_teams, method="filter_team", label=_("Team"), empty_label=_("All teams")
    )
    owner = ModelChoiceFilter(
        queryset=visible_people, field_name="rep", label=_("Person"), empty_label=_("Everyone")
    )

    def filter_team(self, queryset, name, value):
        return queryset.filter(Q(team=value) | Q(rep__team=value)) if value else queryset


class ConversionFilter(ReportRowFilter):
    class Meta:
        model = ConversionReport
        fields: list[str] = []


class RenewalFilter(ReportRowFilter):
    class Meta:
        model = RenewalReport
        fields: list[str] = []


class FulfilmentFilter(ReportRowFilter):
    class Meta:
        model = PlanFulfilment
        fields: list[str] = []


class CoverageFilter(ReportRowFilter):
    class Meta:
        model = CoverageReport
        fields: list[str] = []


class ActivityStatFilter(ReportRowFilter):
    period_kind = django_filters.ChoiceFilter(
        choices=PeriodKind.choices, label=_("Per"), empty_label=_("Days and months")
    )
    day = DateFilter(field_name="period", label=_("Day"))
    below_norm = django_filters.BooleanFilter(label=_("Below norm"), widget=AnyYesNo)

    class Meta:
        model = ActivityStat
        fields: list[str] = []


class OverdueAlertFilter(UpdatedSinceFilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Client or deal"))
    status = django_filters.ChoiceFilter(choices=AlertStatus.choices, label=_("Status"), empty_label=_("Any"))
    level = django_filters.ChoiceFilter(choices=AlertLevel.choices, label=_("Level"), empty_label=_("Any"))
    bucket = django_filters.ChoiceFilter(
        choices=[(bucket, bucket) for bucket in AgingBucket.ORDER[1:]],
        label=_("Days overdue"),
        empty_label=_("Any"),
    )
    team = ModelChoiceFilter(
        queryset=visible_teams,
        field_name="installment__deal__owner__team",
        label=_("Team"),
        empty_label=_("All"),
    )
    owner = ModelChoiceFilter(
        queryset=visible_people,
        field_name="installment__deal__owner",
        label=_("Owner"),
        empty_label=_("Everyone"),
    )
    acknowledged = django_filters.BooleanFilter(
        field_name="acknowledged_at",
        lookup_expr="isnull",
        exclude=True,
        label=_("Acknowledged"),
        widget=AnyYesNo,
    )
    min_days = django_filters.NumberFilter(
        field_name="days_overdue", lookup_expr="gte", label=_("At least days")
    )

    class Meta:
        model = OverdueAlert
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(client__name__icontains=value) | Q(installment__deal__title__icontains=value)
        )


class NotificationFilter(UpdatedSinceFilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label=_("Unread"), widget=AnyYesNo
    )

    class Meta:
        model = Notification
        fields: list[str] = []


class ReportRunFilter(UpdatedSinceFilterSet):
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices, label=_("Report"), empty_label=_("Any"))
    status = django_filters.ChoiceFilter(choices=RunStatus.choices, label=_("Status"), empty_label=_("Any"))
    date_from = DateFilter(field_name="run_date", lookup_expr="gte", label=_("From"))
    date_to = DateFilter(field_name="run_date", lookup_expr="lte", label=_("To"))

    class Meta:
        model = ReportRun
        fields: list[str] = []
