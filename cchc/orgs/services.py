"""State changes of the orgs app: loading the administrative units (nạp danh mục đơn vị hành chính).

The units come from the pinned package vietnam-provinces, never from hand-typed lists (ARCHITECTURE.md):

- current units, in force from 01/07/2025: 34 provinces (Resolution 202/2025/QH15 on rearranging the
  provincial-level units) and 3,321 communes, wards and special zones (xã, phường, đặc khu), from the
  Standing Committee's resolutions of 16/06/2025 on rearranging the commune-level units;
- legacy units, in force until 30/06/2025: 63 provinces, 696 districts and 10,051 communes;
- the old→new mapping (chuyển đổi đơn vị hành chính), with the "partly merged" flag for a legacy commune
  whose area was split between several new communes.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import transaction

from cchc.core.folding import fold
from cchc.orgs.models import TWO_LEVEL_START, AdministrativeUnit, Generation, Level, UnitSuccession

# The last day of the three-level local government.
LEGACY_END = TWO_LEVEL_START - dt.timedelta(days=1)
_BATCH = 1000
# Columns the loader owns; anything else on the row (none today) is left alone.
_UNIT_FIELDS = (
    "name",
    "name_folded",
    "codename",
    "division_type",
    "parent_id",
    "province_code",
    "valid_from",
    "valid_to",
)


@dataclass
class LoadReport:
    """What `units_load` found in the package and what it changed in the database."""

    provinces: int = 0
    communes: int = 0
    legacy_provinces: int = 0
    legacy_districts: int = 0
    legacy_communes: int = 0
    successions: int = 0
    created: int = 0
    updated: int = 0
    successions_created: int = 0
    successions_updated: int = 0
    # Pairs naming a legacy code that the package's legacy list lacks (10 old codes in 2026.9.0).
    successions_skipped: int = 0
    seconds: float = 0.0
    details: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.successions_created or self.successions_updated)


class _Row(NamedTuple):
    code: int
    name: str
    codename: str
    division_type: str
    parent_code: int | None
    province_code: int


def _source_rows(*, include_legacy: bool) -> dict[tuple[str, str], list[_Row]]:
    """The package's units, grouped by (generation, level), parents before children."""
    from vietnam_provinces import Province, Ward

    rows: dict[tuple[str, str], list[_Row]] = {
        (Generation.CURRENT, Level.PROVINCE): [
            _Row(int(p.code), p.name, p.codename, str(p.division_type), None, int(p.code))
            for p in Province.iter_all()
        ],
        (Generation.CURRENT, Level.COMMUNE): [
            _Row(
                int(w.code),
                w.name,
                w.codename,
                str(w.division_type),
                int(w.province_code),
                int(w.province_code),
            )
            for w in Ward.iter_all()
        ],
    }
    if include_legacy:
        from vietnam_provinces.legacy import District as LegacyDistrict
        from vietnam_provinces.legacy import Province as LegacyProvince
        from vietnam_provinces.legacy import Ward as LegacyWard

        districts = list(LegacyDistrict.iter_all())
        province_of_district = {int(d.code): int(d.province_code) for d in districts}
        rows[(Generation.LEGACY, Level.PROVINCE)] = [
            _Row(int(p.code), p.name, p.codename, str(p.division_type), None, int(p.code))
            for p in LegacyProvince.iter_all()
        ]
        rows[(Generation.LEGACY, Level.DISTRICT)] = [
            _Row(
                int(d.code),
                d.name,
                d.codename,
                str(d.division_type),
                int(d.province_code),
                int(d.province_code),
            )
            for d in districts
        ]
        rows[(Generation.LEGACY, Level.COMMUNE)] = [
            _Row(
                int(w.code),
                w.name,
                w.codename,
                str(w.division_type),
                int(w.district_code),
                province_of_district[int(w.district_code)],
            )
            for w in LegacyWard.iter_all()
        ]
    return rows


_PARENT_LEVEL: dict[str, str | None] = {
    Level.PROVINCE: None,
    Level.DISTRICT: Level.PROVINCE,
    Level.COMMUNE: Level.PROVINCE,  # current communes hang directly under the province
}


def _parent_level(generation: str, level: str) -> str | None:
    if generation == Generation.LEGACY and level == Level.COMMUNE:
        return Level.DISTRICT
    return _PARENT_LEVEL[level]


def _existing(generation: str, level: str) -> dict[int, AdministrativeUnit]:
    return {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(generation=generation, level=level).only(
            "id", "code", *_UNIT_FIELDS
        )
    }


def _sync_level(
    *, generation: str, level: str, rows: list[_Row], parents: dict[int, int], report: LoadReport
) -> dict[int, int]:
    """Create the missing units of one level and update the changed ones; return code → id."""
    if generation == Generation.CURRENT:
        valid_from, valid_to = TWO_LEVEL_START, None
    else:
        valid_from, valid_to = None, LEGACY_END
    existing = _existing(generation, level)
    to_create: list[AdministrativeUnit] = []
    to_update: list[AdministrativeUnit] = []
    for row in rows:
        wanted: dict[str, Any] = {
            "name": row.name,
            "name_folded": fold(row.name),
            "codename": row.codename,
            "division_type": row.division_type,
            "parent_id": parents[row.parent_code] if row.parent_code is not None else None,
            "province_code": row.province_code,
            "valid_from": valid_from,
            "valid_to": valid_to,
        }
        unit = existing.get(row.code)
        if unit is None:
            to_create.append(AdministrativeUnit(generation=generation, level=level, code=row.code, **wanted))
        elif any(getattr(unit, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(unit, name, value)
            to_update.append(unit)
    AdministrativeUnit.objects.bulk_create(to_create, batch_size=_BATCH)
    AdministrativeUnit.objects.bulk_update(to_update, list(_UNIT_FIELDS), batch_size=_BATCH)
    report.created += len(to_create)
    report.updated += len(to_update)
    # Re-read rather than trust returned ids: not every backend sets them on bulk_create.
    return dict(
        AdministrativeUnit.objects.filter(generation=generation, level=level)
        .order_by()
        .values_list("code", "id")
    )


def _succession_pairs() -> Iterable[tuple[str, int, int, bool]]:
    """(level, legacy code, current code, partly) for provinces and communes.

    A legacy province whose communes went into more than one new province is marked `partly` on each pair
    (the package records one: Tiền Giang, code 82, into Đồng Tháp 82 and, for a few communes, Tây Ninh 80).
    A legacy commune carries the package's own `is_partly_merged` flag, taken from the official conversion
    table, and is also `partly` whenever it maps to several new communes.
    """
    from vietnam_provinces._province_conversion_2025 import OLD_TO_NEW as PROVINCE_OLD_TO_NEW
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARD_OLD_TO_NEW

    for old_code, province_entry in PROVINCE_OLD_TO_NEW.items():
        split = len(province_entry.new_provinces) > 1
        for new_province in province_entry.new_provinces:
            yield Level.PROVINCE, old_code, new_province.code, split
    for old_code, ward_entry in WARD_OLD_TO_NEW.items():
        partly = ward_entry.old_ward.is_partly_merged or len(ward_entry.new_wards) > 1
        for new_ward in ward_entry.new_wards:
            yield Level.COMMUNE, old_code, new_ward.code, partly


def _sync_successions(*, ids: dict[tuple[str, str], dict[int, int]], report: LoadReport) -> None:
    existing = {
        (s.old_id, s.new_id): s for s in UnitSuccession.objects.only("id", "old_id", "new_id", "partly")
    }
    to_create: list[UnitSuccession] = []
    to_update: list[UnitSuccession] = []
    total = 0
    for level, old_code, new_code, partly in _succession_pairs():
        old_id = ids[(Generation.LEGACY, level)].get(old_code)
        new_id = ids[(Generation.CURRENT, level)].get(new_code)
        if old_id is None or new_id is None:
            report.successions_skipped += 1
            continue
        total += 1
        succession = existing.get((old_id, new_id))
        if succession is None:
            to_create.append(UnitSuccession(old_id=old_id, new_id=new_id, partly=partly))
        elif succession.partly != partly:
            succession.partly = partly
            to_update.append(succession)
    UnitSuccession.objects.bulk_create(to_create, batch_size=_BATCH)
    UnitSuccession.objects.bulk_update(to_update, ["partly"], batch_size=_BATCH)
    report.successions = total
    report.successions_created = len(to_create)
    report.successions_updated = len(to_update)


@transaction.atomic
def units_load(*, include_legacy: bool = True) -> LoadReport:
    """Load or refresh the administrative units (đơn vị hành chính) from vietnam-provinces.

    Idempotent: units are matched on (generation, level, code); a second run creates and updates nothing.
    Current units are valid from 01/07/2025 and legacy units until 30/06/2025 (Resolution 202/2025/QH15;
    Law 72/2025/QH15 on the Organisation of Local Government, two levels).
    """
    started = time.perf_counter()
    report = LoadReport()
    source = _source_rows(include_legacy=include_legacy)
    ids: dict[tuple[str, str], dict[int, int]] = {}
    for (generation, level), rows in source.items():
        parent_level = _parent_level(generation, level)
        parents = ids[(generation, parent_level)] if parent_level else {}
        ids[(generation, level)] = _sync_level(
            generation=generation, level=level, rows=rows, parents=parents, report=report
        )
        report.details[f"{generation}.{level}"] = len(rows)
    report.provinces = report.details.get("current.province", 0)
    report.communes = report.details.get("current.commune", 0)
    report.legacy_provinces = report.details.get("legacy.province", 0)
    report.legacy_districts = report.details.get("legacy.district", 0)
    report.legacy_communes = report.details.get("legacy.commune", 0)
    if include_legacy:
        _sync_successions(ids=ids, report=report)
    report.seconds = time.perf_counter() - started
    return report
