"""The platform metrics an automatic criterion reads (chỉ số tự động), for a unit over a year.

Each reading is a rate between 0 and 1 with its inputs and a link to the evidence, the page that lists the
dossiers or the components behind it; None when the unit has nothing to measure (the criterion is then scored
by hand). The figures are those of the statistics (cchc.stats, DOMAIN.md §8) and of the 766 index
(cchc.serviceindex, DOMAIN.md §6) for the calendar year, read once for every unit in `MetricContext`:
- `on_time_rate`: dossiers resolved early or on time ÷ dossiers resolved in the year (the national layout);
- `online_share`: dossiers received online ÷ dossiers received in the year;
- `online_payment_share`: the 766 index's A: fee-bearing dossiers paid online ÷ fee-bearing dossiers;
- `index766_total` and `index766_<group>`: the 766 points of the year ÷ their maximum, overall or per group;
- `plan_tasks_on_time`: the unit's reform plan tasks due by the year's end (or today) done by their deadline
  ÷ those due (cchc.plans; a unit task derived from the province's counts once).
- `reports_on_time`: the periodic reports due by the year's end (or today) submitted by their due date ÷ those
  due; registered by cchc.reports (`register_metric`), which reads this module, never the reverse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.orgs.models import Unit
from cchc.plans.selectors import tasks_due
from cchc.serviceindex.models import Group
from cchc.serviceindex.selectors import IndexResult, index_compute_all
from cchc.stats.selectors import Row, dossier_statistics


@dataclass(frozen=True)
class Reading:
    rate: Decimal | None
    inputs: tuple[tuple[str, str], ...]
    evidence_url: str


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _ratio(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    return Decimal(numerator) / Decimal(denominator) if denominator else None


class MetricContext:
    """The statistics and the 766 index of one year for the given units, computed once."""

    def __init__(self, *, year: int, units: Collection[Unit], now: dt.datetime | None = None) -> None:
        self.year = year
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        ids = [unit.pk for unit in units]
        self.rows: dict[int | None, Row] = {
            row.key: row
            for row in dossier_statistics(unit_ids=ids, start=start, end=end, now=now)
            if not row.is_total
        }
        results, _province = index_compute_all(units=list(units), start=start, end=end, now=now)
        self.index: dict[int | None, IndexResult] = {result.unit_id: result for result in results}
        until = min(end, timezone.localdate(now) if now is not None else timezone.localdate())
        self.until = until
        self.unit_ids = ids
        self.tasks = tasks_due(ids, year=year, until=until)
        # What metrics registered by later apps read once for every unit (see `register_metric`).
        self.extra: dict[str, object] = {}

    def statistics_url(self, unit: Unit, figure: str = "") -> str:
        query = {"ky": "year", "nam": self.year, "donvi": unit.pk}
        if figure:
            query["chitieu"] = figure
            return f"{reverse('stats-dossiers')}?{urlencode(query)}"
        return f"{reverse('stats-statistics')}?{urlencode(query)}"

    def index_url(self, unit: Unit) -> str:
        query = urlencode({"ky": "year", "nam": self.year})
        return f"{reverse('serviceindex-unit', args=[unit.pk])}?{query}"


def _on_time(context: MetricContext, unit: Unit) -> Reading:
    row = context.rows.get(unit.pk)
    on_time = row["resolved_early"] + row["resolved_on_time"] if row else 0
    resolved = row["resolved"] if row else 0
    return Reading(
        _ratio(on_time, resolved),
        (
            (_("Hồ sơ giải quyết trước hạn và đúng hạn"), _n(on_time)),
            (_("Hồ sơ đã giải quyết trong năm"), _n(resolved)),
        ),
        context.statistics_url(unit, "resolved"),
    )


def _online(context: MetricContext, unit: Unit) -> Reading:
    row = context.rows.get(unit.pk)
    online = row["new_online"] if row else 0
    new = row["new"] if row else 0
    return Reading(
        _ratio(online, new),
        ((_("Hồ sơ tiếp nhận trực tuyến"), _n(online)), (_("Hồ sơ tiếp nhận mới trong năm"), _n(new))),
        context.statistics_url(unit, "new_online"),
    )


def _component(code: str) -> Callable[[MetricContext, Unit], Reading]:
    def read(context: MetricContext, unit: Unit) -> Reading:
        result = context.index.get(unit.pk)
        component = next((c for c in result.components if c.code == code), None) if result else None
        if component is None:
            return Reading(None, (), context.index_url(unit))
        return Reading(component.rate, component.inputs, context.index_url(unit))

    return read


def _group(group: str | None) -> Callable[[MetricContext, Unit], Reading]:
    def read(context: MetricContext, unit: Unit) -> Reading:
        result = context.index.get(unit.pk)
        if result is None:
            return Reading(None, (), context.index_url(unit))
        if group is None:
            points, maximum, label = result.total, result.max_total, _("Chỉ số 766")
        else:
            found = next((g for g in result.groups if g.group == group), None)
            if found is None:
                return Reading(None, (), context.index_url(unit))
            points, maximum, label = found.points, found.max_points, found.label
        return Reading(
            _ratio(points, maximum),
            ((str(label), f"{points} / {maximum} " + _("điểm")),),
            context.index_url(unit),
        )

    return read


def _plan_tasks(context: MetricContext, unit: Unit) -> Reading:
    due, on_time = context.tasks.get(unit.pk, (0, 0))
    return Reading(
        _ratio(on_time, due),
        (
            (_("Nhiệm vụ kế hoạch CCHC hoàn thành đúng hạn"), _n(on_time)),
            (_("Nhiệm vụ kế hoạch CCHC đã đến hạn"), _n(due)),
        ),
        "",
    )


@dataclass(frozen=True)
class Metric:
    label: Callable[[], str]  # the Vietnamese label, in the active language
    read: Callable[[MetricContext, Unit], Reading]


def _group_label(group: Group) -> Callable[[], str]:
    return lambda: _("Điểm nhóm “%(group)s” của Chỉ số 766 trên điểm tối đa") % {"group": group.label}


METRICS: dict[str, Metric] = {
    "on_time_rate": Metric(lambda: _("Tỷ lệ hồ sơ giải quyết đúng hạn"), _on_time),
    "online_share": Metric(lambda: _("Tỷ lệ hồ sơ tiếp nhận trực tuyến"), _online),
    "online_payment_share": Metric(
        lambda: _("Tỷ lệ hồ sơ có phí thanh toán trực tuyến (Chỉ số 766, A)"), _component("4.1")
    ),
    "index766_total": Metric(lambda: _("Điểm Chỉ số 766 trên điểm tối đa"), _group(None)),
    "plan_tasks_on_time": Metric(lambda: _("Tỷ lệ nhiệm vụ kế hoạch CCHC hoàn thành đúng hạn"), _plan_tasks),
    **{f"index766_{group.value}": Metric(_group_label(group), _group(group.value)) for group in Group},
}


def register_metric(key: str, metric: Metric) -> None:
    """A metric of an app that reads the PAR Index itself (cchc.reports), added at start-up (AppConfig.ready)
    so that this module never imports it."""
    METRICS[key] = metric
