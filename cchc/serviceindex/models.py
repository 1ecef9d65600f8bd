"""The Decision 766/QĐ-TTg service index as versioned data (Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng
phục vụ người dân, doanh nghiệp): an `IndexVersion` holds its components, each with its points, formula kind,
threshold and rules (DOMAIN.md §6). The weights are not a legal text but the national portal's published rules,
so they are rows, loaded by a data migration, and a new version can be added without a release.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Group(models.TextChoices):
    """The national portal's 6 groups (DOMAIN.md §6), in the portal's order."""

    TRANSPARENCY = "transparency", _("Công khai, minh bạch")
    PROGRESS = "progress", _("Tiến độ giải quyết")
    ONLINE_SERVICE = "online_service", _("Dịch vụ trực tuyến")
    ONLINE_PAYMENT = "online_payment", _("Thanh toán trực tuyến")
    DIGITISATION = "digitisation", _("Mức độ số hóa hồ sơ")
    SATISFACTION = "satisfaction", _("Mức độ hài lòng")


class FormulaKind(models.TextChoices):
    """The closed set of formulas (cchc.serviceindex.formulas); never an expression evaluated at run time."""

    LINEAR = "linear", _("Tuyến tính: điểm tối đa × r")
    CAPPED_THRESHOLD = "capped_threshold", _("Đạt ngưỡng thì đủ điểm: min(tối đa, tối đa × r / ngưỡng)")
    PAYMENT_ABC = "payment_abc", _("Thanh toán trực tuyến: a·A + min(b_cap, b·B) + c·C")


class IndexVersion(models.Model):
    """A version of the index's rules (phiên bản bộ chỉ số), valid from a date until the next one."""

    code = models.CharField(_("mã phiên bản"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    valid_from = models.DateField(_("áp dụng từ"))
    source = models.TextField(_("nguồn"))

    class Meta:
        verbose_name = _("phiên bản Chỉ số 766")
        verbose_name_plural = _("phiên bản Chỉ số 766")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.name


class IndexComponent(models.Model):
    """One component (tiêu chí thành phần) with its points and rules.

    `input_key` names the rate computed from the platform's data (cchc.serviceindex.inputs); a key the
    platform has no data for scores "no data" (0 points, or the maximum where the component does not apply).
    """

    version = models.ForeignKey(IndexVersion, on_delete=models.CASCADE, related_name="components")
    code = models.CharField(_("mã"), max_length=8)  # e.g. "1.1", the portal's numbering
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    group = models.CharField(_("nhóm"), max_length=16, choices=Group.choices)
    name = models.CharField(_("tiêu chí"), max_length=255)
    input_key = models.CharField(_("dữ liệu đầu vào"), max_length=40)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=5, decimal_places=2)
    kind = models.CharField(_("công thức"), max_length=20, choices=FormulaKind.choices)
    # The rate at which the component reaches its maximum (capped_threshold): 0.9 or 0.8.
    threshold = models.DecimalField(_("ngưỡng"), max_digits=4, decimal_places=3, null=True, blank=True)
    # Coefficients of payment_abc: {"a": "6", "b": "2.5", "b_cap": "2", "c": "2.5"}.
    params = models.JSONField(_("hệ số"), default=dict, blank=True)
    # Feedback rows: no feedback in the period gives the maximum (DOMAIN.md §6); others give 0.
    full_when_no_data = models.BooleanField(_("đủ điểm khi không phát sinh"), default=False)
    # At commune level the component does not apply and scores its maximum (DOMAIN.md §6).
    province_only = models.BooleanField(_("chỉ áp dụng cấp tỉnh"), default=False)
    source = models.CharField(_("nguồn"), max_length=255)
    verify = models.BooleanField(_("cần kiểm tra lại"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("tiêu chí Chỉ số 766")
        verbose_name_plural = _("tiêu chí Chỉ số 766")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="serviceindex_component_code"),
            models.CheckConstraint(
                condition=Q(kind="capped_threshold", threshold__gt=0, threshold__lte=1)
                | ~Q(kind="capped_threshold"),
                name="serviceindex_threshold_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.kind == FormulaKind.PAYMENT_ABC:
            missing = {"a", "b", "b_cap", "c"} - set(self.params)
            if missing:
                raise ValidationError(_("Thiếu hệ số: %(names)s.") % {"names": ", ".join(sorted(missing))})
            for value in self.params.values():
                Decimal(str(value))


def version_on(day: dt.date) -> IndexVersion:
    """The version in force on `day` (the latest that started on or before it; the oldest before any)."""
    version = IndexVersion.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if version is None:
        version = IndexVersion.objects.order_by("valid_from").first()
    if version is None:
        raise IndexVersion.DoesNotExist("Chưa có phiên bản Chỉ số 766.")
    return version
