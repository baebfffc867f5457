from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from deals.models import (
    Deal,
    DealLine,
    Fact,
    LostReason,
    Product,
    Quote,
    QuoteLine,
    Review,
    Stage,
    StageChange,
)


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    """The pipeline is configured here: names, order, default probability, kind, and the
    forecast category a deal entering the stage takes."""

    list_display = ["name", "order", "default_probability", "kind", "default_forecast_category", "is_active"]
    list_editable = ["order", "default_probability", "default_forecast_category", "is_active"]
    list_filter = ["kind", "is_active"]
    ordering = ["order", "pk"]


@admin.register(LostReason)
class LostReasonAdmin(admin.ModelAdmin):
    """The list a deal closed as lost chooses from. A reason in use cannot be deleted
    (closed deals keep it): deactivate it instead."""

    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    ordering = ["order", "pk"]


class FactInline(admin.TabularInline):
    model = Fact
    extra = 0
    fields = ["kind", "text", "happened_on", "recorded_by"]
    readonly_fields = fields
    can_delete = False


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    fields = ["from_stage", "to_stage", "changed_by", "changed_at", "lost_reason", "lost_comment"]
    readonly_fields = fields
    can_delete = False


@admin.register(Deal)
class DealAdmin(SimpleHistoryAdmin):
    """Deals are read here; stages change only through deal_move (pages and API), so the
    stage and the history-derived fields are read-only."""

    list_display = ["title", "client", "owner", "stage", "amount", "expected_close", "closed_at"]
    list_filter = ["stage", "deal_type", "owner__team"]
    search_fields = ["title", "client__name", "owner__username"]
    list_select_related = ["client", "owner", "stage"]
    raw_id_fields = ["client", "owner", "renewal_of"]
    readonly_fields = [
        "stage",
        "closed_at",
        "lost_reason",
        "lost_comment",
        "stage_changed_at",
        # The forecast changes through its services (owner's choice, a manager's override
        # with a note), which record who and when.
        "forecast_category",
        "forecast_category_set",
        "forecast_override",
        "forecast_override_note",
        "forecast_override_by",
        "forecast_override_at",
        "created_at",
        "updated_at",
    ]
    inlines = [FactInline, StageChangeInline]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False  # a deal starts with its first StageChange: create it through the app


@admin.register(Fact)
class FactAdmin(admin.ModelAdmin):
    list_display = ["deal", "kind", "happened_on", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["text", "deal__title"]
    raw_id_fields = ["deal", "activity", "recorded_by"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["deal", "verdict", "reviewer", "reviewed_at"]
    list_filter = ["verdict"]
    search_fields = ["comment", "deal__title"]
    raw_id_fields = ["deal", "reviewer"]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    """The history conversion rates are computed from: read-only."""

    list_display = ["deal", "from_stage", "to_stage", "changed_by", "changed_at"]
    list_filter = ["to_stage"]
    list_select_related = ["deal", "from_stage", "to_stage", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    """The product catalogue (the head keeps it on the products page too)."""

    list_display = ["code", "name", "unit", "list_price", "tax_rate", "max_discount_percent", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    ordering = ["name", "pk"]


class QuoteLineInline(admin.TabularInline):
    model = QuoteLine
    extra = 0
    fields = [
        "position",
        "code",
        "name",
        "quantity",
        "unit_price",
        "discount_percent",
        "tax_rate",
        "net",
        "gross",
    ]
    readonly_fields = fields
    can_delete = False


@admin.register(Quote)
class QuoteAdmin(SimpleHistoryAdmin):
    """Proposals are read here: they are issued, sent and decided through the services."""

    list_display = ["number", "version", "client_name", "status", "language", "valid_until", "gross"]
    list_filter = ["status", "language"]
    search_fields = ["number", "client_name"]
    inlines = [QuoteLineInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(DealLine)
class DealLineAdmin(SimpleHistoryAdmin):
    """Deal lines and their history are read here: they change through the services (the
    deal page and the API), which keep the deal's amount equal to its lines' net total."""

    list_display = [
        "deal",
        "name",
        "quantity",
        "unit_price",
        "discount_percent",
        "net",
        "approval",
        "approved_by",
    ]
    list_filter = ["approval"]
    search_fields = ["name", "deal__title"]
    list_select_related = ["deal", "approved_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
