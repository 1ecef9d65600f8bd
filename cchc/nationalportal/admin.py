from django.contrib import admin

from cchc.nationalportal.models import CatalogPull, InboundFiling, Message


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(_ReadOnly):
    """The outbox to the national portal, failures in sight; resending is on the staff page."""

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


@admin.register(InboundFiling)
class InboundFilingAdmin(_ReadOnly):
    list_display = ("national_id", "state", "dossier", "reason", "received_at", "acknowledged")
    list_filter = ("state", "acknowledged")
    search_fields = ("national_id", "dossier__code")


@admin.register(CatalogPull)
class CatalogPullAdmin(_ReadOnly):
    list_display = ("at", "ok", "since", "cursor", "summary")
    list_filter = ("ok",)
