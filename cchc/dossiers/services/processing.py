"""Processing (giải quyết): assignment, hand-overs, supplements, apologies, results, endings and return.

Articles are those of Decree 118/2025/NĐ-CP (Art. 18-22).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cchc import workdays
from cchc.core.blobs import BlobError, StoredBlob, blob_store
from cchc.dossiers import rules
from cchc.dossiers.deadlines import limit_due, processing_supplement_allowed_until
from cchc.dossiers.lifecycle import (
    Action,
    RuleBroken,
    apply_transition,
)
from cchc.dossiers.models import (
    Apology,
    Delivery,
    DeliveryMethod,
    Dossier,
    DossierResult,
    HandOver,
    State,
    SupplementRequest,
    SupplementStage,
)
from cchc.dossiers.notifications import notification_queue
from cchc.dossiers.result_codes import result_code_next
from cchc.dossiers.services._common import (
    _close_open_step,
    _end,
    _event,
    _locked,
)
from cchc.signing.checks import signature_refusal
from cchc.signing.services import sign_as_officer, sign_as_unit
from cchc.signing.signer import SigningError


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
    document: bytes | None = None,
    expected_version: int | None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The leader approves and signs: the result exists (đã có kết quả), waiting to be returned.

    With `document` (the result as a PDF), the result is electronic: it is signed with the leader's personal
    certificate (Decree 118/2025 Art. 22: results are returned as digitally signed electronic documents) and
    stored by its hash; a file that is not a PDF, or no means to sign, refuses the whole step.
    """
    moment = at or timezone.now()
    dossier = _locked(dossier)
    before = dossier.state
    if not document_number.strip():
        raise RuleBroken(_("Cần nhập số văn bản kết quả."))
    if document is not None and not document.startswith(b"%PDF-"):
        raise RuleBroken(_("Kết quả điện tử phải là tệp PDF."))
    apply_transition(dossier=dossier, action=Action.RESOLVE, actor=actor, expected_version=expected_version)
    # Checked after the role, so a user without it learns nothing more; the transaction undoes the transition.
    received_on = timezone.localdate(dossier.received_at) if dossier.received_at else None
    if received_on is not None and document_date < received_on:
        raise RuleBroken(
            _("Ngày văn bản kết quả không thể trước ngày tiếp nhận hồ sơ (%(day)s).")
            % {"day": received_on.strftime("%d/%m/%Y")}
        )
    if document_date > timezone.localdate(moment):
        raise RuleBroken(_("Ngày văn bản kết quả không thể sau ngày hôm nay."))
    stored, code = None, ""
    if document:
        version = dossier.procedure_version
        code = result_code_next(
            agency=dossier.competent_unit.identifier or f"DV{dossier.competent_unit_id:05d}",
            type_code=version.result_type_code,
            day=document_date,
        )
        stored = _result_signed(
            document,
            dossier=dossier,
            actor=actor,
            number=document_number,
            code=code,
            seal=version.result_sealed,
        )
    DossierResult.objects.create(
        dossier=dossier,
        document_number=document_number,
        document_date=document_date,
        summary=summary,
        file=stored.name if stored else "",
        sha256=stored.sha256 if stored else "",
        signed_by=actor,
        document_code=code,
    )
    _close_open_step(dossier, moment)
    dossier.resolved_at = moment
    dossier.save(update_fields=["resolved_at"])
    _event(dossier, Action.RESOLVE, actor, before, moment, document_number=document_number)
    notification_queue(dossier=dossier, template="result_ready")
    return dossier


def _result_signed(
    document: bytes, *, dossier: Dossier, actor: Any, number: str, code: str, seal: bool
) -> StoredBlob:
    """The result signed by `actor` for the competent unit, then sealed by the unit where the procedure requires
    it (Art. 22), stored by its hash. The signatures name the document code (mã số giấy tờ)."""
    if refusal := signature_refusal(document):  # a document signed before, whose signature is not valid
        raise RuleBroken(refusal)
    unit = dossier.competent_unit
    with translation.override("vi"):  # the signature's reason is part of the legal document
        reason = _("Kết quả giải quyết số %(n)s, mã số giấy tờ %(code)s") % {"n": number, "code": code}
    try:
        signed = sign_as_officer(document, user=actor, organisation=unit.name, reason=reason)
        if seal:
            signed = sign_as_unit(signed, unit=unit, reason=reason)
        return blob_store(io.BytesIO(signed))
    except (SigningError, BlobError) as error:
        raise RuleBroken(str(error)) from error


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
    notification_queue(dossier=dossier, template="returned")  # with the signed rating links (Art. 33)
    return delivery
