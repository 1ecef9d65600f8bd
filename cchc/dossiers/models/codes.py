"""The daily sequence behind dossier codes (số thứ tự trong ngày), Decree 118/2025 Art. 28."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailySequence(models.Model):
    """The last number given for one code prefix (agency identifier) on one day.

    It is incremented under a row lock in the same transaction that creates the dossier, so a failed
    transaction rolls its number back: codes are unique and leave no gaps.
    """

    prefix = models.CharField(_("tiền tố"), max_length=40)
    day = models.DateField(_("ngày"))
    last = models.PositiveIntegerField(_("số cuối"), default=0)

    class Meta:
        verbose_name = _("số thứ tự hồ sơ trong ngày")
        verbose_name_plural = _("số thứ tự hồ sơ trong ngày")
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="sequence_unique_day")]

    def __str__(self) -> str:
        return f"{self.prefix} {self.day:%d/%m/%Y}: {self.last}"
