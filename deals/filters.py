"""FilterSets shared by the deal pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.filters import visible_teams
from clients.models import Client
from core.filters import (
    MAX_ID,
    DateFilter,
    FormClassOnce,
    ModelChoiceFilter,
    SearchFilter,
    UpdatedSinceFilterSet,
)
from core.forms import date_input
from deals.models import (
    ApprovalStatus,
    Deal,
    DealLine,
    DealType,
    Fact,
    FactKind,
    ForecastCategory,
    LostReason,
    Product,
    Quote,
    QuoteLanguage,
    QuoteStatus,
    Review,
    Stage,
    StageKind,
    Verdict,
    effective_forecast_category,
)
from deals.rules import scope_people
from deals.selectors.deals import Clock, DealWarning, has_facts_q, warning_q


def people_in_scope(request):
    """Owners to filter by: the people whose deals the viewer sees."""
    if request is None:
        return scope_people(None)
    return scope_people(request.user).select_related("team").order_by("last_name", "first_name", "username")


DATE_INPUT = date_input()
# pg_trgm indexes words by their three-character pieces: a shorter term has none to look up.
TRIGRAM_LENGTH = 3


class IdField(forms.IntegerField):
    """A record id: a positive whole number the database can hold. Anything else is a
    form error / 400, not an overflow in the query."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.NumberFilter):
    field_class = IdField


class AmountField(forms.DecimalField):
    """An amount bound: finite and within what a deal amount can be (14 digits)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


class AmountFilter(django_filters.NumberFilter):
    field_class = AmountField


class PipelineFilter(FormClassOnce, UpdatedSinceFilterSet):
    """The kanban's and GET /api/v1/pipeline/'s filters."""

    owner = ModelChoiceFilter(label=_("Owner"), queryset=people_in_scope, empty_label=_("Everyone"))
    team = ModelChoiceFilter(
        label=_("Team"), field_name="owner__team", queryset=visible_teams, empty_label=_("All teams")
    )
    expected_close_from = DateFilter(
        label=_("Expected close from"), field_name="expected_close", lookup_expr="gte", widget=DATE_INPUT
    )
    expected_close_to = DateFilter(
        label=_("Expected close to"), field_name="expected_close", lookup_expr="lte", widget=DATE_INPUT
    )

    class Meta:
        model = Deal
        fields: list[str] = []


class DealFilter(PipelineFilter):
    """The deal list's and GET /api/v1/deals/'s filters, including the board's warnings."""

    q = SearchFilter(label=_("Search"), method="filter_text")
    stage = ModelChoiceFilter(label=_("Stage"), queryset=Stage.objects.all())
    status = django_filters.ChoiceFilter(
        label=_("Status"), field_name="stage__kind", choices=StageKind.choices
    )
    deal_type = django_filters.ChoiceFilter(label=_("Type"), choices=DealType.choices)
    forecast_category = django_filters.ChoiceFilter(
        label=_("Forecast category"),
        choices=ForecastCategory.choices,
        method="filter_forecast_category",
        empty_label=_("Any"),
    )
    amount_min = AmountFilter(label=_("Amount from"), field_name="amount", lookup_expr="gte")
    amount_max = AmountFilter(label=_("Amount to"), field_name="amount", lookup_expr="lte")
    has_facts = django_filters.BooleanFilter(
        label=_("Intent proven"),
        method="filter_has_facts",
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("With facts")), ("false", _("Feelings only"))]
        ),
    )
    warning = django_filters.ChoiceFilter(
        label=_("Warning"), choices=DealWarning.choices, method="filter_warning"
    )
    client = IdFilter(label=_("Client"), field_name="client_id")

    class Meta:
        model = Deal
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if len(value) < TRIGRAM_LENGTH:
            # Too short for a trigram: no index can answer it, and the subqueries below would
            # each read every deal and client before the first row. Tested row by row as the
            # list's order walks its index, the page stops at its 50th match.
            return queryset.filter(Q(title__icontains=value) | Q(client__name__icontains=value))
        # Each side is its own ILIKE over one table, which PostgreSQL answers from a trigram
        # index (pg_trgm GIN on deal titles and client names) instead of matching the pattern
        # against every deal joined to its client.
        titled = Deal.objects.filter(title__icontains=value).values("pk")
        clients = Client.objects.filter(name__icontains=value).values("pk")
        return queryset.filter(Q(pk__in=titled) | Q(client_id__in=clients))

    def filter_forecast_category(self, queryset, name, value):
        """By the effective category (a manager's override, else the owner's), open deals only."""
        if not value:
            return queryset
        return queryset.alias(forecast=effective_forecast_category()).filter(
            forecast=value, stage__kind=StageKind.OPEN
        )

    def filter_has_facts(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(has_facts_q() if value else ~has_facts_q())

    def filter_warning(self, queryset, name, value):
        clock = Clock.for_request(getattr(self, "request", None))
        return queryset.filter(warning_q(value, clock)) if value else queryset


class StageFilter(UpdatedSinceFilterSet):
    kind = django_filters.ChoiceFilter(choices=StageKind.choices, label=_("Kind"))

    class Meta:
        model = Stage
        fields = ["kind", "is_active"]


class LostReasonFilter(UpdatedSinceFilterSet):
    class Meta:
        model = LostReason
        fields = ["is_active"]


# Deals and people are filtered by plain ids so that an id outside the viewer's scope
# gives an empty list, exactly like an id that does not exist.
class FactFilter(UpdatedSinceFilterSet):
    deal = IdFilter(field_name="deal_id")
    kind = django_filters.ChoiceFilter(choices=FactKind.choices, label=_("Kind"))
    recorded_by = IdFilter(field_name="recorded_by_id")

    class Meta:
        model = Fact
        fields: list[str] = []


class ReviewFilter(UpdatedSinceFilterSet):
    deal = IdFilter(field_name="deal_id")
    verdict = django_filters.ChoiceFilter(choices=Verdict.choices, label=_("Verdict"))
    reviewer = IdFilter(field_name="reviewer_id")

    class Meta:
        model = Review
        fields: list[str] = []


# --- products, deal lines, proposals ---------------------------------------------------


class ProductFilter(UpdatedSinceFilterSet):
    """The product catalogue's page, export and GET /api/v1/products/."""

    q = SearchFilter(label=_("Search"), method="filter_text")
    active = django_filters.BooleanFilter(
        label=_("Active"),
        field_name="is_active",
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Active")), ("false", _("Inactive"))]),
    )

    class Meta:
        model = Product
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class DealLineFilter(UpdatedSinceFilterSet):
    """GET /api/v1/deal-lines/: by deal, product and approval."""

    deal = IdFilter(label=_("Deal"), field_name="deal_id")
    product = IdFilter(label=_("Product"), field_name="product_id")
    approval = django_filters.ChoiceFilter(label=_("Discount approval"), choices=ApprovalStatus.choices)

    class Meta:
        model = DealLine
        fields: list[str] = []


class QuoteFilter(UpdatedSinceFilterSet):
    """GET /api/v1/quotes/: by deal, status and language."""

    deal = IdFilter(label=_("Deal"), field_name="deal_id")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=QuoteStatus.choices)
    language = django_filters.ChoiceFilter(label=_("Language"), choices=QuoteLanguage.choices)

    class Meta:
        model = Quote
        fields: list[str] = []
