"""How an automatic criterion turns a platform rate into points (quy tắc tính điểm tự động).

A rule is short text, checked at import, so a Home Affairs officer can write it in a spreadsheet cell:
- empty, or `tỷ lệ`: proportional: points = maximum × rate;
- `bậc: 98%=4; 95%=3; 90%=2`: banded: the points of the highest threshold the rate reaches, else 0;
- `tuyến tính: 80%-100%`: linear: 0 points at or below 80%, the maximum at or above 100%, in between pro rata.
Rates are between 0 and 1; points never exceed the criterion's maximum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

_CENT = Decimal("0.01")
_PERCENT = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*%\s*$")


class RuleError(ValueError):
    """A rule that cannot be read (Vietnamese message)."""


@dataclass(frozen=True)
class Rule:
    kind: str  # "proportional", "banded", "linear"
    bands: tuple[tuple[Decimal, Decimal], ...] = ()  # (threshold rate, points), highest threshold first
    low: Decimal = Decimal(0)
    high: Decimal = Decimal(1)

    def points(self, rate: Decimal, maximum: Decimal) -> Decimal:
        rate = max(Decimal(0), min(Decimal(1), rate))
        if self.kind == "banded":
            value = next((points for threshold, points in self.bands if rate >= threshold), Decimal(0))
        elif self.kind == "linear":
            share = (rate - self.low) / (self.high - self.low)
            value = maximum * max(Decimal(0), min(Decimal(1), share))
        else:
            value = maximum * rate
        return min(maximum, value).quantize(_CENT, rounding=ROUND_HALF_UP)

    def describe(self) -> str:
        if self.kind == "banded":
            parts = "; ".join(f"≥ {_percent(t)}: {p} điểm" for t, p in self.bands)
            return _("Theo bậc: %(parts)s; thấp hơn: 0 điểm.") % {"parts": parts}
        if self.kind == "linear":
            return _("Tuyến tính: 0 điểm khi ≤ %(low)s, tối đa khi ≥ %(high)s.") % {
                "low": _percent(self.low),
                "high": _percent(self.high),
            }
        return _("Tỷ lệ: điểm tối đa × tỷ lệ.")


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%".replace(".", ",")


def _rate(text: str) -> Decimal:
    match = _PERCENT.match(text)
    if not match:
        raise RuleError(_("“%(text)s” phải là một tỷ lệ phần trăm, ví dụ 95%%.") % {"text": text.strip()})
    rate = Decimal(match.group(1).replace(",", ".")) / 100
    if rate > 1:
        raise RuleError(_("Tỷ lệ không quá 100%."))
    return rate


def _number(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation as error:
        raise RuleError(_("“%(text)s” phải là số điểm.") % {"text": text.strip()}) from error
    if not value.is_finite() or value < 0:
        raise RuleError(_("Số điểm phải không âm."))
    return value


def parse(text: str, maximum: Decimal) -> Rule:
    """The rule in `text` for a criterion worth `maximum` points; raises RuleError."""
    folded = " ".join(text.split()).casefold()
    if not folded or folded == "tỷ lệ":
        return Rule("proportional")
    kind, _sep, body = folded.partition(":")
    if kind.strip() == "bậc":
        bands = []
        for part in filter(None, (piece.strip() for piece in body.split(";"))):
            threshold, equals, points = part.partition("=")
            if not equals:
                raise RuleError(_("Mỗi bậc viết “ngưỡng%=điểm”, ví dụ 95%=3."))
            value = _number(points)
            if value > maximum:
                raise RuleError(
                    _("Điểm của bậc (%(points)s) vượt điểm tối đa (%(max)s).")
                    % {"points": value, "max": maximum}
                )
            bands.append((_rate(threshold), value))
        if not bands:
            raise RuleError(_("Cần ít nhất một bậc."))
        return Rule("banded", bands=tuple(sorted(bands, key=lambda band: -band[0])))
    if kind.strip() == "tuyến tính":
        low, dash, high = body.partition("-")
        if not dash:
            raise RuleError(_("Viết “tuyến tính: 80%-100%”."))
        rule = Rule("linear", low=_rate(low), high=_rate(high))
        if rule.high <= rule.low:
            raise RuleError(_("Ngưỡng trên phải lớn hơn ngưỡng dưới."))
        return rule
    raise RuleError(_("Quy tắc không hợp lệ: dùng “tỷ lệ”, “bậc: 95%=3; 90%=2” hoặc “tuyến tính: 80%-100%”."))
