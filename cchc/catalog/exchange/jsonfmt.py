"""The JSON exchange format (docs/catalog-format.md): {"format", "format_version", "procedures": [...]}."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.catalog.exchange.records import (
    CHILD_TABLES,
    FORMAT_NAME,
    FORMAT_VERSION,
    PROCEDURE_COLUMNS,
    Located,
    Record,
    RowError,
    convert_row,
)

SHEET = "procedures"


def _get(raw: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = raw
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def read(data: bytes) -> tuple[list[Located], list[RowError]]:
    """Parse and convert a JSON document; every problem becomes a RowError (row = 1-based index)."""
    errors: list[RowError] = []
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return [], [RowError("json", 0, "", _("Tệp JSON không hợp lệ: %(error)s") % {"error": error})]
    items = document.get("procedures") if isinstance(document, dict) else document
    if not isinstance(items, list):
        return [], [RowError("json", 0, "procedures", _("Thiếu danh sách “procedures”."))]
    if isinstance(document, dict) and document.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
        return [], [RowError("json", 0, "format_version", _("Phiên bản định dạng không được hỗ trợ."))]
    located: list[Located] = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.append(RowError(SHEET, index, "", _("Mỗi thủ tục phải là một đối tượng JSON.")))
            continue
        flat = {column.name: _get(item, column.path) for column in PROCEDURE_COLUMNS}
        record: Record = convert_row(flat, PROCEDURE_COLUMNS, sheet=SHEET, row=index, errors=errors)
        for key, columns in CHILD_TABLES.items():
            rows = item.get(key) or []
            if not isinstance(rows, list):
                errors.append(RowError(SHEET, index, key, _("Phải là một danh sách.")))
                rows = []
            children = []
            for position, child in enumerate(rows, start=1):
                location = f"{SHEET}[{index}].{key}"
                if not isinstance(child, dict):
                    errors.append(RowError(location, position, "", _("Phải là một đối tượng JSON.")))
                    continue
                children.append(convert_row(child, columns, sheet=location, row=position, errors=errors))
            record[key] = children
        located.append(Located(record=record, sheet=SHEET, row=index))
    return located, errors


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _nest(record: Record) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for column in PROCEDURE_COLUMNS:
        target = item
        for key in column.path[:-1]:
            target = target.setdefault(key, {})
        target[column.path[-1]] = _plain(record.get(column.name))
    for key in CHILD_TABLES:
        item[key] = [{name: _plain(value) for name, value in row.items()} for row in record.get(key, [])]
    return item


def write(records: list[Record]) -> bytes:
    document = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "procedures": [_nest(record) for record in records],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
