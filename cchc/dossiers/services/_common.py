"""What the dossier services share: the intake data, opening a dossier, locks, steps and history events."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cchc.catalog.models import ProcedureVersion
from cchc.catalog.selectors import version_parts
from cchc.core.blobs import BlobError, blob_store
from cchc.dossiers.codes import dossier_code_next, lookup_key_new
from cchc.dossiers.deadlines import limit_due, step_due
from cchc.dossiers.history import event_append
from cchc.dossiers.lifecycle import (
    COMPETENT,
    HANDLING,
    RECEPTION,
    Action,
    RuleBroken,
    apply_transition,
    next_state,
    require_role,
)
from cchc.dossiers.models import (
    Dossier,
    DossierComponent,
    DossierFee,
    DossierResult,
    DossierStep,
    Party,
    PartyKind,
    PartyRole,
    StepOutcome,
)
from cchc.orgs.models import Counter, Unit
from cchc.signing.checks import signature_refusal
from cchc.signing.services import sign_as_officer
from cchc.signing.signer import SigningError


@dataclass(frozen=True)
class PartyData:
    """An applicant or representative as entered at the counter or on the portal."""

    full_name: str
    kind: str = PartyKind.INDIVIDUAL
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    birth_date: dt.date | None = None


@dataclass(frozen=True)
class Intake:
    """What a dossier is opened with: the procedure version in force, the units, the applicant, the checklist."""

    procedure_version: ProcedureVersion
    receiving_unit: Unit
    competent_unit: Unit
    channel: int
    applicant: PartyData
    representative: PartyData | None = None
    provided_component_ids: frozenset[int] = field(default_factory=frozenset)
    counter: Counter | None = None
    # The citizen's portal account, for an online submission (Dossier.citizen).
    citizen: Any = None
    # Uploaded files by catalog component id: (storage name, SHA-256), from cchc.core.blobs.
    component_files: Mapping[int, tuple[str, str]] = field(default_factory=dict)
    # How the applicant wants the result (Art. 22), and the postal address when by post.
    return_method: str = ""
    return_address: str = ""
    # A retried submission with the same key finds the dossier already made (Dossier.idempotency_key).
    idempotency_key: str | None = None
    # Components taken from the citizen's store (tái sử dụng, Art. 17(1)): catalog component id -> the earlier
    # electronic result, found and checked by cchc.dossiers.reuse.reusable_result.
    reused_results: Mapping[int, DossierResult] = field(default_factory=dict)
    # Paper components scanned at the counter (số hóa), as PDFs: catalog component id -> bytes. Each is signed
    # with the receiving officer's personal certificate before it is stored (Art. 17).
    scans: Mapping[int, bytes] = field(default_factory=dict)
    # The applicant's identity came from the national identity system through the citizen's verified account
    # (Dossier.applicant_identity_verified).
    applicant_identity_verified: bool = False


# -- opening a dossier ------------------------------------------------------------------------------------------
def _open(*, intake: Intake, actor: Any, action: Action, at: dt.datetime, clock: bool = False) -> Dossier:
    """Record a new dossier in the state `action` leads to from nothing, with its checklist and fees.

    Its code is taken later (_code_take). With `clock`, the time limit starts at `at` (_start_clock): the
    appointment is written with the row and the steps are planned.
    """
    state = next_state(None, action)
    units = {
        RECEPTION: intake.receiving_unit,
        HANDLING: intake.receiving_unit,
        COMPETENT: intake.competent_unit,
    }
    require_role(actor, action, units)
    version = intake.procedure_version
    dossier = Dossier(
        # The real code is given last (_code_take), so the daily sequence's row lock is held only briefly.
        code=f"~{uuid.uuid4().hex}",
        lookup_key=lookup_key_new(),
        procedure_version=version,
        receiving_unit=intake.receiving_unit,
        competent_unit=intake.competent_unit,
        current_unit=intake.receiving_unit,
        counter=intake.counter,
        channel=intake.channel,
        state=state,
        time_limit_amount=version.time_limit_amount,
        time_limit_unit=version.time_limit_unit,
        time_limit_cutoff=version.time_limit_cutoff,
        submitted_at=at if action == Action.SUBMIT else None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        citizen=intake.citizen,
        applicant_identity_verified=intake.applicant_identity_verified,
        return_method=intake.return_method,
        return_address=intake.return_address,
        idempotency_key=intake.idempotency_key,
    )
    if clock:
        _clock_set(dossier, at)
    dossier.save(force_insert=True)
    for role, party in (
        (PartyRole.APPLICANT, intake.applicant),
        (PartyRole.REPRESENTATIVE, intake.representative),
    ):
        if party is not None:
            Party.objects.create(dossier=dossier, role=role, **party.__dict__)
    files = dict(intake.component_files)
    files.update({pk: (result.file.name, result.sha256) for pk, result in intake.reused_results.items()})
    scanned = {
        pk: _scan_signed(content, actor=actor, unit=intake.receiving_unit)
        for pk, content in intake.scans.items()
    }
    files.update(scanned)
    DossierComponent.objects.bulk_create(
        DossierComponent(
            dossier=dossier,
            catalog_component=component,
            name=component.name,
            quantity=component.quantity,
            provided=component.pk in intake.provided_component_ids or component.pk in files,
            file=files.get(component.pk, ("", ""))[0],
            sha256=files.get(component.pk, ("", ""))[1],
            digitised=component.pk in scanned,
            reused=component.pk in intake.reused_results,
            reused_result=intake.reused_results.get(component.pk),
        )
        for component in version_parts(version).components
    )
    DossierFee.objects.bulk_create(
        DossierFee(
            dossier=dossier,
            fee_rule=fee,
            description=fee.case or fee.get_kind_display(),
            amount_vnd=fee.amount_vnd,
        )
        for fee in version_parts(version).fees
        if fee.amount_vnd is not None
    )
    if clock:
        _steps_plan(dossier, at)
    return dossier


def _scan_signed(content: bytes, *, actor: Any, unit: Unit) -> tuple[str, str]:
    """A component scanned at the counter, signed by the receiving officer (Art. 17) and stored by its hash."""
    if not content.startswith(b"%PDF-"):
        raise RuleBroken(_("Bản quét thành phần hồ sơ phải là tệp PDF để ký số."))
    if refusal := signature_refusal(content):
        raise RuleBroken(refusal)
    with translation.override("vi"):  # the signature's reason is part of the document
        reason = _("Số hóa thành phần hồ sơ khi tiếp nhận")
    try:
        signed = sign_as_officer(content, user=actor, organisation=unit.name, reason=reason)
        stored = blob_store(io.BytesIO(signed))
    except (SigningError, BlobError) as error:
        raise RuleBroken(str(error)) from error
    return stored.name, stored.sha256


def _code_take(dossier: Dossier, at: dt.datetime) -> None:
    """Give a new dossier its code (Decree 118/2025 Art. 28), in memory: the caller's `_event(.., save=("code",))`
    writes it with the history head, in one UPDATE.

    The daily sequence is locked from here to the commit, so this comes after the bulk of the intake's writes.
    """
    unit = dossier.competent_unit
    prefix = unit.identifier or f"DV{unit.pk:05d}"
    dossier.code = dossier_code_next(prefix=prefix, day=timezone.localdate(at))


def _locked(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update()
        .select_related("receiving_unit", "competent_unit", "current_unit")
        .get(pk=dossier.pk)
    )


def _event(
    dossier: Dossier,
    action: Action,
    actor: Any,
    before: str,
    at: dt.datetime,
    *,
    save: tuple[str, ...] = (),
    **changes: Any,
) -> None:
    """Append the action's history event; the dossier fields named in `save` are written with its head."""
    event_append(
        also={name: getattr(dossier, name) for name in save},
        dossier=dossier,
        action=action.value,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        state_before=before,
        state_after=dossier.state,
        changes=changes,
        at=at,
    )


_CLOCK_FIELDS = ("received_at", "appointment_at", "original_appointment_at")


def _start_clock(dossier: Dossier, at: dt.datetime) -> None:
    """Art. 17(3): the clock starts at the reception of a complete dossier; plan the appointment and steps.

    The caller saves _CLOCK_FIELDS.
    """
    _clock_set(dossier, at)
    _steps_plan(dossier, at)


def _clock_set(dossier: Dossier, at: dt.datetime) -> None:
    """The reception moment and the appointment (Art. 17(3)), in memory."""
    dossier.received_at = at
    dossier.appointment_at = dossier.original_appointment_at = limit_due(dossier, at)


def _steps_plan(dossier: Dossier, at: dt.datetime) -> None:
    """The planned steps from the version's process template, each with its cumulative share's due time."""
    cumulative = Decimal(0)
    steps = []
    for template in version_parts(dossier.procedure_version).steps:
        cumulative += template.share
        unit = template.unit or (dossier.receiving_unit if template.order == 1 else dossier.competent_unit)
        steps.append(
            DossierStep(
                dossier=dossier,
                order=template.order,
                name=template.name,
                role=template.role,
                unit=unit,
                share=template.share,
                due_at=step_due(dossier, at, cumulative, unit),
            )
        )
    if steps:
        steps[0].started_at = at
    DossierStep.objects.bulk_create(steps)


def _reception_target(
    *,
    action: Action,
    actor: Any,
    intake: Intake | None,
    dossier: Dossier | None,
    expected_version: int | None,
    at: dt.datetime,
    clock: bool = False,
) -> tuple[Dossier, str]:
    """The dossier a reception action applies to, and its state before: a new one opened from `intake` at the
    counter (its code is given later by the caller), or an existing one, locked and moved through the table."""
    if dossier is None:
        if intake is None:
            raise ValueError("intake or dossier")
        return _open(intake=intake, actor=actor, action=action, at=at, clock=clock), ""
    dossier = _locked(dossier)
    before = dossier.state
    apply_transition(dossier=dossier, action=action, actor=actor, expected_version=expected_version)
    return dossier, before


def _end(dossier: Dossier, at: dt.datetime, reason: str) -> None:
    dossier.ended_at, dossier.end_reason = at, reason
    dossier.save(update_fields=["ended_at", "end_reason"])
    _close_open_step(dossier, at)


# -- steps -------------------------------------------------------------------------------------------------
def _open_step(dossier: Dossier) -> DossierStep | None:
    return dossier.steps.filter(started_at__isnull=False, finished_at__isnull=True).order_by("order").first()


def _outcome(step: DossierStep | None, at: dt.datetime) -> str:
    """Mẫu 06: the step's result at its hand-over. Early when finished before its due day, late after its due time."""
    if step is None or step.due_at is None:
        return ""
    if at > step.due_at:
        return StepOutcome.LATE
    if timezone.localdate(at) < timezone.localdate(step.due_at):
        return StepOutcome.EARLY
    return StepOutcome.ON_TIME


def _close_open_step(dossier: Dossier, at: dt.datetime) -> DossierStep | None:
    step = _open_step(dossier)
    if step is not None:
        step.finished_at, step.outcome = at, _outcome(step, at)
        step.save(update_fields=["finished_at", "outcome"])
    return step
