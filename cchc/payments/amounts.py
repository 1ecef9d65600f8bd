"""Money as people read it: "50.000 đ" in lists, and in words on the receipt (số tiền bằng chữ)."""

from __future__ import annotations

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# Groups of three digits; "nghìn tỷ" for the fifth group (10^12), the largest amount read here.
_SCALES = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ")


def format_vnd(amount: int) -> str:
    """50000 → "50.000 đ" (dots between thousands, as written in Vietnam)."""
    return f"{amount:,}".replace(",", ".") + " đ"


def _group_words(number: int, *, inner: bool) -> list[str]:
    """Words for 0-999; `inner` when a higher group precedes, so "không trăm" and "linh" are read out."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or inner:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and (hundreds or inner):
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        elif units == 4 and tens >= 2:
            words.append("tư")
        else:
            words.append(_DIGITS[units])
    return words


def vnd_in_words(amount: int) -> str:
    """1005000 → "Một triệu không trăm linh năm nghìn đồng"; up to 999.999 nghìn tỷ."""
    if amount < 0 or amount >= 1000 ** len(_SCALES):
        raise ValueError(f"Số tiền ngoài phạm vi đọc được: {amount}")
    if amount == 0:
        return "Không đồng"
    groups: list[int] = []
    while amount:
        groups.append(amount % 1000)
        amount //= 1000
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        words += _group_words(group, inner=index < len(groups) - 1)
        if _SCALES[index]:
            words.append(_SCALES[index])
    text = " ".join(words) + " đồng"
    return text[0].upper() + text[1:]
