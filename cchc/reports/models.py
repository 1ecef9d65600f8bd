"""Periodic reports on administrative reform (báo cáo định kỳ công tác cải cách hành chính; DOMAIN.md §8).

A unit (department or commune committee) writes one report per kind and year; the province's report is the
province committee's, drafted by Home Affairs from the units' submitted reports. While a draft, its figures are
read live from the platform (`cchc.reports.figures`); the unit types only the narrative and the few figures the
platform does not hold. Submission freezes every figure as it was (`figures`), so a later correction of data
changes no submitted report.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.reports.periods import ReportKind


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")


class Report(models.Model):
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("kỳ báo cáo"), max_length=8, choices=ReportKind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    # {section code: text} - what people write.
    narrative = models.JSONField(_("nội dung"), default=dict, blank=True)
    # {figure key: whole number} - the figures the platform does not hold, typed by the unit.
    manual = models.JSONField(_("số liệu nhập tay"), default=dict, blank=True)
    # {figure key: number as text or null} - every figure, frozen at submission.
    figures = models.JSONField(_("số liệu khi gửi"), default=dict, blank=True)
    # The province's report: the unit reports it sums (frozen at submission).
    included = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+")
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("thời điểm sửa"), auto_now=True)
    submitted_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")
        constraints = [models.UniqueConstraint(fields=["unit", "year", "kind"], name="report_unit_year_kind")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.year}"


class NoticeStep(models.TextChoices):
    REMINDED = "reminded", _("Nhắc hạn gửi báo cáo")
    OVERDUE = "overdue", _("Báo Sở Nội vụ đơn vị chưa gửi báo cáo")


class ReportNotice(models.Model):
    """That a unit was reminded of a report's due date, or reported to Home Affairs as missing it, once
    (cchc.reports.reminders)."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=ReportKind.choices)
    step = models.CharField(max_length=10, choices=NoticeStep.choices)
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("thông báo hạn báo cáo")
        verbose_name_plural = _("thông báo hạn báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "kind", "step"], name="reportnotice_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.year} {self.step}"
