"""What a status message says (docs/national-portal.md, "Dossier status"): built when the change happens.

Our states map onto the national list through cchc.dossiers.models.NATIONAL_STATUS (DOMAIN.md §3); the channel
and the payment channel are sent as their national codes (DOMAIN.md §3, cchc.payments).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django.utils import translation

from cchc.catalog.models import ProcedureVersion
from cchc.dossiers.lifecycle import Action
from cchc.dossiers.models import (
    NATIONAL_STATUS,
    Delivery,
    Dossier,
    DossierEvent,
    DossierFee,
    NationalStatus,
    Party,
    PartyRole,
)
from cchc.orgs.models import Unit

# Changes the portal hears of although the national status stays: a new appointment after an apology (Art. 19(6))
# and a fee paid online (the 766 online payment group).
ALSO_SYNCED: frozenset[str] = frozenset({Action.APOLOGISE, "pay"})


def national_status(state: str) -> str:
    return NATIONAL_STATUS.get(state, "")


def is_synced(event: DossierEvent) -> bool:
    """Whether this history event is a change the national portal must hear of."""
    after = national_status(event.state_after)
    return bool(after) and (after != national_status(event.state_before) or event.action in ALSO_SYNCED)


def _vietnamese(label: Any) -> str:
    """The national portal reads Vietnamese, whatever language the officer's page is in."""
    with translation.override("vi"):
        return str(label)


def _moment(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@lru_cache(maxsize=4096)
def _procedure_code(version_id: int) -> str:
    # A version's procedure never changes (published versions are immutable), so a process may keep it.
    code: str = ProcedureVersion.objects.values_list("procedure__code", flat=True).get(pk=version_id)
    return code


def _identifier(dossier: Dossier, field: str) -> str:
    descriptor = getattr(Dossier, field)
    if descriptor.is_cached(dossier):
        return str(getattr(dossier, field).identifier)
    return str(Unit.objects.values_list("identifier", flat=True).get(pk=getattr(dossier, f"{field}_id")))


def _return_method(dossier: Dossier, status: str) -> str:
    """How the result went back (Art. 22) once returned; before that, how the applicant asked for it."""
    if status == NationalStatus.RETURNED:
        method = Delivery.objects.filter(dossier=dossier).values_list("method", flat=True).first()
        if method:
            return str(method)
    return dossier.return_method


def status_payload(event: DossierEvent, dossier: Dossier) -> dict[str, Any]:
    """The message for one history event, from the dossier as that event left it."""
    status = national_status(event.state_after)
    applicant: dict[str, Any] = dict(
        Party.objects.filter(dossier=dossier, role=PartyRole.APPLICANT)
        .values("kind", "full_name", "id_number")
        .first()
        or {}
    )
    fees = [
        {
            "description": fee.description,
            "amount_vnd": fee.amount_vnd,
            "paid_at": _moment(fee.paid_at),
            "payment_channel": fee.payment_channel,
        }
        for fee in DossierFee.objects.filter(dossier=dossier).order_by("pk")
    ]
    return {
        "dossier_code": dossier.code,
        "seq": event.seq,
        "action": event.action,
        "status": status,
        "status_name": _vietnamese(NationalStatus(status).label),
        "changed_at": event.at.isoformat(),
        "procedure_code": _procedure_code(dossier.procedure_version_id),
        "agency_code": _identifier(dossier, "competent_unit"),
        "receiving_agency_code": _identifier(dossier, "receiving_unit"),
        "channel": int(dossier.channel),
        "submitted_at": _moment(dossier.submitted_at),
        "received_at": _moment(dossier.received_at),
        "appointment_at": _moment(dossier.appointment_at),
        "original_appointment_at": _moment(dossier.original_appointment_at),
        "resolved_at": _moment(dossier.resolved_at),
        "returned_at": _moment(dossier.returned_at),
        "ended_at": _moment(dossier.ended_at),
        "end_reason": dossier.end_reason if status in TERMINAL_WITH_REASON else "",
        "return_method": _return_method(dossier, status),
        "applicant": {
            "kind": applicant.get("kind", ""),
            "full_name": applicant.get("full_name", ""),
            "id_number": applicant.get("id_number", ""),
        },
        "fees": fees,
    }


TERMINAL_WITH_REASON = frozenset({NationalStatus.REFUSED, NationalStatus.STOPPED, NationalStatus.WITHDRAWN})
