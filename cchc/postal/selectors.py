"""Reads of shipments for pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from cchc.dossiers.models import Dossier
from cchc.dossiers.panels import Panel
from cchc.postal.models import Shipment, ShipmentState
from cchc.workdays.display import local_datetime


def shipment_panel(dossier: Dossier) -> Panel | None:
    """The staff dossier page's panel on the result's shipment by post (None when it went another way)."""
    shipment = Shipment.objects.filter(dossier=dossier).first()
    if shipment is None:
        return None
    rows: list[tuple[StrOrPromise, str]] = [
        (_("Trạng thái"), str(ShipmentState(shipment.state).label)),
        (_("Địa chỉ nhận"), shipment.address),
    ]
    if shipment.tracking_number:
        rows.append((_("Số hiệu bưu gửi"), shipment.tracking_number))
    if shipment.sent_at:
        rows.append((_("Thời điểm giao bưu điện"), local_datetime(shipment.sent_at)))
    if shipment.delivered_at:
        rows.append((_("Thời điểm phát"), local_datetime(shipment.delivered_at)))
    if shipment.proof:
        rows.append((_("Bằng chứng phát"), shipment.proof))
    if shipment.last_error:
        failure = _("%(error)s – đã thử %(attempts)s lần, thử lại lúc %(retry)s") % {
            "error": shipment.last_error, "attempts": shipment.attempts, "retry": local_datetime(shipment.next_try_at) or "–",
        }  # fmt: skip
        rows.append((_("Lỗi gần nhất"), str(failure)))
    return Panel(key="shipment", title=_("Gửi kết quả qua bưu chính công ích"), rows=tuple(rows))
