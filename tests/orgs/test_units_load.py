"""Loading the administrative units from vietnam-provinces (cchc.orgs.services.units_load)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from vietnam_provinces import Ward
from vietnam_provinces.codes import WardCode

from cchc.orgs.models import AdministrativeUnit, Generation, Level, UnitSuccession
from cchc.orgs.services import LoadReport, units_load

pytestmark = pytest.mark.django_db


def _unit(generation: str, level: str, code: int) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(generation=generation, level=level, code=code)


@pytest.mark.parametrize(
    ("generation", "level", "expected"),
    [
        (Generation.CURRENT, Level.PROVINCE, 34),  # Resolution 202/2025/QH15
        (Generation.CURRENT, Level.COMMUNE, 3321),
        (Generation.LEGACY, Level.PROVINCE, 63),
        (Generation.LEGACY, Level.DISTRICT, 696),
        (Generation.LEGACY, Level.COMMUNE, 10051),
    ],
)
def test_unit_counts_match_the_two_level_reform(
    loaded_units: LoadReport, generation: str, level: str, expected: int
) -> None:
    assert AdministrativeUnit.objects.filter(generation=generation, level=level).count() == expected


def test_report_counts_what_was_loaded(loaded_units: LoadReport) -> None:
    assert (loaded_units.provinces, loaded_units.communes) == (34, 3321)
    assert (loaded_units.legacy_provinces, loaded_units.legacy_districts, loaded_units.legacy_communes) == (
        63,
        696,
        10051,
    )
    assert loaded_units.created == 34 + 3321 + 63 + 696 + 10051
    assert loaded_units.successions == UnitSuccession.objects.count()


def test_current_units_start_on_1_july_2025_and_legacy_units_end_the_day_before(
    loaded_units: LoadReport,
) -> None:
    current = AdministrativeUnit.objects.filter(generation=Generation.CURRENT)
    legacy = AdministrativeUnit.objects.filter(generation=Generation.LEGACY)
    assert set(current.values_list("valid_from", "valid_to").distinct()) == {(dt.date(2025, 7, 1), None)}
    assert set(legacy.values_list("valid_from", "valid_to").distinct()) == {(None, dt.date(2025, 6, 30))}


def test_current_division_types_are_the_two_level_ones(loaded_units: LoadReport) -> None:
    types = set(
        AdministrativeUnit.objects.filter(generation=Generation.CURRENT).values_list(
            "division_type", flat=True
        )
    )
    assert types == {"tỉnh", "thành phố trung ương", "xã", "phường", "đặc khu"}


def test_current_commune_hangs_under_its_province(loaded_units: LoadReport) -> None:
    long_xuyen = _unit(Generation.CURRENT, Level.COMMUNE, 30307)
    assert long_xuyen.name == "Phường Long Xuyên"
    assert long_xuyen.division_type == "phường"
    assert long_xuyen.parent is not None and long_xuyen.parent.name == "Tỉnh An Giang"
    assert long_xuyen.province_code == 91
    assert long_xuyen.name_folded == "phuong long xuyen"


def test_legacy_ward_hangs_under_its_district_and_knows_its_province(loaded_units: LoadReport) -> None:
    phuc_xa = _unit(Generation.LEGACY, Level.COMMUNE, 1)
    assert phuc_xa.name == "Phường Phúc Xá"
    assert phuc_xa.parent is not None and phuc_xa.parent.level == Level.DISTRICT
    assert phuc_xa.parent.name == "Quận Ba Đình"
    assert phuc_xa.parent.parent is not None and phuc_xa.parent.parent.code == 1
    assert phuc_xa.province_code == 1


def test_legacy_ba_ria_vung_tau_went_into_ho_chi_minh_city(loaded_units: LoadReport) -> None:
    ba_ria = _unit(Generation.LEGACY, Level.PROVINCE, 77)
    successions = list(ba_ria.successors.select_related("new"))
    assert [(s.new.code, s.new.name, s.partly) for s in successions] == [(79, "Thành phố Hồ Chí Minh", False)]


def test_ho_chi_minh_city_was_formed_from_three_legacy_provinces(loaded_units: LoadReport) -> None:
    hcm = _unit(Generation.CURRENT, Level.PROVINCE, 79)
    assert set(hcm.predecessors.values_list("old__code", flat=True)) == {74, 77, 79}


def test_current_ward_predecessors_are_the_packages_legacy_sources(loaded_units: LoadReport) -> None:
    expected = {int(w.code) for w in Ward.from_code(WardCode(30307)).get_legacy_sources()}
    long_xuyen = _unit(Generation.CURRENT, Level.COMMUNE, 30307)
    assert expected
    assert set(long_xuyen.predecessors.values_list("old__code", flat=True)) == expected


def test_legacy_ward_split_between_communes_is_marked_partly(loaded_units: LoadReport) -> None:
    # Legacy ward 19 of Hà Nội went into four new wards (package: is_partly_merged=True).
    pairs = UnitSuccession.objects.filter(
        old__generation=Generation.LEGACY, old__level=Level.COMMUNE, old__code=19
    )
    assert set(pairs.values_list("new__code", "partly")) == {(4, True), (70, True), (190, True), (226, True)}


def test_whole_legacy_ward_is_not_marked_partly(loaded_units: LoadReport) -> None:
    pairs = UnitSuccession.objects.filter(
        old__generation=Generation.LEGACY, old__level=Level.COMMUNE, old__code=4
    )
    assert list(pairs.values_list("new__code", "partly")) == [(4, False)]


def test_second_load_creates_and_changes_nothing(loaded_units: LoadReport) -> None:
    before = (AdministrativeUnit.objects.count(), UnitSuccession.objects.count())
    report = units_load()
    assert not report.changed
    assert (report.created, report.updated, report.successions_created) == (0, 0, 0)
    assert (AdministrativeUnit.objects.count(), UnitSuccession.objects.count()) == before


def test_load_restores_a_unit_edited_by_hand(loaded_units: LoadReport) -> None:
    AdministrativeUnit.objects.filter(generation=Generation.CURRENT, level=Level.PROVINCE, code=91).update(
        name="Tỉnh Sai Tên", name_folded="tinh sai ten"
    )
    report = units_load(include_legacy=False)
    assert report.updated == 1
    assert _unit(Generation.CURRENT, Level.PROVINCE, 91).name == "Tỉnh An Giang"


def test_load_units_command_prints_the_counts_in_vietnamese(loaded_units: LoadReport) -> None:
    out = StringIO()
    call_command("load_units", stdout=out)
    text = out.getvalue()
    assert "Tỉnh, thành phố hiện hành: 34" in text
    assert "Xã, phường, đặc khu hiện hành: 3321" in text
    assert "Quận, huyện, thị xã, thành phố trước 01/07/2025: 696" in text
    assert "Xã, phường, thị trấn trước 01/07/2025: 10051" in text
    assert "Đã tạo 0, cập nhật 0 đơn vị" in text
