"""The optional evaluation of the handling (Decree 118/2025 Art. 33): 9 indicators of 0-2 points, 18 in all,
graded >15 excellent, 12-15 good, 9-11 fair, 6-8 average, <6 weak (DOMAIN.md §5, verify)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from cchc.dossiers.history import history_verify
from cchc.dossiers.lifecycle import RuleBroken
from cchc.dossiers.models import DossierEvent
from cchc.portal import services
from cchc.portal.models import Evaluation
from cchc.portal.rules import (
    GRADE_BANDS,
    INDICATOR_COUNT,
    INDICATORS,
    MAX_TOTAL,
    POINTS_PER_INDICATOR,
    EvaluationGrade,
    evaluation_grade,
)
from cchc.portal.services import AlreadyGiven, NotReturnedYet
from tests.dossiers.conftest import World
from tests.portal.factories import resolved, returned

EVALUATE = "/tra-cuu/danh-gia-chi-tiet/"


def test_nine_indicators_of_two_points_make_eighteen() -> None:
    assert len(INDICATORS) == INDICATOR_COUNT == 9
    assert POINTS_PER_INDICATOR == 2
    assert MAX_TOTAL == 18
    assert len(set(map(str, INDICATORS))) == 9


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (18, EvaluationGrade.EXCELLENT),
        (16, EvaluationGrade.EXCELLENT),  # > 15
        (15, EvaluationGrade.GOOD),
        (12, EvaluationGrade.GOOD),  # 12 belongs to "12-15"
        (11, EvaluationGrade.FAIR),
        (9, EvaluationGrade.FAIR),
        (8, EvaluationGrade.AVERAGE),
        (6, EvaluationGrade.AVERAGE),
        (5, EvaluationGrade.WEAK),  # < 6
        (0, EvaluationGrade.WEAK),
    ],
)
def test_grade_at_the_boundaries(total: int, grade: EvaluationGrade) -> None:
    assert evaluation_grade(total) == grade


def test_bands_run_from_the_top_down_to_zero() -> None:
    lows = [low for low, _grade in GRADE_BANDS]
    assert lows == sorted(lows, reverse=True) and lows[-1] == 0


@pytest.mark.parametrize("total", [-1, 19])
def test_a_total_out_of_range_has_no_grade(total: int) -> None:
    with pytest.raises(ValueError):
        evaluation_grade(total)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scores", "total", "grade"),
    [
        ([2] * 8 + [0], 16, EvaluationGrade.EXCELLENT),
        ([2] * 7 + [1, 0], 15, EvaluationGrade.GOOD),
        ([2] * 6 + [0] * 3, 12, EvaluationGrade.GOOD),
        ([1] * 9 + [], 9, EvaluationGrade.FAIR),
        ([1] * 6 + [0] * 3, 6, EvaluationGrade.AVERAGE),
        ([1] * 5 + [0] * 4, 5, EvaluationGrade.WEAK),
    ],
)
def test_evaluation_is_stored_with_total_grade_and_history(
    world: World, scores: list[int], total: int, grade: EvaluationGrade
) -> None:
    dossier = returned(world)
    evaluation = services.evaluation_give(dossier=dossier, scores=scores)
    evaluation.refresh_from_db()
    assert evaluation.scores == tuple(scores)
    assert (evaluation.total, evaluation.grade) == (total, grade)
    event = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    assert event is not None and event.action == "evaluate"
    assert event.changes == {"scores": scores, "total": total, "grade": grade.value}
    assert history_verify(dossier_ids=[dossier.pk]) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "scores",
    [[2] * 8, [2] * 10, [3] + [0] * 8, [-1] + [0] * 8, [True] + [0] * 8, ["2"] + [0] * 8],
)
def test_bad_scores_are_refused(world: World, scores: list[object]) -> None:
    with pytest.raises(RuleBroken, match="9 chỉ số"):
        services.evaluation_give(dossier=returned(world), scores=scores)  # type: ignore[arg-type]
    assert not Evaluation.objects.exists()


@pytest.mark.django_db
def test_evaluation_before_return_is_refused(world: World) -> None:
    with pytest.raises(NotReturnedYet):
        services.evaluation_give(dossier=resolved(world), scores=[2] * 9)
    assert not Evaluation.objects.exists()


@pytest.mark.django_db
def test_a_second_evaluation_is_refused(world: World) -> None:
    dossier = returned(world)
    services.evaluation_give(dossier=dossier, scores=[2] * 9)
    with pytest.raises(AlreadyGiven):
        services.evaluation_give(dossier=dossier, scores=[0] * 9)
    assert Evaluation.objects.get().total == 18


@pytest.mark.django_db
def test_the_database_refuses_a_score_above_two_or_a_wrong_total(world: World) -> None:
    dossier = returned(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(
            dossier=dossier,
            **{f"score_{n}": 3 if n == 1 else 0 for n in range(1, 10)},
            total=3,
            grade="weak",
            evaluated_at=timezone.now(),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(
            dossier=dossier,
            **{f"score_{n}": 1 for n in range(1, 10)},
            total=10,
            grade="fair",
            evaluated_at=timezone.now(),
        )


# -- on the page ----------------------------------------------------------------------------------------------------
def _form(dossier: object, **scores: str) -> dict[str, str]:
    data = {"ma": dossier.code, "khoa": dossier.lookup_key}  # type: ignore[attr-defined]
    data.update({f"chi_so_{n}": "2" for n in range(1, 10)})
    data.update(scores)
    return data


@pytest.mark.django_db
def test_the_page_shows_the_nine_indicators_without_javascript(world: World, client: Client) -> None:
    dossier = returned(world)
    html = client.get(f"/tra-cuu/?ma={dossier.code}&khoa={dossier.lookup_key}").content.decode()
    assert "<details" in html and "Đánh giá chi tiết theo 9 chỉ số (không bắt buộc)" in html
    for n, text in enumerate(INDICATORS, start=1):
        assert str(text) in html
        assert f'name="chi_so_{n}"' in html


@pytest.mark.django_db
def test_evaluate_from_the_page(world: World, client: Client) -> None:
    dossier = returned(world)
    response = client.post(EVALUATE, _form(dossier, chi_so_9="0", chi_so_8="1"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cảm ơn Ông/Bà đã đánh giá việc giải quyết thủ tục hành chính." in html
    assert "Ông/Bà đã đánh giá: 15/18 điểm, xếp loại Tốt." in html
    assert Evaluation.objects.get(dossier=dossier).total == 15


@pytest.mark.django_db
def test_a_missing_or_forged_score_on_the_page_is_400(world: World, client: Client) -> None:
    dossier = returned(world)
    data = _form(dossier, chi_so_3="5")
    del data["chi_so_4"]
    response = client.post(EVALUATE, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Điểm không hợp lệ." in html and "Vui lòng chấm điểm chỉ số này." in html
    assert "<details open" in html
    assert not Evaluation.objects.exists()


@pytest.mark.django_db
def test_evaluate_with_a_wrong_key_is_not_found(world: World, client: Client) -> None:
    dossier = returned(world)
    response = client.post(EVALUATE, {**_form(dossier), "khoa": "WRONGKEY"})
    assert response.status_code == 404
    assert not Evaluation.objects.exists()


@pytest.mark.django_db
def test_second_evaluation_on_the_page_is_409(world: World, client: Client) -> None:
    dossier = returned(world)
    client.post(EVALUATE, _form(dossier))
    again = client.post(EVALUATE, _form(dossier, chi_so_1="0"))
    assert again.status_code == 409
    assert "chỉ được đánh giá một lần" in again.content.decode()
    assert Evaluation.objects.get().total == 18
