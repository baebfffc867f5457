"""Filters shared by the report pages and the API (same names, same meaning)."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.filters import visible_teams
from accounts.models import User
from core import periods as core_periods
from core.filters import DateFilter, ModelChoiceFilter, SearchFilter, UpdatedSinceFilterSet
from deals.models import ForecastCategory
from reports.models import (
    ActivityStat,
    AlertLevel,
    AlertStatus,
    ConversionReport,
    CoverageReport,
    ForecastSnapshot,
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

    # the placeholder shows where the browser has no month picker (Safari, older Firefox)
    widget = forms.TextInput(attrs={"type": "month", "placeholder": _("YYYY-MM")})

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


class PeriodForm(forms.Form):
    """The report filters' form: ``period`` (2026-11, 2026-Q4, 2026-YTD, 2026) or
    ``from``/``to`` are parsed by ``core.periods`` into ``cleaned_data["period_range"]``
    (a ``Period``; ``month`` counts as that month's period), bad values a field error."""

    def clean(self):
        cleaned = super().clean()
        raw = {name: self.data.get(name) or "" for name in ("period", "from", "to")}
        month = cleaned.get("month")
        try:
            if any(value.strip() for value in raw.values()):
                cleaned["period_range"] = core_periods.parse_period(raw, timezone.localdate())
            elif month:
                cleaned["period_range"] = core_periods.Period.month(month.year, month.month)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(name, message)
        return cleaned


class KeepFilter(django_filters.CharFilter):
    """A parameter the form reads as a whole (the period): it filters nothing by itself."""

    def filter(self, queryset, value):
        return queryset


class ReportRowFilter(UpdatedSinceFilterSet):
    """The filters of every report table: a month, a period (``period`` or ``from``/``to``,
    see ``core.periods``: the rows of the months it touches) or a period range, the scope, a
    team (its own row and its people's) and a person."""

    month = MonthFilter(field_name="period", label=_("Month"))
    period = KeepFilter(label=_("Period"), max_length=20)
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

    def get_form_class(self):
        fields = {name: filter_.field for name, filter_ in self.filters.items()}
        return type(f"{self.__class__.__name__}Form", (PeriodForm,), fields)

    def filter_queryset(self, queryset):
        cleaned = self.form.cleaned_data
        period = cleaned.get("period_range")
        for name in self.filters:
            if name in cleaned and not (name == "month" and period is not None):
                queryset = self.filters[name].filter(queryset, cleaned[name])
        if period is not None:
            queryset = queryset.filter(period__gte=period.first_month, period__lte=period.last_month)
        return queryset


# ``from`` is a Python keyword, so the custom range's ends are added by name.
for _name, _label in (("from", _("From")), ("to", _("To"))):
    ReportRowFilter.declared_filters[_name] = KeepFilter(label=_label, max_length=10)
    ReportRowFilter.base_filters[_name] = ReportRowFilter.declared_filters[_name]


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
    search = SearchFilter(method="filter_search", label=_("Client or deal"))
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


class ForecastSnapshotFilter(UpdatedSinceFilterSet):
    """GET /api/v1/forecast-snapshots/ and its ``changes/``: the week (any day of it), a
    team (by the owner's team when the snapshot was taken), a person, a category."""

    week = DateFilter(method="filter_week", label=_("Week"))
    team = ModelChoiceFilter(
        queryset=visible_teams, field_name="team", label=_("Team"), empty_label=_("All teams")
    )
    owner = ModelChoiceFilter(
        queryset=visible_people, field_name="owner", label=_("Person"), empty_label=_("Everyone")
    )
    category = django_filters.ChoiceFilter(
        choices=ForecastCategory.choices, label=_("Forecast category"), empty_label=_("Any")
    )

    class Meta:
        model = ForecastSnapshot
        fields: list[str] = []

    def filter_week(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(week=value - datetime.timedelta(days=value.weekday()))
