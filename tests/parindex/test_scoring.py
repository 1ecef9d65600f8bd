"""The PAR Index arithmetic by hand on the small set of tests/parindex/conftest.py."""

from __future__ import annotations

from decimal import Decimal

from cchc.parindex.scoring import TreeNode, band_of, ranks, score
from tests.parindex.conftest import ROWS

D = Decimal
NODES = [
    TreeNode(row["code"], row["parent"] or None, D(row["max_points"]), row.get("method", "")) for row in ROWS
]
SCORES = {"1.1.1": D("3.5"), "1.1.2": D(5), "1.1.3": D("1.5"), "1.2": D(4), "2.1.1": D(3), "2.1.2": D(1)}


def test_points_with_caps_and_a_deduction() -> None:
    result = score(NODES, SCORES)
    # 1.1.2 is capped at its 2; the deduction at its 1: 1.1 = 3.5 + 2 − 1 = 4.5.
    assert result.points["1.1.2"] == D(2)
    assert result.points["1.1"] == D("4.5")
    assert result.points["1"] == D("8.5")
    assert result.points["2"] == D(4)
    # 12.5 / 16 = 78.125 → 78.13, band C.
    assert (result.total, result.maximum, result.index, result.band) == (D("12.5"), D(16), D("78.13"), "C")


def test_without_the_survey_the_appraised_points_are_rescaled() -> None:
    result = score(NODES, SCORES, with_survey=False)
    # (8.5 + 1) / (16 − 4) = 79.1666… → 79.17.
    assert (result.total, result.maximum, result.index) == (D("9.5"), D(12), D("79.17"))


def test_a_deduction_never_takes_a_criterion_below_zero() -> None:
    result = score(NODES, {"1.1.3": D(1)})
    assert result.points["1.1"] == 0
    assert result.total == 0 and result.index == 0 and result.band is None


def test_negative_and_missing_scores_count_zero() -> None:
    result = score(NODES, {"1.1.1": D(-2), "1.2": None})
    assert result.points["1.1.1"] == 0 and result.points["1.2"] == 0


def test_full_marks_is_100_and_band_a() -> None:
    full = {node.code: node.max_points for node in NODES if node.method and node.method != "deduction"}
    result = score(NODES, full)
    assert (result.index, result.band) == (D(100), "A")


def test_bands_at_their_edges() -> None:
    assert [band_of(D(v)) for v in ("90", "89.99", "80", "79.99", "70", "69.99")] == [
        "A",
        "B",
        "B",
        "C",
        "C",
        None,
    ]


def test_equal_indexes_share_a_rank() -> None:
    assert ranks({1: D(90), 2: D(85), 3: D(85), 4: D(70)}) == {1: 1, 2: 2, 3: 2, 4: 4}
