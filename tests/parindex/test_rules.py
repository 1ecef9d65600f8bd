"""Rules that turn a platform rate into points, by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cchc.parindex.rules import RuleError, parse

D = Decimal


def test_proportional_is_the_default() -> None:
    assert parse("", D(4)).points(D("0.755"), D(4)) == D("3.02")
    assert parse("Tỷ lệ", D(4)).points(D("1.2"), D(4)) == D(4)  # a rate above 1 is held at 1


def test_banded_takes_the_highest_threshold_reached() -> None:
    rule = parse("bậc: 90%=2; 98%=4; 95%=3", D(4))
    assert [rule.points(D(r), D(4)) for r in ("0.99", "0.98", "0.9799", "0.95", "0.9", "0.8999", "0")] == [
        D(4), D(4), D(3), D(3), D(2), D(0), D(0)
    ]  # fmt: skip
    assert rule.describe() == "Theo bậc: ≥ 98%: 4 điểm; ≥ 95%: 3 điểm; ≥ 90%: 2 điểm; thấp hơn: 0 điểm."


def test_linear_between_two_thresholds() -> None:
    rule = parse("Tuyến tính: 80% - 100%", D(3))
    assert [rule.points(D(r), D(3)) for r in ("0.8", "0.9", "0.95", "1", "0.5")] == [
        D(0), D("1.50"), D("2.25"), D(3), D(0)
    ]  # fmt: skip
    assert parse("tuyến tính: 80,5%-100%", D(3)).low == D("0.805")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bậc: 95%=5", "vượt điểm tối đa"),
        ("bậc: 95=3", "phải là một tỷ lệ phần trăm"),
        ("bậc: 95%:3", "ngưỡng%=điểm"),
        ("bậc:", "ít nhất một bậc"),
        ("bậc: 120%=1", "không quá 100%"),
        ("bậc: 95%=ba", "phải là số điểm"),
        ("tuyến tính: 100%-80%", "Ngưỡng trên phải lớn hơn"),
        ("tuyến tính: 80%", "tuyến tính: 80%-100%"),
        ("lũy thừa", "Quy tắc không hợp lệ"),
    ],
)
def test_bad_rules_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        parse(text, D(4))
