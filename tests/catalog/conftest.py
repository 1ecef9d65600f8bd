"""Factories for the catalog tests: a complete draft version that can be published."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from cchc.catalog import services
from cchc.catalog.models import Field, Procedure, ProcedureVersion


def make_field(name: str = "Hộ tịch", code: str = "ho-tich") -> Field:
    return Field.objects.get_or_create(code=code, defaults={"name": name})[0]


def make_draft(
    code: str | None = "1.001193",
    *,
    procedure: Procedure | None = None,
    name: str = "Thủ tục đăng ký khai sinh",
    amount: Decimal | None = Decimal(3),
    unit: str = "working_days",
    shares: tuple[str, ...] = ("0.5", "1.5", "0.5", "0.5"),
    components: list[dict[str, Any]] | None = None,
    fees: list[dict[str, Any]] | None = None,
    **values: Any,
) -> ProcedureVersion:
    """A draft with all 7 required parts and an internal process whose shares add up to the limit."""
    if procedure is None:
        procedure = Procedure.objects.filter(code=code).first() or services.procedure_create(code=code)
    defaults: dict[str, Any] = {
        "field": make_field(),
        "level_commune": True,
        "agency": "Ủy ban nhân dân cấp xã",
        "time_limit_amount": amount,
        "time_limit_unit": unit if amount is not None else "",
        "steps": "Bước 1: nộp hồ sơ. Bước 2: nhận kết quả.",
        "method_counter": True,
        "method_online": True,
        "applicants": "Cá nhân",
        "result": "Giấy khai sinh",
        "legal_basis": ["60/2014/QH13"],
    }
    defaults.update(values)
    roles = ("reception_officer", "specialist", "leader", "reception_officer")
    steps = (
        [
            {"name": f"Bước {i + 1}", "role": roles[i % 4], "share": Decimal(share)}
            for i, share in enumerate(shares)
        ]
        if amount is not None
        else []
    )
    return services.procedure_version_create_draft(
        procedure=procedure,
        name=name,
        components=components or [{"name": "Tờ khai đăng ký khai sinh", "kind": "original", "quantity": 1}],
        fees=fees or [{"kind": "charge", "case": "Lệ phí", "amount_vnd": 0}],
        process_steps=steps,
        **defaults,
    )


@pytest.fixture
def draft() -> ProcedureVersion:
    return make_draft()
