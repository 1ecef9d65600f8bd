"""The feedback lifecycle (vòng đời phản ánh, kiến nghị): one table of what can happen, and who may do it.

Articles are those of Decree 20/2008/NĐ-CP as amended by Decree 92/2017/NĐ-CP; the exact article numbers were
not at hand (verify). `None` is a feedback not yet recorded.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.feedback.models import State
from cchc.orgs.roles import Role


class Action(models.TextChoices):
    SUBMIT = "submit", _("Gửi phản ánh, kiến nghị")
    REFUSE = "refuse", _("Từ chối tiếp nhận")
    REQUEST_MORE = "request_more", _("Đề nghị bổ sung thông tin")
    ADD_MORE = "add_more", _("Người gửi bổ sung thông tin")
    ANSWER = "answer", _("Trả lời phản ánh, kiến nghị")
    PUBLISH = "publish", _("Công khai kết quả trả lời")
    RATE = "rate", _("Người gửi đánh giá kết quả trả lời")


ALLOWED_TRANSITIONS: dict[State | None, dict[Action, State]] = {
    None: {
        Action.SUBMIT: State.RECEIVED,  # received at once from the portal (Art. 13, verify)
    },
    State.RECEIVED: {
        Action.REFUSE: State.REFUSED,  # outside the remit or incomplete, within 2 working days (Art. 14, verify)
        Action.REQUEST_MORE: State.MORE_REQUESTED,  # clarify, within 5 working days (Art. 15, verify)
        Action.ANSWER: State.ANSWERED,  # answered within 15 working days (Art. 16, verify)
    },
    State.MORE_REQUESTED: {
        Action.ADD_MORE: State.RECEIVED,  # the addition is a new receipt; the limits count again (Art. 15, verify)
    },
    State.ANSWERED: {
        Action.PUBLISH: State.PUBLISHED,  # published within 2 working days of the answer (Art. 16, verify)
        Action.RATE: State.ANSWERED,  # the sender's satisfaction (Decision 766/QĐ-TTg, satisfaction group)
    },
    State.PUBLISHED: {
        Action.RATE: State.PUBLISHED,  # Decision 766/QĐ-TTg, satisfaction group
    },
    State.REFUSED: {},
}

# Staff roles allowed to take each staff action, in the feedback's unit (or a unit above it). A confidential
# report (harassment) is handled only by the unit's leaders and Home Affairs (DOMAIN.md §5), whatever this says.
STAFF_ROLES: dict[Action, frozenset[str]] = {
    Action.REFUSE: frozenset({Role.SPECIALIST, Role.LEADER}),
    Action.REQUEST_MORE: frozenset({Role.SPECIALIST, Role.LEADER}),
    Action.ANSWER: frozenset({Role.SPECIALIST, Role.LEADER}),
    Action.PUBLISH: frozenset({Role.SPECIALIST, Role.LEADER}),
}
# Actions of the sender (người gửi), who proves it with the code and lookup key or their signed-in account.
SENDER_ACTIONS: frozenset[Action] = frozenset({Action.SUBMIT, Action.ADD_MORE, Action.RATE})


class FeedbackActionError(Exception):
    """An action that cannot be taken; `message` is Vietnamese and safe to show."""

    status = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransitionNotAllowed(FeedbackActionError):
    status = 409


class StaleFeedback(FeedbackActionError):
    status = 409


class ActionForbidden(FeedbackActionError):
    status = 403


class RuleBroken(FeedbackActionError):
    """A legal rule refuses the action (e.g. a refusal after the 2 working days)."""

    status = 422


class FeedbackInputError(FeedbackActionError):
    """What the sender typed cannot be accepted; `errors` maps form fields to Vietnamese messages.

    `lookup_failed` marks a dossier code and key that did not match: the caller counts it against the client's
    throttle, because it could be a guess.
    """

    status = 422

    def __init__(self, errors: dict[str, str], *, lookup_failed: bool = False) -> None:
        super().__init__(next(iter(errors.values())))
        self.errors = errors
        self.lookup_failed = lookup_failed


def next_state(state: State | str | None, action: Action) -> State:
    """The state after `action`, or TransitionNotAllowed."""
    current = State(state) if state else None
    allowed = ALLOWED_TRANSITIONS[current]
    if action not in allowed:
        label = current.label if current else _("chưa tiếp nhận")
        raise TransitionNotAllowed(
            str(_("Không thể “%(action)s” khi phản ánh ở trạng thái “%(state)s”."))
            % {"action": action.label, "state": label}
        )
    return allowed[action]


def actions_available(state: State | str | None) -> list[Action]:
    return list(ALLOWED_TRANSITIONS[State(state) if state else None])
