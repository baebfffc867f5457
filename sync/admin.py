from django.contrib import admin

from sync.models import Tombstone


@admin.register(Tombstone)
class TombstoneAdmin(admin.ModelAdmin):
    list_display = ["model", "object_id", "deleted_at", "merged_into", "owner"]
    list_filter = ["model"]
    readonly_fields = ["model", "object_id", "deleted_at", "merged_into", "owner"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
