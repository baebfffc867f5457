from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clients.models import Activity, Client, Contact, Industry, Task


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    """The head extends the list of industries here."""

    list_display = ["name"]
    search_fields = ["name"]


class ReadOnlyAdmin:
    """Clients, contacts and activities change in the app, where the services normalise tax
    ids, check owners and attribute history; the admin only shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ContactInline(ReadOnlyAdmin, admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "position", "phone", "email", "is_decision_maker"]


@admin.register(Client)
class ClientAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "tax_id",
        "status",
        "tier",
        "segment",
        "industry",
        "territory",
        "owner",
        "updated_at",
    ]
    list_filter = ["status", "tier", "segment", "source", "industry", "territory"]
    list_select_related = ["industry", "territory", "owner"]
    search_fields = ["name", "legal_name", "tax_id"]
    raw_id_fields = ["owner", "owner_assigned_by"]
    readonly_fields = ["normalized_name", "created_at", "updated_at"]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["name", "client", "position", "phone", "email", "is_decision_maker"]
    list_select_related = ["client"]
    search_fields = ["name", "phone", "email", "client__name"]
    raw_id_fields = ["client"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = [
        "occurred_at",
        "kind",
        "client",
        "owner",
    ]
    list_filter = ["kind", "direction"]
    list_select_related = ["client", "owner"]
    search_fields = ["client__name", "outcome"]
    raw_id_fields = ["client", "contact", "deal", "owner"]
    date_hierarchy = "occurred_at"


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["due_date", "due_time", "kind", "title", "client", "owner", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["client", "owner"]
    search_fields = ["client__name", "title"]
    raw_id_fields = ["client", "contact", "deal", "owner"]
    date_hierarchy = "due_date"
