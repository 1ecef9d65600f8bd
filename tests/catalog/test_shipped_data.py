"""The shipped demo catalog cchc/catalog/data/procedures.json imports, publishes and is searchable."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from cchc.catalog import selectors, services
from cchc.catalog.exchange import ImportReport, procedures_import
from cchc.catalog.models import ProcedureVersion, VersionStatus

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "cchc" / "catalog" / "data" / "procedures.json"


@pytest.fixture
def imported() -> ImportReport:
    report = procedures_import(source=DATA, fmt="json", publish=True)
    assert report.ok, report.errors[:5]
    return report


def _codes(query: str) -> list[str]:
    return [version.procedure.code for version in selectors.procedure_search(query=query)]


def test_the_shipped_file_imports_all_42_and_publishes_at_least_30(imported: ImportReport) -> None:
    assert len(imported.created) == 42
    assert len(imported.published) >= 30
    assert ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).count() == len(imported.published)


def test_every_published_procedure_has_all_7_parts_and_balanced_process(imported: ImportReport) -> None:
    for version in ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED):
        assert version.missing_required_parts() == []
        services.process_steps_validate(version=version)
        assert version.process_steps.count() == 4


def test_unknown_time_limits_stay_unknown_and_unpublished(imported: ImportReport) -> None:
    for code in ("1.004859", "2.000720", "1.001266", "2.000635"):
        version = ProcedureVersion.objects.get(procedure__code=code)
        assert version.time_limit_amount is None and version.status == VersionStatus.DRAFT
        assert "time_limit" in version.verify_notes


def test_birth_registration_is_same_day_with_a_15h_cutoff(imported: ImportReport) -> None:
    # Luật Hộ tịch 2014 Art. 16: "ngay trong ngày"; received after 15:00 → next working day.
    version = ProcedureVersion.objects.get(procedure__code="1.001193")
    assert (version.time_limit_amount, version.time_limit_unit) == (Decimal(0), "working_days")
    assert version.time_limit_cutoff is not None and version.time_limit_cutoff.hour == 15
    assert "time_limit" in version.source["derived"]


def test_every_record_keeps_its_provenance() -> None:
    records = json.loads(DATA.read_text(encoding="utf-8"))["procedures"]
    assert len(records) == 42
    assert all(record["source"].get("type") or record["source"].get("url") for record in records)


def test_historical_records_stay_drafts(imported: ImportReport) -> None:
    local = ProcedureVersion.objects.filter(procedure__is_local_code=True)
    assert local.count() == 6
    assert set(local.values_list("status", flat=True)) == {VersionStatus.DRAFT}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("giay phep xay dung", "1.013225"),
        ("ĐĂNG KÝ khai sinh", "1.001193"),
        ("dang ky kinh doanh", "1.001612"),
        ("ly lich tu phap", "3.000333"),
        ("3.000347", "3.000347"),
    ],
)
def test_search_phrases_find_the_right_procedure_first(
    imported: ImportReport, query: str, expected: str
) -> None:
    assert _codes(query)[0] == expected


def test_building_permit_search_finds_the_permit_family(imported: ImportReport) -> None:
    assert set(_codes("giay phep xay dung")) == {"1.013225", "1.013227", "1.013228"}


def test_reimporting_the_shipped_file_changes_nothing(imported: ImportReport) -> None:
    again = procedures_import(source=DATA, fmt="json", publish=True)
    assert len(again.unchanged) == 42 and again.created == [] and again.new_versions == []
    assert ProcedureVersion.objects.count() == 42


def test_the_shipped_catalog_survives_an_xlsx_round_trip(imported: ImportReport) -> None:
    from cchc.catalog.exchange import procedures_export

    again = procedures_import(source=procedures_export(fmt="xlsx"), fmt="xlsx", publish=True)
    assert again.ok, again.errors[:5]
    assert len(again.unchanged) == 42 and ProcedureVersion.objects.count() == 42
