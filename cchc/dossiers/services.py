"""Every state change of a dossier, one named function per action (Decree 118/2025/NĐ-CP).

Each runs in one transaction: it locks the dossier row, applies the lifecycle table (cchc.dossiers.lifecycle),
writes what the action produced, and appends a history event to the dossier's hash chain.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc import workdays
from cchc.catalog.models import ProcedureVersion
from cchc.dossiers import rules
from cchc.dossiers.codes import dossier_code_next, lookup_key_new
from cchc.dossiers.deadline_watch import online_submission_alert_queue
from cchc.dossiers.deadlines import limit_due, processing_supplement_allowed_until, step_due
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
    Apology,
    Channel,
    Delivery,
    DeliveryMethod,
    Dossier,
    DossierComponent,
    DossierFee,
    DossierResult,
    DossierStep,
    HandOver,
    Party,
    PartyKind,
    PartyRole,
    State,
    StepOutcome,
    SupplementRequest,
    SupplementStage,
)
from cchc.dossiers.notifications import notification_queue
from cchc.orgs.models import Counter, Unit
from cchc.orgs.selectors import working_hours_of


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


@dataclass(frozen=True)
class _VersionParts:
    components: tuple[Any, ...]
    fees: tuple[Any, ...]
    steps: tuple[Any, ...]


_parts_cache: dict[tuple[int, Any], _VersionParts] = {}


def _version_parts(version: ProcedureVersion) -> _VersionParts:
    """A version's checklist, fees and process template. Published versions never change (catalog rule),
    so they are read once per process; a draft is read every time."""
    # Keyed by publication too: a primary key alone can come back after a rolled-back transaction (SQLite).
    key = (version.pk, version.published_at)
    cached = _parts_cache.get(key)
    if cached is not None:
        return cached
    parts = _VersionParts(
        components=tuple(version.components.all()),
        fees=tuple(version.fees.all()),
        steps=tuple(version.process_steps.select_related("unit").order_by("order")),
    )
    if version.status != "draft" and len(_parts_cache) < 10_000:
        _parts_cache[key] = parts
    return parts


# -- opening a dossier ------------------------------------------------------------------------------------------
def _open(*, intake: Intake, actor: Any, action: Action, at: dt.datetime) -> Dossier:
    """Record a new dossier in the state `action` leads to from nothing, with its code and checklist."""
    state = next_state(None, action)
    units = {
        RECEPTION: intake.receiving_unit,
        HANDLING: intake.receiving_unit,
        COMPETENT: intake.competent_unit,
    }
    require_role(actor, action, units)
    version = intake.procedure_version
    dossier = Dossier.objects.create(
        # The real code is given last (_code_assign), so the daily sequence's row lock is held only briefly.
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
    )
    for role, party in (
        (PartyRole.APPLICANT, intake.applicant),
        (PartyRole.REPRESENTATIVE, intake.representative),
    ):
        if party is not None:
            Party.objects.create(dossier=dossier, role=role, **party.__dict__)
    DossierComponent.objects.bulk_create(
        DossierComponent(
            dossier=dossier,
            catalog_component=component,
            name=component.name,
            quantity=component.quantity,
            provided=component.pk in intake.provided_component_ids,
        )
        for component in _version_parts(version).components
    )
    DossierFee.objects.bulk_create(
        DossierFee(
            dossier=dossier,
            fee_rule=fee,
            description=fee.case or fee.get_kind_display(),
            amount_vnd=fee.amount_vnd,
        )
        for fee in _version_parts(version).fees
        if fee.amount_vnd is not None
    )
    return dossier


def _code_assign(dossier: Dossier, at: dt.datetime, *also: str) -> None:
    """Give a new dossier its code (Decree 118/2025 Art. 28) and save it with the fields named in `also`.

    The daily sequence is locked from here to the commit, so this comes after the bulk of the intake's writes.
    """
    unit = dossier.competent_unit
    prefix = unit.identifier or f"DV{unit.pk:05d}"
    dossier.code = dossier_code_next(prefix=prefix, day=timezone.localdate(at))
    dossier.save(update_fields=["code", *also])


def _locked(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update()
        .select_related("receiving_unit", "competent_unit", "current_unit")
        .get(pk=dossier.pk)
    )


def _event(
    dossier: Dossier, action: Action, actor: Any, before: str, at: dt.datetime, **changes: Any
) -> None:
    event_append(
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
    appointment = limit_due(dossier, at)
    dossier.received_at = at
    dossier.appointment_at = dossier.original_appointment_at = appointment
    cumulative = Decimal(0)
    steps = []
    for template in _version_parts(dossier.procedure_version).steps:
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
) -> tuple[Dossier, str]:
    """The dossier a reception action applies to, and its state before: a new one opened from `intake` at the
    counter (its code is given later by the caller), or an existing one, locked and moved through the table."""
    if dossier is None:
        if intake is None:
            raise ValueError("intake or dossier")
        return _open(intake=intake, actor=actor, action=action, at=at), ""
    dossier = _locked(dossier)
    before = dossier.state
    apply_transition(dossier=dossier, action=action, actor=actor, expected_version=expected_version)
    return dossier, before


@transaction.atomic
def dossier_submit(*, intake: Intake, actor: Any = None, at: dt.datetime | None = None) -> Dossier:
    """An online submission (nộp trực tuyến), waiting for the one-stop unit to accept it (Art. 16-17)."""
    moment = at or timezone.now()
    dossier = _open(intake=intake, actor=actor, action=Action.SUBMIT, at=moment)
    _code_assign(dossier, moment)
    _event(dossier, Action.SUBMIT, actor, "", moment, channel=Channel.ONLINE)
    online_submission_alert_queue(dossier=dossier, acceptance_due=online_acceptance_due(dossier), now=moment)
    return dossier


@transaction.atomic
def dossier_receive(
    *,
    actor: Any,
    intake: Intake | None = None,
    dossier: Dossier | None = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Receive a complete, valid dossier (tiếp nhận, Mẫu 01): at the counter from an intake, or an online one.

    Art. 17(1), 17(3): the appointment is computed from this moment with the version's time limit.
    """
    moment = at or timezone.now()
    dossier, before = _reception_target(
        action=Action.RECEIVE,
        actor=actor,
        intake=intake,
        dossier=dossier,
        expected_version=expected_version,
        at=moment,
    )
    _start_clock(dossier, moment)
    if before:
        SupplementRequest.objects.filter(
            dossier=dossier, stage=SupplementStage.RECEPTION, completed_at__isnull=True
        ).update(completed_at=moment)
        dossier.save(update_fields=list(_CLOCK_FIELDS))
    else:
        _code_assign(dossier, moment, *_CLOCK_FIELDS)
    _event(dossier, Action.RECEIVE, actor, before, moment, appointment_at=dossier.appointment_at)
    notification_queue(dossier=dossier, template="received")  # sent after commit by the outbox worker
    return dossier


@transaction.atomic
def dossier_request_supplement_at_reception(
    *,
    actor: Any,
    missing: list[str],
    reason: str,
    intake: Intake | None = None,
    dossier: Dossier | None = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Tell the applicant what to add (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ, Mẫu 02; Art. 17(2)(a))."""
    if not missing:
        raise RuleBroken(_("Cần nêu rõ giấy tờ phải bổ sung."))
    moment = at or timezone.now()
    dossier, before = _reception_target(
        action=Action.REQUEST_SUPPLEMENT_AT_RECEPTION,
        actor=actor,
        intake=intake,
        dossier=dossier,
        expected_version=expected_version,
        at=moment,
    )
    if not before:
        _code_assign(dossier, moment)
    SupplementRequest.objects.create(
        dossier=dossier,
        stage=SupplementStage.RECEPTION,
        requested_at=moment,
        requested_by=actor,
        missing=missing,
        reason=reason,
    )
    _event(
        dossier, Action.REQUEST_SUPPLEMENT_AT_RECEPTION, actor, before, moment, missing=missing, reason=reason
    )
    notification_queue(dossier=dossier, template="supplement_needed")
    return dossier


@transaction.atomic
def dossier_refuse(
    *,
    actor: Any,
    reason: str,
    intake: Intake | None = None,
    dossier: Dossier | None = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Refuse with reasons (Phiếu từ chối tiếp nhận giải quyết hồ sơ, Mẫu 03; Art. 17(2)(b))."""
    if not reason.strip():
        raise RuleBroken(_("Cần nêu rõ lý do từ chối."))
    moment = at or timezone.now()
    dossier, before = _reception_target(
        action=Action.REFUSE,
        actor=actor,
        intake=intake,
        dossier=dossier,
        expected_version=expected_version,
        at=moment,
    )
    if not before:
        _code_assign(dossier, moment)
    _end(dossier, moment, reason)
    _event(dossier, Action.REFUSE, actor, before, moment, reason=reason)
    return dossier


def _end(dossier: Dossier, at: dt.datetime, reason: str) -> None:
    dossier.ended_at, dossier.end_reason = at, reason
    dossier.save(update_fields=["ended_at", "end_reason"])
    _close_open_step(dossier, at)


# -- processing -------------------------------------------------------------------------------------------------
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


@transaction.atomic
def dossier_assign(
    *,
    dossier: Dossier,
    actor: Any,
    assignee: Any,
    expected_version: int | None,
    at: dt.datetime | None = None,
) -> Dossier:
    """A leader assigns the dossier to a specialist of the unit holding it (phân công)."""
    moment = at or timezone.now()
    dossier = _locked(dossier)
    before = dossier.state
    apply_transition(dossier=dossier, action=Action.ASSIGN, actor=actor, expected_version=expected_version)
    dossier.assignee = assignee
    dossier.save(update_fields=["assignee"])
    _event(dossier, Action.ASSIGN, actor, before, moment, assignee=assignee.get_username())
    return dossier


@transaction.atomic
def dossier_hand_over(
    *,
    dossier: Dossier,
    actor: Any,
    to_user: Any = None,
    note: str = "",
    expected_version: int | None,
    at: dt.datetime | None = None,
) -> HandOver:
    """Finish the current step and pass the dossier to the next one (chuyển, bàn giao; Mẫu 06).

    In inter-agency processing (liên thông) the next step may belong to another unit, which then holds the
    dossier. Art. 18(2): a paper dossier goes to the competent agency the same working day (before 15:00).
    """
    moment = at or timezone.now()
    dossier = _locked(dossier)
    before = dossier.state
    from_unit = dossier.current_unit
    apply_transition(dossier=dossier, action=Action.HAND_OVER, actor=actor, expected_version=expected_version)
    finished = _close_open_step(dossier, moment)
    upcoming = dossier.steps.filter(started_at__isnull=True).order_by("order").first()
    if upcoming is None:
        raise RuleBroken(_("Hồ sơ đã ở bước cuối của quy trình; hãy phê duyệt và ký kết quả."))
    upcoming.started_at = moment
    upcoming.save(update_fields=["started_at"])
    dossier.current_unit, dossier.assignee = upcoming.unit, to_user
    dossier.save(update_fields=["current_unit", "assignee"])
    hand_over = HandOver.objects.create(
        dossier=dossier,
        step=finished,
        at=moment,
        from_unit=from_unit,
        from_user=actor,
        to_unit=upcoming.unit,
        to_user=to_user,
        outcome=finished.outcome if finished else "",
        note=note,
    )
    _event(
        dossier,
        Action.HAND_OVER,
        actor,
        before,
        moment,
        from_unit=from_unit.name,
        to_unit=upcoming.unit.name,
        step=upcoming.name,
        outcome=hand_over.outcome,
    )
    return hand_over


@transaction.atomic
def dossier_request_supplement(
    *,
    dossier: Dossier,
    actor: Any,
    missing: list[str],
    reason: str,
    expected_version: int | None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Ask for a supplement during processing (yêu cầu bổ sung), through the one-stop unit.

    Art. 19(5): only once, and only within 3 working days of reception.
    """
    moment = at or timezone.now()
    dossier = _locked(dossier)
    before = dossier.state
    if not missing:
        raise RuleBroken(_("Cần nêu rõ giấy tờ phải bổ sung."))
    asked = dossier.supplement_requests.filter(stage=SupplementStage.PROCESSING).count()
    if asked >= rules.PROCESSING_SUPPLEMENTS_ALLOWED:
        raise RuleBroken(
            _("Chỉ được yêu cầu bổ sung hồ sơ một lần trong quá trình giải quyết (Điều 19 khoản 5).")
        )
    if moment > processing_supplement_allowed_until(dossier):
        raise RuleBroken(
            _("Đã quá 3 ngày làm việc kể từ ngày tiếp nhận, không được yêu cầu bổ sung (Điều 19 khoản 5).")
        )
    apply_transition(
        dossier=dossier, action=Action.REQUEST_SUPPLEMENT, actor=actor, expected_version=expected_version
    )
    SupplementRequest.objects.create(
        dossier=dossier,
        stage=SupplementStage.PROCESSING,
        requested_at=moment,
        requested_by=actor,
        missing=missing,
        reason=reason,
    )
    _event(dossier, Action.REQUEST_SUPPLEMENT, actor, before, moment, missing=missing, reason=reason)
    notification_queue(dossier=dossier, template="supplement_needed")
    return dossier


@transaction.atomic
def dossier_complete_supplement(
    *, dossier: Dossier, actor: Any, expected_version: int | None, at: dt.datetime | None = None
) -> Dossier:
    """The citizen completed the dossier: the legal time limit restarts from zero (Art. 19(5)).

    The new appointment is the whole limit counted from now. The first appointment is kept for the statistics,
    which subtract the pause instead (cchc.dossiers.deadlines.day_counts).
    """
    moment = at or timezone.now()
    dossier = _locked(dossier)
    before = dossier.state
    apply_transition(
        dossier=dossier, action=Action.COMPLETE_SUPPLEMENT, actor=actor, expected_version=expected_version
    )
    SupplementRequest.objects.filter(
        dossier=dossier, stage=SupplementStage.PROCESSING, completed_at__isnull=True
    ).update(completed_at=moment)
    dossier.appointment_at = limit_due(dossier, moment)
    # A new appointment is watched afresh (cchc.dossiers.deadline_watch).
    dossier.due_soon_warned_at = dossier.overdue_marked_at = None
    dossier.save(update_fields=["appointment_at", "due_soon_warned_at", "overdue_marked_at"])
    _event(dossier, Action.COMPLETE_SUPPLEMENT, actor, before, moment, appointment_at=dossier.appointment_at)
    return dossier


@transaction.atomic
def dossier_apologise(
    *,
    dossier: Dossier,
    actor: Any,
    reason: str,
    new_appointment_at: dt.datetime,
    expected_version: int | None,
    at: dt.datetime | None = None,
) -> Apology:
    """Apologise and set a new date (Phiếu xin lỗi và hẹn lại ngày trả kết quả, Mẫu 04).

    Art. 19(6), 12(5): at least 1 working day before the deadline, with the reason, and only once. The original
    appointment still decides "on time" in the statistics.
    """
    moment = at or timezone.now()
    dossier = _locked(dossier)
    before = dossier.state
    if Apology.objects.filter(dossier=dossier).exists():
        raise RuleBroken(_("Chỉ được hẹn lại ngày trả kết quả một lần (Điều 19 khoản 6)."))
    if not reason.strip():
        raise RuleBroken(_("Cần nêu rõ lý do chậm giải quyết."))
    assert dossier.appointment_at is not None
    latest_day = workdays.add_working_days(
        timezone.localdate(dossier.appointment_at), -rules.APOLOGY_MIN_WORKING_DAYS_BEFORE_DEADLINE
    )
    if timezone.localdate(moment) > latest_day:
        raise RuleBroken(
            _("Phải xin lỗi và hẹn lại chậm nhất 1 ngày làm việc trước ngày hẹn trả (Điều 19 khoản 6).")
        )
    if new_appointment_at <= dossier.appointment_at:
        raise RuleBroken(_("Ngày hẹn mới phải sau ngày hẹn hiện tại."))
    apply_transition(dossier=dossier, action=Action.APOLOGISE, actor=actor, expected_version=expected_version)
    apology = Apology.objects.create(
        dossier=dossier,
        issued_at=moment,
        issued_by=actor,
        reason=reason,
        previous_appointment_at=dossier.appointment_at,
        new_appointment_at=new_appointment_at,
    )
    dossier.appointment_at = new_appointment_at
    dossier.due_soon_warned_at = dossier.overdue_marked_at = None
    dossier.save(update_fields=["appointment_at", "due_soon_warned_at", "overdue_marked_at"])
    _event(
        dossier, Action.APOLOGISE, actor, before, moment, reason=reason, new_appointment_at=new_appointment_at
    )
    return apology


@transaction.atomic
def dossier_resolve(
    *,
    dossier: Dossier,
    actor: Any,
    document_number: str,
    document_date: dt.date,
    summary: str = "",
    expected_version: int | None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The leader approves and signs: the result exists (đã có kết quả), waiting to be returned."""
    moment = at or timezone.now()
    dossier = _locked(dossier)
    before = dossier.state
    if not document_number.strip():
        raise RuleBroken(_("Cần nhập số văn bản kết quả."))
    apply_transition(dossier=dossier, action=Action.RESOLVE, actor=actor, expected_version=expected_version)
    DossierResult.objects.create(
        dossier=dossier,
        document_number=document_number,
        document_date=document_date,
        summary=summary,
        signed_by=actor,
    )
    _close_open_step(dossier, moment)
    dossier.resolved_at = moment
    dossier.save(update_fields=["resolved_at"])
    _event(dossier, Action.RESOLVE, actor, before, moment, document_number=document_number)
    notification_queue(dossier=dossier, template="result_ready")
    return dossier


@transaction.atomic
def dossier_stop(
    *, dossier: Dossier, actor: Any, reason: str, expected_version: int | None, at: dt.datetime | None = None
) -> Dossier:
    """Stop processing (Thông báo dừng giải quyết hồ sơ, Mẫu 05; Art. 21)."""
    moment = at or timezone.now()
    dossier = _locked(dossier)
    before = dossier.state
    if not reason.strip():
        raise RuleBroken(_("Cần nêu rõ lý do dừng giải quyết."))
    apply_transition(dossier=dossier, action=Action.STOP, actor=actor, expected_version=expected_version)
    _end(dossier, moment, reason)
    _event(dossier, Action.STOP, actor, before, moment, reason=reason)
    return dossier


@transaction.atomic
def dossier_close_unsupplemented(*, dossier: Dossier, at: dt.datetime | None = None) -> bool:
    """Close a dossier whose supplement asked during processing was not completed in time (platform action).

    Art. 19(5) (DOMAIN.md §3): the dossier is closed if it is not completed within 15 days of the notice
    (calendar days; verify). Returns False when the dossier no longer qualifies (completed, already ended).
    """
    moment = at or timezone.now()
    dossier = _locked(dossier)
    if dossier.state != State.PROCESSING_SUPPLEMENT:
        return False
    request = (
        dossier.supplement_requests.filter(stage=SupplementStage.PROCESSING, completed_at__isnull=True)
        .order_by("-requested_at")
        .first()
    )
    if request is None or moment < request.requested_at + dt.timedelta(days=rules.SUPPLEMENT_COMPLETION_DAYS):
        return False
    before = dossier.state
    apply_transition(dossier=dossier, action=Action.STOP, actor=None, expected_version=None, system=True)
    reason = _("Quá %(days)s ngày kể từ ngày thông báo mà hồ sơ chưa được bổ sung (Điều 19 khoản 5).") % {
        "days": rules.SUPPLEMENT_COMPLETION_DAYS
    }
    _end(dossier, moment, reason)
    _event(dossier, Action.STOP, None, before, moment, reason=reason, by="system")
    return True


@transaction.atomic
def dossier_withdraw(
    *, dossier: Dossier, actor: Any, reason: str, expected_version: int | None, at: dt.datetime | None = None
) -> Dossier:
    """The applicant withdraws the dossier (rút hồ sơ; Art. 21) before the result is issued."""
    moment = at or timezone.now()
    dossier = _locked(dossier)
    before = dossier.state
    apply_transition(dossier=dossier, action=Action.WITHDRAW, actor=actor, expected_version=expected_version)
    _end(dossier, moment, reason)
    _event(dossier, Action.WITHDRAW, actor, before, moment, reason=reason)
    return dossier


@transaction.atomic
def dossier_return(
    *,
    dossier: Dossier,
    actor: Any,
    method: str,
    address: str = "",
    proof: str = "",
    expected_version: int | None,
    at: dt.datetime | None = None,
) -> Delivery:
    """Return the result (trả kết quả; Art. 22): at the counter, by public post to an address, or online."""
    moment = at or timezone.now()
    dossier = _locked(dossier)
    before = dossier.state
    if method == DeliveryMethod.POST and not address.strip():
        raise RuleBroken(_("Trả kết quả qua bưu chính cần địa chỉ nhận."))
    apply_transition(dossier=dossier, action=Action.RETURN, actor=actor, expected_version=expected_version)
    delivery = Delivery.objects.create(
        dossier=dossier, method=method, address=address, delivered_at=moment, delivered_by=actor, proof=proof
    )
    dossier.returned_at = moment
    dossier.save(update_fields=["returned_at"])
    _event(dossier, Action.RETURN, actor, before, moment, method=method)
    return delivery


def online_acceptance_due(dossier: Dossier) -> dt.datetime:
    """Art. 17 (DOMAIN.md §3): an online dossier is accepted or sent back within 8 working hours."""
    assert dossier.submitted_at is not None
    return workdays.due_at(
        dossier.submitted_at,
        rules.ONLINE_ACCEPTANCE_WORKING_HOURS,
        "working_hours",
        hours=working_hours_of(dossier.receiving_unit),
    )
