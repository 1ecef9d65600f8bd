"""Import and export of the procedure catalog, in JSON or XLSX (docs/catalog-format.md).

`procedures_import` reads and checks everything first and writes nothing when any row is wrong (one
transaction). Re-importing the same content creates no new version; changed content creates one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.catalog.exchange import jsonfmt, xlsxfmt
from cchc.catalog.exchange.records import SHEETS, Located, Record, RowError, record_hash
from cchc.catalog.exchange.store import field_for, record_from_version, version_values
from cchc.catalog.models import Procedure, ProcedureVersion, VersionStatus
from cchc.catalog.services import (
    LOCAL_CODE_PREFIX,
    procedure_create,
    procedure_version_check_publishable,
    procedure_version_create_draft,
    procedure_version_publish,
)
from cchc.orgs.models import Unit

Format = Literal["json", "xlsx"]
_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$")

__all__ = ["Format", "ImportReport", "RowError", "procedures_export", "procedures_import"]


@dataclass
class ImportReport:
    """What an import did, or, when `errors` is not empty, why it wrote nothing."""

    errors: list[RowError] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # new procedures
    new_versions: list[str] = field(default_factory=list)  # new version of an existing procedure
    updated_drafts: list[str] = field(default_factory=list)  # a draft replaced by changed content
    unchanged: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    not_published: dict[str, list[str]] = field(default_factory=dict)  # code -> reasons (kept as drafts)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return _("Có %(count)d lỗi, không có dữ liệu nào được ghi.") % {"count": len(self.errors)}
        return _(
            "Thêm mới %(created)d, phiên bản mới %(versions)d, cập nhật bản nháp %(drafts)d, "
            "không đổi %(unchanged)d, công bố %(published)d, chưa công bố %(not_published)d."
        ) % {
            "created": len(self.created),
            "versions": len(self.new_versions),
            "drafts": len(self.updated_drafts),
            "unchanged": len(self.unchanged),
            "published": len(self.published),
            "not_published": len(self.not_published),
        }


def _check(items: list[Located], errors: list[RowError]) -> None:
    """Checks across columns and rows, after each cell was read."""
    seen: dict[str, int] = {}
    identifiers = {
        step.get("unit")
        for item in items
        for step in item.record.get("process_steps", [])
        if step.get("unit")
    }
    known_units = set(Unit.objects.filter(identifier__in=identifiers).values_list("identifier", flat=True))
    for item in items:
        record, sheet, row = item.record, item.sheet, item.row
        code = record.get("code")
        if code:
            if not _CODE.match(code):
                errors.append(RowError(sheet, row, "code", _("Mã thủ tục không hợp lệ.")))
            elif code in seen and sheet == jsonfmt.SHEET:
                errors.append(
                    RowError(
                        sheet, row, "code", _("Mã thủ tục bị trùng với dòng %(row)s.") % {"row": seen[code]}
                    )
                )
            seen.setdefault(code, row)
        amount, unit = record.get("time_limit_amount"), record.get("time_limit_unit")
        if unit and amount is None:
            errors.append(RowError(sheet, row, "time_limit_amount", _("Có đơn vị thời hạn nhưng thiếu số.")))
        steps = record.get("process_steps") or []
        step_rows = item.child_rows.get("process_steps") or []
        step_sheet = SHEETS["process_steps"] if step_rows else f"{sheet}[{row}].process_steps"
        for position, step in enumerate(steps, start=1):
            if step.get("unit") and step["unit"] not in known_units:
                errors.append(
                    RowError(
                        step_sheet,
                        step_rows[position - 1] if step_rows else position,
                        "unit",
                        _("Không có đơn vị có mã định danh “%(unit)s”.") % {"unit": step["unit"]},
                    )
                )
        if steps and all("share" in step for step in steps):
            total = sum((step["share"] for step in steps), Decimal(0))
            if amount is None or not unit:
                errors.append(
                    RowError(
                        sheet,
                        row,
                        "time_limit_amount",
                        _("Có quy trình nội bộ nhưng thiếu thời hạn giải quyết."),
                    )
                )
            elif total != amount:
                # DOMAIN.md §2: the shares of the internal process add up to the time limit.
                errors.append(
                    RowError(
                        sheet,
                        row,
                        "process_steps",
                        _(
                            "Tổng thời gian các bước quy trình (%(total)s) khác thời hạn giải quyết (%(limit)s)."
                        )
                        % {"total": format(total.normalize(), "f"), "limit": format(amount.normalize(), "f")},
                    )
                )


def _read(source: bytes | str | Path, fmt: Format) -> tuple[list[Located], list[RowError]]:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if fmt == "json":
        return jsonfmt.read(data)
    if fmt == "xlsx":
        return xlsxfmt.read(data)
    raise ValueError(f"Unknown format {fmt!r}")


def _procedure_for(record: Record) -> tuple[Procedure, bool]:
    code = record.get("code")
    if code:
        existing = Procedure.objects.filter(code=code).first()
        if existing:
            return existing, False
        return procedure_create(code=code), True
    # A local procedure without a code is matched by the name of its latest version.
    for procedure in Procedure.objects.filter(is_local_code=True, code__startswith=LOCAL_CODE_PREFIX):
        latest = procedure.versions.order_by("-number").first()
        if latest is not None and latest.name == record["name"]:
            return procedure, False
    return procedure_create(code=None), True


def _store(item: Located, *, publish: bool, report: ImportReport) -> None:
    record = item.record
    content_hash = record_hash(record)
    procedure, created = _procedure_for(record)
    code = procedure.code
    latest = procedure.versions.order_by("-number").first()
    if latest is not None and content_hash in (latest.content_hash, record_hash(record_from_version(latest))):
        report.unchanged.append(code)
        version = latest
    else:
        if latest is not None and latest.status == VersionStatus.DRAFT:
            latest.delete()
            report.updated_drafts.append(code)
        elif created:
            report.created.append(code)
        else:
            report.new_versions.append(code)
        version = procedure_version_create_draft(
            procedure=procedure,
            field=field_for(name=record["field"], code=record.get("field_code")),
            components=record["components"],
            fees=record["fees"],
            process_steps=[_step_values(step) for step in record["process_steps"]],
            content_hash=content_hash,
            **version_values(record),
        )
    if not publish or version.status != VersionStatus.DRAFT:
        return
    try:
        procedure_version_check_publishable(version=version)
        with transaction.atomic():
            procedure_version_publish(version=version, valid_from=record.get("valid_from"))
    except ValidationError as error:
        report.not_published[code] = list(error.messages)
        return
    report.published.append(code)


def _step_values(step: Record) -> Record:
    values = {key: value for key, value in step.items() if key != "unit"}
    values["unit"] = Unit.objects.get(identifier=step["unit"]) if step.get("unit") else None
    return values


def procedures_import(*, source: bytes | str | Path, fmt: Format, publish: bool = False) -> ImportReport:
    """Import procedures (nhập danh mục thủ tục). On any row error nothing is written."""
    items, errors = _read(source, fmt)
    if not errors:
        _check(items, errors)
    report = ImportReport(errors=errors)
    if errors:
        return report
    with transaction.atomic():
        for item in items:
            _store(item, publish=publish, report=report)
    return report


def procedures_export(*, fmt: Format, published_only: bool = False) -> bytes:
    """Export each procedure's latest version (or, with published_only, the one in force today)."""
    versions: list[ProcedureVersion]
    if published_only:
        from cchc.catalog.selectors import published_versions

        versions = list(published_versions(on=timezone.localdate()).prefetch_related("components", "fees"))
    else:
        latest = ProcedureVersion.objects.values("procedure_id").annotate(n=Max("number"))
        wanted = {(row["procedure_id"], row["n"]) for row in latest}
        versions = [
            version
            for version in ProcedureVersion.objects.select_related("procedure", "field")
            .prefetch_related("components", "fees")
            .order_by("procedure__code")
            if (version.procedure_id, version.number) in wanted
        ]
    records = [record_from_version(version) for version in versions]
    if fmt == "json":
        return jsonfmt.write(records)
    if fmt == "xlsx":
        return xlsxfmt.write(records)
    raise ValueError(f"Unknown format {fmt!r}")
