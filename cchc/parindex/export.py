"""The province summary of a PAR Index assessment as XLSX (tổng hợp kết quả Chỉ số CCHC): the ranking with bands
and the change against the previous year, then each unit's points per area."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from cchc.parindex.models import Assessment, Level
from cchc.parindex.selectors import RankedUnit, assessment_results


def summary_workbook(assessment: Assessment, ranked: list[RankedUnit]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Xếp hạng")
    criteria_set = assessment.criteria_set
    sheet.append(
        [_("Chỉ số cải cách hành chính năm %(year)s") % {"year": criteria_set.year}, criteria_set.name]
    )
    header = [_("Hạng"), _("Đơn vị"), _("Điểm đạt"), _("Điểm tối đa"), _("Chỉ số (%)"), _("Xếp loại"),
              _("Năm trước (%)"), _("Tăng, giảm")]  # fmt: skip
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in ranked:
        sheet.append(
            [
                row.rank,
                row.unit.name,
                float(row.total),
                float(row.maximum),
                float(row.index),
                row.band or _("Dưới 70%"),
                None if row.previous is None else float(row.previous),
                None if row.change is None else float(row.change),
            ]
        )
    areas = list(criteria_set.criteria.filter(level=Level.AREA).order_by("position"))
    detail = book.create_sheet(_("Điểm theo lĩnh vực"))
    detail.append([_("Đơn vị"), *[f"{area.code}. {area.title} ({area.max_points})" for area in areas]])
    for cell in detail[1]:
        cell.font = Font(bold=True)
    for item in assessment_results(assessment):
        detail.append([item.unit.name, *[float(item.result.points.get(area.code, 0)) for area in areas]])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
