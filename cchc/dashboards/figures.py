"""The figures of the staff dashboard and of the public transparency page (bảng điều khiển, công khai).

Nothing is counted here: every figure comes from the selectors that already own it, so a dashboard and the
page it summarises always agree.
- On-time rate (tỷ lệ đúng hạn): dossiers resolved in the period early or on time over those resolved in the
  period (`cchc.stats.selectors.dossier_statistics`, the national rule of DOMAIN.md §3, Decree 118/2025
  Art. 17); None when nothing was resolved.
- Channel mix and online share: the dossiers newly received in the period by channel (same statistics, §8).
- Overdue: dossiers pending and overdue at the period's end (same statistics).
- 766 score, online payment rate (A) and digitisation rate: `cchc.serviceindex.selectors.index_compute_all`
  (Decision 766/QĐ-TTg, DOMAIN.md §6).
- Satisfaction: ratings given in the period (`cchc.portal.selectors.ratings_summary`, Decree 118/2025
  Art. 33); the satisfaction rate is (very satisfied + satisfied) over all ratings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache

from cchc.dossiers.models import RatingLevel
from cchc.portal.selectors import ratings_summary
from cchc.serviceindex.models import IndexComponent
from cchc.serviceindex.selectors import IndexResult, index_compute_all, scored_units
from cchc.stats.periods import Period
from cchc.stats.selectors import Row, dossier_statistics

from .periods import months_of

PUBLIC_CACHE_SECONDS = 600  # the public figures are cached 10 minutes per period
PUBLIC_CACHE_VERSION = 1


def ratio(numerator: int, denominator: int) -> Decimal | None:
    return Decimal(numerator) / Decimal(denominator) if denominator else None


def on_time_of(row: Row) -> tuple[int, int]:
    """(resolved early or on time, resolved) of a statistics row."""
    return row["resolved_early"] + row["resolved_on_time"], row["resolved"]


def _by_unit(rows: list[Row]) -> dict[int, Row]:
    return {row.key: row for row in rows if not row.is_total and row.key is not None}


def _component_rates(result: IndexResult) -> dict[str, Decimal | None]:
    """The measured rate of each input (by its `input_key`) of an index result."""
    keys = dict(IndexComponent.objects.filter(version__code=result.version).values_list("code", "input_key"))
    return {keys.get(c.code, c.code): c.rate for c in result.components}


@dataclass(frozen=True)
class UnitFigures:
    unit_id: int
    unit_name: str
    on_time: int
    resolved: int
    new_online: int
    new: int
    overdue: int
    satisfied: int
    rated: int
    score: Decimal

    @property
    def on_time_rate(self) -> Decimal | None:
        return ratio(self.on_time, self.resolved)

    @property
    def online_rate(self) -> Decimal | None:
        return ratio(self.new_online, self.new)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return ratio(self.satisfied, self.rated)


@dataclass(frozen=True)
class MonthFigures:
    period: Period
    on_time: int
    resolved: int

    @property
    def rate(self) -> Decimal | None:
        return ratio(self.on_time, self.resolved)


@dataclass(frozen=True)
class Dashboard:
    period: Period
    months: list[MonthFigures]
    units: list[UnitFigures]  # ranked by 766 score, highest first
    total: Row  # the statistics of every unit in scope
    ratings: dict[str, int]  # rating level -> count
    online_payment_rate: Decimal | None
    digitisation_rate: Decimal | None

    @property
    def by_on_time(self) -> list[UnitFigures]:
        """Units with resolved dossiers by on-time rate (highest first), then those without."""
        return sorted(
            self.units,
            key=lambda u: (u.on_time_rate is None, -(u.on_time_rate or 0), u.unit_name),
        )

    @property
    def by_overdue(self) -> list[UnitFigures]:
        return sorted(self.units, key=lambda u: (-u.overdue, u.unit_name))

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())


def _unit_figures(
    unit_ids: Collection[int] | None, period: Period, *, with_ratings: bool
) -> tuple[list[UnitFigures], Row, Any]:
    """Each scored unit's figures (ranked by 766 score), the statistics' total row and the pooled index.
    `with_ratings` False leaves the per-unit ratings at 0 (one query per unit saved where they are not shown)."""
    units = scored_units(within=unit_ids)
    rows = dossier_statistics(unit_ids=unit_ids, start=period.start, end=period.end, group_by="unit")
    stats = _by_unit(rows)
    results, pooled = index_compute_all(units=units, start=period.start, end=period.end)
    empty = Row(key=None, label="")
    figures = []
    for result in results:
        assert result.unit_id is not None
        row = stats.get(result.unit_id, empty)
        ratings = (
            ratings_summary(unit_ids=[result.unit_id], start=period.start, end=period.end).counts
            if with_ratings
            else {}
        )
        on_time, resolved = on_time_of(row)
        figures.append(
            UnitFigures(
                unit_id=result.unit_id,
                unit_name=result.unit_name,
                on_time=on_time,
                resolved=resolved,
                new_online=row["new_online"],
                new=row["new"],
                overdue=row["pending_overdue"],
                satisfied=ratings.get(RatingLevel.VERY_SATISFIED, 0) + ratings.get(RatingLevel.SATISFIED, 0),
                rated=sum(ratings.values()),
                score=result.total,
            )
        )
    return figures, rows[-1], pooled


def dashboard_figures(*, unit_ids: Collection[int] | None, period: Period) -> Dashboard:
    """The staff dashboard of the units `unit_ids` (None: every unit; `cchc.orgs.scoping.visible_unit_ids`)."""
    units, total, pooled = _unit_figures(unit_ids, period, with_ratings=False)
    months = []
    for month in months_of(period):
        month_total = dossier_statistics(unit_ids=unit_ids, start=month.start, end=month.end)[-1]
        on_time, resolved = on_time_of(month_total)
        months.append(MonthFigures(period=month, on_time=on_time, resolved=resolved))
    scope = [u.pk for u in scored_units(within=unit_ids)]
    ratings = ratings_summary(unit_ids=scope, start=period.start, end=period.end).counts if scope else {}
    rates = _component_rates(pooled)
    return Dashboard(
        period=period,
        months=months,
        units=units,
        total=total,
        ratings={level: ratings.get(level, 0) for level in RatingLevel.values},
        online_payment_rate=rates.get("online_payment"),
        digitisation_rate=rates.get("digitised"),
    )


def _rate_value(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 4)


def public_rows(*, period: Period) -> list[dict[str, Any]]:
    """The public figures of every scored unit for the period, as plain values (open data; no personal data:
    only unit names and counts). Cached PUBLIC_CACHE_SECONDS per period."""
    key = f"dashboards:public:{period.kind}:{period.year}:{period.number}"
    cached: list[dict[str, Any]] | None = cache.get(key, version=PUBLIC_CACHE_VERSION)
    if cached is not None:
        return cached
    units, _total, _pooled = _unit_figures(None, period, with_ratings=True)
    rows = [
        {
            "ky": period.kind,
            "nam": period.year,
            "so": period.number,
            "tu_ngay": period.start.isoformat(),
            "den_ngay": period.end.isoformat(),
            "ma_don_vi": u.unit_id,
            "don_vi": u.unit_name,
            "ho_so_giai_quyet": u.resolved,
            "ho_so_dung_han": u.on_time,
            "ty_le_dung_han": _rate_value(u.on_time_rate),
            "ho_so_moi": u.new,
            "ho_so_truc_tuyen": u.new_online,
            "ty_le_truc_tuyen": _rate_value(u.online_rate),
            "luot_danh_gia": u.rated,
            "luot_hai_long": u.satisfied,
            "ty_le_hai_long": _rate_value(u.satisfaction_rate),
            "diem_766": float(u.score),
        }
        for u in sorted(units, key=lambda u: (u.unit_name, u.unit_id))
    ]
    cache.set(key, rows, PUBLIC_CACHE_SECONDS, version=PUBLIC_CACHE_VERSION)
    return rows


def public_period_ok(period: Period, *, today: dt.date) -> bool:
    """The public page shows periods that have begun (a future period has no figures to publish)."""
    return period.start <= today
