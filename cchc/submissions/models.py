"""Online submission drafts (hồ sơ nháp): what a citizen has filled in so far, saved at every step.

A draft belongs to one citizen account and resumes on any device after login. Uploaded files are stored once
under their SHA-256 (cchc.core.blobs); a draft points to them. Submitting makes exactly one dossier: the draft's
key is the dossier's idempotency key, so a double click or a retried request finds the same dossier.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.models import DeliveryMethod


class Draft(models.Model):
    key = models.UUIDField(_("mã hồ sơ nháp"), default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts", verbose_name=_("công dân")
    )
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("thủ tục")
    )
    competent_unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan giải quyết"),
    )
    # The applicant as entered (the fields of cchc.dossiers.services.PartyData).
    applicant = models.JSONField(_("người nộp"), default=dict, blank=True)
    return_method = models.CharField(
        _("hình thức nhận kết quả"), max_length=8, choices=DeliveryMethod.choices, blank=True
    )
    return_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="draft",
        verbose_name=_("hồ sơ đã nộp"),
    )

    class Meta:
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return str(self.key)

    @property
    def submitted(self) -> bool:
        return self.dossier_id is not None


class DraftFile(models.Model):
    """One uploaded file for one component of the procedure's checklist; a new upload replaces it."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey("catalog.Component", on_delete=models.PROTECT, related_name="+")
    blob_name = models.CharField(max_length=120)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    content_type = models.CharField(max_length=40)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now=True)

    class Meta:
        verbose_name = _("tệp hồ sơ nháp")
        verbose_name_plural = _("tệp hồ sơ nháp")
        constraints = [
            models.UniqueConstraint(fields=["draft", "component"], name="draft_file_per_component")
        ]

    def __str__(self) -> str:
        return self.original_name
