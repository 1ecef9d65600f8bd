"""procedure_search: accent-free, case-insensitive, over the versions in force; trigram fallback on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from cchc.catalog import selectors, services
from cchc.catalog.models import OnlineLevel, ProcedureVersion
from tests.catalog.conftest import make_draft, make_field

pytestmark = pytest.mark.django_db


def _publish(code: str, name: str, **values: Any) -> ProcedureVersion:
    return services.procedure_version_publish(
        version=make_draft(code, name=name, **values), valid_from=dt.date(2026, 1, 1)
    )


@pytest.fixture
def catalog() -> dict[str, ProcedureVersion]:
    building = make_field("Hoạt động xây dựng", "xay-dung")
    business = make_field("Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)", "ho-kinh-doanh")
    return {
        "birth": _publish("1.001193", "Thủ tục đăng ký khai sinh"),
        "rebirth": _publish("1.004884", "Thủ tục đăng ký lại khai sinh"),
        "marriage": _publish("1.000894", "Thủ tục đăng ký kết hôn", online_level=OnlineLevel.PARTIAL),
        "permit": _publish(
            "1.013225",
            "Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV và nhà ở riêng lẻ",
            field=building,
            level_province=True,
        ),
        "household": _publish("1.001612", "Đăng ký thành lập hộ kinh doanh", field=business),
    }


def _codes(versions: list[ProcedureVersion]) -> list[str]:
    return [version.procedure.code for version in versions]


def test_upper_case_with_accents_finds_birth_registration_first(catalog: dict[str, ProcedureVersion]) -> None:
    assert _codes(selectors.procedure_search(query="ĐĂNG KÝ khai sinh")) == ["1.001193", "1.004884"]


def test_accent_free_query_finds_the_building_permit(catalog: dict[str, ProcedureVersion]) -> None:
    assert _codes(selectors.procedure_search(query="giay phep xay dung")) == ["1.013225"]


def test_business_registration_finds_the_household_business(catalog: dict[str, ProcedureVersion]) -> None:
    assert _codes(selectors.procedure_search(query="dang ky kinh doanh")) == ["1.001612"]


def test_every_term_must_appear(catalog: dict[str, ProcedureVersion]) -> None:
    # The marriage registration has "đăng ký" but not "khai sinh".
    assert "1.000894" not in _codes(selectors.procedure_search(query="dang ky khai sinh"))


def test_an_exact_code_ranks_first(catalog: dict[str, ProcedureVersion]) -> None:
    assert _codes(selectors.procedure_search(query="1.000894")) == ["1.000894"]


def test_field_name_is_searched(catalog: dict[str, ProcedureVersion]) -> None:
    assert _codes(selectors.procedure_search(query="hoat dong xay dung")) == ["1.013225"]


def test_filters_by_field_level_agency_and_online_level(catalog: dict[str, ProcedureVersion]) -> None:
    assert _codes(selectors.procedure_search(query="", field="xay-dung")) == ["1.013225"]
    assert _codes(selectors.procedure_search(query="", level="province")) == ["1.013225"]
    assert _codes(selectors.procedure_search(query="dang ky", online_level=OnlineLevel.PARTIAL)) == [
        "1.000894"
    ]
    assert len(selectors.procedure_search(query="", agency="ủy ban nhân dân")) == 5
    assert _codes(selectors.procedure_search(query="khai sinh", limit=1)) == ["1.001193"]


def test_drafts_are_not_found(catalog: dict[str, ProcedureVersion]) -> None:
    make_draft("1.000656", name="Thủ tục đăng ký khai tử")
    assert "1.000656" not in _codes(selectors.procedure_search(query="dang ky khai tu"))
    assert selectors.procedure_search(query="khai tu") == []  # "tu" is not "tuc": whole words only


def test_a_superseded_version_is_not_found_twice(catalog: dict[str, ProcedureVersion]) -> None:
    birth = catalog["birth"]
    second = services.procedure_version_create_draft(
        procedure=birth.procedure, name=birth.name, copy_from=birth
    )
    services.procedure_version_publish(version=second, valid_from=dt.date(2026, 2, 1))
    assert _codes(selectors.procedure_search(query="dang ky khai sinh")) == ["1.001193", "1.004884"]
    assert selectors.procedure_search(query="dang ky khai sinh")[0].number == 2


def test_a_typo_finds_nothing_on_sqlite(catalog: dict[str, ProcedureVersion]) -> None:
    if settings.IS_POSTGRES:
        pytest.skip("PostgreSQL falls back to trigram similarity")
    assert selectors.procedure_search(query="giay phep xay dugn") == []


@pytest.mark.postgres
def test_a_typo_still_finds_the_building_permit_on_postgresql(catalog: dict[str, ProcedureVersion]) -> None:
    if not settings.IS_POSTGRES:
        pytest.skip("trigram search needs PostgreSQL (pg_trgm)")
    assert _codes(selectors.procedure_search(query="giay phep xay dugn"))[0] == "1.013225"


@pytest.mark.postgres
def test_an_unrelated_phrase_finds_nothing_even_on_postgresql(catalog: dict[str, ProcedureVersion]) -> None:
    assert selectors.procedure_search(query="giay phep lai xe") == []


@pytest.mark.postgres
def test_the_trigram_index_exists_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index is PostgreSQL-only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'catalog_version_search_trgm'")
        row = cursor.fetchone()
    assert row is not None and "gin_trgm_ops" in row[0]


def test_procedure_version_for_code_returns_the_version_in_force(
    catalog: dict[str, ProcedureVersion],
) -> None:
    found = selectors.procedure_version_for_code(code="1.001193", on=dt.date(2026, 6, 1))
    assert found == catalog["birth"]
    assert selectors.procedure_version_for_code(code="1.001193", on=dt.date(2025, 6, 1)) is None
    assert selectors.procedure_version_for_code(code="9.999999") is None


def test_the_word_index_follows_edits_and_deletes_of_drafts(catalog: dict[str, ProcedureVersion]) -> None:
    """The FTS5 triggers (SQLite) and the expression index (PostgreSQL) follow every change of search_text."""
    from cchc.catalog.models import VersionStatus

    birth = catalog["birth"]
    draft = services.procedure_version_create_draft(
        procedure=birth.procedure, name="Thủ tục đăng ký khai tử mẫu", copy_from=birth
    )
    services.procedure_version_publish(version=draft, valid_from=dt.date(2026, 3, 1))
    assert "1.001193" in _codes(selectors.procedure_search(query="khai tu mau"))
    assert draft.status == VersionStatus.PUBLISHED
    third = services.procedure_version_create_draft(
        procedure=birth.procedure, name="Tên nháp xyz", copy_from=birth
    )
    assert selectors.procedure_search(query="xyz") == []  # drafts are never found
    services.procedure_version_delete_draft(version=third)
    assert selectors.procedure_search(query="khai tu mau")[0].name == "Thủ tục đăng ký khai tử mẫu"
