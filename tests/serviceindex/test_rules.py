"""The default rules loaded by the data migration match DOMAIN.md §6's table, and the formulas compute it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cchc.serviceindex import formulas
from cchc.serviceindex.models import IndexComponent, IndexVersion, version_on
from cchc.serviceindex.selectors import rating_band

D = Decimal


@pytest.fixture
def rows(db: None) -> dict[str, IndexComponent]:
    version = IndexVersion.objects.get(code="766-cong-dvc-6-nhom")
    return {row.code: row for row in version.components.all()}


def test_six_groups_with_the_portal_points(rows: dict[str, IndexComponent]) -> None:
    totals: dict[str, Decimal] = {}
    for row in rows.values():
        totals[row.group] = totals.get(row.group, D(0)) + row.max_points
    assert totals == {
        "transparency": 18,
        "progress": 20,
        "online_service": 12,
        "online_payment": 10,
        "digitisation": 22,
        "satisfaction": 18,
    }
    assert sum(totals.values()) == 100
    assert len(rows) == 17


def test_thresholds_and_rules_as_in_the_table(rows: dict[str, IndexComponent]) -> None:
    assert {code for code, row in rows.items() if row.kind == "capped_threshold"} == {"5.4", "6.3"}
    assert rows["5.4"].threshold == D("0.8") and rows["6.3"].threshold == D("0.9")
    assert {code for code, row in rows.items() if row.full_when_no_data} == {"6.1", "6.2"}
    assert {code for code, row in rows.items() if row.province_only} == {"3.1", "5.6", "5.7"}
    assert {code for code, row in rows.items() if row.verify} == {"3.1", "4.1", "5.5"}
    assert rows["4.1"].params == {"a": "6", "b": "2.5", "b_cap": "2", "c": "2.5"}
    assert all("766" in row.source for row in rows.values())


def test_version_in_force(db: None) -> None:
    import datetime as dt

    assert version_on(dt.date(2026, 3, 1)).code == "766-cong-dvc-6-nhom"
    newer = IndexVersion.objects.create(code="v2", name="v2", valid_from=dt.date(2027, 1, 1), source="thử")
    assert version_on(dt.date(2026, 12, 31)).code == "766-cong-dvc-6-nhom"
    assert version_on(dt.date(2027, 1, 1)) == newer


@pytest.mark.parametrize(
    ("rate", "points"), [(D("0.9"), D("6.00")), (D("0.95"), D("6.00")), (D("0.45"), D("3.00")), (D(0), D(0))]
)
def test_dossier_satisfaction_is_full_from_90_percent(rate: Decimal, points: Decimal) -> None:
    assert formulas.capped_threshold(D(6), rate, D("0.9")) == points


@pytest.mark.parametrize(
    ("rate", "points"),
    [(D("0.8"), D("2.00")), (D("1"), D("2.00")), (D("0.4"), D("1.00")), (D("0.79"), D("1.98"))],
)
def test_reused_data_is_full_from_80_percent(rate: Decimal, points: Decimal) -> None:
    assert formulas.capped_threshold(D(2), rate, D("0.8")) == points


def test_payment_formula() -> None:
    params = {"a": "6", "b": "2.5", "b_cap": "2", "c": "2.5"}
    # 6·0.5 + min(2, 2.5·0.4 = 1) + 2.5·0.2 = 3 + 1 + 0.5
    assert formulas.payment_abc(D(10), {"A": D("0.5"), "B": D("0.4"), "C": D("0.2")}, params) == D("4.50")
    # B is capped at 2 points: 6·0 + min(2, 2.5) + 0
    assert formulas.payment_abc(D(10), {"A": D(0), "B": D(1), "C": D(0)}, params) == D("2.00")
    # Everything at 100%: 6 + 2 + 2.5 = 10.5, at most the component's 10.
    assert formulas.payment_abc(D(10), {"A": D(1), "B": D(1), "C": D(1)}, params) == D("10.00")


def test_linear_clamps_the_rate() -> None:
    assert formulas.linear(D(20), D("0.6")) == D("12.00")
    assert formulas.linear(D(6), D("1.2")) == D("6.00")
    assert formulas.linear(D(6), D("-0.1")) == D("0.00")


def test_formula_texts_are_readable() -> None:
    assert formulas.formula_text("linear", D(20), None, {}) == "20 × r"
    assert (
        formulas.formula_text("capped_threshold", D(6), D("0.9"), {})
        == "min(6; 6 × r / 0,9), đủ điểm khi r ≥ 90%"
    )
    text = formulas.formula_text("payment_abc", D(10), None, {"a": "6", "b": "2.5", "b_cap": "2", "c": "2.5"})
    assert text == "6·A + min(2; 2,5·B) + 2,5·C, tối đa 10"


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (D(100), "excellent"),
        (D(90), "excellent"),
        (D("89.99"), "verify"),
        (D(50), "verify"),
        (D("49.99"), "weak"),
    ],
)
def test_rating_bands(total: Decimal, band: str) -> None:
    assert rating_band(total) == band


def test_a_payment_component_without_coefficients_is_invalid(rows: dict[str, IndexComponent]) -> None:
    from django.core.exceptions import ValidationError

    row = rows["4.1"]
    row.params = {"a": "6"}
    with pytest.raises(ValidationError):
        row.clean()
