"""Demo PAR Index data (dữ liệu mẫu Chỉ số CCHC) for `cchc demo`: last year scored and published, this year
open for self-assessment, through the real workflow services (so the history is the real one).

The criteria set is **illustrative**, named as such: the official sets (Decision 876/QĐ-BNV for provinces, a
province's own decision for its departments) are loaded from their annex with `manage.py import_criteria`.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cchc.orgs.demo import demo_home_affairs
from cchc.orgs.models import Membership, Unit, UnitKind
from cchc.orgs.roles import Role
from cchc.parindex import workflow
from cchc.parindex.exchange import Document, Node
from cchc.parindex.models import Assessment, CriteriaSet, Criterion, Method, UnitAssessment
from cchc.parindex.services import criteria_set_import
from cchc.parindex.survey import answers_import, questionnaire_import
from cchc.workdays.calendar import TZ

SET_NAME = "Bộ tiêu chí minh họa cho dữ liệu mẫu (không phải bộ tiêu chí chính thức)"
# (code, parent, level, title, points, method, metric, rule)
_TREE: tuple[tuple[str, str, str, str, str, str, str, str], ...] = (
    ("1", "", "area", "Công tác chỉ đạo, điều hành cải cách hành chính", "10", "", "", ""),
    ("1.1", "1", "criterion", "Kế hoạch cải cách hành chính năm", "4", "", "", ""),
    ("1.1.1", "1.1", "component", "Ban hành kế hoạch đúng thời hạn", "2", "evidence", "", ""),
    ("1.1.2", "1.1", "component", "Mức độ hoàn thành kế hoạch", "2", "evidence", "", ""),
    ("1.2", "1", "criterion", "Báo cáo cải cách hành chính định kỳ", "3", "", "", ""),
    ("1.2.1", "1.2", "component", "Báo cáo đủ số lượng, đúng thời hạn", "3", "manual", "", ""),
    ("1.2.2", "1.2", "component", "Báo cáo chậm (trừ điểm mỗi báo cáo)", "1", "deduction", "", ""),
    ("1.3", "1", "criterion", "Công tác kiểm tra cải cách hành chính", "3", "manual", "", ""),
    ("2", "", "area", "Cải cách thủ tục hành chính", "12", "", "", ""),
    ("2.1", "2", "criterion", "Tỷ lệ hồ sơ giải quyết đúng hạn", "4", "automatic", "on_time_rate",
     "bậc: 98%=4; 95%=3; 90%=2; 80%=1"),
    ("2.2", "2", "criterion", "Tỷ lệ hồ sơ tiếp nhận trực tuyến", "4", "automatic", "online_share",
     "tuyến tính: 20%-80%"),
    ("2.3", "2", "criterion", "Công khai thủ tục hành chính đầy đủ, đúng hạn", "4", "manual", "", ""),
    ("3", "", "area", "Tác động của cải cách hành chính", "8", "", "", ""),
    ("3.1", "3", "criterion", "Sự hài lòng của người dân, tổ chức", "5", "survey", "sipas_overall", ""),
    ("3.2", "3", "criterion", "Tiếp nhận, xử lý phản ánh, kiến nghị", "3", "manual", "", ""),
)  # fmt: skip
_SURVEY = {
    "format": "cchc-sipas",
    "name": "Khảo sát sự hài lòng (dữ liệu mẫu)",
    "factors": [
        {"code": "TC", "name": "Tiếp cận dịch vụ", "questions": [{"code": "TC1", "text": "Nơi tiếp nhận thuận tiện"}]},
        {"code": "CC", "name": "Công chức giải quyết", "questions": [{"code": "CC1", "text": "Công chức tận tình"}]},
        {"code": "KQ", "name": "Kết quả giải quyết", "questions": [{"code": "KQ1", "text": "Nhận kết quả đúng hẹn"}]},
    ],
}  # fmt: skip


def _document(year: int) -> Document:
    nodes = [
        Node(row, code, parent, level, title, Decimal(points), method, "", "", metric, rule, False)
        for row, (code, parent, level, title, points, method, metric, rule) in enumerate(_TREE, start=1)
    ]
    return Document(
        year=year, audience="department", name=SET_NAME, source="Dữ liệu mẫu của cchc", nodes=nodes
    )


def _moment(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def _scored_units() -> list[tuple[Unit, Any]]:
    """Departments with a demo leader, with that leader."""
    pairs = []
    for membership in Membership.objects.filter(
        role=Role.LEADER, unit__kind=UnitKind.DEPARTMENT
    ).select_related("unit", "user"):
        pairs.append((membership.unit, membership.user))
    return sorted(pairs, key=lambda pair: pair[0].name)


def _self_assess(unit_assessment: UnitAssessment, leader: Any, rng: random.Random, at: dt.datetime) -> None:
    for criterion in Criterion.objects.filter(criteria_set=unit_assessment.assessment.criteria_set).order_by(
        "position"
    ):
        if criterion.children.exists() or criterion.method in (Method.AUTOMATIC, Method.SURVEY):
            continue
        if criterion.method == Method.DEDUCTION:
            points = Decimal(rng.choice(("0", "0", "0.5", "1")))
        else:
            points = (criterion.max_points * Decimal(rng.choice(("0.5", "0.75", "1", "1")))).quantize(
                Decimal("0.01")
            )
        workflow.self_score(unit_assessment=unit_assessment, criterion=criterion, points=points,
                            explanation="Có tài liệu kiểm chứng kèm theo (dữ liệu mẫu).", actor=leader, at=at)  # fmt: skip


def _survey_answers(units: list[Unit], rng: random.Random) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Mã đơn vị", "Mã câu hỏi", "Mức 1", "Mức 2", "Mức 3", "Mức 4", "Mức 5"])
    for unit in units:
        for question in ("TC1", "CC1", "KQ1"):
            sheet.append([unit.identifier, question, *[rng.randint(0, 6) for _ in range(3)],
                          rng.randint(10, 30), rng.randint(20, 60)])  # fmt: skip
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@transaction.atomic
def demo_parindex_create(*, today: dt.date | None = None) -> Assessment | None:
    """Last year published and this year open (see the module docstring); None when already there or when the
    demo has no department leaders or Home Affairs officer."""
    today = today or timezone.localdate()
    last = today.year - 1
    if CriteriaSet.objects.filter(year=last, audience="department", name=SET_NAME).exists():
        return None
    council = demo_home_affairs()
    pairs = _scored_units()
    if council is None or not pairs:
        return None
    units = [unit for unit, _leader in pairs]
    rng = random.Random(last)  # noqa: S311 (demo data)

    # Last year: scored in December, appraised, published on 30/12.
    questionnaire = questionnaire_import(json.dumps(_SURVEY | {"year": last}, ensure_ascii=False).encode())
    answers_import(questionnaire, _survey_answers(units, rng))
    published = workflow.assessment_open(
        criteria_set=criteria_set_import(_document(last)),
        units=units,
        self_assessment_due=dt.date(last, 12, 15),
        appraisal_due=dt.date(last, 12, 28),
        actor=council,
        at=_moment(dt.date(last, 12, 1)),
    )
    Assessment.objects.filter(pk=published.pk).update(questionnaire=questionnaire)
    for unit, leader in pairs:
        unit_assessment = UnitAssessment.objects.get(assessment=published, unit=unit)
        _self_assess(unit_assessment, leader, rng, _moment(dt.date(last, 12, 10)))
        workflow.unit_submit(unit_assessment=unit_assessment, actor=leader, at=_moment(dt.date(last, 12, 12)))
    first = UnitAssessment.objects.get(assessment=published, unit=units[0])
    score = first.scores.filter(criterion__code="1.2.1").first()
    if score is not None and score.self_points:
        workflow.appraise(score=score, points=score.self_points - 1, reason="Một báo cáo quý gửi chậm (dữ liệu mẫu).",
                          actor=council, at=_moment(dt.date(last, 12, 20)))  # fmt: skip
    published = workflow.assessment_publish(
        assessment=published, actor=council, at=_moment(dt.date(last, 12, 30))
    )

    # This year: open, the self-assessment under way.
    due = max(today + dt.timedelta(days=20), dt.date(today.year, 12, 15))
    current = workflow.assessment_open(
        criteria_set=criteria_set_import(_document(today.year)),
        units=units,
        self_assessment_due=due,
        appraisal_due=due + dt.timedelta(days=14),
        actor=council,
        at=_moment(today, 8),
    )
    unit, leader = pairs[0]
    _self_assess(UnitAssessment.objects.get(assessment=current, unit=unit), leader, rng, _moment(today, 9))
    return published
