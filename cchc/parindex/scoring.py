"""The PAR Index's arithmetic (cách tính Chỉ số CCHC; DOMAIN.md §7), on a criteria tree and leaf scores.

- A scored leaf earns its score, held between 0 and its maximum (a score above the maximum is capped).
- A deduction leaf (điểm trừ) takes its score away from its parent, up to its own maximum.
- An inner node earns the sum of its children's points less their deductions, held between 0 and its maximum.
- The index is the areas' points ÷ the areas' maxima × 100. A unit scored without the sociological survey is
  rescaled: its appraised points ÷ the maxima of the leaves not scored by survey × 100.
- Bands: A from 90, B from 80 to under 90, C from 70 to under 80 (Decision 876/QĐ-BNV's grouping, used by the
  provinces for their units); under 70 has no band.
- Ranking: highest index first; equal indexes share a rank (1, 2, 2, 4).
Figures are kept exact (Decimal) and the index is rounded half up to 2 decimals only at the end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from cchc.parindex.models import Method

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
BANDS: tuple[tuple[Decimal, str], ...] = ((Decimal(90), "A"), (Decimal(80), "B"), (Decimal(70), "C"))


@dataclass(frozen=True)
class TreeNode:
    code: str
    parent: str | None
    max_points: Decimal
    method: str  # empty for an inner node


@dataclass(frozen=True)
class Result:
    """A unit's points per node code, its total, the maximum it is measured against, and its index."""

    points: dict[str, Decimal]
    maxima: dict[str, Decimal]  # what each node is measured against (survey leaves out when rescaled)
    total: Decimal
    maximum: Decimal
    index: Decimal
    with_survey: bool

    @property
    def band(self) -> str | None:
        return band_of(self.index)


def band_of(index: Decimal) -> str | None:
    for threshold, band in BANDS:
        if index >= threshold:
            return band
    return None


def _clamp(value: Decimal, high: Decimal) -> Decimal:
    return max(Decimal(0), min(high, value))


def score(
    nodes: Iterable[TreeNode], scores: Mapping[str, Decimal | None], *, with_survey: bool = True
) -> Result:
    """Points of every node from the leaves' `scores` (a missing or None score is 0 points).

    `with_survey` False: the survey leaves are left out of both the points and the maximum (the rescaled index).
    """
    nodes = list(nodes)
    children: dict[str | None, list[TreeNode]] = defaultdict(list)
    for node in nodes:
        children[node.parent].append(node)
    points: dict[str, Decimal] = {}
    deducted: dict[str, Decimal] = {}
    counted_max: dict[str, Decimal] = {}

    def visit(node: TreeNode) -> None:
        kids = children.get(node.code, [])
        if not kids:
            raw = scores.get(node.code)
            value = _clamp(Decimal(raw) if raw is not None else Decimal(0), node.max_points)
            if node.method == Method.DEDUCTION:
                points[node.code], deducted[node.code], counted_max[node.code] = Decimal(0), value, Decimal(0)
            elif node.method == Method.SURVEY and not with_survey:
                points[node.code], counted_max[node.code] = Decimal(0), Decimal(0)
            else:
                points[node.code], counted_max[node.code] = value, node.max_points
            return
        for kid in kids:
            visit(kid)
        gained = sum((points[kid.code] for kid in kids), Decimal(0))
        lost = sum((deducted.get(kid.code, Decimal(0)) for kid in kids), Decimal(0))
        counted_max[node.code] = sum((counted_max[kid.code] for kid in kids), Decimal(0))
        points[node.code] = _clamp(gained - lost, counted_max[node.code])

    roots = children.get(None, [])
    for root in roots:
        visit(root)
    total = sum((points[root.code] for root in roots), Decimal(0)).quantize(_CENT)
    maximum = sum((counted_max[root.code] for root in roots), Decimal(0)).quantize(_CENT)
    index = (total / maximum * _HUNDRED).quantize(_CENT, rounding=ROUND_HALF_UP) if maximum else Decimal(0)
    return Result(
        points=points, maxima=counted_max, total=total, maximum=maximum, index=index, with_survey=with_survey
    )


def ranks(indexes: Mapping[int, Decimal]) -> dict[int, int]:
    """Competition ranking of unit ids by index (highest first; ties share the rank)."""
    ordered = sorted(indexes.items(), key=lambda item: -item[1])
    result: dict[int, int] = {}
    for position, (unit_id, index) in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        result[unit_id] = result[previous[0]] if previous is not None and previous[1] == index else position
    return result
