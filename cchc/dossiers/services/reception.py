"""Reception (tiếp nhận): online submission, counter intake, supplements at reception, refusal.

Articles are those of Decree 118/2025/NĐ-CP (Art. 16-17).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc import workdays
from cchc.dossiers import rules
from cchc.dossiers.deadline_watch import online_submission_alert_queue
from cchc.dossiers.lifecycle import (
    Action,
    RuleBroken,
)
from cchc.dossiers.models import (
    Channel,
    Dossier,
    SupplementRequest,
    SupplementStage,
)
from cchc.dossiers.notifications import notification_queue
from cchc.dossiers.receipts import receipt_archive_enqueue
from cchc.dossiers.services._common import (
    _CLOCK_FIELDS,
    Intake,
    _code_take,
    _end,
    _event,
    _open,
    _reception_target,
    _start_clock,
)
from cchc.orgs.selectors import working_hours_of


@transaction.atomic
def dossier_submit(*, intake: Intake, actor: Any = None, at: dt.datetime | None = None) -> Dossier:
    """An online submission (nộp trực tuyến), waiting for the one-stop unit to accept it (Art. 16-17)."""
    moment = at or timezone.now()
    dossier = _open(intake=intake, actor=actor, action=Action.SUBMIT, at=moment)
    _code_take(dossier, moment)
    _event(dossier, Action.SUBMIT, actor, "", moment, save=("code",), channel=Channel.ONLINE)
    online_submission_alert_queue(dossier=dossier, acceptance_due=online_acceptance_due(dossier), now=moment)
    notification_queue(dossier=dossier, template="submitted", applicant=intake.applicant)
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
        clock=True,
    )
    if before:
        _start_clock(dossier, moment)
        SupplementRequest.objects.filter(
            dossier=dossier, stage=SupplementStage.RECEPTION, completed_at__isnull=True
        ).update(completed_at=moment)
        dossier.save(update_fields=list(_CLOCK_FIELDS))
    else:
        _code_take(dossier, moment)  # the daily sequence stays locked from here to the commit
    _event(
        dossier,
        Action.RECEIVE,
        actor,
        before,
        moment,
        save=() if before else ("code",),
        appointment_at=dossier.appointment_at,
    )
    # Sent after the commit by the outbox worker; the receipt (Mẫu 01) is archived by a background task.
    notification_queue(
        dossier=dossier, template="received", applicant=intake.applicant if intake is not None else None
    )
    receipt_archive_enqueue(dossier=dossier)
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
        _code_take(dossier, moment)
    SupplementRequest.objects.create(
        dossier=dossier,
        stage=SupplementStage.RECEPTION,
        requested_at=moment,
        requested_by=actor,
        missing=missing,
        reason=reason,
    )
    _event(
        dossier,
        Action.REQUEST_SUPPLEMENT_AT_RECEPTION,
        actor,
        before,
        moment,
        save=() if before else ("code",),
        missing=missing,
        reason=reason,
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
        _code_take(dossier, moment)
    _end(dossier, moment, reason)
    _event(dossier, Action.REFUSE, actor, before, moment, save=() if before else ("code",), reason=reason)
    return dossier


def online_acceptance_due(dossier: Dossier) -> dt.datetime:
    """Art. 17 (DOMAIN.md §3): an online dossier is accepted or sent back within 8 working hours."""
    assert dossier.submitted_at is not None
    return workdays.due_at(
        dossier.submitted_at,
        rules.ONLINE_ACCEPTANCE_WORKING_HOURS,
        "working_hours",
        hours=working_hours_of(dossier.receiving_unit),
    )
