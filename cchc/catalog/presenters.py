"""How a procedure version reads to people: time limits, levels and money in Vietnamese (dd/mm/yyyy, VND)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from cchc.catalog.models import ProcedureVersion, TimeUnit


def format_vnd(amount: int | None) -> str:
    """1500000 → "1.500.000 đồng"; None → "" (the caller says why the amount is unknown)."""
    if amount is None:
        return ""
    return _("%(amount)s đồng") % {"amount": f"{amount:,}".replace(",", ".")}


def format_amount(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def time_limit_text(version: ProcedureVersion) -> str:
    """E.g. "15 ngày làm việc", "Trong ngày (nhận sau 15:00 trả ngày làm việc tiếp theo)"."""
    amount, unit = version.time_limit_amount, version.time_limit_unit
    if amount is None:
        return version.time_limit_note or _("Chưa có thông tin")
    if not unit:
        text = _("%(amount)s (chưa rõ đơn vị)") % {"amount": format_amount(amount)}
    elif amount == 0 and unit == TimeUnit.WORKING_DAYS:
        text = _("Trong ngày làm việc")
    else:
        text = f"{format_amount(amount)} {TimeUnit(unit).label}"
    if version.time_limit_cutoff:
        text += _(" (nhận sau %(cutoff)s thì tính từ ngày làm việc tiếp theo)") % {
            "cutoff": f"{version.time_limit_cutoff:%H:%M}"
        }
    return text


def levels_text(version: ProcedureVersion) -> str:
    levels = [
        label
        for flag, label in ((version.level_province, _("Cấp tỉnh")), (version.level_commune, _("Cấp xã")))
        if flag
    ]
    return ", ".join(levels) or version.level_note or _("Chưa có thông tin")


def methods_text(version: ProcedureVersion) -> list[str]:
    return [
        label
        for flag, label in (
            (version.method_counter, _("Trực tiếp tại Bộ phận Một cửa")),
            (version.method_post, _("Qua dịch vụ bưu chính công ích")),
            (version.method_online, _("Trực tuyến")),
        )
        if flag
    ]
