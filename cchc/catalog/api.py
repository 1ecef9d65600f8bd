"""Catalog endpoints: /api/v1/procedures/… (public information)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field as SchemaField

from cchc.catalog import selectors
from cchc.catalog.models import Field, OnlineLevel, ProcedureVersion
from cchc.catalog.presenters import time_limit_text

router = Router(tags=["procedures"])


class SearchQuery(Schema):
    q: str = SchemaField(
        "", max_length=200, description="Từ khóa, có dấu hoặc không dấu; tên, mã hoặc lĩnh vực"
    )
    field: str | None = SchemaField(None, max_length=40, description="Mã lĩnh vực")
    level: str | None = SchemaField(None, pattern="^(province|commune)$", description="Cấp thực hiện")
    agency: str | None = SchemaField(
        None, max_length=200, description="Cơ quan thực hiện (không dấu cũng được)"
    )
    online_level: OnlineLevel | None = SchemaField(None, description="Mức dịch vụ công trực tuyến")
    limit: int = SchemaField(20, ge=1, le=100)


class FieldOut(Schema):
    code: str
    name: str


class TimeLimitOut(Schema):
    amount: Decimal | None
    unit: str | None
    cutoff: str | None = SchemaField(
        None,
        pattern=r"^\d{2}:\d{2}:\d{2}$",
        description="Giờ nhận hồ sơ cuối trong ngày, giờ địa phương (hh:mm:ss)",
    )
    text: str


class ProcedureSummary(Schema):
    code: str
    name: str
    field: FieldOut | None
    level_province: bool
    level_commune: bool
    agency: str
    online_level: str
    time_limit: TimeLimitOut
    version: int


class ProcedureComponentOut(Schema):
    name: str
    kind: str
    quantity: int
    template_name: str
    template_url: str | None
    note: str


class ProcedureFeeOut(Schema):
    kind: str
    case: str
    amount_vnd: int | None
    note: str


class ProcedureStepOut(Schema):
    order: int
    name: str
    role: str
    unit: str | None
    share: Decimal


class ProcedureDetail(ProcedureSummary):
    steps: str
    method_counter: bool
    method_post: bool
    method_online: bool
    applicants: str
    result: str
    legal_basis: list[object]
    valid_from: dt.date | None
    decision_number: str
    components: list[ProcedureComponentOut]
    fees: list[ProcedureFeeOut]
    process: list[ProcedureStepOut]
    missing_required_parts: list[str] = SchemaField(description="Các bộ phận bắt buộc công khai còn thiếu")


def _time_limit(v: ProcedureVersion) -> TimeLimitOut:
    return TimeLimitOut(
        amount=v.time_limit_amount,
        unit=v.time_limit_unit or None,
        cutoff=v.time_limit_cutoff.isoformat() if v.time_limit_cutoff else None,
        text=time_limit_text(v),
    )


def _summary_fields(v: ProcedureVersion) -> dict[str, Any]:
    return {
        "code": v.procedure.code,
        "name": v.name,
        "field": FieldOut(code=v.field.code, name=v.field.name) if v.field else None,
        "level_province": v.level_province,
        "level_commune": v.level_commune,
        "agency": v.agency,
        "online_level": v.online_level,
        "time_limit": _time_limit(v),
        "version": v.number,
    }


@router.get("", response=list[ProcedureSummary], summary="Tìm thủ tục hành chính")
def procedures_search(request: HttpRequest, query: Query[SearchQuery]) -> list[ProcedureSummary]:
    versions = selectors.procedure_search(
        query=query.q,
        field=query.field,
        level=query.level,
        agency=query.agency,
        online_level=query.online_level.value if query.online_level else None,
        limit=query.limit,
    )
    return [ProcedureSummary(**_summary_fields(v)) for v in versions]


@router.get("/fields", response=list[FieldOut], summary="Danh mục lĩnh vực")
def fields_list(request: HttpRequest) -> list[FieldOut]:
    return [FieldOut(code=f.code, name=f.name) for f in Field.objects.order_by("name")]


@router.get("/{code}", response=ProcedureDetail, summary="Chi tiết thủ tục đang có hiệu lực")
def procedure_detail(request: HttpRequest, code: str) -> ProcedureDetail:
    if len(code) > 40:
        raise HttpError(404, "Không tìm thấy thủ tục hành chính này.")
    v = selectors.procedure_version_for_code(code=code, on=timezone.localdate())
    if v is None:
        raise HttpError(404, f"Không tìm thấy thủ tục hành chính mã {code}.")
    return ProcedureDetail(
        **_summary_fields(v),
        steps=v.steps,
        method_counter=v.method_counter,
        method_post=v.method_post,
        method_online=v.method_online,
        applicants=v.applicants,
        result=v.result,
        legal_basis=list(v.legal_basis),
        valid_from=v.valid_from,
        decision_number=v.decision_number,
        components=[
            ProcedureComponentOut(
                name=c.name,
                kind=c.kind,
                quantity=c.quantity,
                template_name=c.template_name,
                template_url=c.template.url if c.template else None,
                note=c.note,
            )
            for c in v.components.all()
        ],
        fees=[
            ProcedureFeeOut(kind=f.kind, case=f.case, amount_vnd=f.amount_vnd, note=f.note)
            for f in v.fees.all()
        ],
        process=[
            ProcedureStepOut(
                order=s.order, name=s.name, role=s.role, unit=s.unit.name if s.unit else None, share=s.share
            )
            for s in v.process_steps.all()
        ],
        missing_required_parts=list(v.missing_required_parts()),
    )
