"""The satisfaction survey: questionnaire and answers imported with row errors, indexes by hand, and the survey
criteria of the PAR Index filled from them."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook

from cchc.parindex import workflow
from cchc.parindex.models import Assessment, Questionnaire, SurveyAnswerCount, SurveyMethod
from cchc.parindex.selectors import assessment_results
from cchc.parindex.services import ImportRejected
from cchc.parindex.survey import ANSWER_COLUMNS, answers_import, questionnaire_import, survey_indexes
from tests.dossiers.conftest import World, at

pytestmark = pytest.mark.django_db
D = Decimal

DEFINITION = {
    "format": "cchc-sipas",
    "year": 2026,
    "name": "Khảo sát sự hài lòng 2026",
    "factors": [
        {"code": "TC", "name": "Tiếp cận dịch vụ", "questions": [
            {"code": "TC1", "text": "Nơi ngồi chờ có đủ chỗ ngồi"}, {"code": "TC2", "text": "Trang thiết bị đầy đủ"}]},
        {"code": "CC", "name": "Công chức giải quyết", "questions": [
            {"code": "CC1", "text": "Công chức lịch sự"}, {"code": "CC2", "text": "Công chức hướng dẫn tận tình"}]},
    ],
}  # fmt: skip


def _questionnaire(**changes: Any) -> Questionnaire:
    return questionnaire_import(json.dumps(DEFINITION | changes, ensure_ascii=False).encode())


def _xlsx(rows: list[list[Any]], header: tuple[str, ...] = ANSWER_COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _answers(world: World) -> list[list[Any]]:
    j = world.justice.identifier
    return [[j, "TC1", 0, 1, 1, 3, 5], [j, "TC2", 2, 0, 0, 0, 2], [j, "CC1", 0, 0, 0, 0, 4]]


def test_the_indexes_by_hand(world: World) -> None:
    questionnaire = _questionnaire()
    assert answers_import(questionnaire, _xlsx(_answers(world))) == 3
    index = survey_indexes(questionnaire, [world.justice.pk, world.construction.pk])
    justice = index[world.justice.pk]
    # TC1 (3 + 5) / 10 = 0.8; TC2 2 / 4 = 0.5; factor TC 0.65. CC1 4 / 4 = 1; CC2 unanswered; factor CC 1.
    assert justice.questions == {"TC1": D("0.8"), "TC2": D("0.5"), "CC1": D(1)}
    assert justice.factors == {"TC": D("0.65"), "CC": D(1)}
    assert (justice.overall, justice.answers) == (D("0.825"), 18)
    assert world.construction.pk not in index
    Questionnaire.objects.filter(pk=questionnaire.pk).update(method=SurveyMethod.MEAN_SCORE)
    questionnaire.refresh_from_db()
    mean = survey_indexes(questionnaire, [world.justice.pk])[world.justice.pk]
    # TC1 mean (2 + 3 + 12 + 25) / 10 = 4.2 → 0.8; TC2 mean (2 + 10) / 4 = 3 → 0.5; CC1 5 → 1.
    assert mean.questions == {"TC1": D("0.8"), "TC2": D("0.5"), "CC1": D(1)}


def test_bad_definitions_and_rows_are_refused_whole(world: World) -> None:
    with pytest.raises(ImportRejected) as caught:
        _questionnaire(year="năm nay", method="bốc thăm", factors=[
            {"code": "TC", "name": "A", "questions": [{"code": "Q", "text": "x"}]},
            {"code": "TC", "name": "B", "questions": [{"code": "Q", "text": "y"}]},
            {"code": "", "name": "C", "questions": []},
        ])  # fmt: skip
    errors = [str(error) for error in caught.value.errors]
    assert errors[0] == "JSON, dòng 1, cột year: Phải là một năm, ví dụ 2026."
    assert any("cột method: Không hợp lệ" in e for e in errors)
    assert "factors, dòng 2, cột code: Mã “TC” bị trùng." in errors
    assert "factors, dòng 2, cột questions: Mã “Q” bị trùng." in errors
    assert "factors, dòng 3, cột code, name: Yếu tố cần mã và tên." in errors
    assert not Questionnaire.objects.exists()
    questionnaire = _questionnaire()
    rows = [
        [world.justice.identifier, "TC1", 1, 1, 1, 1, 1],
        ["000.99.99.H99", "TC1", 0, 0, 0, 0, 1],
        [world.justice.identifier, "XX9", 0, 0, 0, 0, 1],
        [world.construction.identifier, "TC1", 0, -1, 0, 2.5, 1],
        [world.justice.identifier, "TC1", 0, 0, 0, 0, 1],
    ]
    with pytest.raises(ImportRejected) as caught:
        answers_import(questionnaire, _xlsx(rows))
    assert [str(e) for e in caught.value.errors] == [
        "Sheet, dòng 3, cột Mã đơn vị: Không có đơn vị mã “000.99.99.H99”.",
        "Sheet, dòng 4, cột Mã câu hỏi: Không có câu hỏi mã “XX9” trong bộ câu hỏi.",
        "Sheet, dòng 5, cột Mức 2: Phải là số nguyên không âm.",
        "Sheet, dòng 5, cột Mức 4: Phải là số nguyên không âm.",
        "Sheet, dòng 6, cột Mã câu hỏi: Đơn vị và câu hỏi này đã có ở dòng trên.",
    ]
    assert not SurveyAnswerCount.objects.exists()
    with pytest.raises(ImportRejected, match="lỗi") as caught:
        answers_import(questionnaire, _xlsx([], header=("Đơn vị", "Câu hỏi")))
    assert "Dòng tiêu đề phải là các cột này" in str(caught.value.errors[0])
    with pytest.raises(ImportRejected):
        answers_import(questionnaire, b"not a workbook")


def test_the_survey_fills_the_survey_criterion(
    world: World, assessment: Assessment, home_affairs: Any
) -> None:
    questionnaire = _questionnaire()
    answers_import(questionnaire, _xlsx(_answers(world)))
    Assessment.objects.filter(pk=assessment.pk).update(questionnaire=questionnaire)
    unit = assessment.units.get(unit=world.justice)
    workflow.self_score(unit_assessment=unit, criterion=assessment.criteria_set.criteria.get(code="2.1.2"),
                        points=D(2), explanation="", actor=world.staff["leader"], at=at(2026, 11, 5, 9))  # fmt: skip
    workflow.unit_submit(unit_assessment=unit, actor=world.staff["leader"], at=at(2026, 11, 6, 9))
    results = {
        item.unit: item.result for item in assessment_results(Assessment.objects.get(pk=assessment.pk))
    }
    justice = results[world.justice]
    # 2.1.1 (survey, 4 points, sipas_overall by default): 4 × 0.825 = 3.30; 2.1 = 3.30 + 2 = 5.30 of 16.
    assert (justice.points["2.1.1"], justice.points["2"], justice.maximum, justice.with_survey) == (
        D("3.30"), D("5.30"), D(16), True
    )  # fmt: skip
    assert justice.index == D("33.13")
    construction = results[world.construction]  # no answers: rescaled without the survey
    assert (construction.maximum, construction.with_survey) == (D(12), False)


def test_a_survey_criterion_reads_only_survey_indexes() -> None:
    from cchc.parindex.exchange import read_json
    from cchc.parindex.services import criteria_set_import
    from tests.parindex.conftest import as_json, document

    data = document()
    data["criteria"][8]["metric"] = "on_time_rate"
    with pytest.raises(ImportRejected) as caught:
        criteria_set_import(read_json(as_json(data)))
    assert "Tiêu chí điều tra đọc “sipas_overall” hoặc “sipas_<mã yếu tố>”." in str(caught.value.errors[0])
    data["criteria"][8]["metric"] = "sipas_TC"
    data["criteria"][8]["rule"] = "bậc: 90%=4; 80%=3"
    assert criteria_set_import(read_json(as_json(data))).criteria.get(code="2.1.1").metric == "sipas_TC"


def test_the_command_imports_and_links_the_survey(
    world: World, assessment: Assessment, tmp_path: Any
) -> None:
    from django.core.management import CommandError, call_command

    definition = tmp_path / "khao-sat.json"
    definition.write_bytes(json.dumps(DEFINITION, ensure_ascii=False).encode())
    answers = tmp_path / "ket-qua.xlsx"
    answers.write_bytes(_xlsx(_answers(world)))
    out = io.StringIO()
    call_command("import_survey", str(definition), answers=str(answers), assessment=assessment.pk, stdout=out)
    assert "3 dòng kết quả" in out.getvalue()
    assert Assessment.objects.get(pk=assessment.pk).questionnaire == Questionnaire.objects.get()
    answers.write_bytes(_xlsx([["000.99.99.H99", "TC1", 0, 0, 0, 0, 1]]))
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_survey", str(definition), answers=str(answers), stderr=errors)
    assert "Không có đơn vị mã “000.99.99.H99”" in errors.getvalue()
    assert Questionnaire.objects.count() == 1  # the failed run saved nothing


def test_home_affairs_loads_the_survey_on_the_ranking_page(
    world: World, live_assessment: Assessment, home_affairs: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    url = f"/can-bo/chi-so-cchc/{live_assessment.pk}/khao-sat/"
    definition = json.dumps(DEFINITION, ensure_ascii=False).encode()

    def files(answers: bytes) -> dict[str, Any]:
        return {
            "bo_cau_hoi": SimpleUploadedFile("ks.json", definition),
            "ket_qua": SimpleUploadedFile("kq.xlsx", answers),
        }

    leader = Client()
    leader.force_login(world.staff["leader"])
    assert leader.post(url, files(_xlsx(_answers(world)))).status_code == 403
    council = Client()
    council.force_login(home_affairs)
    assert council.post(url, {}).status_code == 400
    bad = council.post(url, files(_xlsx([["000.99.99.H99", "TC1", 0, 0, 0, 0, 1]])))
    assert bad.status_code == 422 and "Không có đơn vị mã “000.99.99.H99”" in bad.content.decode()
    assert not Questionnaire.objects.exists()
    assert council.post(url, files(_xlsx(_answers(world)))).status_code == 303
    assessment = Assessment.objects.get(pk=live_assessment.pk)
    assert (
        assessment.questionnaire is not None and assessment.questionnaire.name == "Khảo sát sự hài lòng 2026"
    )
    page = council.get(f"/can-bo/chi-so-cchc/{live_assessment.pk}/xep-hang/").content.decode()
    assert "Điểm điều tra xã hội học lấy từ “Khảo sát sự hài lòng 2026”" in page
