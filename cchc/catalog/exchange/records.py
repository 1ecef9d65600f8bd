"""The exchange record: one procedure version as plain values, shared by the JSON and XLSX formats.

Readers turn their input into `Record`s, collecting `RowError`s (sheet, row, column, Vietnamese message)
instead of stopping at the first problem; docs/catalog-format.md documents the columns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _

from cchc.catalog.models import (
    Component,
    ComponentKind,
    FeeKind,
    FeeRule,
    Field,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    TimeUnit,
)
from cchc.catalog.models.procedures import RESULT_TYPE_CODE
from cchc.orgs.roles import Role

FORMAT_NAME = "cchc-catalog"
FORMAT_VERSION = 1
CHANNELS = ("counter", "online", "post")


@dataclass(frozen=True)
class RowError:
    """One problem in the input: where (sheet or JSON array, 1-based row, column) and what, in Vietnamese."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}, dòng {self.row}, cột {self.column}: {self.message}"


class CellError(ValueError):
    """A value that cannot be read; the reader adds where it was."""


Record = dict[str, Any]


# --- converters: raw cell/JSON value -> typed value, raising CellError with a Vietnamese message ----------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    if _blank(value):
        return ""
    if isinstance(value, (dict, list)):
        raise CellError(_("Phải là chuỗi ký tự."))
    return str(value).strip()


def required_text(value: Any) -> str:
    result = text(value)
    if not result:
        raise CellError(_("Không được để trống."))
    return result


def optional_text(value: Any) -> str | None:
    result = text(value)
    return result or None


def boolean(value: Any) -> bool:
    if _blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    folded = str(value).strip().lower()
    if folded in ("true", "1", "x", "có", "co", "yes"):
        return True
    if folded in ("false", "0", "không", "khong", "no"):
        return False
    raise CellError(_("Phải là có/không (true/false)."))


def decimal_or_none(value: Any) -> Decimal | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Phải là một số."))
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as error:
        raise CellError(_("Phải là một số.")) from error
    if not number.is_finite() or number < 0:
        raise CellError(_("Phải là một số không âm."))
    try:
        rounded = number.quantize(Decimal("0.01"))
    except InvalidOperation as error:  # more digits than the decimal context holds
        raise CellError(_("Số quá lớn.")) from error
    if number != rounded:
        raise CellError(_("Chỉ được có tối đa 2 chữ số thập phân."))
    return rounded


def share(value: Any) -> Decimal:
    number = decimal_or_none(value)
    if number is None:
        raise CellError(_("Không được để trống."))
    return number


def vnd_or_none(value: Any) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Số tiền phải là số nguyên (đồng)."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        digits = str(value).strip().replace(".", "").replace(",", "").replace(" ", "")
        if not digits.isdigit():
            raise CellError(_("Số tiền phải là số nguyên (đồng)."))
        number = int(digits)
    if number < 0:
        raise CellError(_("Số tiền không được âm."))
    return number


def quantity(value: Any) -> int:
    if _blank(value):
        return 1
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not (isinstance(value, int) or str(value).strip().isdigit()):
        raise CellError(_("Số lượng phải là số nguyên dương."))
    number = int(value)
    if number < 1 or number > 999:
        raise CellError(_("Số lượng phải từ 1 đến 999."))
    return number


def date_or_none(value: Any) -> dt.date | None:
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise CellError(_("Ngày không hợp lệ (dùng YYYY-MM-DD hoặc DD/MM/YYYY)."))


def time_or_none(value: Any) -> dt.time | None:
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    raw = str(value).strip().lower().replace("h", ":")
    if raw.endswith(":"):
        raw += "00"
    try:
        return dt.datetime.strptime(raw, "%H:%M").time()
    except ValueError as error:
        raise CellError(_("Giờ không hợp lệ (dùng HH:MM, ví dụ 15:00).")) from error


def _choice(choices: Any, label: str) -> Callable[[Any], str]:
    allowed = [str(value) for value in choices.values]

    def convert(value: Any) -> str:
        raw = text(value)
        if raw in allowed:
            return raw
        raise CellError(
            _("Giá trị “%(value)s” không hợp lệ cho %(label)s; dùng một trong: %(allowed)s.")
            % {"value": raw, "label": label, "allowed": ", ".join(allowed)}
        )

    return convert


def unit_or_blank(value: Any) -> str:
    return "" if _blank(value) else _choice(TimeUnit, _("đơn vị thời hạn"))(value)


component_kind = _choice(ComponentKind, _("loại bản"))
fee_kind = _choice(FeeKind, _("loại phí"))
role = _choice(Role, _("vai trò"))


def online_level(value: Any) -> str:
    return OnlineLevel.NONE if _blank(value) else _choice(OnlineLevel, _("mức độ trực tuyến"))(value)


def result_type_code(value: Any) -> str:
    code = text(value).upper()
    if code:
        try:
            RESULT_TYPE_CODE(code)  # the model's own rule
        except ValidationError as error:
            raise CellError(" ".join(error.messages)) from error
    return code


def string_list(value: Any) -> list[str]:
    if _blank(value):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [item.strip() for item in value if item.strip()]
    raise CellError(_("Phải là danh sách chuỗi (trong Excel: ngăn cách bằng dấu chấm phẩy)."))


def json_object(value: Any) -> dict[str, Any]:
    if _blank(value):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise CellError(_("Phải là một đối tượng JSON hợp lệ.")) from error
    if not isinstance(value, dict):
        raise CellError(_("Phải là một đối tượng JSON."))
    return value


def channel_limits(value: Any) -> dict[str, dict[str, str | None]]:
    raw = json_object(value)
    result: dict[str, dict[str, str | None]] = {}
    for channel, limit in raw.items():
        if channel not in CHANNELS:
            raise CellError(_("Cách thức nộp “%(channel)s” không hợp lệ.") % {"channel": channel})
        if not isinstance(limit, dict):
            raise CellError(_("Thời hạn theo cách thức nộp phải có dạng {amount, unit}."))
        amount = decimal_or_none(limit.get("amount"))
        result[channel] = {
            "amount": None if amount is None else format(amount, "f"),
            "unit": unit_or_blank(limit.get("unit")) or None,
        }
    return result


# --- the columns of each table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str  # the flat name: XLSX header, Record key
    path: tuple[str, ...]  # where it sits in the JSON record
    convert: Callable[[Any], Any]
    target: models.Field[Any, Any] | None = None  # the model field the value is stored in, whose limits apply


def _c(name: str, convert: Callable[[Any], Any], *path: str) -> Column:
    return Column(name, path or (name,), convert)


def _bind(
    columns: tuple[Column, ...], model: type[models.Model], **targets: models.Field[Any, Any] | None
) -> tuple[Column, ...]:
    """Give each column its target: the model field of the same name, unless named in `targets`."""
    own = {f.name: f for f in model._meta.concrete_fields}
    return tuple(replace(column, target=targets.get(column.name, own.get(column.name))) for column in columns)


_INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges


def _no_nul(value: Any) -> None:
    """PostgreSQL stores no NUL character, in text or in JSON."""
    if isinstance(value, str):
        if "\x00" in value:
            raise CellError(_("Không được chứa ký tự NUL (\\x00)."))
    elif isinstance(value, dict):
        for key, item in value.items():
            _no_nul(key)
            _no_nul(item)
    elif isinstance(value, list):
        for item in value:
            _no_nul(item)


def check_fits(value: Any, target: models.Field[Any, Any] | None) -> None:
    """Raise CellError unless a converted value can be stored in `target` (length, digits, integer range)."""
    _no_nul(value)
    if target is None or value is None:
        return
    if isinstance(value, str) and target.max_length is not None and len(value) > target.max_length:
        raise CellError(
            _("Dài quá %(limit)d ký tự (hiện có %(length)d ký tự).")
            % {"limit": target.max_length, "length": len(value)}
        )
    if isinstance(value, Decimal) and isinstance(target, models.DecimalField):
        places = target.decimal_places or 0
        whole = (target.max_digits or 0) - places
        if value.as_tuple().exponent < -places:  # type: ignore[operator]
            raise CellError(_("Chỉ được có tối đa %(places)d chữ số thập phân.") % {"places": places})
        if abs(value) >= Decimal(10) ** whole:
            raise CellError(_("Số quá lớn: phần nguyên tối đa %(digits)d chữ số.") % {"digits": whole})
    if isinstance(value, int) and not isinstance(value, bool):
        low, high = _INTEGER_RANGES.get(target.get_internal_type(), (None, None))
        if (low is not None and value < low) or (high is not None and value > high):
            raise CellError(_("Giá trị phải trong khoảng %(low)s đến %(high)s.") % {"low": low, "high": high})


PROCEDURE_COLUMNS: tuple[Column, ...] = _bind(
    (
        _c("code", optional_text),
        _c("name", required_text),
        _c("field", required_text, "field", "name"),
        _c("field_code", optional_text, "field", "code"),
        _c("level_province", boolean, "levels", "province"),
        _c("level_commune", boolean, "levels", "commune"),
        _c("level_note", text, "levels", "note"),
        _c("agency", text),
        _c("time_limit_amount", decimal_or_none, "time_limit", "amount"),
        _c("time_limit_unit", unit_or_blank, "time_limit", "unit"),
        _c("time_limit_cutoff", time_or_none, "time_limit", "cutoff"),
        _c("time_limit_note", text, "time_limit", "note"),
        _c("time_limits_by_channel", channel_limits),
        _c("steps", text),
        _c("method_counter", boolean, "methods", "counter"),
        _c("method_post", boolean, "methods", "post"),
        _c("method_online", boolean, "methods", "online"),
        _c("method_note", text, "methods", "note"),
        _c("online_level", online_level),
        _c("applicants", text),
        _c("result", text),
        _c("result_type_code", result_type_code, "result_document", "type_code"),
        _c("result_sealed", boolean, "result_document", "sealed"),
        _c("legal_basis", string_list),
        _c("decision_number", text, "decision", "number"),
        _c("decision_date", date_or_none, "decision", "date"),
        _c("decision_issuer", text, "decision", "issuer"),
        _c("valid_from", date_or_none),
        _c("source", json_object),
        _c("verify_notes", json_object, "verify"),
    ),
    ProcedureVersion,
    code=Procedure._meta.get_field("code"),
    field=Field._meta.get_field("name"),
    field_code=Field._meta.get_field("code"),
)
COMPONENT_COLUMNS: tuple[Column, ...] = _bind(
    (
        _c("name", required_text),
        _c("kind", component_kind),
        _c("quantity", quantity),
        _c("template_name", text),
        _c("note", text),
    ),
    Component,
)
FEE_COLUMNS: tuple[Column, ...] = _bind(
    (
        _c("kind", fee_kind),
        _c("case", text),
        _c("amount_vnd", vnd_or_none),
        _c("note", text),
    ),
    FeeRule,
)
STEP_COLUMNS: tuple[Column, ...] = _bind(
    (
        _c("name", required_text),
        _c("role", role),
        _c("unit", optional_text),
        _c("share", share),
    ),
    ProcessStep,
    unit=None,  # a unit's identifier, looked up later
)
# The child tables by their JSON list key, and the XLSX sheet of each.
CHILD_TABLES: dict[str, tuple[Column, ...]] = {
    "components": COMPONENT_COLUMNS,
    "fees": FEE_COLUMNS,
    "process_steps": STEP_COLUMNS,
}
SHEETS: dict[str, str] = {
    "procedures": "procedures",
    "components": "components",
    "fees": "fees",
    "process_steps": "steps",
}


@dataclass
class Located:
    """A record with where it came from, so later checks can point at its row."""

    record: Record
    sheet: str
    row: int
    child_rows: dict[str, list[int]] = field(default_factory=dict)


def convert_row(
    raw: dict[str, Any], columns: tuple[Column, ...], *, sheet: str, row: int, errors: list[RowError]
) -> dict[str, Any]:
    """Convert one row's raw values by column; errors are collected, not raised."""
    result: dict[str, Any] = {}
    for column in columns:
        try:
            value = column.convert(raw.get(column.name))
            check_fits(value, column.target)
            result[column.name] = value
        except CellError as error:
            errors.append(RowError(sheet, row, column.name, str(error)))
    return result


def record_hash(record: Record) -> str:
    """A hash of a record's content, for idempotent re-import.

    Identifiers and dates of publication are not content: the code, the field's code (the field counts by
    name) and valid_from.
    """
    content = {key: value for key, value in record.items() if key not in ("valid_from", "code", "field_code")}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=_canonical)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _canonical(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    raise TypeError(type(value).__name__)
