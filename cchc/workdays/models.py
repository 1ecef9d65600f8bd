"""Calendar overrides (điều chỉnh lịch nghỉ) and working schedules (giờ làm việc).

The `holidays` package (VN) gives the statutory holidays (Labour Code 2019 Art. 112). The Prime Minister's
yearly schedule adds swapped days and make-up Saturdays, which the package does not always have; they are
rows here, editable in the admin without a release (DOMAIN.md §4).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.workdays.calendar import WorkingHours


class DayKind(models.TextChoices):
    DAY_OFF = "off", _("Ngày nghỉ")
    WORKING_DAY = "work", _("Ngày làm việc")


class CalendarOverride(models.Model):
    """One day whose status differs from the seed calendar (ngày nghỉ bù, ngày làm bù)."""

    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=4, choices=DayKind.choices)
    name = models.CharField(_("nội dung"), max_length=200)
    source = models.CharField(_("văn bản căn cứ"), max_length=200, blank=True)
    estimated = models.BooleanField(
        _("dự kiến"), default=False, help_text=_("Chưa có văn bản chính thức; cần kiểm tra lại.")
    )

    class Meta:
        verbose_name = _("điều chỉnh lịch")
        verbose_name_plural = _("điều chỉnh lịch")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} – {self.get_kind_display()}"


class WorkingSchedule(models.Model):
    """Office hours of a unit (giờ làm việc): a morning and an afternoon session on each working day."""

    name = models.CharField(_("tên"), max_length=120)
    morning_start = models.TimeField(_("sáng từ"), default=dt.time(7, 30))
    morning_end = models.TimeField(_("sáng đến"), default=dt.time(11, 30))
    afternoon_start = models.TimeField(_("chiều từ"), default=dt.time(13, 30))
    afternoon_end = models.TimeField(_("chiều đến"), default=dt.time(17, 0))
    is_default = models.BooleanField(_("mặc định"), default=False)

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_schedule"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not (self.morning_start < self.morning_end <= self.afternoon_start < self.afternoon_end):
            raise ValidationError(
                _(
                    "Giờ làm việc phải theo thứ tự: sáng bắt đầu < sáng kết thúc ≤ chiều bắt đầu < chiều kết thúc."
                )
            )

    def as_working_hours(self) -> WorkingHours:
        return WorkingHours(
            sessions=((self.morning_start, self.morning_end), (self.afternoon_start, self.afternoon_end))
        )


def default_working_hours() -> WorkingHours:
    """The installation's default office hours, or 07:30–11:30 and 13:30–17:00 when none is set (cached)."""
    from cchc.workdays.calendar import default_hours

    return default_hours()
