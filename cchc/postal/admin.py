from django.contrib import admin

from cchc.postal.models import Shipment


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin[Shipment]):
    """Shipments with their failures in sight (a visible outbox)."""

    list_display = (
        "dossier",
        "tracking_number",
        "state",
        "attempts",
        "last_error",
        "sent_at",
        "delivered_at",
    )
    list_filter = ("state",)
    search_fields = ("dossier__code", "tracking_number")
    readonly_fields = [f.name for f in Shipment._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
