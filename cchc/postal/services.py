"""Every change to a shipment: opened with the return by post, sent by `cchc postal_sync`, then tracked.

The moves follow SHIPMENT_TRANSITIONS (cchc.postal.models). Sending is retried with a growing wait; every
failure stays visible on the shipment (`last_error`, `attempts`, `next_try_at`).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction

from cchc.core.http import retry_wait
from cchc.dossiers.models import Delivery, DeliveryMethod, Party, PartyRole
from cchc.postal.client import PostalError, PostalService, ShipmentOrder
from cchc.postal.models import SHIPMENT_TRANSITIONS, Shipment, ShipmentState

logger = logging.getLogger(__name__)

BATCH = 100


def _move(shipment: Shipment, to: str) -> None:
    if to not in SHIPMENT_TRANSITIONS[shipment.state]:
        raise ValueError(f"shipment {shipment.pk}: {shipment.state} -> {to} is not a move of the table")
    shipment.state = to


def shipment_open(delivery: Delivery) -> Shipment | None:
    """The shipment of a result returned by post (Art. 22), in the return's own transaction; None otherwise."""
    if delivery.method != DeliveryMethod.POST:
        return None
    dossier = delivery.dossier
    receiver = (
        Party.objects.filter(dossier=dossier, role=PartyRole.REPRESENTATIVE).first()
        or Party.objects.filter(dossier=dossier, role=PartyRole.APPLICANT).first()
    )
    return Shipment.objects.create(
        dossier=dossier,
        delivery=delivery,
        receiver_name=receiver.full_name if receiver else "",
        receiver_phone=receiver.phone if receiver else "",
        address=delivery.address,
    )


@dataclass(frozen=True)
class SyncReport:
    sent: int = 0
    failed: int = 0
    delivered: int = 0
    returned: int = 0


def shipments_send_due(*, service: PostalService, now: dt.datetime) -> SyncReport:
    """Hand every due pending shipment to the service; a failure waits longer each time (1 min, 2, 4 … 6 h)."""
    sent = failed = 0
    due = Shipment.objects.filter(state=ShipmentState.PENDING).exclude(next_try_at__gt=now)
    for pk in list(due.order_by("pk").values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            shipment = (
                Shipment.objects.select_for_update(skip_locked=True)
                .select_related("dossier__competent_unit")
                .filter(pk=pk, state=ShipmentState.PENDING)
                .first()
            )
            if shipment is None:  # another worker took it
                continue
            dossier = shipment.dossier
            order = ShipmentOrder(
                key=f"cchc-shipment-{shipment.pk}",
                reference=dossier.code,
                receiver_name=shipment.receiver_name,
                receiver_phone=shipment.receiver_phone,
                address=shipment.address,
                sender=dossier.competent_unit.name,
                content=f"Kết quả giải quyết thủ tục hành chính, hồ sơ {dossier.code}",
            )
            shipment.attempts += 1
            try:
                shipment.tracking_number = service.create(order)
            except PostalError as error:
                shipment.last_error = str(error)[:500]
                shipment.next_try_at = now + retry_wait(shipment.attempts)
                shipment.save(update_fields=["attempts", "last_error", "next_try_at"])
                logger.warning("shipment %s not sent (attempt %s): %s", shipment.pk, shipment.attempts, error)
                failed += 1
                continue
            _move(shipment, ShipmentState.SENT)
            shipment.sent_at, shipment.last_error, shipment.next_try_at = now, "", None
            shipment.save(
                update_fields=["state", "tracking_number", "sent_at", "attempts", "last_error", "next_try_at"]
            )
            sent += 1
    return SyncReport(sent=sent, failed=failed)


def shipments_track(*, service: PostalService, now: dt.datetime) -> SyncReport:
    """Ask the service about every shipment on its way; record the delivery with its proof, or the return."""
    delivered = returned = failed = 0
    for shipment in Shipment.objects.filter(state=ShipmentState.SENT).order_by("checked_at", "pk")[:BATCH]:
        shipment.checked_at = now
        try:
            report = service.track(shipment.tracking_number)
        except PostalError as error:
            shipment.last_error = str(error)[:500]
            shipment.save(update_fields=["checked_at", "last_error"])
            failed += 1
            continue
        shipment.last_error = ""
        if report.status == "delivered":
            _move(shipment, ShipmentState.DELIVERED)
            shipment.delivered_at = report.delivered_at or now
            shipment.proof = " – ".join(p for p in (report.receiver, report.proof) if p)[:255]
            delivered += 1
        elif report.status == "returned":
            _move(shipment, ShipmentState.RETURNED)
            returned += 1
        shipment.save()
    return SyncReport(delivered=delivered, returned=returned, failed=failed)
