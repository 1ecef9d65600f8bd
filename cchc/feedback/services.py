"""Every change to a feedback (phản ánh, kiến nghị): one keyword-only function per action, in a transaction.

Each checks the transition table (cchc.feedback.lifecycle), the version the actor saw, the actor's right and
the legal limits (cchc.feedback.rules), writes its history event and queues its notices with the change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core.folding import fold
from cchc.dossiers.history import json_safe
from cchc.dossiers.models import RatingLevel
from cchc.feedback import rules
from cchc.feedback.codes import feedback_code_next, lookup_key_new
from cchc.feedback.contact import normalise_email
from cchc.feedback.deadlines import handling_dues, publish_due
from cchc.feedback.intake import Submission, contact_checked, target_resolve, text_checked
from cchc.feedback.lifecycle import (
    SENDER_ACTIONS,
    Action,
    ActionForbidden,
    FeedbackInputError,
    RuleBroken,
    StaleFeedback,
    next_state,
)
from cchc.feedback.models import Feedback, FeedbackEvent, Kind
from cchc.feedback.notices import confidential_notices_queue, sender_notices_queue
from cchc.feedback.redaction import redact
from cchc.feedback.routing import can_handle, confidential_recipients, is_citizen
from cchc.workdays.display import local_datetime

__all__ = [
    "FeedbackInputError",
    "Submission",
    "feedback_add_more",
    "feedback_answer",
    "feedback_publish",
    "feedback_rate_answer",
    "feedback_refuse",
    "feedback_request_more",
    "feedback_submit",
]


# -- history and transitions ------------------------------------------------------------------------------------
def _event(
    feedback: Feedback,
    action: Action,
    actor: Any,
    before: str,
    at: dt.datetime,
    **changes: Any,
) -> FeedbackEvent:
    """Append one event (the caller holds the feedback's row lock, so the number is not taken twice)."""
    last = FeedbackEvent.objects.filter(feedback=feedback).aggregate(last=Max("seq"))["last"] or 0
    staff = actor is not None and getattr(actor, "is_authenticated", False) and action not in SENDER_ACTIONS
    return FeedbackEvent.objects.create(
        feedback=feedback,
        seq=last + 1,
        action=action.value,
        actor=actor if staff else None,
        by_sender=action in SENDER_ACTIONS,
        at=at,
        state_before=before,
        state_after=feedback.state,
        changes=json_safe(changes),
    )


def _locked(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update().select_related("unit").get(pk=feedback.pk)


def _apply(
    feedback: Feedback, action: Action, *, actor: Any, expected_version: int | None, fields: dict[str, Any]
) -> str:
    """Check the table, the version and the right; then write the new state and `fields` with a compare-and-set.

    Returns the state before. The caller holds the row lock.
    """
    before = feedback.state
    # A stale form first: what the officer saw is no longer so, whatever the state is now.
    if expected_version is not None and expected_version != feedback.version:
        raise StaleFeedback(
            _("Phản ánh %(code)s vừa được người khác cập nhật. Vui lòng tải lại trang rồi thực hiện lại.")
            % {"code": feedback.code}
        )
    new_state = next_state(before, action)
    if action not in SENDER_ACTIONS and not can_handle(actor, feedback, action):
        raise ActionForbidden(_("Bạn không có quyền “%(action)s” phản ánh này.") % {"action": action.label})
    changed = Feedback.objects.filter(pk=feedback.pk, version=feedback.version).update(
        state=new_state, version=feedback.version + 1, **fields
    )
    if changed != 1:  # pragma: no cover - the row lock makes this unreachable; kept for safety
        raise StaleFeedback(_("Phản ánh %(code)s vừa được người khác cập nhật.") % {"code": feedback.code})
    feedback.state, feedback.version = new_state, feedback.version + 1
    for name, value in fields.items():
        setattr(feedback, name, value)
    return before


def _account_email(user: Any) -> str:
    """The account's e-mail address when it is a valid one ('' otherwise: accounts come from outside)."""
    try:
        return normalise_email(getattr(user, "email", "") or "")
    except ValueError:
        return ""


def _reason(text: str, *, field: str, message: str) -> str:
    value = (text or "").strip()
    if not value:
        raise FeedbackInputError({field: message})
    if len(value) > rules.CONTENT_MAX_CHARS:
        raise FeedbackInputError({field: _("Nội dung dài quá %(n)s ký tự.") % {"n": rules.CONTENT_MAX_CHARS}})
    return value


# -- the sender -------------------------------------------------------------------------------------------------
@transaction.atomic
def feedback_submit(
    *, submission: Submission, citizen: Any = None, at: dt.datetime | None = None
) -> Feedback:
    """Send a feedback (gửi phản ánh, kiến nghị); it is received at once and its limits start (rules.py).

    A harassment report (nhũng nhiễu, vòi vĩnh) is confidential and its unit's head and Home Affairs are told
    (DOMAIN.md §5). A signed-in citizen is recorded as the sender; a dossier of theirs needs no lookup key.
    Raises FeedbackInputError with per-field Vietnamese messages for bad input.
    """
    moment = at or timezone.now()
    if submission.kind not in Kind.values:
        raise FeedbackInputError({"kind": _("Vui lòng chọn loại phản ánh.")})
    content = text_checked(
        submission.content, field="content", empty=_("Vui lòng nhập nội dung phản ánh, kiến nghị.")
    )
    name, phone, email = contact_checked(submission)
    sender = citizen if is_citizen(citizen) else None
    target = target_resolve(submission, sender)
    if sender is not None:
        name = name or sender.get_full_name()
        email = email or _account_email(sender)
    state = next_state(None, Action.SUBMIT)
    dues = handling_dues(unit=target.unit, received_at=moment)
    feedback = Feedback.objects.create(
        code=feedback_code_next(day=timezone.localdate(moment)),
        lookup_key=lookup_key_new(),
        subject=submission.subject,
        kind=submission.kind,
        confidential=submission.kind == Kind.HARASSMENT,
        state=state,
        content=content,
        sender_name=name,
        sender_phone=phone,
        sender_email=email,
        citizen=sender,
        dossier=target.dossier,
        procedure=target.procedure,
        unit=target.unit,
        subject_name=target.subject_name[:500],
        received_at=moment,
        clock_started_at=moment,
        refuse_due_at=dues.refuse,
        more_due_at=dues.request_more,
        answer_due_at=dues.answer,
        next_due_at=dues.answer,
    )
    _event(
        feedback,
        Action.SUBMIT,
        sender,
        "",
        moment,
        subject=feedback.subject,
        kind=feedback.kind,
        unit=feedback.unit.name,
        answer_due_at=feedback.answer_due_at,
    )
    sender_notices_queue(feedback=feedback, template="received")
    if feedback.confidential:
        confidential_notices_queue(feedback=feedback, recipients=confidential_recipients(feedback.unit))
    return feedback


@transaction.atomic
def feedback_add_more(*, feedback: Feedback, text: str, at: dt.datetime | None = None) -> Feedback:
    """The sender adds the information asked for (bổ sung thông tin): a new receipt, from which the limits count
    again (Decree 20/2008 Art. 15, verify). The caller has checked that this is the sender (code and key)."""
    moment = at or timezone.now()
    feedback = _locked(feedback)
    addition = text_checked(text, field="text", empty=_("Vui lòng nhập thông tin bổ sung."))
    dues = handling_dues(unit=feedback.unit, received_at=moment)
    before = _apply(
        feedback,
        Action.ADD_MORE,
        actor=None,
        expected_version=None,
        fields={
            "clock_started_at": moment,
            "refuse_due_at": dues.refuse,
            "more_due_at": dues.request_more,
            "answer_due_at": dues.answer,
            "next_due_at": dues.answer,
        },
    )
    _event(feedback, Action.ADD_MORE, None, before, moment, text=addition, answer_due_at=dues.answer)
    return feedback


@transaction.atomic
def feedback_rate_answer(
    *, feedback: Feedback, rating: str, comment: str = "", at: dt.datetime | None = None
) -> Feedback:
    """The sender says how satisfied they are with the answer (đánh giá mức độ hài lòng), once.

    This feeds the 766 component "satisfaction with feedback handling" (Decision 766/QĐ-TTg; DOMAIN.md §6).
    """
    moment = at or timezone.now()
    feedback = _locked(feedback)
    if rating not in RatingLevel.values:
        raise FeedbackInputError({"rating": _("Vui lòng chọn mức độ hài lòng.")})
    note = (comment or "").strip()
    if len(note) > rules.CONTENT_MAX_CHARS:
        raise FeedbackInputError(
            {"comment": _("Ý kiến dài quá %(n)s ký tự.") % {"n": rules.CONTENT_MAX_CHARS}}
        )
    next_state(feedback.state, Action.RATE)  # a refused or unanswered feedback cannot be rated
    if feedback.rated_at is not None:
        raise RuleBroken(_("Ông/Bà đã đánh giá kết quả trả lời của phản ánh này."))
    before = _apply(
        feedback,
        Action.RATE,
        actor=None,
        expected_version=None,
        fields={"rating": rating, "rating_comment": note, "rated_at": moment},
    )
    _event(feedback, Action.RATE, None, before, moment, rating=rating)
    return feedback


# -- staff ------------------------------------------------------------------------------------------------------
@transaction.atomic
def feedback_refuse(
    *,
    feedback: Feedback,
    actor: Any,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Feedback:
    """Refuse to receive it (từ chối tiếp nhận), with the reason, within 2 working days of the receipt
    (Decree 20/2008 Art. 14, verify). After that the feedback must be handled and answered."""
    moment = at or timezone.now()
    feedback = _locked(feedback)
    text = _reason(reason, field="reason", message=_("Vui lòng nêu lý do từ chối tiếp nhận."))
    next_state(feedback.state, Action.REFUSE)
    if moment > feedback.refuse_due_at:
        raise RuleBroken(
            _(
                "Đã quá thời hạn %(n)s ngày làm việc để từ chối tiếp nhận (hạn %(due)s); "
                "phản ánh phải được xem xét, trả lời."
            )
            % {"n": rules.REFUSE_WITHIN_WORKING_DAYS, "due": local_datetime(feedback.refuse_due_at)}
        )
    before = _apply(
        feedback,
        Action.REFUSE,
        actor=actor,
        expected_version=expected_version,
        fields={"refused_at": moment, "refuse_reason": text, "next_due_at": None},
    )
    _event(feedback, Action.REFUSE, actor, before, moment, reason=text)
    sender_notices_queue(feedback=feedback, template="refused")
    return feedback


@transaction.atomic
def feedback_request_more(
    *,
    feedback: Feedback,
    actor: Any,
    question: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Feedback:
    """Ask the sender to clarify or add information (đề nghị bổ sung, làm rõ) within 5 working days of the
    receipt (Decree 20/2008 Art. 15, verify). Nothing is due while the sender has not answered."""
    moment = at or timezone.now()
    feedback = _locked(feedback)
    text = _reason(question, field="question", message=_("Vui lòng nêu thông tin cần bổ sung."))
    next_state(feedback.state, Action.REQUEST_MORE)
    if moment > feedback.more_due_at:
        raise RuleBroken(
            _("Đã quá thời hạn %(n)s ngày làm việc để đề nghị bổ sung thông tin (hạn %(due)s).")
            % {"n": rules.REQUEST_MORE_WITHIN_WORKING_DAYS, "due": local_datetime(feedback.more_due_at)}
        )
    before = _apply(
        feedback,
        Action.REQUEST_MORE,
        actor=actor,
        expected_version=expected_version,
        fields={"more_question": text, "more_requested_at": moment, "next_due_at": None},
    )
    _event(feedback, Action.REQUEST_MORE, actor, before, moment, question=text)
    sender_notices_queue(feedback=feedback, template="more_requested")
    return feedback


@transaction.atomic
def feedback_answer(
    *,
    feedback: Feedback,
    actor: Any,
    answer: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Feedback:
    """Answer it (trả lời), due within 15 working days of the receipt (Decree 20/2008 Art. 16, verify).

    A late answer is still taken, and counts as late in the figures. The publication is then due within 2 working
    days, except for a confidential report, which is never published.
    """
    moment = at or timezone.now()
    feedback = _locked(feedback)
    text = _reason(answer, field="answer", message=_("Vui lòng nhập nội dung trả lời."))
    due = None if feedback.confidential else publish_due(unit=feedback.unit, answered_at=moment)
    before = _apply(
        feedback,
        Action.ANSWER,
        actor=actor,
        expected_version=expected_version,
        fields={
            "answer": text,
            "answered_at": moment,
            "answered_by": actor,
            "publish_due_at": due,
            "next_due_at": due,
        },
    )
    _event(
        feedback, Action.ANSWER, actor, before, moment, answer=text, on_time=moment <= feedback.answer_due_at
    )
    sender_notices_queue(feedback=feedback, template="answered")
    return feedback


@transaction.atomic
def feedback_publish(
    *,
    feedback: Feedback,
    actor: Any,
    public_summary: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Feedback:
    """Publish the question and its answer (công khai kết quả trả lời) within 2 working days of the answer
    (Decree 20/2008 Art. 16, verify). A harassment report is never published (DOMAIN.md §5).

    `public_summary` is the question as it will be shown, written without personal data; long numbers and
    e-mail addresses in it and in the answer are hidden anyway (cchc.feedback.redaction).
    """
    moment = at or timezone.now()
    feedback = _locked(feedback)
    next_state(feedback.state, Action.PUBLISH)
    if feedback.confidential:
        raise RuleBroken(_("Phản ánh hành vi nhũng nhiễu, vòi vĩnh được bảo mật, không được công khai."))
    summary = redact(
        _reason(
            public_summary,
            field="public_summary",
            message=_("Vui lòng nhập nội dung phản ánh được công khai."),
        )
    )
    public_answer = redact(feedback.answer)
    searchable = fold(
        " ".join([feedback.code, feedback.subject_name, feedback.unit.name, summary, public_answer])
    )
    before = _apply(
        feedback,
        Action.PUBLISH,
        actor=actor,
        expected_version=expected_version,
        fields={
            "public_summary": summary,
            "public_answer": public_answer,
            "published_at": moment,
            "search_folded": f" {searchable} ",
            "next_due_at": None,
        },
    )
    on_time = feedback.publish_due_at is not None and moment <= feedback.publish_due_at
    _event(feedback, Action.PUBLISH, actor, before, moment, public_summary=summary, on_time=on_time)
    return feedback
