"""The national portal sync in the admin: read-only (resending is on the staff page). A message's payload holds
the applicant's identification number for the portal; the admin shows it masked (Decree 13/2023/NĐ-CP)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin

from cchc.core.masking import mask_id_number
from cchc.dossiers.admin import ReadOnlyAdmin
from cchc.nationalportal.models import CatalogPull, InboundFiling, Message


def _masked(value: Any) -> Any:
    """`value` with every `id_number` in it masked, however deep."""
    if isinstance(value, dict):
        return {k: mask_id_number(v) if k == "id_number" else _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    """The outbox to the national portal, failures in sight."""

    list_display = (
        "dossier",
        "seq",
        "kind",
        "national_status",
        "state",
        "attempts",
        "last_error",
        "delivered_at",
    )
    list_filter = ("state", "kind", "national_status")
    search_fields = ("dossier__code",)
    exclude = ("payload",)
    readonly_fields = ("masked_payload",)

    @admin.display(description="Nội dung (số định danh đã che)")
    def masked_payload(self, message: Message) -> str:
        return json.dumps(_masked(message.payload), ensure_ascii=False, indent=1)


@admin.register(InboundFiling)
class InboundFilingAdmin(ReadOnlyAdmin):
    list_display = ("national_id", "state", "dossier", "reason", "received_at", "acknowledged")
    list_filter = ("state", "acknowledged")
    search_fields = ("national_id", "dossier__code")


@admin.register(CatalogPull)
class CatalogPullAdmin(ReadOnlyAdmin):
    list_display = ("at", "ok", "since", "cursor", "summary")
    list_filter = ("ok",)
