"""Money in figures ("50.000 đ") and in words, as printed on the receipt."""

from __future__ import annotations

import pytest

from cchc.payments.amounts import format_vnd, vnd_in_words


@pytest.mark.parametrize(
    ("amount", "text"), [(0, "0 đ"), (5_000, "5.000 đ"), (50_000, "50.000 đ"), (1_234_567, "1.234.567 đ")]
)
def test_format_vnd(amount: int, text: str) -> None:
    assert format_vnd(amount) == text


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (5_000, "Năm nghìn đồng"),
        (15_000, "Mười lăm nghìn đồng"),
        (21_000, "Hai mươi mốt nghìn đồng"),
        (24_000, "Hai mươi tư nghìn đồng"),
        (50_000, "Năm mươi nghìn đồng"),
        (70_000, "Bảy mươi nghìn đồng"),
        (105_000, "Một trăm linh năm nghìn đồng"),
        (1_500_000, "Một triệu năm trăm nghìn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (2_000_010, "Hai triệu không trăm mười đồng"),
        (
            999_999_999,
            "Chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng",
        ),
        (1_000_000_000, "Một tỷ đồng"),
    ],
)
def test_vnd_in_words(amount: int, words: str) -> None:
    assert vnd_in_words(amount) == words


def test_negative_amount_is_refused() -> None:
    with pytest.raises(ValueError):
        vnd_in_words(-1)
