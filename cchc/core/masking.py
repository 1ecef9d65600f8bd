"""Masking personal data for lists, exports and logs (Decree 13/2023/NĐ-CP).

No more than half of a value is ever shown: a national ID number (CCCD, 12 digits) keeps its first 3 and last 3
characters ("079203001234" → "079******234"); a shorter identifier (old 9-digit ID card, 10-digit tax code)
keeps only its last 3; anything under 6 characters is masked entirely. A phone number keeps its last 3 digits.
"""

from __future__ import annotations

MASK = "*"


def mask_id_number(value: str | None) -> str:
    """The ID number with all but its edges replaced by "*"; "" for an empty value."""
    text = (value or "").strip()
    n = len(text)
    if n == 0:
        return ""
    if n >= 12:
        return text[:3] + MASK * (n - 6) + text[-3:]
    if n >= 6:
        return MASK * (n - 3) + text[-3:]
    return MASK * n


def mask_phone(value: str | None) -> str:
    """The phone number's digits, all but the last 3 replaced by "*"; "" for an empty value.

    Spaces, dots, dashes and a leading "+" are dropped, so the length shown is the number of digits.
    """
    digits = "".join(char for char in (value or "") if char in "0123456789")
    n = len(digits)
    if n == 0:
        return ""
    if n >= 6:
        return MASK * (n - 3) + digits[-3:]
    return MASK * n
