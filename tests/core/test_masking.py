"""Masking personal data: never more than half of a value is shown."""

from __future__ import annotations

import pytest

from cchc.core.masking import mask_id_number, mask_phone


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("079203001234", "079******234"),
        (" 079203001234 ", "079******234"),
        ("0792030012345", "079*******345"),
        ("123456789", "******789"),  # old 9-digit ID card
        ("0312345678", "*******678"),  # 10-digit tax code
        ("123456", "***456"),
        ("12345", "*****"),
        ("1", "*"),
        ("", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_id_numbers_are_masked(value: str | None, masked: str) -> None:
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("0912345678", "*******678"),
        ("+84 912 345 678", "********678"),
        ("0912.345.678", "*******678"),
        ("12345", "*****"),
        ("", ""),
        ("không có", ""),
        (None, ""),
    ],
)
def test_phone_numbers_keep_their_last_three_digits(value: str | None, masked: str) -> None:
    assert mask_phone(value) == masked


def test_a_masked_id_never_shows_more_than_half() -> None:
    for n in range(1, 25):
        masked = mask_id_number("9" * n)
        assert len(masked) == n
        assert masked.count("9") <= n // 2
