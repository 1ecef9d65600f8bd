"""The PAR Index's criteria sets (bộ tiêu chí xác định Chỉ số cải cách hành chính; DOMAIN.md §7).

A set is data, versioned by year and by audience (the province, departments, communes): a tree of areas
(lĩnh vực) → criteria (tiêu chí) → component criteria (tiêu chí thành phần). Each node has its maximum points;
each leaf its scoring method, guidance and the evidence it asks for. Nothing about a set is hard-coded: the
provincial set follows Decision 876/QĐ-BNV (8 areas, 37 criteria, 88 component criteria; 68 appraisal and 32
survey points), a province's own sets for its departments and communes follow its decision; points the source
does not confirm carry `verify`.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Who a set scores (đối tượng đánh giá)."""

    PROVINCE = "province", _("Tỉnh, thành phố (Bộ Nội vụ đánh giá)")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    COMMUNE = "commune", _("UBND xã, phường, đặc khu")


class Level(models.TextChoices):
    AREA = "area", _("Lĩnh vực")
    CRITERION = "criterion", _("Tiêu chí")
    COMPONENT = "component", _("Tiêu chí thành phần")


class Method(models.TextChoices):
    """How a leaf is scored (phương pháp chấm điểm)."""

    MANUAL = "manual", _("Tự chấm, thẩm định")
    EVIDENCE = "evidence", _("Chấm theo tài liệu kiểm chứng")
    AUTOMATIC = "automatic", _("Tự động từ dữ liệu của nền tảng")
    SURVEY = "survey", _("Điều tra xã hội học")
    DEDUCTION = "deduction", _("Điểm trừ")


class CriteriaSet(models.Model):
    """One year's criteria for one audience (bộ tiêu chí)."""

    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    audience = models.CharField(_("đối tượng"), max_length=16, choices=Audience.choices)
    name = models.CharField(_("tên bộ tiêu chí"), max_length=255)
    source = models.CharField(_("văn bản ban hành"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("bộ tiêu chí Chỉ số CCHC")
        verbose_name_plural = _("bộ tiêu chí Chỉ số CCHC")
        constraints = [models.UniqueConstraint(fields=["year", "audience"], name="criteriaset_year_audience")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Criterion(models.Model):
    """A node of the tree: an area, a criterion or a component criterion.

    `max_points` is what the node is worth; for a deduction (điểm trừ) it is the most it can take away, and it
    is not part of its parent's maximum. Only leaves are scored, by their `method`.
    """

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    code = models.CharField(_("mã"), max_length=20)
    position = models.PositiveIntegerField(_("thứ tự"))
    title = models.TextField(_("nội dung"))
    max_points = models.DecimalField(
        _("điểm tối đa"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    method = models.CharField(_("phương pháp chấm"), max_length=16, choices=Method.choices, blank=True)
    guidance = models.TextField(_("hướng dẫn chấm"), blank=True)
    evidence = models.TextField(_("tài liệu kiểm chứng"), blank=True)
    metric = models.CharField(_("chỉ số tự động"), max_length=40, blank=True)
    # How an automatic leaf's rate becomes points (cchc.parindex.rules): empty is proportional.
    rule = models.CharField(_("quy tắc tính điểm"), max_length=255, blank=True)
    verify = models.BooleanField(_("cần đối chiếu văn bản"), default=False)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "position"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_set_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
