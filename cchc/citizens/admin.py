"""Admin of citizen profiles: for support staff, with personal data masked in the list (Decree 13/2023/NĐ-CP).

Accounts are made by signing in, never here; one-time codes are not shown at all.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cchc.citizens.models import CitizenProfile
from cchc.core.masking import mask_id_number, mask_phone


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["full_name", "masked_id_number", "masked_phone", "identity_verified", "created_at"]
    list_filter = ["identity_verified", "phone_verified", "email_verified"]
    search_fields = ["full_name", "=id_number", "=phone", "=email"]
    readonly_fields = ["user", "oidc_issuer", "oidc_subject", "created_at", "updated_at"]
    raw_id_fields = ["area"]
    show_full_result_count = False

    @admin.display(description=_("số CCCD"))
    def masked_id_number(self, obj: CitizenProfile) -> str:
        return mask_id_number(obj.id_number)

    @admin.display(description=_("điện thoại"))
    def masked_phone(self, obj: CitizenProfile) -> str:
        return mask_phone(obj.phone)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
