from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, Territory, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "team", "territory", "is_active"]
    list_filter = ["role", "team", "territory", "is_active", "is_staff"]
    list_select_related = ["team", "territory"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Sales department"), {"fields": ("role", "team", "territory", "phone")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (_("Sales department"), {"fields": ("role", "team", "territory")}),
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "lead"]
    list_select_related = ["lead"]
    search_fields = ["name"]


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
