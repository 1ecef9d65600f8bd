"""How a procedure version reads to people: time limits, levels and money in Vietnamese (dd/mm/yyyy, VND)."""

from __future__ import annotations

from decimal import Decimal

from cchc.catalog.models import ProcedureVersion, TimeUnit


def format_vnd(amount: int | None) -> str:
    """1500000 → "1.500.000 đồng"; None → "" (the caller says why the amount is unknown)."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".") + " đồng"


def format_amount(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def time_limit_text(version: ProcedureVersion) -> str:
    """E.g. "15 ngày làm việc", "Trong ngày (nhận sau 15:00 trả ngày làm việc tiếp theo)"."""
    amount, unit = version.time_limit_amount, version.time_limit_unit
    if amount is None:
        return version.time_limit_note or "Chưa có thông tin"
    if not unit:
        text = f"{format_amount(amount)} (chưa rõ đơn vị)"
    elif amount == 0 and unit == TimeUnit.WORKING_DAYS:
        text = "Trong ngày làm việc"
    else:
        text = f"{format_amount(amount)} {TimeUnit(unit).label}"
    if version.time_limit_cutoff:
        text += f" (nhận sau {version.time_limit_cutoff:%H:%M} thì tính từ ngày làm việc tiếp theo)"
    return text


def levels_text(version: ProcedureVersion) -> str:
    levels = [
        label
        for flag, label in ((version.level_province, "Cấp tỉnh"), (version.level_commune, "Cấp xã"))
        if flag
    ]
    return ", ".join(levels) or version.level_note or "Chưa có thông tin"


def methods_text(version: ProcedureVersion) -> list[str]:
    return [
        label
        for flag, label in (
            (version.method_counter, "Trực tiếp tại Bộ phận Một cửa"),
            (version.method_post, "Qua dịch vụ bưu chính công ích"),
            (version.method_online, "Trực tuyến"),
        )
        if flag
    ]
