"""The notification outbox (hộp thư đi): messages written in the same transaction as the change they report,
and sent afterwards by a worker with retries, so that no notice is lost and none is sent for a rolled-back change.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không thành công")


class Notification(models.Model):
    """One message to one recipient through one channel."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    channel = models.CharField(_("kênh"), max_length=8, choices=NotificationChannel.choices)
    recipient = models.CharField(_("người nhận"), max_length=255)
    template = models.CharField(_("mẫu"), max_length=60)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"))
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("lần gửi tiếp theo"))  # indexed with status (notification_due)
    # Compare-and-set claim: a worker takes a message by changing (status, claim) in one UPDATE.
    claim = models.CharField(max_length=40, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}"
