"""FilterSets shared by the documents pages, their exports and the API. Parents and people
are plain bounded ids: an id outside the viewer's scope gives an empty list, like a missing
one."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.filters import visible_teams
from core.filters import DateFilter, ModelChoiceFilter, SearchFilter, UpdatedSinceFilterSet
from core.forms import date_input
from deals.filters import IdFilter, people_in_scope
from documents.models import (
    OPEN_REQUEST_STATUSES,
    Attachment,
    ClientRequest,
    Contract,
    ContractStatus,
    RequestKind,
    RequestPriority,
    RequestStatus,
)

DATE_INPUT = date_input()


class AttachmentFilter(UpdatedSinceFilterSet):
    client = IdFilter(field_name="client_id")
    deal = IdFilter(field_name="deal_id")
    contract = IdFilter(field_name="contract_id")
    quote = IdFilter(field_name="quote_id")

    class Meta:
        model = Attachment
        fields: list[str] = []


class ContractFilter(UpdatedSinceFilterSet):
    q = SearchFilter(label=_("Search"), method="filter_text")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ContractStatus.choices)
    owner = ModelChoiceFilter(
        label=_("Owner"), field_name="deal__owner", queryset=people_in_scope, empty_label=_("Everyone")
    )
    team = ModelChoiceFilter(
        label=_("Team"), field_name="deal__owner__team", queryset=visible_teams, empty_label=_("All teams")
    )
    date_from = DateFilter(label=_("Dated from"), field_name="date", lookup_expr="gte", widget=DATE_INPUT)
    date_to = DateFilter(label=_("Dated to"), field_name="date", lookup_expr="lte", widget=DATE_INPUT)
    deal = IdFilter(label=_("Deal"), field_name="deal_id")
    client = IdFilter(label=_("Client"), field_name="deal__client_id")

    class Meta:
        model = Contract
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(deal__title__icontains=value)
            | Q(deal__client__name__icontains=value)
        )


class ClientRequestFilter(UpdatedSinceFilterSet):
    q = SearchFilter(label=_("Search"), method="filter_text")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=RequestKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RequestStatus.choices)
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=RequestPriority.choices)
    owner = ModelChoiceFilter(label=_("Owner"), queryset=people_in_scope, empty_label=_("Everyone"))
    team = ModelChoiceFilter(
        label=_("Team"), field_name="owner__team", queryset=visible_teams, empty_label=_("All teams")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"),
        method="filter_overdue",
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Overdue")), ("false", _("Not overdue"))]),
    )
    client = IdFilter(label=_("Client"), field_name="client_id")
    deal = IdFilter(label=_("Deal"), field_name="deal_id")
    contract = IdFilter(label=_("Contract"), field_name="contract_id")

    class Meta:
        model = ClientRequest
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(description__icontains=value) | Q(client__name__icontains=value))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(status__in=OPEN_REQUEST_STATUSES, due_by__lt=timezone.now())
        return queryset.filter(overdue if value else ~overdue)
