"""Simplification reviews (rà soát, đơn giản hóa thủ tục hành chính), DOMAIN.md §2.

The compliance cost uses the standard-cost method of Circular 07/2014/TT-BTP (verify); the formula is in
`cchc.catalog.costing`.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.catalog.models.choices import CutKind, ReviewStatus
from cchc.catalog.models.procedures import ProcedureVersion


class SimplificationReview(models.Model):
    """A review of one procedure version, with the baseline of the standard-cost computation."""

    version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("phiên bản thủ tục"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    yearly_dossiers = models.PositiveIntegerField(_("số hồ sơ mỗi năm"), default=0)
    wage_rate_vnd = models.PositiveIntegerField(_("chi phí tiền lương mỗi giờ (đồng)"), default=0)
    hours_per_dossier = models.DecimalField(
        _("số giờ thực hiện mỗi hồ sơ"), max_digits=8, decimal_places=2, default=Decimal(0)
    )
    fees_vnd = models.PositiveBigIntegerField(_("phí, lệ phí mỗi hồ sơ (đồng)"), default=0)
    other_costs_vnd = models.PositiveBigIntegerField(_("chi phí trực tiếp khác mỗi hồ sơ (đồng)"), default=0)
    reviewer_notes = models.TextField(_("ý kiến người rà soát"), blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("ngày trình"), null=True, blank=True)
    approved_at = models.DateTimeField(_("ngày phê duyệt"), null=True, blank=True)

    class Meta:
        verbose_name = _("rà soát, đơn giản hóa thủ tục")
        verbose_name_plural = _("rà soát, đơn giản hóa thủ tục")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.version.procedure.code} ({self.get_status_display()})"


class ReviewCut(models.Model):
    """A proposed cut (phương án đơn giản hóa): what changes, and how much time and money it saves per dossier."""

    review = models.ForeignKey(
        SimplificationReview, on_delete=models.CASCADE, related_name="cuts", verbose_name=_("rà soát")
    )
    kind = models.CharField(_("loại cắt giảm"), max_length=16, choices=CutKind.choices)
    description = models.TextField(_("nội dung"))
    value_before = models.CharField(_("trước khi cắt giảm"), max_length=255, blank=True)
    value_after = models.CharField(_("sau khi cắt giảm"), max_length=255, blank=True)
    hours_saved = models.DecimalField(
        _("số giờ tiết kiệm mỗi hồ sơ"), max_digits=8, decimal_places=2, default=Decimal(0)
    )
    fees_saved_vnd = models.PositiveBigIntegerField(_("phí, lệ phí giảm mỗi hồ sơ (đồng)"), default=0)
    other_costs_saved_vnd = models.PositiveBigIntegerField(_("chi phí khác giảm mỗi hồ sơ (đồng)"), default=0)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("phương án cắt giảm")
        verbose_name_plural = _("phương án cắt giảm")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"
