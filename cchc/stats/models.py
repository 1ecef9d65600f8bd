"""The statistical clock of paused dossiers (đồng hồ thống kê của hồ sơ tạm dừng chờ bổ sung).

The national on-time rule (DOMAIN.md §3) subtracts the pause of a supplement asked during processing
(Decree 118/2025 Art. 19(5)) from the time used. Working time cannot be counted in SQL, so for each dossier with
such a pause this table keeps the pause and the statistical deadline it gives: the moment when the working time
left at the request has run again after the completion. It is derived data, written by
`cchc.stats.services.pause_clocks_refresh` when the lifecycle asks or completes a supplement (cchc.stats.signals)
and by bulk loads; a dossier has at most one such pause (Art. 19(5): once).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PauseClock(models.Model):
    """One dossier's processing pause and its statistical deadline (hạn thống kê)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stats_pause",
        verbose_name=_("hồ sơ"),
    )
    requested_at = models.DateTimeField(_("thời điểm yêu cầu bổ sung"))
    completed_at = models.DateTimeField(_("thời điểm bổ sung xong"), null=True, blank=True)
    # The first appointment moved by the pause's working time; empty while the pause runs.
    due_at = models.DateTimeField(_("hạn thống kê"), null=True, blank=True)

    class Meta:
        verbose_name = _("đồng hồ thống kê")
        verbose_name_plural = _("đồng hồ thống kê")

    def __str__(self) -> str:
        return str(self.dossier_id)


class StatsDay(models.Model):
    """A closed day whose stored figures are complete (ngày đã chốt số liệu thống kê): see cchc.stats.daily."""

    day = models.DateField(_("ngày"), primary_key=True)
    flows = models.BooleanField(_("đã chốt số phát sinh trong ngày"), default=False)
    snapshot = models.BooleanField(_("đã chốt số tồn lúc 0 giờ"), default=False)

    class Meta:
        verbose_name = _("ngày đã chốt số liệu")
        verbose_name_plural = _("ngày đã chốt số liệu")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}"


class _Cell(models.Model):
    """A day and a cell of the statistics: competent unit, procedure, field (derived data: no FK constraints)."""

    day = models.DateField(_("ngày"))
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    field = models.ForeignKey(
        "catalog.Field", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )

    class Meta:
        abstract = True


class DayCount(_Cell):
    """What happened in one closed day in one cell (số phát sinh trong ngày): receptions and exits."""

    new_online = models.PositiveIntegerField(default=0)
    new_in_person = models.PositiveIntegerField(default=0)
    new_post = models.PositiveIntegerField(default=0)
    resolved_early = models.PositiveIntegerField(default=0)
    resolved_on_time = models.PositiveIntegerField(default=0)
    resolved_late = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    stopped = models.PositiveIntegerField(default=0)
    apologies = models.PositiveIntegerField(default=0)
    # The 766 index's readings (cchc.serviceindex.inputs): by the day received ...
    full_online = models.PositiveIntegerField(default=0)
    full_online_filed = models.PositiveIntegerField(default=0)
    with_components = models.PositiveIntegerField(default=0)
    digitised = models.PositiveIntegerField(default=0)
    reused = models.PositiveIntegerField(default=0)
    fee_bearing = models.PositiveIntegerField(default=0)
    # ... and by the day processing ended (result, refusal or stop) of dossiers with a time limit.
    timed_done = models.PositiveIntegerField(default=0)
    timed_on_time = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số phát sinh trong ngày")
        verbose_name_plural = _("số phát sinh trong ngày")
        indexes = [models.Index(fields=["day"], name="stats_daycount_day")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}"


class PendingCount(_Cell):
    """The dossiers pending at 00:00 of a day in one cell (số tồn lúc 0 giờ), within the limit or overdue."""

    within = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    untimed = models.PositiveIntegerField(default=0)  # of `within`: no time limit

    class Meta:
        verbose_name = _("số hồ sơ tồn lúc 0 giờ")
        verbose_name_plural = _("số hồ sơ tồn lúc 0 giờ")
        indexes = [models.Index(fields=["day"], name="stats_pendingcount_day")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}"


class LagCount(_Cell):
    """Dossiers of a base day (received or resolved) reaching a later event on `day`, for the readings of the
    766 index measured at the period's end: a result that became electronic (base: the day resolved), a first
    online payment (base: the day received). Stored by the event's day, so a closed day never changes."""

    class Measure(models.TextChoices):
        E_RESULT = "e_result", _("kết quả điện tử")
        PAID_ONLINE = "paid_online", _("thanh toán trực tuyến")

    measure = models.CharField(_("chỉ tiêu"), max_length=16, choices=Measure.choices)
    base_day = models.DateField(_("ngày gốc"))
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số phát sinh theo ngày gốc")
        verbose_name_plural = _("số phát sinh theo ngày gốc")
        indexes = [models.Index(fields=["day"], name="stats_lagcount_day")]

    def __str__(self) -> str:
        return f"{self.measure} {self.day:%d/%m/%Y}"
