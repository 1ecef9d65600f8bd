"""Reform plans (kế hoạch cải cách hành chính; DOMAIN.md §8): a yearly plan of the province or of a unit, its
content areas, and tasks with a lead unit, coordinating units, an output, a deadline, a budget, progress and
evidence.

The content areas are direction and management plus the 6 reform areas of Resolution 76/NQ-CP (institutions,
procedures, apparatus, civil service, public finance, e-government and digital government), as in the seeds'
plans (Plan 683/KH-UBND An Giang 2017, Plan 355/KH-UBND Tiền Giang 2018).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.blobs import StoredFileRecord


class Area(models.TextChoices):
    """The plan's content areas (nội dung)."""

    DIRECTION = "direction", _("Công tác chỉ đạo, điều hành")
    INSTITUTIONS = "institutions", _("Cải cách thể chế")
    PROCEDURES = "procedures", _("Cải cách thủ tục hành chính")
    APPARATUS = "apparatus", _("Cải cách tổ chức bộ máy")
    CIVIL_SERVICE = "civil_service", _("Cải cách chế độ công vụ")
    PUBLIC_FINANCE = "public_finance", _("Cải cách tài chính công")
    DIGITAL = "digital", _("Xây dựng, phát triển chính quyền điện tử, chính quyền số")


class Plan(models.Model):
    """A yearly plan (kế hoạch CCHC năm) of the province (`unit` is its committee) or of one unit.

    A unit's plan may come from the province's plan (`source`): the province's tasks it leads.
    """

    year = models.PositiveSmallIntegerField(_("năm"))
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    title = models.CharField(_("tên kế hoạch"), max_length=255)
    objectives = models.TextField(_("mục tiêu"), blank=True)
    requirements = models.TextField(_("yêu cầu"), blank=True)
    source = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="derived",
        verbose_name=_("kế hoạch của tỉnh"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("kế hoạch cải cách hành chính")
        verbose_name_plural = _("kế hoạch cải cách hành chính")
        constraints = [models.UniqueConstraint(fields=["year", "unit"], name="plan_year_unit")]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    CANCELLED = "cancelled", _("Không thực hiện")


class Task(models.Model):
    """A task of a plan (nhiệm vụ): what, who leads it, who helps, what it produces, by when, with what money."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    area = models.CharField(_("nội dung"), max_length=20, choices=Area.choices)
    code = models.CharField(_("số thứ tự"), max_length=20)
    title = models.TextField(_("nhiệm vụ"))
    lead_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan chủ trì")
    )
    coordinating_units = models.ManyToManyField(
        "orgs.Unit", blank=True, related_name="+", verbose_name=_("cơ quan phối hợp")
    )
    output = models.CharField(_("sản phẩm"), max_length=255, blank=True)
    deadline = models.DateField(_("thời hạn"))
    budget_vnd = models.PositiveBigIntegerField(_("kinh phí (đồng)"), default=0)
    progress = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    # When the lead unit was reminded of the deadline, and when Home Affairs was told it passed
    # (cchc.plans.reminders); each happens once.
    reminded_at = models.DateTimeField(_("thời điểm nhắc hạn"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("thời điểm báo quá hạn"), null=True, blank=True)
    # The province's task this unit task carries out (a derived plan's task).
    source = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="task_plan_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class TaskEvidence(StoredFileRecord):
    """A file that proves a task's progress (tài liệu kiểm chứng), stored once by its SHA-256."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence_files")

    class Meta:
        verbose_name = _("tài liệu kiểm chứng nhiệm vụ")
        verbose_name_plural = _("tài liệu kiểm chứng nhiệm vụ")


class TaskUpdate(models.Model):
    """The append-only history of a task's progress reports (báo cáo tiến độ)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=TaskStatus.choices)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("cập nhật tiến độ")
        verbose_name_plural = _("cập nhật tiến độ")
        ordering = ["task", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.progress}%"
