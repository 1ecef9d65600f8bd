"""The report's DOCX (Decree 30/2020 layout) and XLSX annexes, opened and read back."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from docx import Document

from cchc.orgs.models import Unit
from cchc.reports import export, figures, services
from cchc.reports.periods import ReportKind
from cchc.reports.selectors import report_values
from cchc.stats.selectors import dossier_statistics
from tests.dossiers.conftest import World, at
from tests.reports.test_reports import AFTER_Q1, Q1, _dossiers

pytestmark = pytest.mark.django_db


def _report(world: World) -> Any:
    _dossiers(world)
    world.justice.parent = Unit.objects.create(
        name="Ủy ban nhân dân tỉnh Thử",
        kind="province_committee",
        area=world.centre.area,
        identifier="000.00.00.H99",
    )
    world.justice.save()
    report = services.report_create(
        unit=world.justice, year=2026, kind=ReportKind.Q1, actor=world.staff["leader"]
    )
    services.report_save(
        report=report, actor=world.staff["leader"],
        narrative={"I": "Sở đã ban hành Kế hoạch CCHC năm 2026.\nTổ chức 02 hội nghị tuyên truyền.",
                   "II.2": "Công khai đầy đủ thủ tục hành chính."},
        manual={"inspections": 2, "publicity_events": 5}, number="15/BC-STP", signer_title="Giám đốc",
        signer_name="Nguyễn Văn Bình", recipients="Sở Nội vụ;\nLưu: VT.",
    )  # fmt: skip
    return services.report_submit(report=report, actor=world.staff["leader"], at=at(2026, 3, 18, 9))


def test_the_docx_has_the_decree_30_layout_and_the_figures(world: World) -> None:
    report = _report(world)
    document = Document(io.BytesIO(export.report_docx(report, report_values(report))))
    section = document.sections[0]

    def mm(length: Any) -> int:
        return round(length.mm)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)  # A4
    assert [mm(section.left_margin), mm(section.right_margin), mm(section.top_margin)] == [30, 15, 20]
    header = document.tables[0]
    left, right = (cell.text for cell in header.rows[0].cells)
    assert left.splitlines() == ["ỦY BAN NHÂN DÂN TỈNH THỬ", "SỞ TƯ PHÁP TỈNH THỬ", "Số: 15/BC-STP"]
    assert right.splitlines() == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                  "Thử, ngày 18 tháng 3 năm 2026"]  # fmt: skip
    date_run = header.rows[0].cells[1].paragraphs[2].runs[0]
    assert date_run.italic and date_run.font.name == "Times New Roman"
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Kết quả thực hiện công tác cải cách hành chính quý I năm 2026" in texts
    assert "(Số liệu từ ngày 15/12/2025 đến ngày 14/03/2026)" in texts
    assert (
        "I. Công tác chỉ đạo, điều hành" in texts
        and "6. Xây dựng, phát triển chính quyền điện tử, chính quyền số" in texts
    )
    assert "Tổ chức 02 hội nghị tuyên truyền." in texts
    # Every run is Times New Roman.
    assert {run.font.name for p in document.paragraphs for run in p.runs} == {"Times New Roman"}
    # The figures of II.2 as printed, equal to the statistics.
    total = dossier_statistics(unit_ids=[world.justice.pk], start=Q1.start, end=Q1.end, now=AFTER_Q1)[-1]
    rows = {
        row.cells[0].text: row.cells[1].text
        for table in document.tables[1:-1] for row in table.rows
    }  # fmt: skip
    assert rows["Tổng số hồ sơ tiếp nhận"] == str(total["received"]) == "4"
    assert rows["Giải quyết quá hạn"] == "1"
    assert rows["Tỷ lệ giải quyết trước hạn và đúng hạn (%)"] == "66,67%"
    assert rows["Cuộc kiểm tra công tác CCHC đã thực hiện"] == "2"
    assert rows["Văn bản quy phạm pháp luật đã ban hành"] == "–"
    signature = document.tables[-1].rows[0].cells
    assert signature[0].text.splitlines() == ["Nơi nhận:", "- Sở Nội vụ;", "- Lưu: VT."]
    assert (
        signature[1].text.splitlines()[0] == "GIÁM ĐỐC"
        and signature[1].text.splitlines()[-1] == "Nguyễn Văn Bình"
    )


def test_the_annexes_read_back(world: World) -> None:
    report = _report(world)
    values = report_values(report)
    book = openpyxl.load_workbook(io.BytesIO(export.report_xlsx(report, values, now=AFTER_Q1)))
    annex = book["Phu luc I"]
    rows = {row[1]: (row[2], row[3]) for row in annex.iter_rows(min_row=3, values_only=True)}
    assert rows["Tổng số hồ sơ tiếp nhận"] == (4, "Tự động từ hệ thống")
    assert rows["Cuộc kiểm tra công tác CCHC đã thực hiện"] == (2, "Nhập tay")
    assert rows["Tỷ lệ giải quyết trước hạn và đúng hạn (%)"][0] == pytest.approx(66.67)
    assert len(rows) == len(figures.figures_of(figures.UNIT))
    stats = book["Phu luc II"]
    header = [cell.value for cell in stats[2]]
    assert header[:2] == ["Lĩnh vực", "Tổng số hồ sơ"]
    last = [cell.value for cell in stats[stats.max_row]]
    assert last[0] == "Tổng cộng" and last[1] == 4


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [(1234567, figures.COUNT, "1.234.567"), (None, figures.RATE, "–"), ("98.5", figures.RATE, "98,50%"),
     ("87.25", figures.SCORE, "87,25"), ("3", figures.SCORE, "3")],
)  # fmt: skip
def test_values_are_printed_the_vietnamese_way(value: Any, kind: str, shown: str) -> None:
    assert export.format_value(value, kind) == shown


def test_the_date_line_pads_days_and_the_first_two_months(world: World) -> None:
    import datetime as dt

    assert export.date_line(world.justice, dt.date(2026, 2, 5)) == "Thử, ngày 05 tháng 02 năm 2026"
    assert export.date_line(world.justice, dt.date(2026, 11, 20)) == "Thử, ngày 20 tháng 11 năm 2026"
