from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from reports.models import (
    ActivityStat,
    BonusScheme,
    BonusTier,
    ConversionReport,
    CoverageReport,
    ForecastSnapshot,
    IncentiveReport,
    Notification,
    NotificationPreference,
    OverdueAlert,
    PlanFulfilment,
    RenewalReport,
    ReportRun,
)
from reports.services.incentives import tiers_clean


class ReportRowAdmin(admin.ModelAdmin):
    """Report rows are computed: readable here, never edited by hand."""

    list_display = ["period", "scope", "team", "rep", "as_of", "updated_at"]
    list_filter = ["scope", "period"]
    list_select_related = ["team", "rep"]
    search_fields = ["team__name", "rep__username", "rep__last_name"]
    date_hierarchy = "period"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


for model in (ConversionReport, RenewalReport, PlanFulfilment, CoverageReport):
    admin.site.register(model, ReportRowAdmin)


@admin.register(ActivityStat)
class ActivityStatAdmin(ReportRowAdmin):
    list_display = ["period_kind", "period", "scope", "team", "rep", "calls", "calls_norm", "below_norm"]
    list_filter = ["period_kind", "scope", "below_norm"]


@admin.register(OverdueAlert)
class OverdueAlertAdmin(admin.ModelAdmin):
    list_display = ["installment", "status", "level", "days_overdue", "bucket", "outstanding", "checked_on"]
    list_filter = ["status", "level", "bucket"]
    list_select_related = ["installment__deal"]
    search_fields = ["installment__deal__title", "client__name"]
    raw_id_fields = ["installment", "acknowledged_by"]
    readonly_fields = [field.name for field in OverdueAlert._meta.fields if field.name != "id"]

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "alert", "level", "created_at", "read_at", "emailed_at", "email_pending"]
    list_filter = ["level", "email_pending"]
    list_select_related = ["recipient", "alert__installment__deal"]
    raw_id_fields = ["recipient", "alert"]

    def has_add_permission(self, request):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "email_enabled"]
    list_filter = ["language", "email_enabled"]
    raw_id_fields = ["user"]


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    list_display = ["kind", "run_date", "status", "started_at", "finished_at", "rows_written", "triggered_by"]
    list_filter = ["kind", "status"]
    list_select_related = ["triggered_by"]
    readonly_fields = [field.name for field in ReportRun._meta.fields if field.name != "id"]

    def has_add_permission(self, request):
        return False


@admin.register(ForecastSnapshot)
class ForecastSnapshotAdmin(admin.ModelAdmin):
    """Written by the nightly run only: read here."""

    list_display = ["week", "deal", "owner", "category", "amount", "expected_close"]
    list_filter = ["week", "category"]
    list_select_related = ["deal", "owner"]
    raw_id_fields = ["deal", "owner", "team", "stage"]
    readonly_fields = [field.name for field in ForecastSnapshot._meta.fields if field.name != "id"]

    def has_add_permission(self, request):
        return False


# --- incentives -------------------------------------------------------------------------------


class BonusTierFormSet(BaseInlineFormSet):
    """The tiers checked together as the settings page checks them (ascending, rates 0–100)."""

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return  # each form shows its own error first
        kept = [
            (form.cleaned_data["threshold_pct"], form.cleaned_data["rate_pct"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("threshold_pct") is not None
            and form.cleaned_data.get("rate_pct") is not None
        ]
        try:
            tiers_clean(sorted(kept))
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class BonusTierInline(admin.TabularInline):
    model = BonusTier
    formset = BonusTierFormSet
    extra = 2


@admin.register(BonusScheme)
class BonusSchemeAdmin(admin.ModelAdmin):
    list_display = ["role", "basis", "active", "updated_by", "updated_at"]
    inlines = [BonusTierInline]
    readonly_fields = ["updated_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(IncentiveReport)
class IncentiveReportAdmin(ReportRowAdmin):
    list_display = [
        "period",
        "rep",
        "role",
        "basis",
        "basis_amount",
        "plan",
        "fulfilment_pct",
        "rate_pct",
        "bonus",
    ]
    list_filter = ["period", "role", "basis"]
