"""The 2/5/15/2 working-day limits (Decree 20/2008/NĐ-CP as amended, verify; DOMAIN.md §5), across a weekend and
Tết 2026 (off Sat 14/02 – Sun 22/02/2026), stored on the feedback and enforced where the rule says "within"."""

from __future__ import annotations

import pytest

from cchc.feedback import rules, services
from cchc.feedback.deadlines import days_left
from cchc.feedback.lifecycle import RuleBroken
from cchc.feedback.models import FeedbackEvent, State
from tests.feedback.conftest import Province, at

pytestmark = pytest.mark.django_db


def test_the_legal_numbers() -> None:
    assert rules.REFUSE_WITHIN_WORKING_DAYS == 2
    assert rules.REQUEST_MORE_WITHIN_WORKING_DAYS == 5
    assert rules.ANSWER_WITHIN_WORKING_DAYS == 15
    assert rules.PUBLISH_WITHIN_WORKING_DAYS == 2


def test_limits_skip_the_weekend(province: Province) -> None:
    feedback = province.submit(when=at(2026, 11, 6, 10))  # Friday
    assert feedback.refuse_due_at == at(2026, 11, 10, 17)  # Tuesday
    assert feedback.more_due_at == at(2026, 11, 13, 17)
    # 15 working days: Tue 24/11/2026 (Vietnam Culture Day) is a day off too.
    assert feedback.answer_due_at == at(2026, 11, 30, 17)
    assert feedback.next_due_at == feedback.answer_due_at


def test_a_weekend_receipt_counts_from_monday(province: Province) -> None:
    feedback = province.submit(when=at(2026, 11, 7, 10))  # Saturday
    assert feedback.refuse_due_at == at(2026, 11, 11, 17)
    assert feedback.more_due_at == at(2026, 11, 16, 17)


def test_limits_skip_tet_2026(province: Province) -> None:
    feedback = province.submit(when=at(2026, 2, 13, 10))  # Friday before Tết
    assert feedback.refuse_due_at == at(2026, 2, 24, 17)  # Mon 23/02 is day 1
    assert feedback.more_due_at == at(2026, 2, 27, 17)
    assert feedback.answer_due_at == at(2026, 3, 13, 17)


def test_a_receipt_during_tet_counts_from_the_first_day_back(province: Province) -> None:
    feedback = province.submit(when=at(2026, 2, 17, 9))  # mùng 1 Tết
    assert feedback.refuse_due_at == at(2026, 2, 25, 17)


def test_publication_is_due_two_working_days_after_the_answer_across_tet(province: Province) -> None:
    feedback = province.submit(when=at(2026, 2, 2, 9))
    services.feedback_answer(
        feedback=feedback, actor=province.staff["leader"], answer="Đã khắc phục.", at=at(2026, 2, 12, 16)
    )
    feedback.refresh_from_db()
    assert feedback.publish_due_at == at(2026, 2, 23, 17)  # Fri 13/02, then Mon 23/02 after Tết
    assert feedback.next_due_at == feedback.publish_due_at


def test_refusal_within_two_working_days_is_accepted(province: Province) -> None:
    feedback = province.submit(when=at(2026, 2, 13, 10))
    services.feedback_refuse(
        feedback=feedback,
        actor=province.staff["leader"],
        reason="Không thuộc phạm vi.",
        at=at(2026, 2, 24, 16),
    )
    feedback.refresh_from_db()
    assert feedback.state == State.REFUSED and feedback.next_due_at is None


def test_refusal_after_two_working_days_is_refused(province: Province) -> None:
    feedback = province.submit(when=at(2026, 2, 13, 10))
    with pytest.raises(RuleBroken, match="quá thời hạn 2 ngày làm việc") as refused:
        services.feedback_refuse(
            feedback=feedback,
            actor=province.staff["leader"],
            reason="Không thuộc phạm vi.",
            at=at(2026, 2, 25, 8),
        )
    assert "24/02/2026 17:00" in refused.value.message
    feedback.refresh_from_db()
    assert feedback.state == State.RECEIVED


def test_asking_for_more_after_five_working_days_is_refused(province: Province) -> None:
    feedback = province.submit(when=at(2026, 2, 13, 10))
    leader = province.staff["leader"]
    with pytest.raises(RuleBroken, match="5 ngày làm việc"):
        services.feedback_request_more(
            feedback=feedback, actor=leader, question="Nêu rõ.", at=at(2026, 3, 2, 8)
        )
    services.feedback_request_more(
        feedback=feedback, actor=leader, question="Nêu rõ.", at=at(2026, 2, 27, 16)
    )
    feedback.refresh_from_db()
    assert feedback.state == State.MORE_REQUESTED


def test_a_late_answer_is_taken_and_marked_late(province: Province) -> None:
    feedback = province.submit(when=at(2026, 2, 13, 10))
    services.feedback_answer(
        feedback=feedback,
        actor=province.staff["leader"],
        answer="Xin lỗi vì chậm trả lời.",
        at=at(2026, 3, 16, 8),
    )
    feedback.refresh_from_db()
    assert feedback.state == State.ANSWERED
    assert FeedbackEvent.objects.get(feedback=feedback, action="answer").changes["on_time"] is False


def test_a_late_publication_is_taken_and_marked_late(province: Province) -> None:
    feedback = province.submit(when=at(2026, 3, 2, 9))
    leader = province.staff["leader"]
    services.feedback_answer(feedback=feedback, actor=leader, answer="Đã trả lời.", at=at(2026, 3, 3, 9))
    services.feedback_publish(
        feedback=feedback, actor=leader, public_summary="Câu hỏi.", at=at(2026, 3, 6, 9)
    )
    assert FeedbackEvent.objects.get(feedback=feedback, action="publish").changes["on_time"] is False


def test_days_left_counts_working_days_and_goes_negative(province: Province) -> None:
    due = at(2026, 2, 24, 17)
    assert days_left(due, at(2026, 2, 13, 10)) == 2  # across Tết
    assert days_left(due, at(2026, 2, 24, 9)) == 0
    assert days_left(due, at(2026, 2, 26, 9)) == -2
    assert days_left(None, at(2026, 2, 26, 9)) is None
