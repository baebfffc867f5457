"""Filters shared by the client pages and the API (same names, same meaning)."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext_lazy as _

from accounts.filters import visible_teams
from accounts.models import Territory, User
from clients.models import (
    Activity,
    ActivityKind,
    Client,
    ClientStatus,
    Contact,
    Direction,
    Industry,
    Segment,
    Source,
    Task,
    TaskKind,
    TaskStatus,
    Tier,
    normalize_name,
    normalize_tax_id,
)
from core.filters import (
    MAX_ID,
    DateFilter,
    IsoDateTimeFilter,
    ModelChoiceFilter,
    OrderingFilter,
    SearchFilter,
    UpdatedSinceFilterSet,
)

PHONE_SEPARATORS = " -()+./"
ANY = _("Any")


def visible_people(request):
    """Offer only the people the viewer may see."""
    if request is None:
        return User.objects.none()
    return User.objects.visible_to(request.user).filter(is_active=True)


def digits_only(field: str):
    """A phone number as bare digits, computed in the database (spaces, dashes, brackets,
    plus signs, dots and slashes removed), so "+7 (900) 123-45-67" matches "9001234567"."""
    expression = F(field)
    for separator in PHONE_SEPARATORS:
        expression = Replace(expression, Value(separator), Value(""))
    return expression


def _phone_digits(term: str) -> str | None:
    """The digits of a search term that looks like (part of) a phone number."""
    if not re.fullmatch(r"[\d\s\-()+./]+", term):
        return None
    digits = re.sub(r"\D", "", term)
    return digits if len(digits) >= 4 else None


def client_search_q(term: str) -> Q:
    """Name, legal name, tax id, the client's phone, and its contacts' names, phones and
    e-mails. A subquery (not a join) so a client with several matching contacts is one row."""
    term = term.strip()
    if not term:
        return Q()
    condition = Q(name__icontains=term) | Q(legal_name__icontains=term) | Q(phone__icontains=term)
    normalized = normalize_name(term)
    if normalized:
        # The normalised name is case-folded in Python, so Cyrillic and other non-ASCII names
        # match case-insensitively on SQLite too.
        condition |= Q(normalized_name__contains=normalized)
    tax_id = normalize_tax_id(term)
    if tax_id and len(tax_id) >= 3 and any(ch.isdigit() for ch in tax_id):
        condition |= Q(tax_id__contains=tax_id)
    contact_condition = Q(name__icontains=term) | Q(email__icontains=term) | Q(phone__icontains=term)
    contacts = Contact.objects.filter(client=OuterRef("pk"))
    digits = _phone_digits(term)
    if digits:
        contacts = contacts.annotate(phone_digits=digits_only("phone"))
        contact_condition |= Q(phone_digits__contains=digits)
    return condition | Q(Exists(contacts.filter(contact_condition)))


class IdFilter(django_filters.NumberFilter):
    """A record id: a whole number a database integer holds (a huge or fractional one is a
    400 / form error, not an overflow in the database)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class NullsLastOrderingFilter(OrderingFilter):
    """Sorting that keeps empty values last in both directions and breaks ties by id, so
    paging through a sorted list never repeats or skips a row."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field_name = self.param_map.get(param.lstrip("-"), param.lstrip("-"))
        expression = F(field_name)
        return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "pk")


class ClientFilter(UpdatedSinceFilterSet):
    search = SearchFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Name, tax id, phone, or a contact's name, phone or e-mail."),
    )
    owner = ModelChoiceFilter(label=_("Owner"), empty_label=ANY, queryset=visible_people)
    team = ModelChoiceFilter(
        label=_("Team"), empty_label=ANY, field_name="owner__team", queryset=visible_teams
    )
    status = django_filters.ChoiceFilter(label=_("Status"), empty_label=ANY, choices=ClientStatus.choices)
    tier = django_filters.ChoiceFilter(label=_("Tier"), empty_label=ANY, choices=Tier.choices)
    industry = ModelChoiceFilter(label=_("Industry"), empty_label=ANY, queryset=Industry.objects.all())
    segment = django_filters.ChoiceFilter(label=_("Segment"), empty_label=ANY, choices=Segment.choices)
    territory = ModelChoiceFilter(label=_("Territory"), empty_label=ANY, queryset=Territory.objects.all())
    source = django_filters.ChoiceFilter(label=_("Source"), empty_label=ANY, choices=Source.choices)
    ordering = NullsLastOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("name", "name"),
            ("status", "status"),
            ("tier", "tier"),
            ("segment", "segment"),
            ("owner__last_name", "owner"),
            ("industry__name", "industry"),
            ("territory__name", "territory"),
            ("last_activity_at", "last_activity"),
            ("created_at", "created"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "name": _("Name"),
            "status": _("Status"),
            "tier": _("Tier"),
            "segment": _("Segment"),
            "owner__last_name": _("Owner"),
            "industry__name": _("Industry"),
            "territory__name": _("Territory"),
            "last_activity_at": _("Last activity"),
            "created_at": _("Created"),
            "updated_at": _("Updated"),
        },
    )

    class Meta:
        model = Client
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(client_search_q(value))


class ContactFilter(UpdatedSinceFilterSet):
    search = SearchFilter(
        label=_("Search"), method="filter_search", help_text=_("Name, position, phone, e-mail or client.")
    )
    client = IdFilter(label=_("Client id"), field_name="client_id")
    owner = ModelChoiceFilter(label=_("Client owner"), field_name="client__owner", queryset=visible_people)
    team = ModelChoiceFilter(label=_("Team"), field_name="client__owner__team", queryset=visible_teams)
    is_decision_maker = django_filters.BooleanFilter(label=_("Decision maker"))
    ordering = NullsLastOrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("client__name", "client"), ("updated_at", "updated")),
    )

    class Meta:
        model = Contact
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        term = value.strip()
        if not term:
            return queryset
        condition = (
            Q(name__icontains=term)
            | Q(position__icontains=term)
            | Q(email__icontains=term)
            | Q(phone__icontains=term)
            | Q(client__name__icontains=term)
        )
        digits = _phone_digits(term)
        if digits:
            queryset = queryset.annotate(phone_digits=digits_only("phone"))
            condition |= Q(phone_digits__contains=digits)
        return queryset.filter(condition)


class ActivityFilter(UpdatedSinceFilterSet):
    search = SearchFilter(label=_("Search"), method="filter_search", help_text=_("Outcome or client name."))
    client = IdFilter(label=_("Client id"), field_name="client_id")
    contact = IdFilter(label=_("Contact id"), field_name="contact_id")
    deal = IdFilter(label=_("Deal id"), field_name="deal_id")
    owner = ModelChoiceFilter(label=_("Logged by"), queryset=visible_people)
    team = ModelChoiceFilter(label=_("Team"), field_name="owner__team", queryset=visible_teams)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ActivityKind.choices)
    direction = django_filters.ChoiceFilter(label=_("Direction"), choices=Direction.choices)
    occurred_after = IsoDateTimeFilter(
        label=_("Happened at or after"), field_name="occurred_at", lookup_expr="gte"
    )
    occurred_before = IsoDateTimeFilter(
        label=_("Happened before"), field_name="occurred_at", lookup_expr="lt"
    )
    ordering = NullsLastOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("occurred_at", "occurred_at"),
            ("updated_at", "updated"),
            ("client__name", "client"),
        ),
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        term = value.strip()
        if not term:
            return queryset
        return queryset.filter(Q(outcome__icontains=term) | Q(client__name__icontains=term))


class TaskFilter(UpdatedSinceFilterSet):
    """Tasks, for the API and the calendar: whose, on what, which kind and state, due when."""

    owner = ModelChoiceFilter(label=_("Owner"), queryset=visible_people)
    client = IdFilter(label=_("Client id"), field_name="client_id")
    deal = IdFilter(label=_("Deal id"), field_name="deal_id")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=TaskKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TaskStatus.choices)
    due_after = DateFilter(label=_("Due on or after"), field_name="due_date", lookup_expr="gte")
    due_before = DateFilter(label=_("Due on or before"), field_name="due_date", lookup_expr="lte")
    ordering = OrderingFilter(
        label=_("Sort by"),
        fields=(("due_date", "due_date"), ("updated_at", "updated"), ("pk", "id")),
    )

    class Meta:
        model = Task
        fields: list[str] = []


class MyDayFilter(django_filters.FilterSet):
    """The My day page: whose (the viewer unless a lead or the head picks someone else) and
    which kind."""

    person = ModelChoiceFilter(
        label=_("Whose"),
        queryset=visible_people,
        field_name="owner",
        empty_label=_("Everyone I can see"),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=TaskKind.choices, empty_label=ANY)

    class Meta:
        model = Task
        fields: list[str] = []
        form = forms.Form


class CalendarFilter(django_filters.FilterSet):
    """The calendar's scope: one person (the viewer by default) or a whole team."""

    person = ModelChoiceFilter(
        label=_("Whose"), queryset=visible_people, field_name="owner", empty_label=_("Everyone I can see")
    )
    team = ModelChoiceFilter(label=_("Team"), field_name="owner__team", queryset=visible_teams)

    class Meta:
        model = Task
        fields: list[str] = []
        form = forms.Form
