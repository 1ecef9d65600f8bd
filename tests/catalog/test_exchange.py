"""Import and export (docs/catalog-format.md): round trips, row-level errors, all-or-nothing, idempotence."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from cchc.catalog import services
from cchc.catalog.exchange import procedures_export, procedures_import
from cchc.catalog.models import Component, Procedure, ProcedureVersion, VersionStatus
from tests.catalog.conftest import make_draft

pytestmark = pytest.mark.django_db


def _procedure(code: str | None = "1.001193", **overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "code": code,
        "name": "Thủ tục đăng ký khai sinh",
        "field": {"name": "Hộ tịch", "code": None},
        "levels": {"province": False, "commune": True, "note": "Cấp xã"},
        "agency": "Ủy ban nhân dân cấp xã",
        "time_limit": {
            "amount": 0,
            "unit": "working_days",
            "cutoff": "15:00",
            "note": "Luật Hộ tịch Điều 16",
        },
        "time_limits_by_channel": {"counter": {"amount": "0", "unit": "working_days"}},
        "steps": "Bước 1: nộp. Bước 2: nhận.",
        "methods": {"counter": True, "post": True, "online": True, "note": ""},
        "online_level": "partial",
        "applicants": "Cha, mẹ",
        "result": "Giấy khai sinh",
        "legal_basis": ["60/2014/QH13", "123/2015/NĐ-CP"],
        "decision": {"number": "163/QĐ-BTP", "date": "2025-07-01", "issuer": "Bộ Tư pháp"},
        "valid_from": None,
        "source": {"type": "test"},
        "verify": {"applicants": "cần kiểm tra"},
        "components": [
            {"name": "Tờ khai", "kind": "original", "quantity": 1, "template_name": "Mẫu TK", "note": ""},
            {
                "name": "Giấy chứng sinh",
                "kind": "original_and_copy",
                "quantity": 2,
                "template_name": "",
                "note": "",
            },
        ],
        "fees": [{"kind": "charge", "case": "Lệ phí", "amount_vnd": None, "note": "HĐND tỉnh quyết định"}],
        "process_steps": [
            {"name": "Tiếp nhận", "role": "reception_officer", "unit": None, "share": 0},
            {"name": "Xử lý", "role": "specialist", "unit": None, "share": 0},
        ],
    }
    item.update(overrides)
    return item


def _json(*items: dict[str, Any]) -> bytes:
    return json.dumps({"format": "cchc-catalog", "format_version": 1, "procedures": list(items)}).encode()


def _contents() -> list[dict[str, Any]]:
    """What an export says, without the timestamp: to compare two catalogs."""
    procedures: list[dict[str, Any]] = json.loads(procedures_export(fmt="json"))["procedures"]
    return procedures


def test_json_import_creates_and_publishes() -> None:
    report = procedures_import(source=_json(_procedure()), fmt="json", publish=True)
    assert report.ok, report.errors
    assert report.created == ["1.001193"] and report.published == ["1.001193"]
    version = ProcedureVersion.objects.get()
    assert version.status == VersionStatus.PUBLISHED
    assert version.time_limit_amount == 0 and version.time_limit_cutoff == dt.time(15, 0)
    assert [c.kind for c in version.components.all()] == ["original", "original_and_copy"]
    assert version.fees.get().amount_vnd is None
    assert version.field is not None and version.field.name == "Hộ tịch"
    assert version.verify_notes == {"applicants": "cần kiểm tra"}


def test_reimporting_the_same_data_creates_no_new_version() -> None:
    procedures_import(source=_json(_procedure()), fmt="json", publish=True)
    report = procedures_import(source=_json(_procedure()), fmt="json", publish=True)
    assert report.unchanged == ["1.001193"] and report.published == []
    assert ProcedureVersion.objects.count() == 1


def test_changed_content_creates_a_new_version() -> None:
    procedures_import(source=_json(_procedure()), fmt="json", publish=True)
    report = procedures_import(
        source=_json(_procedure(result="Giấy khai sinh (bản chính)")), fmt="json", publish=True
    )
    assert report.new_versions == ["1.001193"] and report.published == ["1.001193"]
    assert list(ProcedureVersion.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_a_changed_draft_is_replaced_not_stacked() -> None:
    procedures_import(source=_json(_procedure()), fmt="json", publish=False)
    report = procedures_import(source=_json(_procedure(result="Khác")), fmt="json", publish=False)
    assert report.updated_drafts == ["1.001193"]
    assert ProcedureVersion.objects.get().result == "Khác"


def test_incomplete_records_are_imported_as_drafts_with_reasons() -> None:
    report = procedures_import(source=_json(_procedure(applicants="")), fmt="json", publish=True)
    assert report.ok and report.published == []
    assert "Đối tượng thực hiện" in report.not_published["1.001193"][0]
    assert ProcedureVersion.objects.get().status == VersionStatus.DRAFT


def test_a_record_without_code_gets_a_local_code_and_matches_on_reimport() -> None:
    procedures_import(source=_json(_procedure(code=None)), fmt="json", publish=False)
    report = procedures_import(source=_json(_procedure(code=None)), fmt="json", publish=False)
    procedure = Procedure.objects.get()
    assert procedure.code == "DP.000001" and procedure.is_local_code
    assert report.unchanged == ["DP.000001"]


def test_bad_json_rows_are_reported_and_nothing_is_written() -> None:
    good = _procedure("1.000894")
    bad_unit = _procedure("1.001193", time_limit={"amount": 3, "unit": "weeks", "cutoff": None, "note": ""})
    bad_fee = _procedure(
        "1.000656", fees=[{"kind": "charge", "case": "x", "amount_vnd": "nhiều", "note": ""}]
    )
    report = procedures_import(source=_json(good, bad_unit, bad_fee), fmt="json", publish=True)
    assert not report.ok
    where = {(e.sheet, e.row, e.column) for e in report.errors}
    assert ("procedures", 2, "time_limit_unit") in where
    assert ("procedures[3].fees", 1, "amount_vnd") in where
    assert "không hợp lệ" in next(e.message for e in report.errors if e.column == "time_limit_unit")
    assert Procedure.objects.count() == 0 and ProcedureVersion.objects.count() == 0


def test_shares_that_do_not_add_up_are_an_error() -> None:
    steps = [{"name": "Xử lý", "role": "specialist", "unit": None, "share": 1}]
    report = procedures_import(source=_json(_procedure(process_steps=steps)), fmt="json", publish=False)
    assert [(e.row, e.column) for e in report.errors] == [(1, "process_steps")]
    assert Procedure.objects.count() == 0


def test_duplicate_codes_and_unknown_units_are_errors() -> None:
    steps = [{"name": "Xử lý", "role": "specialist", "unit": "000.00.99.H99", "share": 0}]
    report = procedures_import(
        source=_json(_procedure(), _procedure(process_steps=steps)), fmt="json", publish=False
    )
    messages = " ".join(e.message for e in report.errors)
    assert "bị trùng với dòng 1" in messages and "000.00.99.H99" in messages


def test_invalid_json_is_one_error() -> None:
    report = procedures_import(source=b"{not json", fmt="json", publish=False)
    assert len(report.errors) == 1 and "JSON" in report.errors[0].message


def test_json_round_trip_keeps_everything() -> None:
    procedures_import(
        source=_json(_procedure(), _procedure("1.000894", name="Thủ tục đăng ký kết hôn")),
        fmt="json",
        publish=True,
    )
    before = _contents()
    exported = procedures_export(fmt="json")
    ProcedureVersion.objects.all().update(status=VersionStatus.DRAFT)  # test-only reset so the rows can go
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    report = procedures_import(source=exported, fmt="json", publish=True)
    assert report.ok and sorted(report.created) == ["1.000894", "1.001193"]
    assert _contents() == before
    again = procedures_import(source=procedures_export(fmt="json"), fmt="json", publish=True)
    assert sorted(again.unchanged) == ["1.000894", "1.001193"]


def test_xlsx_round_trip_keeps_everything() -> None:
    make_draft("2.000635", name="Cấp bản sao trích lục", shares=("0.5", "1.5", "0.5", "0.5"))
    procedures_import(source=_json(_procedure()), fmt="json", publish=True)
    before = _contents()
    exported = procedures_export(fmt="xlsx")
    report = procedures_import(source=exported, fmt="xlsx", publish=True)
    assert report.ok, report.errors
    assert sorted(report.unchanged) == ["1.001193", "2.000635"]
    ProcedureVersion.objects.all().update(status=VersionStatus.DRAFT)
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    assert procedures_import(source=exported, fmt="xlsx", publish=False).ok
    assert _contents() == [dict(item, valid_from=None) for item in before]


def test_exported_xlsx_has_one_sheet_per_table_keyed_by_code() -> None:
    procedures_import(source=_json(_procedure()), fmt="json", publish=True)
    book = load_workbook(io.BytesIO(procedures_export(fmt="xlsx")))
    assert book.sheetnames == ["procedures", "components", "fees", "steps"]
    procedures = list(book["procedures"].iter_rows(values_only=True))
    header = procedures[0]
    row = dict(zip(header, procedures[1], strict=True))
    assert row["code"] == "1.001193" and row["name"] == "Thủ tục đăng ký khai sinh"
    assert row["time_limit_unit"] == "working_days" and row["time_limit_cutoff"] == "15:00"
    assert row["legal_basis"] == "60/2014/QH13; 123/2015/NĐ-CP"
    components = list(book["components"].iter_rows(values_only=True))
    assert components[0][:3] == ("code", "order", "name")
    assert [(r[0], r[1], r[2]) for r in components[1:]] == [
        ("1.001193", 1, "Tờ khai"),
        ("1.001193", 2, "Giấy chứng sinh"),
    ]
    steps = list(book["steps"].iter_rows(values_only=True))
    assert [r[3] for r in steps[1:]] == ["reception_officer", "specialist"]


def _workbook_with_errors() -> bytes:
    book = load_workbook(io.BytesIO(_exported_one()))
    procedures = book["procedures"]
    header = [cell.value for cell in procedures[1]]
    procedures.cell(row=2, column=header.index("method_online") + 1, value="có lẽ")
    components = book["components"]
    components.append(["9.999999", 1, "Giấy tờ mồ côi", "original", 1, None, None])
    comp_header = [cell.value for cell in components[1]]
    components.cell(row=2, column=comp_header.index("quantity") + 1, value=-1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _exported_one() -> bytes:
    procedures_import(source=_json(_procedure()), fmt="json", publish=False)
    exported = procedures_export(fmt="xlsx")
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    return exported


def test_bad_xlsx_rows_are_reported_with_sheet_row_and_column_and_nothing_is_written() -> None:
    report = procedures_import(source=_workbook_with_errors(), fmt="xlsx", publish=True)
    where = {(e.sheet, e.row, e.column) for e in report.errors}
    assert ("procedures", 2, "method_online") in where
    assert ("components", 2, "quantity") in where
    assert ("components", 4, "code") in where  # the appended orphan row (rows 2–3 are the real ones)
    assert all(e.message for e in report.errors)
    assert "dòng 2" in str(next(e for e in report.errors if e.column == "method_online"))
    assert Procedure.objects.count() == 0


def test_a_workbook_missing_a_sheet_is_an_error() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "procedures"
    sheet.append(["code", "name"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = procedures_import(source=buffer.getvalue(), fmt="xlsx", publish=False)
    assert not report.ok
    assert any(e.sheet == "components" for e in report.errors)


def test_import_command_and_export_command(tmp_path: Any) -> None:
    from django.core.management import call_command

    source = tmp_path / "in.json"
    source.write_bytes(_json(_procedure()))
    call_command("import_procedures", str(source), "--publish")
    assert ProcedureVersion.objects.get().status == VersionStatus.PUBLISHED
    target = tmp_path / "out.xlsx"
    call_command("export_procedures", str(target))
    assert load_workbook(target).sheetnames == ["procedures", "components", "fees", "steps"]


def test_import_command_fails_on_errors(tmp_path: Any) -> None:
    from django.core.management import CommandError, call_command

    source = tmp_path / "bad.json"
    source.write_bytes(_json(_procedure(name="")))
    with pytest.raises(CommandError):
        call_command("import_procedures", str(source))
    assert Procedure.objects.count() == 0


def test_components_keep_their_order_and_decimal_shares_survive() -> None:
    item = _procedure(
        time_limit={"amount": 2.5, "unit": "working_days", "cutoff": None, "note": ""},
        process_steps=[
            {"name": "Tiếp nhận", "role": "reception_officer", "unit": None, "share": 0.5},
            {"name": "Xử lý", "role": "specialist", "unit": None, "share": "2"},
        ],
    )
    assert procedures_import(source=_json(item), fmt="json", publish=True).published == ["1.001193"]
    version = ProcedureVersion.objects.get()
    assert version.time_limit_amount == Decimal("2.5")
    assert [s.share for s in version.process_steps.all()] == [Decimal("0.5"), Decimal("2")]
    assert list(Component.objects.values_list("order", flat=True)) == [1, 2]
    services.process_steps_validate(version=version)


def _steps(name: str = "Tiếp nhận") -> list[dict[str, Any]]:
    return [
        {"name": name, "role": "reception_officer", "unit": None, "share": 0},
        {"name": "Xử lý", "role": "specialist", "unit": None, "share": 0},
    ]


def test_values_beyond_the_model_limits_are_row_errors_and_nothing_is_written() -> None:
    first = _procedure(
        "1.000001",
        decision={"number": "9" * 81, "date": None, "issuer": ""},
        levels={"province": False, "commune": True, "note": "x" * 256},
        field={"name": "Hộ tịch", "code": "c" * 41},
        components=[{"name": "Tờ khai", "kind": "original", "quantity": 1, "template_name": "m" * 256}],
        process_steps=_steps("b" * 256),
    )
    second = _procedure(
        "1.000002",
        fees=[{"kind": "fee", "case": "", "amount_vnd": 12345678901234567890, "note": ""}],
        time_limit={"amount": 1_000_000, "unit": "working_days", "cutoff": None, "note": ""},
    )
    third = _procedure(
        "1.000003",
        applicants="Cá nhân\x00",
        legal_basis=["60/2014/QH13", "x\x00"],
        source={"type\x00": "test"},
        fees=[{"kind": "fee", "case": "a\x00", "amount_vnd": "9223372036854775808", "note": ""}],
    )
    good = _procedure("1.000004", fees=[{"kind": "fee", "case": "", "amount_vnd": 9223372036854775807}])
    report = procedures_import(source=_json(first, second, third, good), fmt="json", publish=True)
    where = {(e.sheet, e.row, e.column) for e in report.errors}
    assert where == {
        ("procedures", 1, "decision_number"),
        ("procedures", 1, "level_note"),
        ("procedures", 1, "field_code"),
        ("procedures[1].components", 1, "template_name"),
        ("procedures[1].process_steps", 1, "name"),
        ("procedures[2].fees", 1, "amount_vnd"),
        ("procedures", 2, "time_limit_amount"),
        ("procedures", 3, "applicants"),
        ("procedures", 3, "legal_basis"),
        ("procedures", 3, "source"),
        ("procedures[3].fees", 1, "case"),
        ("procedures[3].fees", 1, "amount_vnd"),
    }
    messages = {e.column: e.message for e in report.errors if e.row == 1}
    assert "80 ký tự" in messages["decision_number"] and "40 ký tự" in messages["field_code"]
    assert "NUL" in next(e.message for e in report.errors if e.column == "applicants")
    assert Procedure.objects.count() == 0 and ProcedureVersion.objects.count() == 0


def test_a_number_too_long_for_decimal_arithmetic_is_a_row_error() -> None:
    limit = {"amount": "1" * 40, "unit": "working_days", "cutoff": None, "note": ""}
    report = procedures_import(source=_json(_procedure(time_limit=limit)), fmt="json")
    assert [(e.row, e.column) for e in report.errors] == [(1, "time_limit_amount")]


def test_xlsx_values_beyond_the_model_limits_are_row_errors_and_nothing_is_written() -> None:
    book = load_workbook(io.BytesIO(_exported_one()))

    def put(sheet: str, row: int, column: str, value: Any) -> None:
        header = [cell.value for cell in book[sheet][1]]
        book[sheet].cell(row=row, column=header.index(column) + 1, value=value)

    put("procedures", 2, "decision_number", "9" * 81)
    put("procedures", 2, "decision_issuer", "i" * 256)
    put("components", 3, "template_name", "m" * 256)
    put("fees", 2, "amount_vnd", "12345678901234567890")
    put("steps", 3, "name", "b" * 256)
    put("steps", 2, "share", 1_000_000)
    buffer = io.BytesIO()
    book.save(buffer)
    report = procedures_import(source=buffer.getvalue(), fmt="xlsx", publish=True)
    assert {(e.sheet, e.row, e.column) for e in report.errors} >= {
        ("procedures", 2, "decision_number"),
        ("procedures", 2, "decision_issuer"),
        ("components", 3, "template_name"),
        ("fees", 2, "amount_vnd"),
        ("steps", 3, "name"),
        ("steps", 2, "share"),
    }
    assert Procedure.objects.count() == 0 and ProcedureVersion.objects.count() == 0


def test_the_result_document_type_code_is_read_upper_case_and_checked_by_the_models_rule() -> None:
    sealed = _procedure("1.000894", result_document={"type_code": "gcnkh", "sealed": True})
    assert procedures_import(source=_json(sealed), fmt="json", publish=False).ok
    version = ProcedureVersion.objects.get(procedure__code="1.000894")
    assert (version.result_type_code, version.result_sealed) == ("GCNKH", True)
    wrong = _procedure("1.001193", result_document={"type_code": "GCN-KH", "sealed": False})
    report = procedures_import(source=_json(wrong), fmt="json", publish=False)
    assert not report.ok
    (error,) = [e for e in report.errors if e.column == "result_type_code"]
    assert error.message == "Mã loại giấy tờ chỉ gồm chữ in hoa không dấu và chữ số."
