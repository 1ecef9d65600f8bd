"""Simplification reviews (rà soát, đơn giản hóa thủ tục hành chính), DOMAIN.md §2.

The compliance cost uses the standard-cost method of Circular 07/2014/TT-BTP (verify); the formula is in
`cchc.catalog.costing`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
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

    def check_cuts(self, cuts: Iterable[ReviewCut]) -> None:
        """Raise ValidationError unless the review is a draft and `cuts` together save no more than the baseline."""
        if self.status != ReviewStatus.DRAFT:
            raise ValidationError(
                _("Chỉ được sửa phương án cắt giảm khi rà soát còn là dự thảo."), code="review_not_draft"
            )
        cuts = list(cuts)
        if any(c.hours_saved < 0 or c.fees_saved_vnd < 0 or c.other_costs_saved_vnd < 0 for c in cuts):
            raise ValidationError(_("Mức tiết kiệm không được âm."), code="negative_saving")
        if sum((c.hours_saved for c in cuts), Decimal(0)) > self.hours_per_dossier:
            raise ValidationError(
                _("Tổng số giờ tiết kiệm vượt quá số giờ thực hiện ban đầu."), code="too_many_hours"
            )
        if sum(c.fees_saved_vnd for c in cuts) > self.fees_vnd:
            raise ValidationError(_("Tổng phí, lệ phí giảm vượt quá mức phí ban đầu."), code="too_much_fee")
        if sum(c.other_costs_saved_vnd for c in cuts) > self.other_costs_vnd:
            raise ValidationError(_("Tổng chi phí khác giảm vượt quá mức ban đầu."), code="too_much_cost")


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

    def clean(self) -> None:
        """The review's limits, with this cut and the review's other stored cuts (see `check_cuts`)."""
        review: SimplificationReview | None = getattr(self, "review", None)
        if review is None or None in (self.hours_saved, self.fees_saved_vnd, self.other_costs_saved_vnd):
            return  # the field errors are reported on their own
        others = ReviewCut.objects.filter(review_id=review.pk).exclude(pk=self.pk) if review.pk else []
        review.check_cuts([*others, self])
