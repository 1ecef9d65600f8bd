"""Criteria sets in and out (JSON, XLSX): the tree rules, row-level errors, nothing saved on error."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from cchc.parindex.exchange import ReadFailed, read, read_json, read_xlsx, write_json, write_xlsx
from cchc.parindex.models import CriteriaSet, Criterion
from cchc.parindex.selectors import criteria_set_totals
from cchc.parindex.services import ImportRejected, criteria_set_import
from tests.parindex.conftest import as_json, document

pytestmark = pytest.mark.django_db


def _import(data: dict[str, Any], **kwargs: Any) -> CriteriaSet:
    return criteria_set_import(read_json(as_json(data)), **kwargs)


def _rejected(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        _import(data)
    assert not CriteriaSet.objects.exists()
    return [str(error) for error in caught.value.errors]


def _shape(criteria_set: CriteriaSet) -> list[tuple[Any, ...]]:
    return [
        (
            c.code,
            c.parent.code if c.parent else "",
            c.level,
            c.title,
            c.max_points,
            c.method,
            c.metric,
            c.verify,
        )
        for c in criteria_set.criteria.select_related("parent").order_by("position")
    ]


def test_a_set_is_imported_with_its_tree_and_totals() -> None:
    criteria_set = _import(document())
    totals = criteria_set_totals(criteria_set)
    assert (totals.areas, totals.criteria, totals.components) == (2, 3, 5)
    assert (totals.total, totals.survey, totals.appraisal, totals.deductions) == (16, 4, 12, 1)
    assert totals.to_verify == 1
    component = Criterion.objects.get(criteria_set=criteria_set, code="1.1.1")
    assert component.parent is not None and component.parent.code == "1.1"
    assert component.parent.parent is not None and component.parent.parent.code == "1"
    assert component.evidence == "Kế hoạch CCHC năm"


def test_json_and_xlsx_round_trip() -> None:
    original = _shape(_import(document()))
    as_xlsx = write_xlsx(CriteriaSet.objects.get())
    sheet = load_workbook(io.BytesIO(as_xlsx))["Tiêu chí"]
    assert [cell.value for cell in sheet[1]][:5] == ["Mã", "Mã cấp trên", "Cấp", "Nội dung", "Điểm tối đa"]
    assert [cell.value for cell in sheet[5]][:6] == ["1.1.2", "1.1", "Tiêu chí thành phần", "Mức độ thực hiện kế hoạch", 2, "Chấm theo tài liệu kiểm chứng"]  # fmt: skip
    assert _shape(criteria_set_import(read_xlsx(as_xlsx), replace=True)) == original
    as_text = write_json(CriteriaSet.objects.get())
    assert _shape(criteria_set_import(read(as_text, "bo-tieu-chi.json"), replace=True)) == original


def test_vietnamese_labels_are_accepted() -> None:
    data = document()
    data["criteria"][0]["level"] = "Lĩnh vực"
    data["criteria"][8]["method"] = "điều tra  xã hội học"
    data["audience"] = "UBND xã, phường, đặc khu"
    criteria_set = _import(data)
    assert criteria_set.audience == "commune"
    assert Criterion.objects.get(code="2.1.1").method == "survey"


def test_every_tree_problem_is_reported_with_its_row() -> None:
    data = document()
    rows = data["criteria"]
    rows[2]["code"] = "1.1.2"  # row 4 then repeats it
    rows[5]["max_points"] = "3"  # area 1 then sums 6 + 3 = 9, not 10
    rows[9]["method"] = ""  # a leaf without a method
    rows[9]["parent"] = "9.9"  # and no such parent
    rows.append({"code": "3", "parent": "1", "level": "area", "title": "Lĩnh vực lạc", "max_points": "1"})
    rows.append({"code": "4", "parent": "", "level": "area", "title": "Tự động", "max_points": "1", "method": "automatic"})  # fmt: skip
    errors = _rejected(data)
    assert errors == [
        "criteria, dòng 1, cột Điểm tối đa: Tổng điểm tối đa của các tiêu chí con (9.00) khác điểm tối đa (10.00).",
        # 1.1 keeps the first “1.1.2” (4 points); its second one is refused.
        "criteria, dòng 2, cột Điểm tối đa: Tổng điểm tối đa của các tiêu chí con (4.00) khác điểm tối đa (6.00).",
        "criteria, dòng 4, cột Mã: Mã “1.1.2” bị trùng.",
        # 2.1 lost 2.1.2, whose parent is wrong.
        "criteria, dòng 8, cột Điểm tối đa: Tổng điểm tối đa của các tiêu chí con (4.00) khác điểm tối đa (6.00).",
        "criteria, dòng 10, cột Mã cấp trên: Không có mã cấp trên “9.9” ở các dòng phía trên.",
        "criteria, dòng 10, cột Phương pháp chấm: Cần phương pháp chấm cho tiêu chí cuối cùng.",
        "criteria, dòng 11, cột Mã cấp trên: Lĩnh vực không có cấp trên.",
        "criteria, dòng 11, cột Phương pháp chấm: Cần phương pháp chấm cho tiêu chí cuối cùng.",
        "criteria, dòng 12, cột Chỉ số tự động: Tiêu chí chấm tự động cần tên chỉ số.",
    ]


def test_cells_that_cannot_be_read_are_reported_before_the_tree() -> None:
    data = document(year="hai nghìn")
    data["criteria"][1]["max_points"] = "6,125"
    data["criteria"][3]["max_points"] = "hai"
    data["criteria"][4]["method"] = "bốc thăm"
    data["criteria"][6]["level"] = ""
    errors = _rejected(data)
    assert errors[0] == "JSON, dòng 1, cột Năm: Phải là một năm, ví dụ 2026."
    assert "criteria, dòng 2, cột Điểm tối đa: Chỉ được có tối đa 2 chữ số thập phân." in errors
    assert "criteria, dòng 4, cột Điểm tối đa: Phải là một số." in errors
    assert any(
        e.startswith("criteria, dòng 5, cột Phương pháp chấm: Không hợp lệ; chọn một trong:") for e in errors
    )
    assert "criteria, dòng 7, cột Cấp: Không được để trống." in errors
    assert not any("cấp trên" in e for e in errors)  # the unread rows do not orphan their children
    assert len(errors) == 5


def test_an_existing_set_is_replaced_only_on_request() -> None:
    _import(document())
    with pytest.raises(ImportRejected, match="lỗi") as caught:
        _import(document(name="Bản sửa"))
    assert "Đã có bộ tiêu chí năm 2026 cho Sở, ban, ngành" in str(caught.value.errors[0])
    assert CriteriaSet.objects.get().name == "Bộ tiêu chí Chỉ số CCHC các sở 2026"
    _import(document(name="Bản sửa"), replace=True)
    assert CriteriaSet.objects.get().name == "Bản sửa"
    assert Criterion.objects.count() == 10


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"{not json", "a.json", "không phải JSON"),
        (b'{"format": "other"}', "a.json", "không phải bộ tiêu chí"),
        (b"PK\x03\x04 broken", "a.xlsx", "không phải bảng tính"),
        (b"x", "a.csv", "Chỉ nhận tệp .json hoặc .xlsx"),
    ],
)
def test_files_that_are_not_criteria_sets(content: bytes, name: str, message: str) -> None:
    with pytest.raises(ReadFailed, match=message):
        read(content, name)


def test_the_commands_import_and_export(tmp_path: Path) -> None:
    source = tmp_path / "bo.json"
    source.write_bytes(as_json(document()))
    out = io.StringIO()
    call_command("import_criteria", str(source), stdout=out)
    assert "2 lĩnh vực, 3 tiêu chí, 5 tiêu chí thành phần; 16.00 điểm" in out.getvalue()
    target = tmp_path / "bo.xlsx"
    call_command("export_criteria", str(target), year=2026, audience="department", stdout=io.StringIO())
    assert load_workbook(target)["Thông tin"]["B1"].value == 2026
    bad = document()
    bad["criteria"][0]["max_points"] = "11"
    source.write_bytes(as_json(bad))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("import_criteria", str(source), "--replace", stderr=errors)
    assert "dòng 1, cột Điểm tối đa" in errors.getvalue()
    assert CriteriaSet.objects.get().criteria.get(code="1").max_points == Decimal(10)
