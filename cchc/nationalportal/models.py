"""The outbox to the national portal (hàng đợi đồng bộ), the dossiers received from it, and the catalog pulls."""

from __future__ import annotations

from typing import Final

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.models import Dossier
from cchc.orgs.models import Unit


class MessageKind(models.TextChoices):
    STATUS = "status", _("Trạng thái hồ sơ")
    RESULT = "result", _("Kết quả điện tử vào Kho dữ liệu của công dân")


class MessageState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    DELIVERED = "delivered", _("Cổng đã nhận")
    FAILED = "failed", _("Lỗi, cần gửi lại")


# The one transition table of a message: sent and accepted; refused (or tried too often) and so failed; a
# failed message is put back in the queue only by a person (message_resend).
MESSAGE_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    MessageState.PENDING: frozenset({MessageState.DELIVERED, MessageState.FAILED}),
    MessageState.FAILED: frozenset({MessageState.PENDING}),
    MessageState.DELIVERED: frozenset(),
}


class Message(models.Model):
    """One message for the national portal, written in the transaction of the change it reports.

    The payload is kept as it was when the change happened: a later change is a later message. Messages of one
    dossier are delivered in the order they were written (`pk`).
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    # The dossier's competent unit, whose 766 index counts the sync, and whose staff see the message.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại"), max_length=8, choices=MessageKind.choices, default=MessageKind.STATUS)
    seq = models.PositiveIntegerField(_("số thứ tự sự kiện"))  # DossierEvent.seq it reports
    national_status = models.CharField(_("trạng thái quốc gia"), max_length=12)
    payload = models.JSONField(_("nội dung"))
    state = models.CharField(
        _("trạng thái gửi"), max_length=10, choices=MessageState.choices, default=MessageState.PENDING
    )
    created_at = models.DateTimeField(_("thời điểm phát sinh"))
    delivered_at = models.DateTimeField(_("thời điểm cổng nhận"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    next_try_at = models.DateTimeField(_("thử lại lúc"), null=True, blank=True)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)
    resent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resent_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông điệp đồng bộ Cổng DVCQG")
        verbose_name_plural = _("thông điệp đồng bộ Cổng DVCQG")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "kind", "seq"], name="portal_message_unique"),
        ]
        indexes = [
            models.Index(fields=["state", "next_try_at"], name="portal_message_due"),
            models.Index(fields=["dossier", "state"], name="portal_message_dossier"),
            models.Index(fields=["unit", "state", "created_at"], name="portal_message_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.payload.get('dossier_code', self.dossier_id)}#{self.seq} {self.national_status}"


class FilingState(models.TextChoices):
    ACCEPTED = "accepted", _("Đã nhận thành hồ sơ")
    REJECTED = "rejected", _("Không nhận được")


class InboundFiling(models.Model):
    """A dossier filed on the national portal (hồ sơ nộp trên Cổng DVCQG), as received; files are not kept here."""

    national_id = models.CharField(_("mã hồ sơ trên Cổng DVCQG"), max_length=60, unique=True)
    state = models.CharField(_("kết quả"), max_length=10, choices=FilingState.choices)
    dossier = models.OneToOneField(
        Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="national_filing"
    )
    reason = models.CharField(_("lý do không nhận"), max_length=500, blank=True)
    received_at = models.DateTimeField(_("thời điểm nhận"))
    acknowledged = models.BooleanField(_("đã báo lại Cổng"), default=False)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("hồ sơ nhận từ Cổng DVCQG")
        verbose_name_plural = _("hồ sơ nhận từ Cổng DVCQG")

    def __str__(self) -> str:
        return self.national_id


class CatalogPull(models.Model):
    """One pull of procedure updates from the national catalog; the last good one holds the cursor."""

    at = models.DateTimeField(_("thời điểm"))
    since = models.CharField(_("từ mốc"), max_length=100, blank=True)
    cursor = models.CharField(_("mốc mới"), max_length=100, blank=True)
    ok = models.BooleanField(_("thành công"))
    summary = models.CharField(_("kết quả"), max_length=1000)

    class Meta:
        verbose_name = _("lần cập nhật danh mục từ Cổng DVCQG")
        verbose_name_plural = _("các lần cập nhật danh mục từ Cổng DVCQG")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.summary[:40]}"
