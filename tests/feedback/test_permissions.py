"""Who sees and handles which feedback: unit scope for normal feedback; harassment reports only for the unit's
leaders and Home Affairs (DOMAIN.md §5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from cchc.feedback import selectors, services
from cchc.feedback.lifecycle import ActionForbidden
from cchc.feedback.models import Feedback, Kind, State
from tests.feedback.conftest import Province, at, make_user

pytestmark = pytest.mark.django_db


def _codes(user: Any) -> set[str]:
    return set(selectors.feedback_visible_to(user).values_list("code", flat=True))


@pytest.fixture
def normal(province: Province) -> Feedback:
    return province.submit()


@pytest.fixture
def harassment(province: Province) -> Feedback:
    return province.submit(kind=Kind.HARASSMENT, content="Cán bộ đòi tiền bồi dưỡng mới nhận hồ sơ.")


def test_an_officer_of_another_department_sees_nothing(province: Province, normal: Feedback) -> None:
    other = province.staff["other_specialist"]
    assert _codes(other) == set()
    assert selectors.worklist(user=other, kind="open").rows == []
    with pytest.raises(Exception, match="Không tìm thấy"):
        selectors.feedback_for(other, normal.code)


def test_officers_of_the_unit_see_its_feedback(province: Province, normal: Feedback) -> None:
    assert _codes(province.staff["specialist"]) == {normal.code}
    assert _codes(province.staff["leader"]) == {normal.code}
    # Above the unit, and province-wide roles, see it too.
    assert _codes(province.staff["committee_leader"]) == {normal.code}
    assert _codes(province.staff["province_admin"]) == {normal.code}


def test_citizens_and_anonymous_users_see_nothing(province: Province, normal: Feedback, citizen: Any) -> None:
    assert _codes(citizen) == set()
    assert _codes(AnonymousUser()) == set()


def test_a_harassment_report_is_hidden_from_the_unit_specialist(
    province: Province, harassment: Feedback
) -> None:
    for name in (
        "specialist",
        "other_specialist",
        "other_leader",
        "province_admin",
        "home_affairs_specialist",
    ):
        assert harassment.code not in _codes(province.staff[name]), name


def test_a_harassment_report_is_read_by_leaders_and_home_affairs(
    province: Province, harassment: Feedback
) -> None:
    for name in ("leader", "committee_leader", "home_affairs", "home_affairs_leader"):
        assert harassment.code in _codes(province.staff[name]), name
    superuser = make_user("quantri", is_superuser=True)
    assert harassment.code in _codes(superuser)


def test_an_expired_leader_no_longer_reads_it(province: Province, harassment: Feedback) -> None:
    leader = province.staff["leader"]
    leader.memberships.update(valid_to=at(2026, 1, 1).date())
    assert harassment.code not in _codes(leader)


def test_an_officer_of_another_department_cannot_act(province: Province, normal: Feedback) -> None:
    with pytest.raises(ActionForbidden, match="không có quyền"):
        services.feedback_answer(
            feedback=normal, actor=province.staff["other_leader"], answer="Tôi trả lời hộ."
        )
    normal.refresh_from_db()
    assert normal.state == State.RECEIVED


def test_reception_staff_cannot_answer(province: Province) -> None:
    feedback = province.submit(unit_id=province.centre.pk)
    with pytest.raises(ActionForbidden):
        services.feedback_answer(feedback=feedback, actor=province.staff["reception"], answer="Đã xử lý.")


def test_only_leaders_and_home_affairs_handle_a_harassment_report(
    province: Province, harassment: Feedback
) -> None:
    with pytest.raises(ActionForbidden):
        services.feedback_answer(feedback=harassment, actor=province.staff["specialist"], answer="Đã xử lý.")
    services.feedback_request_more(
        feedback=harassment,
        actor=province.staff["home_affairs"],
        question="Xin cho biết tên cán bộ.",
        at=at(2026, 3, 3, 9),
    )
    harassment.refresh_from_db()
    assert harassment.state == State.MORE_REQUESTED


def test_the_public_list_never_holds_a_harassment_report(province: Province, harassment: Feedback) -> None:
    services.feedback_answer(feedback=harassment, actor=province.staff["leader"], answer="Đã kỷ luật cán bộ.")
    assert selectors.published_answers().rows == []
