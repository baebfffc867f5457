"""Admin for inspecting plans and receivables. Amounts are changed in the app, where the
services keep splits exact and payments within what is owed; here they are read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from targets.models import ActivityNorm, Allocation, Installment, OverdueReason, Payment, Plan


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["year", "metric", "amount", "month_method", "team_method", "rep_method", "decomposed_at"]
    list_filter = ["metric", "year"]


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ["plan", "month", "team", "rep", "amount", "updated_at"]
    list_filter = ["plan", "month", "team"]
    list_select_related = ["plan", "team", "rep"]
    search_fields = ["rep__username", "rep__last_name", "team__name"]


@admin.register(ActivityNorm)
class ActivityNormAdmin(admin.ModelAdmin):
    list_display = ["role", "user", "calls_per_day", "meetings_per_week", "updated_at"]
    list_filter = ["role"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    fields = ["paid_on", "amount", "is_overpayment", "recorded_by", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Installment)
class InstallmentAdmin(ReadOnlyAdmin):
    list_display = ["deal", "due_date", "amount", "updated_at"]
    date_hierarchy = "due_date"
    list_select_related = ["deal"]
    search_fields = ["deal__title", "deal__client__name"]
    inlines = [PaymentInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["installment", "paid_on", "amount", "is_overpayment", "recorded_by"]
    list_filter = ["is_overpayment"]
    date_hierarchy = "paid_on"
    list_select_related = ["installment__deal", "recorded_by"]


@admin.register(OverdueReason)
class OverdueReasonAdmin(ReadOnlyAdmin):
    list_display = ["installment", "recorded_at", "promised_date", "recorded_by"]
    list_select_related = ["installment__deal", "recorded_by"]
    search_fields = ["reason"]
