"""Between exchange records and the database: read a version as a record, write a record as a version."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cchc.catalog.exchange.records import Record
from cchc.catalog.models import Field, ProcedureVersion
from cchc.core.folding import fold

# Record keys that are ProcedureVersion fields of the same name.
VERSION_KEYS = (
    "name",
    "level_province",
    "level_commune",
    "level_note",
    "agency",
    "time_limit_amount",
    "time_limit_unit",
    "time_limit_cutoff",
    "time_limit_note",
    "time_limits_by_channel",
    "steps",
    "method_counter",
    "method_post",
    "method_online",
    "method_note",
    "online_level",
    "applicants",
    "result",
    "result_type_code",
    "result_sealed",
    "legal_basis",
    "decision_number",
    "decision_date",
    "decision_issuer",
    "source",
    "verify_notes",
)


def _two_places(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def record_from_version(version: ProcedureVersion) -> Record:
    """The exchange record of a stored version (the inverse of `version_values`)."""
    record: Record = {"code": version.procedure.code}
    for key in VERSION_KEYS:
        record[key] = getattr(version, key)
    record["time_limit_amount"] = _two_places(version.time_limit_amount)
    record["field"] = version.field.name if version.field else ""
    record["field_code"] = version.field.code if version.field else None
    record["valid_from"] = version.valid_from
    record["components"] = [
        {
            "name": c.name,
            "kind": c.kind,
            "quantity": c.quantity,
            "template_name": c.template_name,
            "note": c.note,
        }
        for c in version.components.all()
    ]
    record["fees"] = [
        {"kind": f.kind, "case": f.case, "amount_vnd": f.amount_vnd, "note": f.note}
        for f in version.fees.all()
    ]
    record["steps"] = version.steps
    record["process_steps"] = [
        {
            "name": s.name,
            "role": s.role,
            "unit": s.unit.identifier if s.unit else None,
            "share": _two_places(s.share),
        }
        for s in version.process_steps.select_related("unit")
    ]
    return record


def field_for(*, name: str, code: str | None) -> Field:
    """The field by code, else by accent-free name; created when new (code: the folded name as a slug)."""
    if code:
        found = Field.objects.filter(code=code).first()
        if found:
            return found
    found = Field.objects.filter(name_folded=fold(name)).first()
    if found:
        return found
    return Field.objects.create(code=code or fold(name).replace(" ", "-")[:40], name=name)


def version_values(record: Record) -> dict[str, Any]:
    """The ProcedureVersion field values of a record (without field, components, fees, process steps)."""
    return {key: record[key] for key in VERSION_KEYS}
