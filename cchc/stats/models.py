"""The statistical clock of paused dossiers (đồng hồ thống kê của hồ sơ tạm dừng chờ bổ sung).

The national on-time rule (DOMAIN.md §3) subtracts the pause of a supplement asked during processing
(Decree 118/2025 Art. 19(5)) from the time used. Working time cannot be counted in SQL, so for each dossier with
such a pause this table keeps the pause and the statistical deadline it gives: the moment when the working time
left at the request has run again after the completion. It is derived data, rebuilt from the dossier tables by
`cchc.stats.services.pause_clocks_refresh`; a dossier has at most one such pause (Art. 19(5): once).
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
