"""Payments in the admin: read-only. Every change goes through cchc.payments.services."""

from __future__ import annotations

from django.contrib import admin

from cchc.dossiers.admin import ReadOnlyAdmin
from cchc.payments.models import Payment, PaymentCallback


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = (
        "order_ref",
        "dossier",
        "amount_vnd",
        "status",
        "created_at",
        "confirmed_at",
        "receipt_number",
    )
    list_filter = ("status", "gateway")
    search_fields = ("order_ref", "receipt_number", "gateway_transaction_no")
    exclude = ("client_ip", "redirect_url")


@admin.register(PaymentCallback)
class PaymentCallbackAdmin(ReadOnlyAdmin):
    list_display = (
        "received_at",
        "kind",
        "order_ref",
        "signature_valid",
        "gateway_success",
        "verdict",
        "answer_code",
    )
    list_filter = ("kind", "verdict", "signature_valid")
    search_fields = ("order_ref",)
