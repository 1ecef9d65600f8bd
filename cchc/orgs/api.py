"""Public API of administrative units and agencies, mounted at /api/v1/units.

Everything here is public information (names, codes, the old→new mapping, the agencies that receive
dossiers), so no sign-in is needed.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from cchc.orgs.models import AdministrativeUnit, UnitKind
from cchc.orgs.selectors import administrative_unit_get, administrative_units_filter, agencies_active

router = Router(tags=["units"])

GenerationName = Literal["current", "legacy"]
LevelName = Literal["province", "district", "commune"]
KindName = Literal[
    "province_committee", "department", "province_centre", "commune_committee", "commune_centre", "branch"
]
MAX_LIMIT = 500
# Far beyond the 14,165 units; keeps the offset inside a 64-bit SQL integer.
MAX_OFFSET = 1_000_000


class AdministrativeUnitRef(Schema):
    """A short reference to an administrative unit."""

    code: int = Field(description="Mã đơn vị hành chính chính thức (mã thống kê).")
    name: str = Field(description="Tên đầy đủ, ví dụ “Phường Long Xuyên”.")
    level: str = Field(
        description="Cấp: province (tỉnh), district (huyện, chỉ trước 01/07/2025), commune (xã)."
    )
    generation: str = Field(description="current: từ 01/07/2025; legacy: trước 01/07/2025.")


class AdministrativeUnitOut(AdministrativeUnitRef):
    """An administrative unit (đơn vị hành chính)."""

    codename: str = Field(description="Tên mã không dấu, ví dụ phuong_long_xuyen.")
    division_type: str = Field(description="Loại: tỉnh, thành phố trung ương, xã, phường, đặc khu, huyện, …")
    province_code: int | None = Field(description="Mã tỉnh chứa đơn vị (chính nó nếu là tỉnh).")
    parent_code: int | None = Field(description="Mã đơn vị cấp trên trực tiếp.")
    valid_from: dt.date | None = Field(description="Hiệu lực từ ngày.")
    valid_to: dt.date | None = Field(description="Hiệu lực đến ngày.")


class SuccessionOut(Schema):
    """One old→new link (chuyển đổi đơn vị hành chính)."""

    unit: AdministrativeUnitRef = Field(description="Đơn vị ở phía bên kia của quan hệ chuyển đổi.")
    partly: bool = Field(description="Chỉ một phần địa bàn được sáp nhập vào đơn vị mới.")


class AdministrativeUnitDetail(AdministrativeUnitOut):
    """An administrative unit with what it became, or what it was formed from."""

    parent: AdministrativeUnitRef | None = Field(description="Đơn vị cấp trên trực tiếp.")
    successors: list[SuccessionOut] = Field(
        description="Đơn vị hiện hành mà đơn vị cũ này được sáp nhập vào."
    )
    predecessors: list[SuccessionOut] = Field(description="Các đơn vị cũ đã hợp thành đơn vị hiện hành này.")


class AdministrativeUnitPage(Schema):
    count: int = Field(description="Tổng số kết quả.")
    items: list[AdministrativeUnitOut]


class AdministrativeUnitFilter(Schema):
    level: LevelName | None = Field(None, description="Cấp: province, district, commune.")
    generation: GenerationName = Field("current", description="current (mặc định) hoặc legacy.")
    province: int | None = Field(None, ge=1, le=999, description="Mã tỉnh: chỉ lấy đơn vị thuộc tỉnh này.")
    q: str | None = Field(None, max_length=100, description="Tìm theo tên, có dấu hoặc không dấu.")
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Số kết quả tối đa mỗi trang.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Bỏ qua bao nhiêu kết quả đầu.")


class AgencyOut(Schema):
    """An agency or office (cơ quan, đơn vị) that receives or handles dossiers."""

    id: int = Field(description="Mã nội bộ.")
    name: str = Field(description="Tên cơ quan, đơn vị.")
    short_name: str = Field(description="Tên viết tắt.")
    kind: str = Field(
        description="Loại: province_committee, department, province_centre, commune_committee, …"
    )
    kind_label: str = Field(description="Tên loại, tiếng Việt.")
    identifier: str = Field(description="Mã định danh điện tử (QCVN 102:2016), ví dụ 000.00.12.H57.")
    area: AdministrativeUnitRef = Field(description="Địa bàn.")
    parent_id: int | None = Field(description="Mã nội bộ của cơ quan cấp trên.")
    parent_name: str | None = Field(description="Tên cơ quan cấp trên.")


class AgencyPage(Schema):
    count: int = Field(description="Tổng số kết quả.")
    items: list[AgencyOut]


class AgencyFilter(Schema):
    province: int | None = Field(None, ge=1, le=999, description="Mã tỉnh hiện hành.")
    kind: KindName | None = Field(None, description="Loại cơ quan, đơn vị.")
    limit: int = Field(100, ge=1, le=MAX_LIMIT, description="Số kết quả tối đa mỗi trang.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Bỏ qua bao nhiêu kết quả đầu.")


def _ref(unit: AdministrativeUnit) -> AdministrativeUnitRef:
    return AdministrativeUnitRef(code=unit.code, name=unit.name, level=unit.level, generation=unit.generation)


def _out(unit: AdministrativeUnit, parent_code: int | None) -> dict[str, object]:
    return {
        "code": unit.code,
        "name": unit.name,
        "level": unit.level,
        "generation": unit.generation,
        "codename": unit.codename,
        "division_type": unit.division_type,
        "province_code": unit.province_code,
        "parent_code": parent_code,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
    }


@router.get(
    "/administrative",
    response=AdministrativeUnitPage,
    summary="Danh sách đơn vị hành chính",
    operation_id="administrative_units_list",
)
def administrative_units_list(
    request: HttpRequest, filters: Query[AdministrativeUnitFilter]
) -> dict[str, object]:
    """Tỉnh, xã hiện hành (từ 01/07/2025) hoặc tỉnh, huyện, xã trước đó; tìm theo tên không dấu."""
    queryset = administrative_units_filter(
        generation=filters.generation, level=filters.level, province=filters.province, q=filters.q
    )
    count = queryset.count()
    rows = queryset[filters.offset : filters.offset + filters.limit]
    return {
        "count": count,
        "items": [_out(unit, unit.parent.code if unit.parent else None) for unit in rows],
    }


@router.get(
    "/administrative/{generation}/{level}/{code}",
    response=AdministrativeUnitDetail,
    summary="Một đơn vị hành chính, với quan hệ chuyển đổi cũ → mới",
    operation_id="administrative_unit_detail",
)
def administrative_unit_detail(
    request: HttpRequest, generation: GenerationName, level: LevelName, code: int
) -> dict[str, object]:
    unit = administrative_unit_get(generation=generation, level=level, code=code)
    if unit is None:
        raise HttpError(404, f"Không tìm thấy đơn vị hành chính mã {code} ({level}, {generation}).")
    successors = unit.successors.select_related("new").order_by("new__code")
    predecessors = unit.predecessors.select_related("old").order_by("old__code")
    return {
        **_out(unit, unit.parent.code if unit.parent else None),
        "parent": _ref(unit.parent) if unit.parent else None,
        "successors": [{"unit": _ref(s.new), "partly": s.partly} for s in successors],
        "predecessors": [{"unit": _ref(s.old), "partly": s.partly} for s in predecessors],
    }


@router.get(
    "/agencies",
    response=AgencyPage,
    summary="Danh sách cơ quan, đơn vị tiếp nhận và giải quyết hồ sơ",
    operation_id="agencies_list",
)
def agencies_list(request: HttpRequest, filters: Query[AgencyFilter]) -> dict[str, object]:
    """Cơ quan, đơn vị đang hoạt động: UBND, sở, ban, ngành, trung tâm phục vụ hành chính công."""
    queryset = agencies_active(province=filters.province, kind=filters.kind)
    count = queryset.count()
    rows = queryset[filters.offset : filters.offset + filters.limit]
    return {
        "count": count,
        "items": [
            {
                "id": unit.pk,
                "name": unit.name,
                "short_name": unit.short_name,
                "kind": unit.kind,
                "kind_label": str(UnitKind(unit.kind).label),
                "identifier": unit.identifier,
                "area": _ref(unit.area),
                "parent_id": unit.parent_id,
                "parent_name": unit.parent.name if unit.parent else None,
            }
            for unit in rows
        ],
    }
