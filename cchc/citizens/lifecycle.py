"""The lifecycle of a one-time code (mã xác nhận dùng một lần), as one table.

No legal article fixes these rules; each entry cites issue 4 §2, which sets them, and the standard it follows
(NIST SP 800-63B §5.1.3: an out-of-band secret is used once and expires; §5.2.2: limited failed attempts).
"""

from __future__ import annotations

from enum import StrEnum

from cchc.citizens.models import CodeState


class CodeAction(StrEnum):
    USE = "use"  # the right code was entered in time
    FAIL = "fail"  # a wrong code, attempts remain
    EXHAUST = "exhaust"  # the last allowed wrong code
    EXPIRE = "expire"  # entered after its validity
    REPLACE = "replace"  # a new code was sent to the same address


ALLOWED_TRANSITIONS: dict[CodeState, dict[CodeAction, CodeState]] = {
    CodeState.ACTIVE: {
        CodeAction.USE: CodeState.USED,  # issue 4 §2: single use (SP 800-63B §5.1.3)
        CodeAction.FAIL: CodeState.ACTIVE,  # issue 4 §2: up to 5 wrong entries per code
        CodeAction.EXHAUST: CodeState.EXHAUSTED,  # issue 4 §2: the 5th wrong entry ends it (SP 800-63B §5.2.2)
        CodeAction.EXPIRE: CodeState.EXPIRED,  # issue 4 §2: valid 5 minutes
        CodeAction.REPLACE: CodeState.REPLACED,  # issue 4 §2: one active code per address
    },
    # Used, expired, exhausted and replaced codes are final: nothing happens to them any more.
    CodeState.USED: {},
    CodeState.EXPIRED: {},
    CodeState.EXHAUSTED: {},
    CodeState.REPLACED: {},
}


class CodeTransitionRefused(Exception):
    """The table has no such action from the code's state."""


def next_state(state: str, action: CodeAction) -> CodeState:
    """The state `action` leads to from `state`, or CodeTransitionRefused."""
    try:
        return ALLOWED_TRANSITIONS[CodeState(state)][action]
    except (KeyError, ValueError) as error:
        raise CodeTransitionRefused(f"{action} is not allowed from {state}") from error
