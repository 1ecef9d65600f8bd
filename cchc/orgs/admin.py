"""Admin for units, counters and staff roles. Administrative units are read-only: they come from the package."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from cchc.orgs.models import AdministrativeUnit, Counter, Membership, StaffIdentity, Unit, UnitSuccession


class _ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows loaded by `manage.py load_units`; edits would be overwritten at the next load."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(_ReadOnlyAdmin):
    list_display = [
        "name",
        "code",
        "division_type",
        "level",
        "generation",
        "province_code",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["generation", "level", "division_type"]
    search_fields = ["name", "name_folded", "=code"]
    list_select_related = ["parent"]
    show_full_result_count = False


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(_ReadOnlyAdmin):
    list_display = ["old", "new", "partly"]
    list_filter = ["partly", "old__level"]
    search_fields = [
        "old__name",
        "old__name_folded",
        "=old__code",
        "new__name",
        "new__name_folded",
        "=new__code",
    ]
    list_select_related = ["old", "new"]
    show_full_result_count = False


class CounterInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Counter
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "kind", "identifier", "area", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "identifier"]
    autocomplete_fields = ["area", "parent"]
    list_select_related = ["area", "parent"]
    inlines = [CounterInline]


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "number", "unit", "fields_served", "active"]
    list_filter = ["active", "unit__kind"]
    search_fields = ["name", "unit__name", "fields_served"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "role", "unit", "valid_from", "valid_to"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit", "counter"]
    list_select_related = ["user", "unit"]


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    autocomplete_fields = ["unit", "counter"]


class StaffIdentityInline(admin.StackedInline):  # type: ignore[type-arg]
    """The officer's identification number, for sign-in through the identity provider (cchc.orgs.oidc)."""

    model = StaffIdentity
    extra = 0
    max_num = 1
    fields = ["id_number", "issuer", "subject", "verified_at"]
    readonly_fields = ["issuer", "subject", "verified_at"]


# The user page also lists the staff member's roles, so an administrator grants them in one place.
_User = get_user_model()
if admin.site.is_registered(_User):
    _base_user_admin = type(admin.site._registry[_User])
    admin.site.unregister(_User)
else:
    _base_user_admin = UserAdmin


@admin.register(_User)
class StaffUserAdmin(_base_user_admin):  # type: ignore[valid-type,misc]
    inlines = [*getattr(_base_user_admin, "inlines", []), MembershipInline, StaffIdentityInline]
