"""The dossier lifecycle (vòng đời hồ sơ): one table of what can happen, and the one function that applies it.

Reading ALLOWED_TRANSITIONS alone tells what can happen to a dossier. `None` is a dossier not yet recorded:
an intake at the counter is received, sent back for a supplement or refused in one step. Articles are those
of Decree 118/2025/NĐ-CP unless stated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.models import Dossier, State
from cchc.orgs.models import Unit
from cchc.orgs.roles import Role
from cchc.orgs.scoping import has_role


class Action(models.TextChoices):
    SUBMIT = "submit", _("Nộp hồ sơ trực tuyến")
    RECEIVE = "receive", _("Tiếp nhận hồ sơ")
    REQUEST_SUPPLEMENT_AT_RECEPTION = "request_supplement_at_reception", _("Yêu cầu bổ sung khi tiếp nhận")
    REFUSE = "refuse", _("Từ chối tiếp nhận, giải quyết")
    ASSIGN = "assign", _("Phân công xử lý")
    HAND_OVER = "hand_over", _("Chuyển, bàn giao hồ sơ")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung trong khi giải quyết")
    COMPLETE_SUPPLEMENT = "complete_supplement", _("Đã bổ sung hồ sơ")
    APOLOGISE = "apologise", _("Xin lỗi và hẹn lại ngày trả")
    RESOLVE = "resolve", _("Phê duyệt, ký và có kết quả")
    STOP = "stop", _("Dừng giải quyết")
    WITHDRAW = "withdraw", _("Rút hồ sơ")
    RETURN = "return_result", _("Trả kết quả")


# History events that change no state, written by other apps through cchc.dossiers.history.event_append.
OTHER_EVENTS: dict[str, Any] = {
    "pay": _("Nộp phí, lệ phí trực tuyến"),
    "rate": _("Công dân đánh giá mức độ hài lòng"),
    "evaluate": _("Công dân đánh giá việc giải quyết thủ tục"),
}


def event_label(action: str) -> str:
    """The Vietnamese label of a history event's action."""
    if action in Action.values:
        return str(Action(action).label)
    return str(OTHER_EVENTS.get(action, action))


ALLOWED_TRANSITIONS: dict[State | None, dict[Action, State]] = {
    None: {
        Action.SUBMIT: State.SUBMITTED,  # online submission (Art. 16)
        Action.RECEIVE: State.PROCESSING,  # complete and valid: received, Mẫu 01 (Art. 17(1))
        Action.REQUEST_SUPPLEMENT_AT_RECEPTION: State.RECEPTION_SUPPLEMENT,  # incomplete: Mẫu 02 (Art. 17(2)(a))
        Action.REFUSE: State.REFUSED,  # out of scope or ineligible: Mẫu 03 (Art. 17(2)(b))
    },
    State.SUBMITTED: {
        Action.RECEIVE: State.PROCESSING,  # Art. 17(1); the clock starts now (Art. 17(3))
        Action.REQUEST_SUPPLEMENT_AT_RECEPTION: State.RECEPTION_SUPPLEMENT,  # Art. 17(2)(a)
        Action.REFUSE: State.REFUSED,  # Art. 17(2)(b)
        Action.WITHDRAW: State.WITHDRAWN,  # Art. 21
    },
    State.RECEPTION_SUPPLEMENT: {
        Action.RECEIVE: State.PROCESSING,  # completed: received now (Art. 17(1), 17(3))
        Action.REFUSE: State.REFUSED,  # Art. 17(2)(b)
        Action.WITHDRAW: State.WITHDRAWN,  # Art. 21
    },
    State.PROCESSING: {
        Action.ASSIGN: State.PROCESSING,  # internal process (Art. 18-19)
        Action.HAND_OVER: State.PROCESSING,  # every hand-over recorded, Mẫu 06 (Art. 18, 20)
        Action.REQUEST_SUPPLEMENT: State.PROCESSING_SUPPLEMENT,  # once, within 3 working days (Art. 19(5))
        Action.APOLOGISE: State.PROCESSING,  # late: apology and new date, Mẫu 04 (Art. 19(6), 12(5))
        Action.RESOLVE: State.RESOLVED,  # approved and signed: the result exists (Art. 19)
        Action.REFUSE: State.REFUSED,  # not eligible after review, with written reasons (Art. 19; verify)
        Action.STOP: State.STOPPED,  # Mẫu 05 (Art. 21)
        Action.WITHDRAW: State.WITHDRAWN,  # at the applicant's request (Art. 21)
    },
    State.PROCESSING_SUPPLEMENT: {
        Action.COMPLETE_SUPPLEMENT: State.PROCESSING,  # the time limit restarts from zero (Art. 19(5))
        Action.STOP: State.STOPPED,  # not completed within 15 days, or on request (Art. 19(5), 21)
        Action.WITHDRAW: State.WITHDRAWN,  # Art. 21
    },
    State.RESOLVED: {
        Action.RETURN: State.RETURNED,  # at the counter, by post or online (Art. 22)
    },
    State.RETURNED: {},
    State.REFUSED: {},
    State.STOPPED: {},
    State.WITHDRAWN: {},
}

# Who may take each action, and in which unit of the dossier. The one-stop unit (reception) receives, asks
# for supplements at reception, refuses at reception, records apologies and returns results (Art. 17, 22);
# the handling agency assigns, hands over, asks for supplements in processing and signs (Art. 18-19).
RECEPTION = "receiving_unit"
HANDLING = "current_unit"
COMPETENT = "competent_unit"
ALLOWED_ROLES: dict[Action, tuple[str, frozenset[str]]] = {
    Action.RECEIVE: (RECEPTION, frozenset({Role.RECEPTION_OFFICER})),
    Action.REQUEST_SUPPLEMENT_AT_RECEPTION: (RECEPTION, frozenset({Role.RECEPTION_OFFICER})),
    Action.REFUSE: (RECEPTION, frozenset({Role.RECEPTION_OFFICER, Role.LEADER})),
    Action.ASSIGN: (HANDLING, frozenset({Role.LEADER})),
    Action.HAND_OVER: (HANDLING, frozenset({Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.LEADER})),
    # Art. 19(5): the competent agency asks, through the one-stop unit, whichever unit holds the file now.
    Action.REQUEST_SUPPLEMENT: (COMPETENT, frozenset({Role.SPECIALIST, Role.LEADER})),
    Action.COMPLETE_SUPPLEMENT: (RECEPTION, frozenset({Role.RECEPTION_OFFICER})),
    Action.APOLOGISE: (COMPETENT, frozenset({Role.LEADER})),
    Action.RESOLVE: (COMPETENT, frozenset({Role.LEADER})),
    Action.STOP: (COMPETENT, frozenset({Role.LEADER})),
    Action.WITHDRAW: (RECEPTION, frozenset({Role.RECEPTION_OFFICER})),
    Action.RETURN: (RECEPTION, frozenset({Role.RECEPTION_OFFICER})),
}
# Where the state changes who decides. A refusal after review is the competent agency's written decision,
# signed by its leader and sent to the applicant through the one-stop unit (Art. 19; verify the clause).
ALLOWED_ROLES_IN_STATE: dict[tuple[State, Action], tuple[str, frozenset[str]]] = {
    (State.PROCESSING, Action.REFUSE): (COMPETENT, frozenset({Role.LEADER})),
}


class DossierActionError(Exception):
    """An action that cannot be taken; `message` is Vietnamese and safe to show."""

    status = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransitionNotAllowed(DossierActionError):
    status = 409


class StaleDossier(DossierActionError):
    status = 409


class ActionForbidden(DossierActionError):
    status = 403


class RuleBroken(DossierActionError):
    """A legal rule refuses the action (e.g. a second supplement request)."""

    status = 422


def next_state(state: State | str | None, action: Action) -> State:
    """The state after `action`, or TransitionNotAllowed."""
    current = State(state) if state else None
    allowed = ALLOWED_TRANSITIONS[current]
    if action not in allowed:
        label = current.label if current else _("chưa tiếp nhận")
        raise TransitionNotAllowed(
            str(_("Không thể “%(action)s” khi hồ sơ ở trạng thái “%(state)s”."))
            % {"action": action.label, "state": label}
        )
    return allowed[action]


def actions_available(state: State | str | None) -> Iterable[Action]:
    return ALLOWED_TRANSITIONS[State(state) if state else None].keys()


def require_role(
    actor: Any, action: Action, units: dict[str, Unit], state: State | str | None = None
) -> None:
    """ActionForbidden unless `actor` holds one of the action's roles in the unit it concerns (in `state`)."""
    if action == Action.SUBMIT:
        return  # the applicant, through the portal
    current = State(state) if state else None
    where, roles = (
        ALLOWED_ROLES_IN_STATE.get((current, action), ALLOWED_ROLES[action])
        if current is not None
        else ALLOWED_ROLES[action]
    )
    unit = units[where]
    if not any(has_role(actor, role, unit) for role in roles):
        raise ActionForbidden(
            str(_("Bạn không có quyền “%(action)s” hồ sơ của %(unit)s."))
            % {"action": action.label, "unit": unit.name}
        )


def apply_transition(
    *, dossier: Dossier, action: Action, actor: Any, expected_version: int | None, system: bool = False
) -> State:
    """Check the table, the version and the permission, then set the new state. The caller holds the row lock.

    Compare-and-set: the update only happens if the row still has the version the actor saw, so two officers
    acting on the same dossier at once cannot both succeed. `system` marks an action the platform takes by
    itself under a legal rule (no person, so no role to check), e.g. closing an uncompleted supplement.
    """
    new_state = next_state(dossier.state, action)
    if expected_version is not None and expected_version != dossier.version:
        raise StaleDossier(
            str(_("Hồ sơ %(code)s vừa được người khác cập nhật. Vui lòng tải lại trang rồi thực hiện lại."))
            % {"code": dossier.code}
        )
    if not system:
        require_role(
            actor,
            action,
            {
                RECEPTION: dossier.receiving_unit,
                HANDLING: dossier.current_unit,
                COMPETENT: dossier.competent_unit,
            },
            dossier.state,
        )
    changed = Dossier.objects.filter(pk=dossier.pk, version=dossier.version).update(
        state=new_state, version=dossier.version + 1
    )
    if changed != 1:
        raise StaleDossier(str(_("Hồ sơ %(code)s vừa được người khác cập nhật.")) % {"code": dossier.code})
    dossier.state, dossier.version = new_state, dossier.version + 1
    return new_state
