"""How a dossier reads in the API: from models to response schemas."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cchc.core.masking import mask_id_number
from cchc.dossiers.deadlines import day_counts
from cchc.dossiers.lifecycle import actions_available
from cchc.dossiers.models import Dossier, State
from cchc.dossiers.schemas import (
    ApologyOut,
    ComponentOut,
    DayCountsOut,
    DeliveryOut,
    DossierCreatedOut,
    DossierDetailOut,
    EventOut,
    FeeOut,
    HandOverOut,
    PartyOut,
    ProcedureRef,
    ResultOut,
    StepOut,
    SupplementRequestOut,
    UnitRef,
    UserRef,
)
from cchc.orgs.models import Unit


# -- presenters ------------------------------------------------------------------------------------------------------
def unit_ref(unit: Unit) -> UnitRef:
    return UnitRef(id=unit.pk, name=unit.name)


def user_ref(user: Any) -> UserRef | None:
    if user is None:
        return None
    return UserRef(id=user.pk, name=user.get_full_name() or user.get_username())


def hours_of(delta: dt.timedelta) -> float:
    return round(delta.total_seconds() / 3600, 2)


def state_fields(dossier: Dossier) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "state": dossier.state,
        "state_label": str(State(dossier.state).label),
        "version": dossier.version,
        "appointment_at": dossier.appointment_at,
    }


def created_out(dossier: Dossier) -> DossierCreatedOut:
    return DossierCreatedOut(
        **state_fields(dossier),
        id=dossier.pk,
        lookup_key=dossier.lookup_key,
        received_at=dossier.received_at,
        original_appointment_at=dossier.original_appointment_at,
    )


def detail_out(dossier: Dossier) -> DossierDetailOut:
    version = dossier.procedure_version
    counts = day_counts(dossier)
    # A missing reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError: getattr's default.
    apology = getattr(dossier, "apology", None)
    result = getattr(dossier, "result", None)
    delivery = getattr(dossier, "delivery", None)
    return DossierDetailOut(
        **state_fields(dossier),
        id=dossier.pk,
        lookup_key=dossier.lookup_key,
        procedure=ProcedureRef(code=version.procedure.code, name=version.name, version=version.number),
        channel=dossier.channel,
        receiving_unit=unit_ref(dossier.receiving_unit),
        competent_unit=unit_ref(dossier.competent_unit),
        current_unit=unit_ref(dossier.current_unit),
        assignee=user_ref(dossier.assignee),
        actions=[action.value for action in actions_available(dossier.state)],
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at,
        resolved_at=dossier.resolved_at,
        returned_at=dossier.returned_at,
        ended_at=dossier.ended_at,
        end_reason=dossier.end_reason,
        parties=[
            PartyOut(
                role=p.role,
                kind=p.kind,
                full_name=p.full_name,
                id_number_masked=mask_id_number(p.id_number),
                birth_date=p.birth_date,
                phone=p.phone,
                email=p.email,
                address=p.address,
            )
            for p in dossier.parties.all()
        ],
        components=[
            ComponentOut(
                id=c.pk,
                catalog_component_id=c.catalog_component_id,
                name=c.name,
                quantity=c.quantity,
                provided=c.provided,
                digitised=c.digitised,
                reused=c.reused,
                has_file=bool(c.file),
            )
            for c in dossier.components.all()
        ],
        fees=[
            FeeOut(
                description=f.description,
                amount_vnd=f.amount_vnd,
                paid_at=f.paid_at,
                receipt_number=f.receipt_number,
            )
            for f in dossier.fees.all()
        ],
        steps=[
            StepOut(
                order=s.order,
                name=s.name,
                role=s.role,
                unit=unit_ref(s.unit),
                share=float(s.share),
                started_at=s.started_at,
                due_at=s.due_at,
                finished_at=s.finished_at,
                outcome=s.outcome,
            )
            for s in dossier.steps.all()
        ],
        hand_overs=[
            HandOverOut(
                at=h.at,
                from_unit=unit_ref(h.from_unit),
                from_user=user_ref(h.from_user),
                to_unit=unit_ref(h.to_unit),
                to_user=user_ref(h.to_user),
                outcome=h.outcome,
                note=h.note,
            )
            for h in dossier.hand_overs.all()
        ],
        supplement_requests=[
            SupplementRequestOut(
                stage=r.stage,
                requested_at=r.requested_at,
                missing=list(r.missing or []),
                reason=r.reason,
                completed_at=r.completed_at,
            )
            for r in dossier.supplement_requests.all()
        ],
        apology=ApologyOut(
            issued_at=apology.issued_at,
            reason=apology.reason,
            previous_appointment_at=apology.previous_appointment_at,
            new_appointment_at=apology.new_appointment_at,
        )
        if apology
        else None,
        result=ResultOut(
            document_number=result.document_number,
            document_date=result.document_date,
            summary=result.summary,
            document_code=result.document_code,
        )
        if result
        else None,
        delivery=DeliveryOut(
            method=delivery.method,
            address=delivery.address,
            delivered_at=delivery.delivered_at,
            proof=delivery.proof,
        )
        if delivery
        else None,
        # The hashes stay out: they prove the chain, they tell the reader nothing.
        events=[
            EventOut(
                seq=e.seq,
                action=e.action,
                actor=user_ref(e.actor),
                at=e.at,
                state_before=e.state_before,
                state_after=e.state_after,
                changes=e.changes if isinstance(e.changes, dict) else {},
            )
            for e in dossier.events.all()
        ],
        day_counts=DayCountsOut(
            appointment_at=counts.appointment_at,
            original_appointment_at=counts.original_appointment_at,
            on_time=counts.on_time,
            working_hours_used=hours_of(counts.working_time_used),
            working_hours_left=hours_of(counts.working_time_left),
        ),
    )


DETAIL_PREFETCH = (
    "parties",
    "components",
    "fees",
    "steps__unit",
    "hand_overs__from_unit",
    "hand_overs__to_unit",
    "hand_overs__from_user",
    "hand_overs__to_user",
    "supplement_requests",
    "events__actor",
)
