"""The closed set of formulas of the 766 index (DOMAIN.md §6), pure functions of rates in 0–1.

Each kind of `FormulaKind` is one function here; the component's row gives its numbers. Points are rounded to
2 decimals, as the national portal shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from cchc.serviceindex.models import FormulaKind

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")


def quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _clamp(rate: Decimal) -> Decimal:
    return min(max(rate, ZERO), ONE)


def linear(max_points: Decimal, rate: Decimal) -> Decimal:
    """max × r (e.g. 20·r for dossiers on time)."""
    return quantize(max_points * _clamp(rate))


def capped_threshold(max_points: Decimal, rate: Decimal, threshold: Decimal) -> Decimal:
    """min(max, max × r / threshold): full points from the threshold on (0.9 satisfaction, 0.8 reused data)."""
    return quantize(min(max_points, max_points * _clamp(rate) / threshold))


def payment_abc(max_points: Decimal, rates: Mapping[str, Decimal], params: Mapping[str, Any]) -> Decimal:
    """a·A + min(b_cap, b·B) + c·C (6·A + min(2, 2.5·B) + 2.5·C by default), at most the component's maximum."""
    a, b, b_cap, c = (Decimal(str(params[name])) for name in ("a", "b", "b_cap", "c"))
    total = a * _clamp(rates["A"]) + min(b_cap, b * _clamp(rates["B"])) + c * _clamp(rates["C"])
    return quantize(min(max_points, total))


def formula_text(kind: str, max_points: Decimal, threshold: Decimal | None, params: Mapping[str, Any]) -> str:
    """The formula as a leader reads it (Vietnamese, not translated: it is notation)."""
    top = _number(max_points)
    if kind == FormulaKind.LINEAR:
        return f"{top} × r"
    if kind == FormulaKind.CAPPED_THRESHOLD:
        assert threshold is not None
        return f"min({top}; {top} × r / {_number(threshold)}), đủ điểm khi r ≥ {_percent(threshold)}"
    if kind == FormulaKind.PAYMENT_ABC:
        a, b, b_cap, c = (_number(Decimal(str(params[n]))) for n in ("a", "b", "b_cap", "c"))
        return f"{a}·A + min({b_cap}; {b}·B) + {c}·C, tối đa {top}"
    raise ValueError(kind)


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _percent(rate: Decimal) -> str:
    return f"{_number(rate * 100)}%"


def points_for(
    kind: str,
    *,
    max_points: Decimal,
    rate: Decimal,
    threshold: Decimal | None,
    params: Mapping[str, Any],
    sub_rates: Mapping[str, Decimal] | None = None,
) -> Decimal:
    """Dispatch on the closed set of kinds."""
    if kind == FormulaKind.LINEAR:
        return linear(max_points, rate)
    if kind == FormulaKind.CAPPED_THRESHOLD:
        assert threshold is not None
        return capped_threshold(max_points, rate, threshold)
    if kind == FormulaKind.PAYMENT_ABC:
        assert sub_rates is not None
        return payment_abc(max_points, sub_rates, params)
    raise ValueError(kind)
