"""Simplification reviews and the standard-cost method (Circular 07/2014/TT-BTP, verify)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cchc.catalog import costing, services
from cchc.catalog.models import CutKind, FeeRule, ProcedureVersion, ReviewStatus, SimplificationReview

pytestmark = pytest.mark.django_db


def test_cost_per_dossier_is_hours_times_wage_plus_fees_plus_direct_costs() -> None:
    # 2.5 h × 40,000 đ/h = 100,000; + 50,000 fee + 30,000 travel = 180,000 đ
    assert (
        costing.cost_per_dossier(
            hours=Decimal("2.5"), wage_rate_vnd=40_000, fees_vnd=50_000, other_costs_vnd=30_000
        )
        == 180_000
    )


def test_a_small_case_computed_by_hand() -> None:
    before = costing.CostInputs(Decimal(4), 30_000, 100_000, 20_000, 1_000)  # 120k + 100k + 20k = 240,000
    after = costing.CostInputs(Decimal(2), 30_000, 50_000, 20_000, 1_000)  # 60k + 50k + 20k = 130,000
    result = costing.compare(before=before, after=after)
    assert (result.per_dossier_before, result.per_dossier_after) == (240_000, 130_000)
    assert (result.yearly_before, result.yearly_after) == (240_000_000, 130_000_000)
    assert result.yearly_saving == 110_000_000
    assert result.saving_rate_percent == Decimal("45.83")  # 110 / 240


def test_labour_cost_rounds_half_up_to_whole_dong() -> None:
    assert (
        costing.cost_per_dossier(hours=Decimal("0.25"), wage_rate_vnd=10_002, fees_vnd=0, other_costs_vnd=0)
        == 2_501
    )


def test_saving_rate_of_a_costless_procedure_is_zero() -> None:
    assert costing.saving_rate_percent(before=0, after=0) == Decimal("0.00")


@pytest.fixture
def review(draft: ProcedureVersion) -> SimplificationReview:
    return services.review_create(
        version=draft,
        yearly_dossiers=1_000,
        wage_rate_vnd=30_000,
        hours_per_dossier=Decimal(4),
        fees_vnd=100_000,
        other_costs_vnd=20_000,
    )


def test_review_costs_subtract_the_cuts(review: SimplificationReview) -> None:
    services.review_add_cut(
        review=review,
        kind=CutKind.COMPONENT,
        description="Bỏ bản sao CCCD (khai thác CSDL dân cư)",
        value_before="2 giấy tờ",
        value_after="1 giấy tờ",
        hours_saved=Decimal(2),
    )
    services.review_add_cut(
        review=review,
        kind=CutKind.FEE,
        description="Giảm lệ phí",
        value_before="100.000 đ",
        value_after="50.000 đ",
        fees_saved_vnd=50_000,
    )
    result = costing.review_costs(review)
    assert (result.yearly_before, result.yearly_after, result.saving_rate_percent) == (
        240_000_000,
        130_000_000,
        Decimal("45.83"),
    )


def test_review_fees_default_to_the_versions_only_fee(draft: ProcedureVersion) -> None:
    draft.fees.update(amount_vnd=25_000)
    review = services.review_create(
        version=draft, yearly_dossiers=10, wage_rate_vnd=1, hours_per_dossier=Decimal(1)
    )
    assert review.fees_vnd == 25_000


def test_alternative_fee_rules_are_not_summed_the_fee_must_be_given(draft: ProcedureVersion) -> None:
    draft.fees.update(amount_vnd=100_000, case="Cấp mới")
    FeeRule.objects.create(version=draft, case="Cấp lại", amount_vnd=50_000, order=2)
    with pytest.raises(ValidationError, match="hãy nhập phí, lệ phí"):
        services.review_create(
            version=draft, yearly_dossiers=10, wage_rate_vnd=1, hours_per_dossier=Decimal(1)
        )
    review = services.review_create(
        version=draft, yearly_dossiers=10, wage_rate_vnd=1, hours_per_dossier=Decimal(1), fees_vnd=50_000
    )
    assert review.fees_vnd == 50_000


def test_an_unknown_fee_amount_must_be_given(draft: ProcedureVersion) -> None:
    draft.fees.update(amount_vnd=None)
    with pytest.raises(ValidationError, match="chưa xác định; hãy nhập"):
        services.review_create(
            version=draft, yearly_dossiers=10, wage_rate_vnd=1, hours_per_dossier=Decimal(1)
        )
    assert not SimplificationReview.objects.exists()


def test_savings_cannot_exceed_the_baseline(review: SimplificationReview) -> None:
    with pytest.raises(ValidationError, match="vượt quá số giờ"):
        services.review_add_cut(review=review, kind=CutKind.TIME, description="x", hours_saved=Decimal(5))
    with pytest.raises(ValidationError, match="vượt quá mức phí"):
        services.review_add_cut(review=review, kind=CutKind.FEE, description="x", fees_saved_vnd=100_001)


def test_review_goes_draft_submitted_approved(review: SimplificationReview) -> None:
    services.review_add_cut(review=review, kind=CutKind.STEP, description="Gộp bước", hours_saved=Decimal(1))
    services.review_submit(review=review)
    assert SimplificationReview.objects.get().status == ReviewStatus.SUBMITTED
    services.review_approve(review=review, reviewer_notes="Đồng ý")
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED and review.approved_at and review.reviewer_notes == "Đồng ý"


def test_a_review_without_cuts_cannot_be_submitted(review: SimplificationReview) -> None:
    with pytest.raises(ValidationError, match="chưa có phương án"):
        services.review_submit(review=review)


def test_a_draft_review_cannot_be_approved(review: SimplificationReview) -> None:
    with pytest.raises(ValidationError, match="Chỉ rà soát đã trình"):
        services.review_approve(review=review)


def test_cuts_cannot_be_added_after_submission(review: SimplificationReview) -> None:
    services.review_add_cut(review=review, kind=CutKind.OTHER, description="x")
    services.review_submit(review=review)
    with pytest.raises(ValidationError, match="dự thảo"):
        services.review_add_cut(review=review, kind=CutKind.OTHER, description="y")
