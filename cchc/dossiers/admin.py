"""Dossiers in the admin: read-only. Every change goes through the services, which write the history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cchc.core.masking import mask_id_number
from cchc.dossiers.models import DailySequence, Dossier, DossierEvent, Notification, Party


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PartyInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Party
    fields = ("role", "kind", "full_name", "masked_id_number", "phone")
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description="Số định danh")
    def masked_id_number(self, party: Party) -> str:
        return mask_id_number(party.id_number)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ("code", "state", "procedure_version", "competent_unit", "received_at", "appointment_at")
    list_filter = ("state", "channel")
    search_fields = ("code",)
    inlines = [PartyInline]
    exclude = ("idempotency_key",)


@admin.register(DossierEvent)
class DossierEventAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "seq", "action", "actor", "at", "state_before", "state_after")
    list_filter = ("action",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("channel", "recipient", "template", "status", "attempts", "next_attempt_at")
    list_filter = ("status", "channel")


@admin.register(DailySequence)
class DailySequenceAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "day", "last")
