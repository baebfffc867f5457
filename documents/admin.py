"""Documents are read in the admin; every change goes through the services (pages and API),
which check the rules, the file types and keep the history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from documents.models import Attachment, ClientRequest, Contract


class ReadOnlyAdmin:
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["name", "content_type", "size", "client", "deal", "contract", "uploaded_by", "created_at"]
    search_fields = ["name"]
    list_select_related = ["client", "deal", "contract", "uploaded_by"]


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["number", "deal", "status", "version", "amount", "date", "reviewed_by"]
    list_filter = ["status"]
    search_fields = ["number", "deal__title", "deal__client__name"]
    list_select_related = ["deal", "reviewed_by"]


@admin.register(ClientRequest)
class ClientRequestAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["pk", "kind", "client", "owner", "status", "priority", "due_by", "satisfaction"]
    list_filter = ["kind", "status", "priority"]
    search_fields = ["description", "client__name"]
    list_select_related = ["client", "owner"]
