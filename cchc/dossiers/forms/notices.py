"""Mẫu 01 to 05 of Circular 03/2025/TT-VPCP: receipt, supplement request, refusal, apology, stop notice."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.conf import settings
from django.utils.translation import gettext as _

from cchc.catalog.models.choices import TimeUnit
from cchc.dossiers.forms._common import (
    dossier_data,
    fmt_date,
    fmt_datetime,
    heading,
    render,
    user_name,
)
from cchc.dossiers.models import Apology, Dossier, DossierEvent, State, SupplementRequest, SupplementStage

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def tracking_url(dossier: Dossier) -> str:
    base = (getattr(settings, "CCHC_PUBLIC_URL", DEFAULT_PUBLIC_URL) or DEFAULT_PUBLIC_URL).rstrip("/")
    return f"{base}/tra-cuu/?ma={dossier.code}&khoa={dossier.lookup_key}"


def qr_png(url: str) -> list[int]:
    """The QR code of `url` as a PNG, one pixel per module (typst scales it without smoothing)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=1, border=4)
    return list(buffer.getvalue())


def _actor(dossier: Dossier, *actions: str) -> str:
    event = dossier.events.filter(action__in=actions).select_related("actor").order_by("-seq").first()
    if isinstance(event, DossierEvent) and event.actor is not None:
        return user_name(event.actor)
    return user_name(dossier.created_by)


def _time_limit(dossier: Dossier) -> str:
    if dossier.time_limit_amount is None:
        return ""
    amount = dossier.time_limit_amount.normalize()
    units = dict(TimeUnit.choices)
    return (
        f"{amount:f}".replace(".", ",")
        + " "
        + str(units.get(dossier.time_limit_unit, dossier.time_limit_unit))
    )


def _component_form(component: Any) -> str:
    if component.reused:
        return _("Tái sử dụng dữ liệu")
    if component.digitised:
        return _("Đã số hóa")
    return _("Bản giấy") if not component.file else _("Bản điện tử")


def receipt(dossier: Dossier) -> bytes:
    """Mẫu 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả, with a QR code to track the dossier."""
    if dossier.received_at is None:
        raise ValueError(_("Hồ sơ chưa được tiếp nhận, chưa có Giấy tiếp nhận hồ sơ và hẹn trả kết quả."))
    url = tracking_url(dossier)
    data = {
        **dossier_data(dossier),
        "heading": heading(dossier.receiving_unit, dossier.received_at),
        "lookup_key": dossier.lookup_key,
        "tracking_url": url,
        "qr_png": qr_png(url),
        "components": [
            {"name": c.name, "quantity": c.quantity, "form": _component_form(c)}
            for c in dossier.components.filter(provided=True).order_by("pk")
        ],
        "time_limit": _time_limit(dossier),
        "appointment_at": fmt_datetime(dossier.appointment_at),
        "officer": _actor(dossier, "receive"),
    }
    return render("form01.typ", data)


def supplement_request(dossier: Dossier) -> bytes:
    """Mẫu 02, Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: the latest request (at reception or in processing)."""
    request = (
        SupplementRequest.objects.filter(dossier=dossier)
        .select_related("requested_by")
        .order_by("-requested_at", "-pk")
        .first()
    )
    if request is None:
        raise ValueError(_("Hồ sơ không có yêu cầu bổ sung, hoàn thiện hồ sơ."))
    stage = (
        dossier.receiving_unit.name
        if request.stage == SupplementStage.RECEPTION
        else dossier.competent_unit.name
    )
    data = {
        **dossier_data(dossier),
        "heading": heading(dossier.receiving_unit, request.requested_at),
        "stage": stage,
        "missing": [str(item) for item in request.missing],
        "reason": request.reason,
        "requested_at": fmt_datetime(request.requested_at),
        "officer": user_name(request.requested_by),
    }
    return render("form02.typ", data)


def refusal(dossier: Dossier) -> bytes:
    """Mẫu 03, Phiếu từ chối tiếp nhận giải quyết hồ sơ, with the reason recorded when refusing."""
    if dossier.state != State.REFUSED:
        raise ValueError(_("Hồ sơ không bị từ chối tiếp nhận, không có Phiếu từ chối."))
    data = {
        **dossier_data(dossier),
        "heading": heading(dossier.receiving_unit, dossier.ended_at),
        "reason": dossier.end_reason,
        "ended_at": fmt_datetime(dossier.ended_at),
        "officer": _actor(dossier, "refuse"),
    }
    return render("form03.typ", data)


def apology(dossier: Dossier) -> bytes:
    """Mẫu 04, Phiếu xin lỗi và hẹn lại ngày trả kết quả."""
    record = Apology.objects.filter(dossier=dossier).select_related("issued_by").first()
    if record is None:
        raise ValueError(_("Hồ sơ không có phiếu xin lỗi và hẹn lại ngày trả kết quả."))
    data = {
        **dossier_data(dossier),
        "heading": heading(dossier.competent_unit, record.issued_at),
        "reason": record.reason,
        "previous_on": fmt_date(record.previous_appointment_at),
        "new_on": fmt_date(record.new_appointment_at),
        "new_at": fmt_datetime(record.new_appointment_at),
        "officer": user_name(record.issued_by),
    }
    return render("form04.typ", data)


def stop_notice(dossier: Dossier) -> bytes:
    """Mẫu 05, Thông báo dừng giải quyết hồ sơ (Decree 118/2025 Art. 21)."""
    if dossier.state != State.STOPPED:
        raise ValueError(_("Hồ sơ không bị dừng giải quyết, không có Thông báo dừng giải quyết hồ sơ."))
    data = {
        **dossier_data(dossier),
        "heading": heading(dossier.competent_unit, dossier.ended_at),
        "reason": dossier.end_reason,
        "ended_at": fmt_datetime(dossier.ended_at),
        "officer": _actor(dossier, "stop"),
    }
    return render("form05.typ", data)
