"""A unit's scorecard PDF (phiếu kết quả Chỉ số CCHC), compiled with typst like the official forms.

It shows the unit's index, each area's points against its maximum, and every leaf that did not earn its maximum
with the reason (the council's, the deduction, or "not scored"). User text travels as JSON (printed literally).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import typst
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.parindex.models import Assessment, Level, Method, Score, UnitAssessment
from cchc.parindex.selectors import assessment_results, ranking

TEMPLATE: Final = Path(__file__).resolve().parent / "scorecard.typ"
TYPST_ROOT: Final = Path(__file__).resolve().parents[2]  # cchc/, so the forms' common.typ is importable
PDF_STANDARD: Final = "a-2b"


def _n(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def scorecard_data(assessment: Assessment, unit_assessment: UnitAssessment) -> dict[str, Any]:
    criteria = list(assessment.criteria_set.criteria.select_related("parent").order_by("position"))
    parents = {c.parent_id for c in criteria if c.parent_id}
    result = next(i.result for i in assessment_results(assessment) if i.unit.pk == unit_assessment.unit_id)
    ranked = next(r for r in ranking(assessment) if r.unit.pk == unit_assessment.unit_id)
    reasons = {
        score.criterion_id: score.appraisal_reason
        for score in Score.objects.filter(unit_assessment=unit_assessment).exclude(appraisal_reason="")
    }
    lost = []
    for criterion in criteria:
        if criterion.pk in parents or criterion.method == Method.SURVEY:
            continue
        points = result.points.get(criterion.code, Decimal(0))
        if criterion.method == Method.DEDUCTION:
            continue  # a deduction shows in its parent's points
        if points < criterion.max_points:
            reason = reasons.get(criterion.pk) or (_("Chưa được chấm") if points == 0 else "")
            lost.append({"code": criterion.code, "title": criterion.title,
                         "points": f"{_n(points)} / {_n(criterion.max_points)}", "reason": reason})  # fmt: skip
    areas = [
        {
            "code": c.code,
            "title": c.title,
            "points": _n(result.points.get(c.code, Decimal(0))),
            "maximum": _n(result.maxima.get(c.code, c.max_points)),
            "lost": _n(result.maxima.get(c.code, c.max_points) - result.points.get(c.code, Decimal(0))),
        }
        for c in criteria
        if c.level == Level.AREA
    ]
    day = (
        timezone.localtime(assessment.published_at).date()
        if assessment.published_at
        else timezone.localdate()
    )
    unit = unit_assessment.unit
    return {
        "heading": {
            "parent": "",
            "agency": unit.name,
            "place": unit.place_name,
            "day": f"{day.day:02d}",
            "month": f"{day.month:02d}",
            "year": str(day.year),
        },
        "year": str(assessment.criteria_set.year),
        "set_name": assessment.criteria_set.name,
        "unit": unit.name,
        "index": _n(result.index),
        "total": _n(result.total),
        "maximum": _n(result.maximum),
        "rank": f"{ranked.rank} / {assessment.units.count()}",
        "band": _("Nhóm %(band)s") % {"band": result.band} if result.band else _("Dưới 70%"),
        "note": "" if assessment.state == "published" else _("Kết quả tạm tính, chưa công bố."),
        "areas": areas,
        "lost": lost,
    }


def scorecard_pdf(assessment: Assessment, unit_assessment: UnitAssessment) -> bytes:
    pdf = typst.compile(
        str(TEMPLATE),
        root=str(TYPST_ROOT),
        format="pdf",
        pdf_standards=PDF_STANDARD,
        sys_inputs={"data": json.dumps(scorecard_data(assessment, unit_assessment), ensure_ascii=False)},
    )
    assert isinstance(pdf, bytes)
    return pdf
