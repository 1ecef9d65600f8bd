"""The XLSX export of the 766 index: the ranking, then one row per unit and component (formula, inputs, points)."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from cchc.serviceindex.models import Group
from cchc.serviceindex.selectors import IndexResult


def index_workbook(*, results: list[IndexResult], province: IndexResult | None, title: str) -> bytes:
    book = Workbook()
    ranking = book.active
    assert ranking is not None
    ranking.title = _("Xếp hạng")
    ranking.append([_("Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)"), title])
    groups = [str(group.label) for group in Group]
    ranking.append([_("Hạng"), _("Đơn vị"), *groups, _("Tổng điểm"), _("Xếp loại")])
    for cell in ranking[2]:
        cell.font = Font(bold=True)
    rows = [(str(i), r) for i, r in enumerate(results, start=1)]
    if province is not None:
        rows.append(("", province))
    for rank, result in rows:
        ranking.append(
            [
                rank,
                result.unit_name,
                *[float(g.points) for g in result.groups],
                float(result.total),
                result.band_label,
            ]
        )
    detail = book.create_sheet(_("Chi tiết"))
    detail.append(
        [
            _("Đơn vị"),
            _("Mã"),
            _("Tiêu chí"),
            _("Công thức"),
            _("Đầu vào"),
            _("Tỷ lệ"),
            _("Điểm"),
            _("Tối đa"),
            _("Ghi chú"),
        ]
    )
    for cell in detail[1]:
        cell.font = Font(bold=True)
    for _rank, result in rows:
        for c in result.components:
            inputs = "; ".join(f"{label}: {value}" for label, value in c.inputs)
            detail.append(
                [
                    result.unit_name,
                    c.code,
                    c.name,
                    c.formula,
                    inputs,
                    c.rate_percent,
                    float(c.points),
                    float(c.max_points),
                    c.note,
                ]
            )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
