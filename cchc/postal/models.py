"""A shipment of a result by public post (bưu gửi), and its lifecycle."""

from __future__ import annotations

from typing import Final

from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.models import Delivery, Dossier


class ShipmentState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi bưu điện")
    SENT = "sent", _("Đã giao bưu điện, đang chuyển phát")
    DELIVERED = "delivered", _("Đã phát cho người nhận")
    RETURNED = "returned", _("Bưu điện hoàn lại")


# The one transition table of a shipment: which state each reported step may lead to.
SHIPMENT_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    ShipmentState.PENDING: frozenset({ShipmentState.SENT}),
    ShipmentState.SENT: frozenset({ShipmentState.DELIVERED, ShipmentState.RETURNED}),
    ShipmentState.DELIVERED: frozenset(),
    ShipmentState.RETURNED: frozenset(),
}


class Shipment(models.Model):
    """The result of one dossier on its way by post: the outbox row first, then what the service reports."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="shipment")
    delivery = models.OneToOneField(Delivery, on_delete=models.PROTECT, related_name="shipment")
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=ShipmentState.choices, default=ShipmentState.PENDING
    )
    receiver_name = models.CharField(_("người nhận"), max_length=255)
    receiver_phone = models.CharField(_("số điện thoại người nhận"), max_length=20, blank=True)
    address = models.CharField(_("địa chỉ nhận"), max_length=500)
    tracking_number = models.CharField(_("số hiệu bưu gửi"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    sent_at = models.DateTimeField(_("thời điểm giao bưu điện"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("thời điểm phát"), null=True, blank=True)
    proof = models.CharField(_("bằng chứng phát"), max_length=255, blank=True)
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    next_try_at = models.DateTimeField(_("thử lại lúc"), null=True, blank=True)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)
    checked_at = models.DateTimeField(_("tra cứu lần cuối"), null=True, blank=True)

    class Meta:
        verbose_name = _("bưu gửi kết quả")
        verbose_name_plural = _("bưu gửi kết quả")
        constraints = [
            models.UniqueConstraint(
                fields=["tracking_number"],
                condition=~models.Q(tracking_number=""),
                name="shipment_tracking_unique",
            ),
        ]
        indexes = [models.Index(fields=["state", "next_try_at"], name="shipment_due")]

    def __str__(self) -> str:
        return self.tracking_number or f"#{self.pk}"
