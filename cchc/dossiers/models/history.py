"""The dossier history (nhật ký hồ sơ): append-only events in a hash chain, and the log of who read what."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HistoryIsAppendOnlyError(Exception):
    """An event was about to be changed or deleted."""


class DossierEventQuerySet(models.QuerySet["DossierEvent"]):
    """Bulk updates and deletes are refused too: the history is append-only."""

    def update(self, **kwargs: Any) -> int:
        raise HistoryIsAppendOnlyError("Nhật ký hồ sơ chỉ được ghi thêm, không được sửa.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise HistoryIsAppendOnlyError("Nhật ký hồ sơ không được xóa.")


class DossierEvent(models.Model):
    """One change of a dossier: who, when, what before and after, chained to the previous event by hash."""

    # Indexed by the (dossier, seq) constraint.
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="events", db_index=False
    )
    seq = models.PositiveIntegerField(_("số thứ tự"))
    action = models.CharField(_("thao tác"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"))
    state_before = models.CharField(_("trạng thái trước"), max_length=24, blank=True)
    state_after = models.CharField(_("trạng thái sau"), max_length=24)
    changes = models.JSONField(_("nội dung thay đổi"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = DossierEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("nhật ký hồ sơ")
        ordering = ["dossier_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="event_unique_seq")]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise HistoryIsAppendOnlyError("Nhật ký hồ sơ chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise HistoryIsAppendOnlyError("Nhật ký hồ sơ không được xóa.")


class PersonalDataAccess(models.Model):
    """Who opened a dossier's personal data, and when (Decree 13/2023/NĐ-CP)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("thời điểm"))
    purpose = models.CharField(_("mục đích"), max_length=60)

    class Meta:
        verbose_name = _("lượt xem dữ liệu cá nhân")
        verbose_name_plural = _("lượt xem dữ liệu cá nhân")
        indexes = [models.Index(fields=["dossier", "at"], name="access_dossier_at")]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%d/%m/%Y %H:%M}"
