"""The report as a DOCX in the Decree 30/2020/NĐ-CP layout, and its annexes as XLSX.

Decree 30/2020 Annex I (thể thức văn bản hành chính), as applied here:
- A4, margins top and bottom 20 mm, left 30 mm, right 15 mm (Annex I, §I.5: 20–25, 20–25, 30–35, 15–20 mm);
  Times New Roman throughout (§I.2).
- The header is a borderless two-column table: on the left the parent body (regular) and the issuing body
  (bold, upper case, 12–13 pt) with a short rule below, then “Số: …”; on the right the national motto
  “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM” (bold, 12–13 pt) and “Độc lập - Tự do - Hạnh phúc” (bold, 13–14 pt)
  with a rule below, then the place-date line in italics (§II.1–5).
- The type and excerpt (“BÁO CÁO”, then the subject) bold and centred (§II.6); the body 13–14 pt, justified,
  first-line indent 1 cm, 6 pt after each paragraph (§II.7).
- The signature block: the signer's title in bold upper case and name in bold on the right, “Nơi nhận:” in bold
  italics 12 pt and the recipients 11 pt on the left (§II.8–9).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cchc.orgs.models import Unit
from cchc.reports import figures
from cchc.reports.models import Report
from cchc.reports.outline import OUTLINE
from cchc.reports.selectors import is_province, period_of
from cchc.stats.selectors import BASE_FIGURES, DERIVED_FIGURES, GroupBy, dossier_statistics

FONT = "Times New Roman"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE = "Độc lập - Tự do - Hạnh phúc"


def format_value(value: Any, kind: str) -> str:
    """As printed: 1.234 for counts, 98,50% for rates, 87,25 for scores, – for no data."""
    if value is None:
        return "–"
    if kind == figures.RATE:
        return f"{Decimal(value):.2f}%".replace(".", ",")
    if kind == figures.SCORE:
        number = Decimal(value)
        return str(int(number)) if number == number.to_integral_value() else f"{number:.2f}".replace(".", ",")
    return f"{int(value):,}".replace(",", ".")


def subject(report: Report) -> str:
    return _("Kết quả thực hiện công tác cải cách hành chính %(period)s") % {
        "period": period_of(report).label
    }


def date_line(unit: Unit, day: dt.date) -> str:
    """Decree 30/2020 Annex I §II.5: a day below 10 and the months 1 and 2 take a leading zero."""
    return _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s") % {
        "place": unit.place_name, "d": f"{day.day:02d}", "m": f"{day.month:02d}" if day.month < 3 else day.month,
        "y": day.year,
    }  # fmt: skip


def _run(
    paragraph: Paragraph, text: str, *, size: float = 13, bold: bool = False, italic: bool = False
) -> None:
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    run.font.name = FONT
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _centred(cell: _Cell, text: str, *, size: float = 13, bold: bool = False, italic: bool = False,
             first: bool = False) -> Paragraph:  # fmt: skip
    paragraph: Paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _rule_below(paragraph: Paragraph, *, indent_cm: float) -> None:
    """A solid rule under the line, shortened by `indent_cm` on each side (Decree 30: 1/3 to 1/2 of the line)."""
    rule = paragraph
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    rule._p.get_or_add_pPr().append(borders)
    rule.paragraph_format.left_indent = Cm(indent_cm)
    rule.paragraph_format.right_indent = Cm(indent_cm)


def _no_borders(table: Any) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _body(document: Any, text: str) -> None:
    for line in text.splitlines():
        if not line.strip():
            continue
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(1)
        paragraph.paragraph_format.space_after = Pt(6)
        _run(paragraph, line.strip(), size=14)


def _figure_table(document: Any, rows: list[tuple[str, str]]) -> None:
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, (_("Chỉ tiêu"), _("Số liệu")), strict=True):
        _centred(cell, text, size=12, bold=True, first=True)
    for label, value in rows:
        left, right = table.add_row().cells
        _run(left.paragraphs[0], label, size=12)
        right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(right.paragraphs[0], value, size=12)
    table.columns[0].width = Cm(12)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def report_docx(report: Report, values: dict[str, Any], *, today: dt.date | None = None) -> bytes:
    unit = report.unit
    day = timezone.localdate(report.submitted_at) if report.submitted_at else (today or timezone.localdate())
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)

    header = document.add_table(rows=1, cols=2)
    _no_borders(header)
    left, right = header.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    parent = unit.parent.name.upper() if unit.parent_id and unit.parent else ""
    if parent:
        _centred(left, parent, size=12, first=True)
        body = _centred(left, unit.name.upper(), size=12, bold=True)
    else:
        body = _centred(left, unit.name.upper(), size=12, bold=True, first=True)
    _rule_below(body, indent_cm=1.8)
    _centred(left, _("Số: %(number)s") % {"number": report.number or "…/BC-…"}, size=13)
    _centred(right, MOTTO, size=12, bold=True, first=True)
    motto = _centred(right, MOTTO_LINE, size=13, bold=True)
    _rule_below(motto, indent_cm=2.2)
    _centred(right, date_line(unit, day), size=13, italic=True)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(18)
    _run(title, "BÁO CÁO", size=14, bold=True)
    excerpt = document.add_paragraph()
    excerpt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(excerpt, subject(report), size=14, bold=True)
    period = period_of(report)
    scope = document.add_paragraph()
    scope.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(scope, _("(Số liệu từ ngày %(start)s đến ngày %(end)s)") % {
        "start": period.start.strftime("%d/%m/%Y"), "end": period.end.strftime("%d/%m/%Y")}, italic=True)  # fmt: skip

    level = figures.PROVINCE if is_province(report) else figures.UNIT
    shown = figures.figures_of(level)
    for part in OUTLINE:
        heading = document.add_paragraph()
        heading.paragraph_format.space_before = Pt(6)
        heading.paragraph_format.space_after = Pt(6)
        heading.paragraph_format.first_line_indent = Cm(1)
        _run(heading, f"{part.heading} {part.title}", size=14, bold=True, italic=part.level == 2)
        _body(document, report.narrative.get(part.code, ""))
        rows = [
            (str(f.label), format_value(values.get(f.key), f.kind)) for f in shown if f.section == part.code
        ]
        if rows:
            _figure_table(document, rows)

    automatic, total = figures.auto_share(level)
    note = document.add_paragraph()
    _run(note, _("Số liệu do hệ thống tự động tổng hợp: %(auto)s/%(total)s chỉ tiêu.") % {
        "auto": automatic, "total": total}, size=11, italic=True)  # fmt: skip

    signature = document.add_table(rows=1, cols=2)
    _no_borders(signature)
    recipients, signer = signature.rows[0].cells
    first = recipients.paragraphs[0]
    _run(first, _("Nơi nhận:"), size=12, bold=True, italic=True)
    for line in (report.recipients or "").splitlines():
        if line.strip():
            paragraph = recipients.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(0)
            _run(paragraph, f"- {line.strip().lstrip('- ')}", size=11)
    _centred(signer, (report.signer_title or _("Thủ trưởng cơ quan")).upper(), size=13, bold=True, first=True)
    for _blank in range(3):
        _centred(signer, "", size=13)
    _centred(signer, report.signer_name, size=13, bold=True)

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def report_xlsx(report: Report, values: dict[str, Any], *, now: dt.datetime | None = None) -> bytes:
    """The annexes: I, every figure with its source; II, the dossier statistics of the period, by field for a
    unit or by unit for the province (the statistics page's figures)."""
    period = period_of(report)
    level = figures.PROVINCE if is_province(report) else figures.UNIT
    book = Workbook()
    sheet = book.active
    sheet.title = "Phu luc I"
    sheet.append([_("Phụ lục I. Số liệu báo cáo %(period)s – %(unit)s") % {
        "period": period.label, "unit": report.unit.name}])  # fmt: skip
    sheet.append([_("Mục"), _("Chỉ tiêu"), _("Số liệu"), _("Nguồn")])
    for figure in figures.figures_of(level):
        value = values.get(figure.key)
        cell: Any = float(value) if isinstance(value, Decimal) else value
        source = _("Nhập tay") if figure.manual else _("Tự động từ hệ thống")
        sheet.append([figure.section, str(figure.label), cell, source])
    sheet["A1"].font = Font(bold=True)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["B"].width = 60

    stats = book.create_sheet("Phu luc II")
    group_by: GroupBy = "unit" if level == figures.PROVINCE else "field"
    unit_ids = None if level == figures.PROVINCE else [report.unit_id]
    rows = dossier_statistics(
        unit_ids=unit_ids, start=period.start, end=period.end, group_by=group_by, now=now
    )
    names = ["received", *BASE_FIGURES, *[name for name in DERIVED_FIGURES if name != "received"]]
    stats.append([_("Phụ lục II. Tình hình giải quyết hồ sơ từ %(start)s đến %(end)s") % {
        "start": period.start.strftime("%d/%m/%Y"), "end": period.end.strftime("%d/%m/%Y")}])  # fmt: skip
    labels = {**{name: str(label) for name, label in BASE_FIGURES.items()},
              **{name: str(pair[0]) for name, pair in DERIVED_FIGURES.items()}}  # fmt: skip
    stats.append([_("Đơn vị") if group_by == "unit" else _("Lĩnh vực"), *[labels[name] for name in names]])
    for row in rows:
        stats.append([row.label, *[row[name] for name in names]])
    stats["A1"].font = Font(bold=True)
    for cell in stats[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    stats.column_dimensions["A"].width = 40
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
