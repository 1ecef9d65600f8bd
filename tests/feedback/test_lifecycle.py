"""The feedback lifecycle: every cell of the transition table, allowed and refused, through the services."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cchc.dossiers.models import RatingLevel
from cchc.feedback import services
from cchc.feedback.lifecycle import (
    ALLOWED_TRANSITIONS,
    SENDER_ACTIONS,
    STAFF_ROLES,
    Action,
    RuleBroken,
    StaleFeedback,
    TransitionNotAllowed,
    next_state,
)
from cchc.feedback.models import Feedback, FeedbackEvent, HistoryIsAppendOnlyError, Kind, State
from tests.feedback.conftest import Province, at

pytestmark = pytest.mark.django_db

T0 = at(2026, 3, 2, 9)  # Monday: refuse due Wed 04/03, more due Mon 09/03, answer due Mon 23/03 (17:00)
LATER = at(2026, 3, 3, 10)


def _run(province: Province, feedback: Feedback, action: Action) -> Feedback:
    """Take `action` on `feedback` with valid input, by the justice leader or by the sender."""
    leader = province.staff["leader"]
    runs: dict[Action, Callable[[], Feedback]] = {
        Action.REFUSE: lambda: services.feedback_refuse(
            feedback=feedback, actor=leader, reason="Không thuộc thẩm quyền.", at=LATER
        ),
        Action.REQUEST_MORE: lambda: services.feedback_request_more(
            feedback=feedback, actor=leader, question="Xin cho biết ngày đến nộp hồ sơ.", at=LATER
        ),
        Action.ADD_MORE: lambda: services.feedback_add_more(
            feedback=feedback, text="Tôi đến nộp hồ sơ sáng ngày 02/03/2026.", at=LATER
        ),
        Action.ANSWER: lambda: services.feedback_answer(
            feedback=feedback, actor=leader, answer="Sở đã chấn chỉnh việc hướng dẫn.", at=LATER
        ),
        Action.PUBLISH: lambda: services.feedback_publish(
            feedback=feedback, actor=leader, public_summary="Cán bộ hướng dẫn không rõ ràng.", at=LATER
        ),
        Action.RATE: lambda: services.feedback_rate_answer(
            feedback=feedback, rating=RatingLevel.SATISFIED, at=LATER
        ),
    }
    return runs[action]()


def _in_state(province: Province, state: State) -> Feedback:
    feedback = province.submit(when=T0)
    leader = province.staff["leader"]
    if state == State.MORE_REQUESTED:
        services.feedback_request_more(
            feedback=feedback, actor=leader, question="Xin nêu rõ thời gian.", at=T0
        )
    elif state == State.REFUSED:
        services.feedback_refuse(feedback=feedback, actor=leader, reason="Nội dung không rõ.", at=T0)
    elif state in (State.ANSWERED, State.PUBLISHED):
        services.feedback_answer(feedback=feedback, actor=leader, answer="Đã chấn chỉnh.", at=T0)
        if state == State.PUBLISHED:
            services.feedback_publish(
                feedback=feedback, actor=leader, public_summary="Hướng dẫn chưa rõ.", at=T0
            )
    feedback.refresh_from_db()
    assert feedback.state == state
    return feedback


# -- the table ---------------------------------------------------------------------------------------------------
def test_every_state_has_a_row_and_every_action_is_used() -> None:
    assert set(ALLOWED_TRANSITIONS) == {None, *State}
    used = {action for row in ALLOWED_TRANSITIONS.values() for action in row}
    assert used == set(Action)
    assert set(STAFF_ROLES) | SENDER_ACTIONS == set(Action)


def test_the_table_reads_like_the_rule() -> None:
    assert ALLOWED_TRANSITIONS[None] == {Action.SUBMIT: State.RECEIVED}
    assert ALLOWED_TRANSITIONS[State.RECEIVED] == {
        Action.REFUSE: State.REFUSED,
        Action.REQUEST_MORE: State.MORE_REQUESTED,
        Action.ANSWER: State.ANSWERED,
    }
    assert ALLOWED_TRANSITIONS[State.MORE_REQUESTED] == {Action.ADD_MORE: State.RECEIVED}
    assert ALLOWED_TRANSITIONS[State.ANSWERED][Action.PUBLISH] == State.PUBLISHED
    assert ALLOWED_TRANSITIONS[State.REFUSED] == {}


ALLOWED = [(state, action) for state, row in ALLOWED_TRANSITIONS.items() if state for action in row]
REFUSED = [
    (state, action)
    for state in State
    for action in Action
    if action != Action.SUBMIT and action not in ALLOWED_TRANSITIONS[state]
]


@pytest.mark.parametrize(("state", "action"), ALLOWED)
def test_allowed_transition_reaches_its_state(province: Province, state: State, action: Action) -> None:
    feedback = _in_state(province, state)
    result = _run(province, feedback, action)
    result.refresh_from_db()
    assert result.state == ALLOWED_TRANSITIONS[state][action]
    last = FeedbackEvent.objects.filter(feedback=result).order_by("-seq").first()
    assert last is not None and last.action == action.value
    assert (last.state_before, last.state_after) == (state.value, result.state)


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_refused_transition_changes_nothing(province: Province, state: State, action: Action) -> None:
    feedback = _in_state(province, state)
    version, events = feedback.version, feedback.events.count()
    with pytest.raises(TransitionNotAllowed) as refused:
        _run(province, feedback, action)
    assert "Không thể" in refused.value.message
    feedback.refresh_from_db()
    assert (feedback.state, feedback.version, feedback.events.count()) == (state, version, events)


def test_submit_only_from_nothing() -> None:
    assert next_state(None, Action.SUBMIT) == State.RECEIVED
    for state in State:
        with pytest.raises(TransitionNotAllowed):
            next_state(state, Action.SUBMIT)


# -- rules beyond the table -------------------------------------------------------------------------------------
def test_a_harassment_report_is_never_published(province: Province) -> None:
    feedback = province.submit(kind=Kind.HARASSMENT, when=T0)
    assert feedback.confidential
    leader = province.staff["leader"]
    services.feedback_answer(feedback=feedback, actor=leader, answer="Đã xử lý kỷ luật cán bộ.", at=T0)
    feedback.refresh_from_db()
    assert feedback.publish_due_at is None and feedback.next_due_at is None
    with pytest.raises(RuleBroken, match="bảo mật"):
        services.feedback_publish(feedback=feedback, actor=leader, public_summary="Nội dung.", at=LATER)
    feedback.refresh_from_db()
    assert feedback.state == State.ANSWERED and feedback.published_at is None


def test_the_answer_is_rated_once(province: Province) -> None:
    feedback = _in_state(province, State.ANSWERED)
    services.feedback_rate_answer(
        feedback=feedback, rating=RatingLevel.NOT_SATISFIED, comment="Chưa thỏa đáng."
    )
    with pytest.raises(RuleBroken, match="đã đánh giá"):
        services.feedback_rate_answer(feedback=feedback, rating=RatingLevel.VERY_SATISFIED)
    feedback.refresh_from_db()
    assert feedback.rating == RatingLevel.NOT_SATISFIED and feedback.rating_comment == "Chưa thỏa đáng."


def test_a_published_answer_can_still_be_rated(province: Province) -> None:
    feedback = _in_state(province, State.PUBLISHED)
    services.feedback_rate_answer(feedback=feedback, rating=RatingLevel.VERY_SATISFIED)
    feedback.refresh_from_db()
    assert feedback.state == State.PUBLISHED and feedback.rating == RatingLevel.VERY_SATISFIED


def test_a_stale_form_is_refused(province: Province) -> None:
    feedback = province.submit(when=T0)
    leader, specialist = province.staff["leader"], province.staff["specialist"]
    seen = feedback.version
    services.feedback_answer(
        feedback=feedback, actor=specialist, answer="Trả lời thứ nhất.", expected_version=seen
    )
    with pytest.raises(StaleFeedback, match="vừa được người khác cập nhật"):
        services.feedback_answer(
            feedback=feedback, actor=leader, answer="Trả lời thứ hai.", expected_version=seen
        )
    feedback.refresh_from_db()
    assert feedback.answer == "Trả lời thứ nhất." and feedback.answered_by == specialist


def test_an_addition_is_a_new_receipt(province: Province) -> None:
    feedback = _in_state(province, State.MORE_REQUESTED)
    assert feedback.next_due_at is None  # nothing runs while the sender is asked
    services.feedback_add_more(
        feedback=feedback, text="Ngày 02/03 tôi nộp hồ sơ tại quầy 3.", at=at(2026, 3, 6, 10)
    )
    feedback.refresh_from_db()
    assert feedback.state == State.RECEIVED
    assert feedback.clock_started_at == at(2026, 3, 6, 10)
    assert feedback.answer_due_at == at(2026, 3, 27, 17)  # 15 working days after Fri 06/03
    assert feedback.next_due_at == feedback.answer_due_at
    assert feedback.received_at == T0  # the first receipt stays


# -- the history -------------------------------------------------------------------------------------------------
def test_history_records_who_when_and_what(province: Province) -> None:
    feedback = province.submit(when=T0)
    leader = province.staff["leader"]
    services.feedback_request_more(feedback=feedback, actor=leader, question="Xin nêu tên cán bộ.", at=LATER)
    services.feedback_add_more(feedback=feedback, text="Cán bộ ở quầy số 3.", at=at(2026, 3, 4, 8))
    services.feedback_answer(
        feedback=feedback, actor=leader, answer="Đã nhắc nhở cán bộ.", at=at(2026, 3, 5, 8)
    )
    events = list(FeedbackEvent.objects.filter(feedback=feedback).order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert [e.action for e in events] == ["submit", "request_more", "add_more", "answer"]
    assert [e.actor for e in events] == [None, leader, None, leader]
    assert [e.by_sender for e in events] == [True, False, True, False]
    assert events[1].at == LATER and events[1].changes["question"] == "Xin nêu tên cán bộ."
    assert events[2].changes["text"] == "Cán bộ ở quầy số 3."
    assert events[3].changes["on_time"] is True


def test_history_is_append_only(province: Province) -> None:
    feedback = province.submit(when=T0)
    event = FeedbackEvent.objects.get(feedback=feedback)
    event.action = "answer"
    with pytest.raises(HistoryIsAppendOnlyError):
        event.save()
    with pytest.raises(HistoryIsAppendOnlyError):
        event.delete()
    with pytest.raises(HistoryIsAppendOnlyError):
        FeedbackEvent.objects.filter(feedback=feedback).update(action="x")
    with pytest.raises(HistoryIsAppendOnlyError):
        FeedbackEvent.objects.filter(feedback=feedback).delete()
    assert FeedbackEvent.objects.get(feedback=feedback).action == "submit"


def test_codes_follow_the_day_without_gaps(province: Province) -> None:
    first = province.submit(when=at(2026, 3, 2, 9))
    second = province.submit(when=at(2026, 3, 2, 23, 30), sender_phone="", sender_email="")
    third = province.submit(when=at(2026, 3, 3, 0, 5), sender_phone="", sender_email="")
    assert [first.code, second.code, third.code] == [
        "PAKN-260302-0001",
        "PAKN-260302-0002",
        "PAKN-260303-0001",
    ]
    assert len(first.lookup_key) == 8 and first.lookup_key != second.lookup_key


def test_bad_input_takes_no_number(province: Province) -> None:
    with pytest.raises(services.FeedbackInputError):
        province.submit(when=T0, unit_id=None)
    assert province.submit(when=T0).code == "PAKN-260302-0001"
