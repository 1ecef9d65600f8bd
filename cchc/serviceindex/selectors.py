"""The 766 index computed for a unit, for every unit, and for the province (Chỉ số phục vụ người dân, doanh
nghiệp, Decision 766/QĐ-TTg as the national portal scores it; DOMAIN.md §6).

`index_compute` is a read: it changes nothing. The on-time rule reads the statistics' pause clocks, which the
lifecycle keeps up to date (cchc.stats.signals). Scope (who may see which unit) is the views' business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.orgs.models import Level, Unit, UnitKind
from cchc.serviceindex import formulas
from cchc.serviceindex.inputs import NO_DATA_REASONS, PROVINCE, Measure, measures_by_unit
from cchc.serviceindex.models import Group, IndexComponent, IndexVersion, version_on

# Rating bands (DOMAIN.md §6): 90–100 excellent, under 50 weak; the bands in between are not known (verify).
EXCELLENT_FROM = Decimal(90)  # DOMAIN.md §6
WEAK_BELOW = Decimal(50)  # DOMAIN.md §6

# Units that receive dossiers but are not scored: the centres hand dossiers to the competent units.
NOT_SCORED_KINDS = frozenset({UnitKind.PROVINCE_CENTRE, UnitKind.COMMUNE_CENTRE})


@dataclass(frozen=True)
class ComponentResult:
    code: str
    group: str
    name: str
    formula: str
    max_points: Decimal
    inputs: tuple[tuple[str, str], ...]
    rate: Decimal | None  # None: no data, or a zero denominator
    points: Decimal
    status: str  # "measured", "zero_denominator", "no_feedback", "not_applicable", "no_data"
    note: str  # why the points are what they are when not measured
    source: str
    verify: bool

    @property
    def rate_percent(self) -> str:
        """The rate as shown, e.g. "85,71%"; empty without a rate."""
        if self.rate is None:
            return ""
        return f"{self.rate * 100:.2f}%".replace(".", ",")


@dataclass(frozen=True)
class GroupResult:
    group: str
    label: str
    max_points: Decimal
    points: Decimal
    components: tuple[ComponentResult, ...]


@dataclass(frozen=True)
class IndexResult:
    unit_id: int | None  # None: the province
    unit_name: str
    level: str
    start: dt.date
    end: dt.date
    version: str
    groups: tuple[GroupResult, ...]
    total: Decimal
    max_total: Decimal

    @property
    def band(self) -> str:
        return rating_band(self.total)

    @property
    def band_label(self) -> str:
        return str(BAND_LABELS[self.band])

    @property
    def components(self) -> list[ComponentResult]:
        return [component for group in self.groups for component in group.components]


BAND_LABELS = {
    "excellent": _("Xuất sắc"),
    "verify": _("Chưa xếp loại (cần kiểm tra lại thang xếp loại)"),
    "weak": _("Yếu"),
}


def rating_band(total: Decimal) -> str:
    if total >= EXCELLENT_FROM:
        return "excellent"
    if total < WEAK_BELOW:
        return "weak"
    return "verify"


def _component(row: IndexComponent, measure: Measure | None, level: str) -> ComponentResult:
    inputs, rate, points, status, note = _score(row, measure, level)
    return ComponentResult(
        code=row.code,
        group=row.group,
        name=row.name,
        formula=formulas.formula_text(row.kind, row.max_points, row.threshold, row.params),
        max_points=row.max_points,
        inputs=inputs,
        rate=rate,
        points=points,
        status=status,
        note=note,
        source=row.source,
        verify=row.verify,
    )


_Score = tuple[tuple[tuple[str, str], ...], Decimal | None, Decimal, str, str]


def _score(row: IndexComponent, measure: Measure | None, level: str) -> _Score:
    """(inputs, rate, points, status, note) by the rules of DOMAIN.md §6."""
    zero = Decimal("0.00")
    if row.province_only and level == Level.COMMUNE:
        # DOMAIN.md §6: at commune level the province-only components do not apply and score their maximum.
        return (), None, row.max_points, "not_applicable", _("Không áp dụng ở cấp xã: tính điểm tối đa.")
    if measure is None:
        reason = NO_DATA_REASONS.get(row.input_key, _("Chưa có dữ liệu đầu vào cho tiêu chí này."))
        return (), None, zero, "no_data", str(reason)
    if measure.rate is None and row.full_when_no_data:
        # DOMAIN.md §6: the feedback rows score their maximum when there is no feedback.
        note = _("Không phát sinh trong kỳ: tính điểm tối đa.")
        return measure.inputs, None, row.max_points, "no_feedback", note
    if measure.rate is None:
        # DOMAIN.md §6: a zero denominator gives rate 0.
        return measure.inputs, None, zero, "zero_denominator", _("Mẫu số bằng 0: tỷ lệ tính là 0.")
    points = formulas.points_for(
        row.kind,
        max_points=row.max_points,
        rate=measure.rate,
        threshold=row.threshold,
        params=row.params,
        sub_rates=measure.sub_rates,
    )
    return measure.inputs, measure.rate, points, "measured", ""


def _assemble(
    *,
    unit_id: int | None,
    unit_name: str,
    level: str,
    start: dt.date,
    end: dt.date,
    version: IndexVersion,
    rows: list[IndexComponent],
    measures: dict[str, Measure],
) -> IndexResult:
    groups = []
    for group in Group:
        in_group = [row for row in rows if row.group == group]
        components = tuple(_component(row, measures.get(row.input_key), level) for row in in_group)
        groups.append(
            GroupResult(
                group=group.value,
                label=str(group.label),
                max_points=sum((row.max_points for row in in_group), Decimal(0)),
                points=sum((c.points for c in components), Decimal(0)),
                components=components,
            )
        )
    return IndexResult(
        unit_id=unit_id,
        unit_name=unit_name,
        level=level,
        start=start,
        end=end,
        version=version.code,
        groups=tuple(groups),
        total=sum((g.points for g in groups), Decimal(0)),
        max_total=sum((g.max_points for g in groups), Decimal(0)),
    )


def scored_units(*, within: Collection[int] | None = None) -> list[Unit]:
    """The units the index scores (not the reception centres), optionally among `within`."""
    units = Unit.objects.exclude(kind__in=NOT_SCORED_KINDS).order_by("name", "pk")
    if within is not None:
        units = units.filter(pk__in=list(within))
    return list(units)


def index_compute_all(
    *,
    units: list[Unit],
    start: dt.date,
    end: dt.date,
    version: IndexVersion | None = None,
    now: dt.datetime | None = None,
    province_name: str | None = None,
) -> tuple[list[IndexResult], IndexResult]:
    """The index of each unit, ranked by score (highest first), and of the province, pooling the same units
    (see cchc.serviceindex.inputs): its rates are sums of numerators over sums of denominators."""
    version = version or version_on(start)
    rows = list(version.components.all())
    measures = measures_by_unit(unit_ids=[u.pk for u in units], start=start, end=end, now=now)
    results = [
        _assemble(
            unit_id=unit.pk,
            unit_name=unit.name,
            level=unit.level,
            start=start,
            end=end,
            version=version,
            rows=rows,
            measures=measures[unit.pk],
        )
        for unit in units
    ]
    results.sort(key=lambda r: (-r.total, r.unit_name))
    province = _assemble(
        unit_id=None,
        unit_name=province_name or _("Toàn tỉnh"),
        level=Level.PROVINCE,
        start=start,
        end=end,
        version=version,
        rows=rows,
        measures=measures[PROVINCE],
    )
    return results, province


def index_compute(
    *,
    unit: Unit | None,
    start: dt.date,
    end: dt.date,
    version: IndexVersion | None = None,
    now: dt.datetime | None = None,
) -> IndexResult:
    """The index of one unit from `start` to `end` (both included), or of the province (`unit` None: every
    scored unit pooled)."""
    if unit is not None:
        results, _province = index_compute_all(units=[unit], start=start, end=end, version=version, now=now)
        return results[0]
    _results, province = index_compute_all(
        units=scored_units(), start=start, end=end, version=version, now=now or timezone.now()
    )
    return province
