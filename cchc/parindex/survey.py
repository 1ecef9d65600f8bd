"""The satisfaction survey (khảo sát sự hài lòng, SIPAS-style): a questionnaire, imported answer counts, and the
indexes that fill the PAR Index's survey criteria.

- A **questionnaire** is defined in JSON (format `cchc-sipas`): its name, year, method, and factors (yếu tố)
  with their questions, answered on a 5-point scale (1 very dissatisfied … 5 very satisfied).
- **Answers** are imported from XLSX already aggregated per unit and question (columns Mã đơn vị, Mã câu hỏi,
  Mức 1 … Mức 5: how many respondents chose each level). The platform holds no respondent's own answers.
- **Indexes** (0 to 1): a question's by the questionnaire's method, by default the satisfied share
  (levels 4 and 5 ÷ all answers, how SIPAS reports satisfaction), or the mean score brought to 0–1
  ((mean − 1) ÷ 4); a factor's is the mean of its questions that have answers; the overall index is the mean
  of the factors that have answers.
- A survey criterion names what it reads in `metric`: `sipas_overall` or `sipas_<factor code>`; its rule turns
  the index into points like an automatic criterion's (cchc.parindex.rules).
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from cchc.catalog.exchange.records import RowError
from cchc.orgs.models import Unit
from cchc.parindex.models import (
    Questionnaire,
    SurveyAnswerCount,
    SurveyFactor,
    SurveyMethod,
    SurveyQuestion,
)
from cchc.parindex.services import ImportRejected

FORMAT_NAME = "cchc-sipas"
LEVELS = ("level_1", "level_2", "level_3", "level_4", "level_5")
ANSWER_COLUMNS = ("Mã đơn vị", "Mã câu hỏi", "Mức 1", "Mức 2", "Mức 3", "Mức 4", "Mức 5")
OVERALL = "sipas_overall"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


@transaction.atomic
def questionnaire_import(content: bytes) -> Questionnaire:
    """Create a questionnaire from its JSON definition; ImportRejected lists every problem, nothing is saved."""
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ImportRejected([RowError("JSON", 1, "—", _("Tệp không phải JSON hợp lệ (UTF-8)."))]) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ImportRejected([RowError("JSON", 1, "format", _("Không phải bộ câu hỏi khảo sát (format “%(name)s”).") % {"name": FORMAT_NAME})])  # fmt: skip
    errors: list[RowError] = []
    year = data.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors.append(RowError("JSON", 1, "year", _("Phải là một năm, ví dụ 2026.")))
    name = _text(data.get("name"))
    if not name:
        errors.append(RowError("JSON", 1, "name", _("Không được để trống.")))
    method = data.get("method", SurveyMethod.SATISFIED_SHARE)
    if method not in SurveyMethod.values:
        errors.append(RowError("JSON", 1, "method", _("Không hợp lệ; chọn một trong: %(allowed)s.") % {"allowed": ", ".join(SurveyMethod.values)}))  # fmt: skip
    factors = data.get("factors")
    if not isinstance(factors, list) or not factors:
        errors.append(RowError("factors", 1, "factors", _("Cần ít nhất một yếu tố.")))
        factors = []
    seen_factors: set[str] = set()
    seen_questions: set[str] = set()
    for number, factor in enumerate(factors, start=1):
        code = _text(factor.get("code")) if isinstance(factor, dict) else ""
        if not code or not _text(factor.get("name")):
            errors.append(RowError("factors", number, "code, name", _("Yếu tố cần mã và tên.")))
            continue
        if code in seen_factors:
            errors.append(RowError("factors", number, "code", _("Mã “%(code)s” bị trùng.") % {"code": code}))
        seen_factors.add(code)
        questions = factor.get("questions")
        if not isinstance(questions, list) or not questions:
            errors.append(RowError("factors", number, "questions", _("Yếu tố cần ít nhất một câu hỏi.")))
            continue
        for question in questions:
            qcode = _text(question.get("code")) if isinstance(question, dict) else ""
            if not qcode or not _text(question.get("text")):
                errors.append(RowError("factors", number, "questions", _("Câu hỏi cần mã và nội dung.")))
            elif qcode in seen_questions:
                errors.append(RowError("factors", number, "questions", _("Mã “%(code)s” bị trùng.") % {"code": qcode}))  # fmt: skip
            seen_questions.add(qcode)
    if errors:
        raise ImportRejected(errors)
    assert isinstance(year, int)  # checked above
    questionnaire = Questionnaire.objects.create(year=year, name=name, method=method)
    for position, factor in enumerate(factors, start=1):
        saved = SurveyFactor.objects.create(
            questionnaire=questionnaire,
            code=_text(factor["code"]),
            name=_text(factor["name"]),
            position=position,
        )
        SurveyQuestion.objects.bulk_create(
            SurveyQuestion(factor=saved, code=_text(q["code"]), text=_text(q["text"]), position=index)
            for index, q in enumerate(factor["questions"], start=1)
        )
    return questionnaire


def _count(value: Any) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, bool):
        raise ValueError
    number = Decimal(str(value).strip())
    if number < 0 or number != int(number):
        raise ValueError
    return int(number)


@transaction.atomic
def answers_import(questionnaire: Questionnaire, content: bytes) -> int:
    """Import aggregated answer counts from XLSX (ANSWER_COLUMNS); all or nothing; returns the rows imported.
    A unit's counts for a question replace any imported before."""
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds on a file that is not XLSX
        raise ImportRejected([RowError("—", 1, "—", _("Tệp không phải bảng tính XLSX hợp lệ."))]) from None
    rows = sheet.iter_rows(values_only=True)
    header = [_text(cell) for cell in (next(rows, None) or ())]
    if header[: len(ANSWER_COLUMNS)] != list(ANSWER_COLUMNS):
        raise ImportRejected([RowError(sheet.title, 1, ", ".join(ANSWER_COLUMNS), _("Dòng tiêu đề phải là các cột này, theo thứ tự."))])  # fmt: skip
    units = {unit.identifier: unit for unit in Unit.objects.all()}
    questions = {q.code: q for q in SurveyQuestion.objects.filter(factor__questionnaire=questionnaire)}
    errors: list[RowError] = []
    parsed: dict[tuple[int, int], tuple[SurveyQuestion, Unit, list[int]]] = {}
    for number, row in enumerate(rows, start=2):
        if not any(_text(cell) for cell in row):
            continue
        unit = units.get(_text(row[0]))
        question = questions.get(_text(row[1] if len(row) > 1 else None))
        if unit is None:
            errors.append(RowError(sheet.title, number, ANSWER_COLUMNS[0], _("Không có đơn vị mã “%(code)s”.") % {"code": _text(row[0])}))  # fmt: skip
        if question is None:
            errors.append(RowError(sheet.title, number, ANSWER_COLUMNS[1], _("Không có câu hỏi mã “%(code)s” trong bộ câu hỏi.") % {"code": _text(row[1] if len(row) > 1 else None)}))  # fmt: skip
        counts = []
        for index, column in enumerate(ANSWER_COLUMNS[2:], start=2):
            try:
                counts.append(_count(row[index] if index < len(row) else None))
            except (ValueError, ArithmeticError):
                errors.append(RowError(sheet.title, number, column, _("Phải là số nguyên không âm.")))
        if unit is not None and question is not None and len(counts) == 5:
            if (question.pk, unit.pk) in parsed:
                errors.append(RowError(sheet.title, number, ANSWER_COLUMNS[1], _("Đơn vị và câu hỏi này đã có ở dòng trên.")))  # fmt: skip
            parsed[question.pk, unit.pk] = (question, unit, counts)
    if not parsed and not errors:
        errors.append(RowError(sheet.title, 2, "—", _("Bảng tính chưa có dòng kết quả nào.")))
    if errors:
        raise ImportRejected(errors)
    for question, unit, counts in parsed.values():
        SurveyAnswerCount.objects.update_or_create(
            question=question, unit=unit, defaults=dict(zip(LEVELS, counts, strict=True))
        )
    return len(parsed)


@dataclass
class SurveyIndex:
    """A unit's survey indexes (0 to 1): per question, per factor code, overall; None without answers."""

    questions: dict[str, Decimal] = field(default_factory=dict)
    factors: dict[str, Decimal] = field(default_factory=dict)
    overall: Decimal | None = None
    answers: int = 0

    def read(self, metric: str) -> Decimal | None:
        if metric == OVERALL:
            return self.overall
        return self.factors.get(metric.removeprefix("sipas_"))


def _question_index(method: str, counts: list[int]) -> Decimal | None:
    total = sum(counts)
    if not total:
        return None
    if method == SurveyMethod.MEAN_SCORE:
        mean = Decimal(sum(level * n for level, n in enumerate(counts, start=1))) / Decimal(total)
        return (mean - 1) / 4
    return Decimal(counts[3] + counts[4]) / Decimal(total)


def _mean(values: Iterable[Decimal]) -> Decimal | None:
    values = list(values)
    return sum(values, Decimal(0)) / len(values) if values else None


def survey_indexes(questionnaire: Questionnaire, unit_ids: Iterable[int]) -> dict[int, SurveyIndex]:
    """Every unit's survey indexes (module docstring); units without answers are absent."""
    rows = SurveyAnswerCount.objects.filter(
        question__factor__questionnaire=questionnaire, unit_id__in=list(unit_ids)
    )
    by_unit: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    result: dict[int, SurveyIndex] = {}
    for answer in rows.select_related("question__factor"):
        counts = [getattr(answer, level) for level in LEVELS]
        index = _question_index(questionnaire.method, counts)
        target = result.setdefault(answer.unit_id, SurveyIndex())
        target.answers += sum(counts)
        if index is not None:
            target.questions[answer.question.code] = index
            by_unit[answer.unit_id][answer.question.factor.code].append(index)
    for unit_id, factors in by_unit.items():
        target = result[unit_id]
        target.factors = {
            code: value for code, values in factors.items() if (value := _mean(values)) is not None
        }
        target.overall = _mean(target.factors.values())
    return result
