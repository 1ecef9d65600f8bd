"""Criteria sets in and out as JSON or XLSX (nhập, xuất bộ tiêu chí), with row-level errors.

Both formats carry the same flat rows, one per node, parents before their children:

| column (XLSX header)      | JSON key   | meaning                                                             |
|---------------------------|------------|---------------------------------------------------------------------|
| Mã                        | code       | unique in the set, e.g. 1, 1.2, 1.2.3                               |
| Mã cấp trên               | parent     | empty for an area                                                   |
| Cấp                       | level      | area / criterion / component, or Lĩnh vực / Tiêu chí / Tiêu chí ... |
| Nội dung                  | title      |                                                                     |
| Điểm tối đa               | max_points | ≥ 0, two decimals at most; a deduction's largest deduction          |
| Phương pháp chấm          | method     | leaves only: manual, evidence, automatic, survey, deduction         |
| Hướng dẫn chấm            | guidance   |                                                                     |
| Tài liệu kiểm chứng       | evidence   |                                                                     |
| Chỉ số tự động            | metric     | the platform metric of an automatic leaf (cchc.parindex.metrics)    |
| Quy tắc tính điểm         | rule       | how its rate becomes points (cchc.parindex.rules); empty: pro rata  |
| Cần đối chiếu             | verify     | có/không: points the source does not confirm                        |

The set itself (year, audience, name, source) is the JSON document's head, or the XLSX sheet "Thông tin".
Reading collects every problem (`RowError`: sheet, row, column, Vietnamese message) and saves nothing unless
there are none (cchc.parindex.services.criteria_set_import).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from cchc.catalog.exchange.records import (
    CellError,
    RowError,
    boolean,
    decimal_or_none,
    required_text,
    text,
)
from cchc.parindex.models import Audience, CriteriaSet, Criterion, Level, Method

FORMAT_NAME = "cchc-parindex"
FORMAT_VERSION = 1
ROWS_SHEET = "Tiêu chí"
HEAD_SHEET = "Thông tin"
# (JSON key, XLSX header)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "Mã"),
    ("parent", "Mã cấp trên"),
    ("level", "Cấp"),
    ("title", "Nội dung"),
    ("max_points", "Điểm tối đa"),
    ("method", "Phương pháp chấm"),
    ("guidance", "Hướng dẫn chấm"),
    ("evidence", "Tài liệu kiểm chứng"),
    ("metric", "Chỉ số tự động"),
    ("rule", "Quy tắc tính điểm"),
    ("verify", "Cần đối chiếu"),
)
HEAD: tuple[tuple[str, str], ...] = (
    ("year", "Năm"),
    ("audience", "Đối tượng"),
    ("name", "Tên bộ tiêu chí"),
    ("source", "Văn bản ban hành"),
)


class ReadFailed(ValueError):
    """The input is not a criteria set at all (not JSON, not XLSX, wrong format name)."""


@dataclass
class Node:
    """One row read: the values of a Criterion, with its row number for messages."""

    row: int
    code: str
    parent: str
    level: str
    title: str
    max_points: Decimal
    method: str
    guidance: str
    evidence: str
    metric: str
    rule: str
    verify: bool


@dataclass
class Document:
    year: int | None = None
    audience: str = ""
    name: str = ""
    source: str = ""
    sheet: str = ROWS_SHEET  # where the rows are, for messages
    nodes: list[Node] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _folded(value: str) -> str:
    return " ".join(value.split()).casefold()


def _choice(choices: type[Any]) -> Callable[[Any], str]:
    """A converter accepting a choice's value or its Vietnamese label."""

    def convert(value: Any) -> str:
        wanted = _folded(required_text(value))
        for choice_value, label in choices.choices:
            if wanted in (_folded(str(choice_value)), _folded(str(label))):
                return str(choice_value)
        allowed = ", ".join(str(label) for _value, label in choices.choices)
        raise CellError(_("Không hợp lệ; chọn một trong: %(allowed)s.") % {"allowed": allowed})

    return convert


def _optional_choice(choices: type[Any]) -> Callable[[Any], str]:
    strict = _choice(choices)
    return lambda value: strict(value) if text(value) else ""


def _points(value: Any) -> Decimal:
    number = decimal_or_none(value)
    if number is None:
        raise CellError(_("Không được để trống."))
    if number > Decimal("1000"):
        raise CellError(_("Điểm tối đa không quá 1000."))
    return number


def _year(value: Any) -> int:
    raw = required_text(value)
    try:
        year = int(Decimal(raw))
    except ArithmeticError as error:
        raise CellError(_("Phải là một năm, ví dụ 2026.")) from error
    if not 2000 <= year <= 2100 or Decimal(raw) != year:
        raise CellError(_("Phải là một năm, ví dụ 2026."))
    return year


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "code": required_text,
    "parent": text,
    "level": _choice(Level),
    "title": required_text,
    "max_points": _points,
    "method": _optional_choice(Method),
    "guidance": text,
    "evidence": text,
    "metric": text,
    "rule": text,
    "verify": boolean,
}
_HEAD_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "year": _year,
    "audience": _choice(Audience),
    "name": required_text,
    "source": text,
}


def _read_head(document: Document, values: dict[str, Any], sheet: str, rows: dict[str, int]) -> None:
    for key, header in HEAD:
        try:
            setattr(document, key, _HEAD_CONVERTERS[key](values.get(key)))
        except CellError as error:
            document.errors.append(RowError(sheet, rows.get(key, 1), header, str(error)))


def _read_row(document: Document, values: dict[str, Any], sheet: str, row: int) -> None:
    converted: dict[str, Any] = {}
    failed = False
    for key, header in COLUMNS:
        try:
            converted[key] = _CONVERTERS[key](values.get(key))
        except CellError as error:
            document.errors.append(RowError(sheet, row, header, str(error)))
            failed = True
    if not failed:
        document.nodes.append(Node(row=row, **converted))


def read_json(content: bytes) -> Document:
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReadFailed(_("Tệp không phải JSON hợp lệ (UTF-8).")) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ReadFailed(
            _("Tệp JSON không phải bộ tiêu chí Chỉ số CCHC (format “%(name)s”).") % {"name": FORMAT_NAME}
        )
    document = Document(sheet="criteria")
    _read_head(document, data, "JSON", {})
    rows = data.get("criteria")
    if not isinstance(rows, list):
        document.errors.append(RowError("criteria", 1, "criteria", _("Phải là một danh sách tiêu chí.")))
        return document
    for number, values in enumerate(rows, start=1):
        if not isinstance(values, dict):
            document.errors.append(
                RowError("criteria", number, "—", _("Mỗi tiêu chí phải là một đối tượng JSON."))
            )
            continue
        _read_row(document, values, "criteria", number)
    return document


def read_xlsx(content: bytes) -> Document:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a file that is not XLSX
        raise ReadFailed(_("Tệp không phải bảng tính XLSX hợp lệ.")) from error
    for sheet in (HEAD_SHEET, ROWS_SHEET):
        if sheet not in workbook.sheetnames:
            raise ReadFailed(_("Bảng tính thiếu trang “%(sheet)s”.") % {"sheet": sheet})
    document = Document()
    head_values: dict[str, Any] = {}
    head_rows: dict[str, int] = {}
    by_label = {_folded(header): key for key, header in HEAD}
    for number, row in enumerate(workbook[HEAD_SHEET].iter_rows(values_only=True), start=1):
        if row and row[0] is not None and _folded(str(row[0])) in by_label:
            key = by_label[_folded(str(row[0]))]
            head_values[key] = row[1] if len(row) > 1 else None
            head_rows[key] = number
    _read_head(document, head_values, HEAD_SHEET, head_rows)
    rows = workbook[ROWS_SHEET].iter_rows(values_only=True)
    header = next(rows, None) or ()
    positions = {_folded(str(cell)): index for index, cell in enumerate(header) if cell is not None}
    missing = [label for _key, label in COLUMNS if _folded(label) not in positions]
    if missing:
        document.errors.append(RowError(ROWS_SHEET, 1, ", ".join(missing), _("Thiếu cột ở dòng tiêu đề.")))
        return document
    for number, row in enumerate(rows, start=2):
        if not any(cell is not None and str(cell).strip() for cell in row):
            continue
        values = {
            key: row[positions[_folded(label)]] if positions[_folded(label)] < len(row) else None
            for key, label in COLUMNS
        }
        _read_row(document, values, ROWS_SHEET, number)
    return document


def read(content: bytes, filename: str) -> Document:
    """Read by the file's extension (.json or .xlsx)."""
    name = filename.lower()
    if name.endswith(".json"):
        return read_json(content)
    if name.endswith(".xlsx"):
        return read_xlsx(content)
    raise ReadFailed(_("Chỉ nhận tệp .json hoặc .xlsx."))


# Writing.


def _row(criterion: Criterion, codes: dict[int, str]) -> dict[str, Any]:
    return {
        "code": criterion.code,
        "parent": codes.get(criterion.parent_id or 0, ""),
        "level": criterion.level,
        "title": criterion.title,
        "max_points": str(criterion.max_points),
        "method": criterion.method,
        "guidance": criterion.guidance,
        "evidence": criterion.evidence,
        "metric": criterion.metric,
        "rule": criterion.rule,
        "verify": criterion.verify,
    }


def _rows(criteria_set: CriteriaSet) -> list[dict[str, Any]]:
    criteria: Iterable[Criterion] = criteria_set.criteria.order_by("position")
    criteria = list(criteria)
    codes = {criterion.pk: criterion.code for criterion in criteria}
    return [_row(criterion, codes) for criterion in criteria]


def write_json(criteria_set: CriteriaSet) -> bytes:
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "year": criteria_set.year,
        "audience": criteria_set.audience,
        "name": criteria_set.name,
        "source": criteria_set.source,
        "criteria": _rows(criteria_set),
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def write_xlsx(criteria_set: CriteriaSet) -> bytes:
    workbook = Workbook()
    head = workbook.active
    head.title = HEAD_SHEET
    labels = dict(Audience.choices)
    head.append([dict(HEAD)["year"], criteria_set.year])
    head.append([dict(HEAD)["audience"], str(labels[criteria_set.audience])])
    head.append([dict(HEAD)["name"], criteria_set.name])
    head.append([dict(HEAD)["source"], criteria_set.source])
    sheet = workbook.create_sheet(ROWS_SHEET)
    sheet.append([header for _key, header in COLUMNS])
    level_labels, method_labels = dict(Level.choices), dict(Method.choices)
    for row in _rows(criteria_set):
        sheet.append(
            [
                row["code"],
                row["parent"],
                str(level_labels[row["level"]]),
                row["title"],
                float(row["max_points"]),
                str(method_labels[row["method"]]) if row["method"] else "",
                row["guidance"],
                row["evidence"],
                row["metric"],
                row["rule"],
                "có" if row["verify"] else "không",
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
