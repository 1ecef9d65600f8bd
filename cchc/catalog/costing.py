"""Compliance cost of a procedure by the standard-cost method (phương pháp chi phí chuẩn).

Circular 07/2014/TT-BTP (verify: the exact form of the method was not at hand), DOMAIN.md §2:
    cost per dossier = hours spent × hourly wage rate + fees and charges + other direct costs
    yearly cost      = cost per dossier × dossiers per year
computed before and after the proposed cuts; saving = before − after; saving rate = saving ÷ before.
Money is whole VND, rounded half up once per dossier.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cchc.catalog.models import SimplificationReview


@dataclass(frozen=True)
class CostInputs:
    hours_per_dossier: Decimal
    wage_rate_vnd: int
    fees_vnd: int
    other_costs_vnd: int
    yearly_dossiers: int


@dataclass(frozen=True)
class CostComparison:
    per_dossier_before: int
    per_dossier_after: int
    yearly_before: int
    yearly_after: int
    yearly_saving: int
    saving_rate_percent: Decimal  # two decimals, e.g. Decimal("37.50")


def cost_per_dossier(*, hours: Decimal, wage_rate_vnd: int, fees_vnd: int, other_costs_vnd: int) -> int:
    """Hours × wage rate + fees + other direct costs, in whole VND."""
    labour = (Decimal(hours) * wage_rate_vnd).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(labour) + fees_vnd + other_costs_vnd


def yearly_cost(*, per_dossier_vnd: int, yearly_dossiers: int) -> int:
    return per_dossier_vnd * yearly_dossiers


def saving_rate_percent(*, before: int, after: int) -> Decimal:
    """(before − after) ÷ before × 100, two decimals; 0 when there was no cost."""
    if before <= 0:
        return Decimal("0.00")
    return (Decimal(before - after) * 100 / before).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def compare(*, before: CostInputs, after: CostInputs) -> CostComparison:
    def per(inputs: CostInputs) -> int:
        return cost_per_dossier(
            hours=inputs.hours_per_dossier,
            wage_rate_vnd=inputs.wage_rate_vnd,
            fees_vnd=inputs.fees_vnd,
            other_costs_vnd=inputs.other_costs_vnd,
        )

    per_before, per_after = per(before), per(after)
    yearly_before = yearly_cost(per_dossier_vnd=per_before, yearly_dossiers=before.yearly_dossiers)
    yearly_after = yearly_cost(per_dossier_vnd=per_after, yearly_dossiers=after.yearly_dossiers)
    return CostComparison(
        per_dossier_before=per_before,
        per_dossier_after=per_after,
        yearly_before=yearly_before,
        yearly_after=yearly_after,
        yearly_saving=yearly_before - yearly_after,
        saving_rate_percent=saving_rate_percent(before=yearly_before, after=yearly_after),
    )


def review_costs(review: SimplificationReview) -> CostComparison:
    """The before/after comparison of a review: the baseline minus the savings of its cuts."""
    cuts = list(review.cuts.all())
    before = CostInputs(
        hours_per_dossier=review.hours_per_dossier,
        wage_rate_vnd=review.wage_rate_vnd,
        fees_vnd=review.fees_vnd,
        other_costs_vnd=review.other_costs_vnd,
        yearly_dossiers=review.yearly_dossiers,
    )
    after = CostInputs(
        hours_per_dossier=max(
            review.hours_per_dossier - sum((c.hours_saved for c in cuts), Decimal(0)), Decimal(0)
        ),
        wage_rate_vnd=review.wage_rate_vnd,
        fees_vnd=max(review.fees_vnd - sum(c.fees_saved_vnd for c in cuts), 0),
        other_costs_vnd=max(review.other_costs_vnd - sum(c.other_costs_saved_vnd for c in cuts), 0),
        yearly_dossiers=review.yearly_dossiers,
    )
    return compare(before=before, after=after)
