"""The XLSX exchange format: one sheet per table (procedures, components, fees, steps), keyed by code.

Row numbers in errors are the spreadsheet's own (the header is row 1).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from cchc.catalog.exchange.records import (
    CHILD_TABLES,
    PROCEDURE_COLUMNS,
    SHEETS,
    Column,
    Located,
    Record,
    RowError,
    convert_row,
)

KEY = "code"
ORDER = "order"
_JSON_COLUMNS = frozenset({"source", "verify_notes", "time_limits_by_channel"})


def _cell(name: str, value: Any) -> Any:
    if name in _JSON_COLUMNS:
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else None
    if name == "legal_basis":
        return "; ".join(value) if value else None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if value == "":
        return None
    return value


def write(records: list[Record]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEETS["procedures"]
    sheet.append([column.name for column in PROCEDURE_COLUMNS])
    for record in records:
        sheet.append([_cell(column.name, record.get(column.name)) for column in PROCEDURE_COLUMNS])
    for key, columns in CHILD_TABLES.items():
        child_sheet = book.create_sheet(SHEETS[key])
        child_sheet.append([KEY, ORDER, *[column.name for column in columns]])
        for record in records:
            for order, row in enumerate(record.get(key, []), start=1):
                child_sheet.append(
                    [record["code"], order, *[_cell(column.name, row.get(column.name)) for column in columns]]
                )
    for worksheet in book.worksheets:
        worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rows(
    book: Any, sheet_name: str, columns: tuple[Column, ...], extra: tuple[str, ...], errors: list[RowError]
) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {header: value}) for each non-empty row of a sheet; reports missing headers."""
    if sheet_name not in book.sheetnames:
        errors.append(RowError(sheet_name, 0, "", _("Thiếu trang tính “%(sheet)s”.") % {"sheet": sheet_name}))
        return []
    rows = book[sheet_name].iter_rows(values_only=True)
    header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
    wanted = [*extra, *[column.name for column in columns]]
    missing = [name for name in wanted if name not in header]
    for name in missing:
        errors.append(RowError(sheet_name, 1, name, _("Thiếu cột “%(column)s”.") % {"column": name}))
    if missing:
        return []
    result = []
    for number, values in enumerate(rows, start=2):
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in values):
            continue
        result.append((number, dict(zip(header, values, strict=False))))
    return result


def read(data: bytes) -> tuple[list[Located], list[RowError]]:
    errors: list[RowError] = []
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as error:
        return [], [RowError("xlsx", 0, "", _("Tệp Excel không đọc được: %(error)s") % {"error": error})]
    procedures_sheet = SHEETS["procedures"]
    located: list[Located] = []
    by_code: dict[str, Located] = {}
    for number, raw in _rows(book, procedures_sheet, PROCEDURE_COLUMNS, (), errors):
        record = convert_row(raw, PROCEDURE_COLUMNS, sheet=procedures_sheet, row=number, errors=errors)
        for key in CHILD_TABLES:
            record[key] = []
        item = Located(record=record, sheet=procedures_sheet, row=number)
        located.append(item)
        code = record.get("code")
        if code:
            if code in by_code:
                errors.append(
                    RowError(
                        procedures_sheet,
                        number,
                        KEY,
                        _("Mã thủ tục “%(code)s” bị trùng với dòng %(row)s.")
                        % {"code": code, "row": by_code[code].row},
                    )
                )
            else:
                by_code[code] = item
    for key, columns in CHILD_TABLES.items():
        sheet_name = SHEETS[key]
        ordered: dict[str, list[tuple[Any, int, dict[str, Any]]]] = {}
        for number, raw in _rows(book, sheet_name, columns, (KEY, ORDER), errors):
            code = str(raw.get(KEY) or "").strip()
            if not code:
                errors.append(RowError(sheet_name, number, KEY, _("Không được để trống.")))
                continue
            if code not in by_code:
                errors.append(
                    RowError(
                        sheet_name,
                        number,
                        KEY,
                        _("Mã thủ tục “%(code)s” không có trong trang “%(sheet)s”.")
                        % {"code": code, "sheet": procedures_sheet},
                    )
                )
                continue
            row = convert_row(raw, columns, sheet=sheet_name, row=number, errors=errors)
            order = raw.get(ORDER)
            sort_key = order if isinstance(order, (int, float)) else number
            ordered.setdefault(code, []).append((sort_key, number, row))
        for code, rows in ordered.items():
            rows.sort(key=lambda item: (item[0], item[1]))
            by_code[code].record[key] = [row for _order, _number, row in rows]
            by_code[code].child_rows[key] = [number for _order, number, _row in rows]
    book.close()
    return located, errors
