from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.handover import book_of, parts
from accounts.models import ApiToken, HandOver, Team, Territory, User
from accounts.services import api_token_revoke, api_tokens_revoke_for_user


class StaffChangeForm(UserChangeForm):
    def clean(self):
        """Deactivating someone whose book still holds work asks for the hand-over first."""
        cleaned = super().clean()
        if self.instance.pk and self.instance.is_active and cleaned.get("is_active") is False:
            book = book_of(self.instance)
            if not book.is_empty:
                summary = ", ".join(f"{part.label} {book.totals.get(part.key, 0)}" for part in parts())
                raise ValidationError(
                    format_html(
                        '{} {} <a href="{}">{}</a>',
                        _("Their book still holds work (%(summary)s).") % {"summary": summary},
                        _("Hand it over first:"),
                        reverse("accounts:hand_over", args=[self.instance.pk]),
                        _("Hand over"),
                    )
                )
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = StaffChangeForm
    list_display = ["username", "full_name", "role", "team", "territory", "is_active"]
    list_filter = ["role", "team", "territory", "is_active", "is_staff"]
    list_select_related = ["team", "territory"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Sales department"), {"fields": ("role", "team", "territory", "phone")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (_("Sales department"), {"fields": ("role", "team", "territory")}),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # Deactivated here rather than through user_deactivate(): the admin saves the
            # form itself, so the tokens are revoked as that service would.
            api_tokens_revoke_for_user(user=obj)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "lead"]
    list_select_related = ["lead"]
    search_fields = ["name"]


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owners; here they can only be seen and revoked."""

    list_display = ["name", "user", "key_prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "key_prefix"]
    fields = list_display
    readonly_fields = list_display
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token)


@admin.register(HandOver)
class HandOverAdmin(admin.ModelAdmin):
    """Hand-overs are recorded by the service; here they are only read."""

    list_display = ["created_at", "giver", "by"]
    list_select_related = ["giver", "by"]
    fields = ["created_at", "by", "giver", "receivers", "counts", "clients"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
