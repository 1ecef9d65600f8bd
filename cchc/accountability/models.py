"""What units answer for (trách nhiệm giải trình; DOMAIN.md §8): the head's yearly commitment (cam kết) and its
items, some of them targets read from the platform's live figures.

A commitment is drafted (items added) by the unit's leader or administrator or by Home Affairs, then signed by
the unit's head (lãnh đạo); a signed commitment no longer changes. A target item names a metric of
`cchc.parindex.metrics` (the same readings as the PAR Index's automatic criteria), a comparison and a target in
percent; it is met when the year's reading meets the target. Any other item is judged by Home Affairs on the
unit's evidence.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.blobs import StoredFileRecord


class Commitment(models.Model):
    """A unit head's commitment for a year (bản cam kết thực hiện nhiệm vụ cải cách hành chính)."""

    year = models.PositiveSmallIntegerField(_("năm"))
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người ký"),
    )  # fmt: skip
    signed_at = models.DateTimeField(_("thời điểm ký"), null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("cam kết")
        verbose_name_plural = _("cam kết")
        constraints = [models.UniqueConstraint(fields=["year", "unit"], name="commitment_year_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"


class Comparison(models.TextChoices):
    AT_LEAST = "gte", "≥"
    AT_MOST = "lte", "≤"


class CommitmentItem(models.Model):
    """One item (nội dung cam kết): a target on a metric (`metric`, `comparison`, `target` in percent) or a
    duty judged by Home Affairs (`judged_met`, with its note, who and when)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("số thứ tự"), max_length=20)
    text = models.TextField(_("nội dung cam kết"))
    metric = models.CharField(_("chỉ số đo tự động"), max_length=60, blank=True)
    comparison = models.CharField(
        _("so sánh"), max_length=3, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    target = models.DecimalField(_("chỉ tiêu (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    judged_met = models.BooleanField(_("đạt"), null=True, blank=True)
    judged_note = models.TextField(_("nhận xét"), blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    judged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nội dung cam kết")
        verbose_name_plural = _("nội dung cam kết")
        ordering = ["commitment", "code"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "code"], name="commitment_item_code"),
            # A target item has its metric and its target; a judged item has neither.
            models.CheckConstraint(
                condition=(models.Q(metric="") & models.Q(target__isnull=True))
                | (~models.Q(metric="") & models.Q(target__isnull=False)),
                name="commitment_item_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class CommitmentEvidence(StoredFileRecord):
    """A file the unit offers to show an item is kept (tài liệu kiểm chứng), stored once by its SHA-256."""

    item = models.ForeignKey(CommitmentItem, on_delete=models.CASCADE, related_name="evidence_files")

    class Meta:
        verbose_name = _("tài liệu kiểm chứng cam kết")
        verbose_name_plural = _("tài liệu kiểm chứng cam kết")
