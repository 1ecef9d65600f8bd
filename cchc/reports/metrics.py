"""The PAR Index's `reports_on_time` metric (báo cáo đúng hạn): a unit's periodic reports of the year due by the
year's end (or today) that were submitted by their due date, over those due. A missing report counts as not on
time. Registered in `cchc.parindex.metrics` at start-up, so that the PAR Index can read it without importing
this app."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from cchc.orgs.models import Unit
from cchc.parindex.metrics import Metric, MetricContext, Reading, register_metric
from cchc.reports.selectors import reports_on_time


def _read(context: MetricContext, unit: Unit) -> Reading:
    counts = context.extra.get("reports_on_time")
    if not isinstance(counts, dict):
        counts = reports_on_time(context.unit_ids, year=context.year, until=context.until)
        context.extra["reports_on_time"] = counts
    due, on_time = counts.get(unit.pk, (0, 0))
    return Reading(
        Decimal(on_time) / Decimal(due) if due else None,
        ((_("Báo cáo định kỳ gửi đúng hạn"), str(on_time)), (_("Báo cáo định kỳ đã đến hạn"), str(due))),
        "",
    )


def register() -> None:
    register_metric("reports_on_time", Metric(lambda: _("Tỷ lệ báo cáo CCHC định kỳ gửi đúng hạn"), _read))
