"""The dossier lifecycle: the transition table, each action's legal rules, permissions and concurrency."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.dossiers import services
from cchc.dossiers.deadlines import day_counts
from cchc.dossiers.history import history_verify
from cchc.dossiers.lifecycle import (
    ALLOWED_ROLES,
    ALLOWED_TRANSITIONS,
    Action,
    ActionForbidden,
    RuleBroken,
    StaleDossier,
    TransitionNotAllowed,
    next_state,
)
from cchc.dossiers.models import (
    NATIONAL_STATUS,
    TERMINAL_STATES,
    DeliveryMethod,
    Dossier,
    DossierEvent,
    State,
    StepOutcome,
)
from tests.dossiers.conftest import World, at

pytestmark = pytest.mark.django_db


# -- the table ---------------------------------------------------------------------------------------------------
def test_every_state_has_a_row_and_a_national_status() -> None:
    assert set(ALLOWED_TRANSITIONS) == {None, *State}
    assert set(NATIONAL_STATUS) == set(State)


def test_every_action_is_reachable_and_has_its_roles() -> None:
    used = {action for row in ALLOWED_TRANSITIONS.values() for action in row}
    assert used == set(Action)
    assert set(ALLOWED_ROLES) == set(Action) - {Action.SUBMIT}


@pytest.mark.parametrize("state", sorted(TERMINAL_STATES))
@pytest.mark.parametrize("action", list(Action))
def test_nothing_happens_to_an_ended_dossier(state: str, action: Action) -> None:
    with pytest.raises(TransitionNotAllowed):
        next_state(state, action)


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (State.SUBMITTED, Action.RESOLVE),
        (State.SUBMITTED, Action.HAND_OVER),
        (State.RECEPTION_SUPPLEMENT, Action.RESOLVE),
        (State.PROCESSING, Action.RECEIVE),
        (State.PROCESSING, Action.RETURN),
        (State.PROCESSING_SUPPLEMENT, Action.HAND_OVER),
        (State.PROCESSING_SUPPLEMENT, Action.RESOLVE),
        (State.PROCESSING_SUPPLEMENT, Action.REQUEST_SUPPLEMENT),
        (State.RESOLVED, Action.WITHDRAW),  # Art. 21: only until the result is issued
        (State.RESOLVED, Action.STOP),
        (None, Action.HAND_OVER),
    ],
)
def test_refused_cells(state: str | None, action: Action) -> None:
    with pytest.raises(TransitionNotAllowed):
        next_state(state, action)


@pytest.mark.parametrize(
    ("state", "action", "expected"),
    [
        (None, Action.RECEIVE, State.PROCESSING),
        (None, Action.REQUEST_SUPPLEMENT_AT_RECEPTION, State.RECEPTION_SUPPLEMENT),
        (None, Action.REFUSE, State.REFUSED),
        (State.SUBMITTED, Action.RECEIVE, State.PROCESSING),
        (State.RECEPTION_SUPPLEMENT, Action.RECEIVE, State.PROCESSING),
        (State.PROCESSING, Action.REQUEST_SUPPLEMENT, State.PROCESSING_SUPPLEMENT),
        (State.PROCESSING_SUPPLEMENT, Action.COMPLETE_SUPPLEMENT, State.PROCESSING),
        (State.PROCESSING, Action.RESOLVE, State.RESOLVED),
        (State.RESOLVED, Action.RETURN, State.RETURNED),
    ],
)
def test_allowed_cells(state: str | None, action: Action, expected: State) -> None:
    assert next_state(state, action) == expected


# -- a whole life ---------------------------------------------------------------------------------------------------
def test_counter_intake_to_return_with_codes_steps_and_history(world: World) -> None:
    staff = world.staff
    dossier = services.dossier_receive(actor=staff["reception"], intake=world.intake(), at=at(2026, 3, 9, 9))
    assert dossier.state == State.PROCESSING
    assert dossier.code == "000.00.12.H99-260309-0001"
    # 3 working days from Monday 09/03/2026 09:00 (Art. 17(3)): the close of Thursday 12/03.
    assert dossier.appointment_at == dossier.original_appointment_at == at(2026, 3, 12, 17)
    steps = list(dossier.steps.order_by("order"))
    assert [s.unit_id for s in steps] == [
        world.centre.pk,
        world.justice.pk,
        world.justice.pk,
        world.justice.pk,
    ]
    assert steps[0].started_at == at(2026, 3, 9, 9)
    assert steps[-1].due_at == at(2026, 3, 12, 17)

    v = dossier.version
    hand = services.dossier_hand_over(
        dossier=dossier,
        actor=staff["reception"],
        to_user=staff["specialist"],
        expected_version=v,
        at=at(2026, 3, 9, 10),
    )
    # The half-day reception step is due Tue 10/03 11:15 (0.5 working day after Monday's close): early.
    assert hand.outcome == StepOutcome.EARLY
    dossier.refresh_from_db()
    assert dossier.current_unit == world.justice
    services.dossier_hand_over(
        dossier=dossier,
        actor=staff["specialist"],
        to_user=staff["leader"],
        expected_version=dossier.version,
        at=at(2026, 3, 10, 9),
    )
    dossier.refresh_from_db()
    services.dossier_resolve(
        dossier=dossier,
        actor=staff["leader"],
        document_number="12/GKS",
        document_date=dt.date(2026, 3, 10),
        expected_version=dossier.version,
        at=at(2026, 3, 10, 15),
    )
    dossier.refresh_from_db()
    services.dossier_return(
        dossier=dossier,
        actor=staff["reception"],
        method=DeliveryMethod.COUNTER,
        expected_version=dossier.version,
        at=at(2026, 3, 11, 8),
    )
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED
    assert day_counts(dossier).on_time is True
    assert list(dossier.events.values_list("action", flat=True)) == [
        "receive",
        "hand_over",
        "hand_over",
        "resolve",
        "return_result",
    ]
    assert history_verify(dossier_ids=[dossier.pk]) == []


def test_appointment_skips_tet_2026(world: World) -> None:
    dossier = services.dossier_receive(
        actor=world.staff["reception"], intake=world.intake(), at=at(2026, 2, 13, 10)
    )
    # Fri 13/02 + 3 working days: Tết runs to Sun 22/02, so Mon 23, Tue 24, Wed 25.
    assert dossier.appointment_at == at(2026, 2, 25, 17)


def test_receipt_after_hours_on_the_eve_of_a_make_up_saturday(world: World) -> None:
    dossier = services.dossier_receive(
        actor=world.staff["reception"], intake=world.intake(), at=at(2026, 1, 9, 18)
    )
    # The clock starts on the make-up Saturday 10/01/2026: Mon 12, Tue 13, Wed 14.
    assert dossier.appointment_at == at(2026, 1, 14, 17)


def test_codes_follow_each_other_within_a_day(world: World) -> None:
    first = services.dossier_receive(
        actor=world.staff["reception"], intake=world.intake(), at=at(2026, 3, 9, 9)
    )
    second = services.dossier_receive(
        actor=world.staff["reception"], intake=world.intake(), at=at(2026, 3, 9, 9, 5)
    )
    assert (first.code[-4:], second.code[-4:]) == ("0001", "0002")


# -- online dossiers --------------------------------------------------------------------------------------------------
def test_online_dossier_clock_starts_at_acceptance_and_acceptance_is_due_in_8_working_hours(
    world: World,
) -> None:
    dossier = services.dossier_submit(intake=world.intake(channel=2), at=at(2026, 2, 13, 16))
    assert dossier.state == State.SUBMITTED and dossier.appointment_at is None
    assert services.online_acceptance_due(dossier) == at(2026, 2, 23, 16, 30)
    services.dossier_receive(
        actor=world.staff["reception"],
        dossier=dossier,
        expected_version=dossier.version,
        at=at(2026, 2, 23, 8),
    )
    dossier.refresh_from_db()
    assert dossier.received_at == at(2026, 2, 23, 8)
    assert dossier.appointment_at == at(2026, 2, 26, 17)


def test_supplement_at_reception_then_received(world: World) -> None:
    dossier = services.dossier_request_supplement_at_reception(
        actor=world.staff["reception"],
        intake=world.intake(),
        missing=["Giấy chứng sinh"],
        reason="Thiếu giấy chứng sinh",
        at=at(2026, 3, 9, 9),
    )
    assert dossier.state == State.RECEPTION_SUPPLEMENT
    services.dossier_receive(
        actor=world.staff["reception"],
        dossier=dossier,
        expected_version=dossier.version,
        at=at(2026, 3, 11, 9),
    )
    dossier.refresh_from_db()
    assert dossier.appointment_at == at(2026, 3, 16, 17)
    assert dossier.supplement_requests.get().completed_at == at(2026, 3, 11, 9)


# -- supplement during processing ------------------------------------------------------------------------------------
def _received(world: World, when: dt.datetime) -> Dossier:
    return services.dossier_receive(actor=world.staff["reception"], intake=world.intake(), at=when)


def test_processing_supplement_restarts_the_legal_limit_but_not_the_statistical_one(world: World) -> None:
    dossier = _received(world, at(2026, 3, 9, 9))  # appointment Thu 12/03 17:00
    services.dossier_request_supplement(
        dossier=dossier,
        actor=world.staff["specialist"],
        missing=["Bản sao CCCD"],
        reason="Ảnh mờ",
        expected_version=dossier.version,
        at=at(2026, 3, 10, 9),
    )
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING_SUPPLEMENT
    services.dossier_complete_supplement(
        dossier=dossier,
        actor=world.staff["reception"],
        expected_version=dossier.version,
        at=at(2026, 3, 16, 9),
    )
    dossier.refresh_from_db()
    # Legally: 3 working days again from Mon 16/03 09:00.
    assert dossier.appointment_at == at(2026, 3, 19, 17)
    assert dossier.original_appointment_at == at(2026, 3, 12, 17)
    # Statistically: resolved Wed 18/03 09:00. Used, without the pause = Mon 09/03 9:00 → Tue 10/03 9:00 (7.5 h)
    # + Mon 16/03 9:00 → Wed 18/03 9:00 (15 h) = 22.5 h; allowed = Mon 09/03 9:00 → Thu 12/03 17:00 = 28.5 h.
    dossier.resolved_at = at(2026, 3, 18, 9)
    counts = day_counts(dossier)
    assert counts.working_time_used == dt.timedelta(hours=22.5)
    assert counts.working_time_left == dt.timedelta(hours=6)
    assert counts.on_time is True


def test_a_second_processing_supplement_is_refused(world: World) -> None:
    dossier = _received(world, at(2026, 3, 9, 9))
    services.dossier_request_supplement(
        dossier=dossier,
        actor=world.staff["specialist"],
        missing=["A"],
        reason="r",
        expected_version=dossier.version,
        at=at(2026, 3, 9, 10),
    )
    dossier.refresh_from_db()
    services.dossier_complete_supplement(
        dossier=dossier,
        actor=world.staff["reception"],
        expected_version=dossier.version,
        at=at(2026, 3, 9, 11),
    )
    dossier.refresh_from_db()
    with pytest.raises(RuleBroken, match="một lần"):
        services.dossier_request_supplement(
            dossier=dossier,
            actor=world.staff["specialist"],
            missing=["B"],
            reason="r",
            expected_version=dossier.version,
            at=at(2026, 3, 9, 14),
        )


def test_processing_supplement_after_3_working_days_is_refused(world: World) -> None:
    dossier = _received(world, at(2026, 2, 13, 9))  # Fri before Tết: 3 working days end Wed 25/02 17:00
    services.dossier_request_supplement(
        dossier=dossier,
        actor=world.staff["specialist"],
        missing=["A"],
        reason="r",
        expected_version=dossier.version,
        at=at(2026, 2, 25, 16),
    )
    other = _received(world, at(2026, 2, 13, 9, 5))
    with pytest.raises(RuleBroken, match="3 ngày làm việc"):
        services.dossier_request_supplement(
            dossier=other,
            actor=world.staff["specialist"],
            missing=["A"],
            reason="r",
            expected_version=other.version,
            at=at(2026, 2, 26, 8),
        )
    other.refresh_from_db()
    assert other.state == State.PROCESSING


# -- apology ---------------------------------------------------------------------------------------------------------
def test_apology_sets_a_new_date_once_and_statistics_keep_the_first(world: World) -> None:
    dossier = _received(world, at(2026, 3, 9, 9))  # appointment Thu 12/03
    services.dossier_apologise(
        dossier=dossier,
        actor=world.staff["leader"],
        reason="Chờ xác minh",
        new_appointment_at=at(2026, 3, 17, 17),
        expected_version=dossier.version,
        at=at(2026, 3, 11, 9),
    )
    dossier.refresh_from_db()
    assert dossier.appointment_at == at(2026, 3, 17, 17)
    assert dossier.original_appointment_at == at(2026, 3, 12, 17)
    with pytest.raises(RuleBroken, match="một lần"):
        services.dossier_apologise(
            dossier=dossier,
            actor=world.staff["leader"],
            reason="x",
            new_appointment_at=at(2026, 3, 20, 17),
            expected_version=dossier.version,
            at=at(2026, 3, 12, 9),
        )
    dossier.resolved_at = at(2026, 3, 16, 9)
    assert day_counts(dossier).on_time is False  # late against the original appointment


def test_apology_on_the_deadline_day_is_too_late(world: World) -> None:
    dossier = _received(world, at(2026, 3, 9, 9))
    with pytest.raises(RuleBroken, match="1 ngày làm việc"):
        services.dossier_apologise(
            dossier=dossier,
            actor=world.staff["leader"],
            reason="Chậm",
            new_appointment_at=at(2026, 3, 17, 17),
            expected_version=dossier.version,
            at=at(2026, 3, 12, 8),
        )


def test_apology_must_move_the_date_later(world: World) -> None:
    dossier = _received(world, at(2026, 3, 9, 9))
    with pytest.raises(RuleBroken, match="sau ngày hẹn"):
        services.dossier_apologise(
            dossier=dossier,
            actor=world.staff["leader"],
            reason="Chậm",
            new_appointment_at=at(2026, 3, 12, 9),
            expected_version=dossier.version,
            at=at(2026, 3, 10, 8),
        )


# -- endings ---------------------------------------------------------------------------------------------------------
def test_refuse_stop_and_withdraw_end_the_dossier(world: World) -> None:
    refused = services.dossier_refuse(
        actor=world.staff["reception"],
        intake=world.intake(),
        reason="Không thuộc thẩm quyền",
        at=at(2026, 3, 9, 9),
    )
    assert refused.state == State.REFUSED and refused.ended_at == at(2026, 3, 9, 9)
    stopped = _received(world, at(2026, 3, 9, 9))
    services.dossier_stop(
        dossier=stopped, actor=world.staff["leader"], reason="Theo đề nghị", expected_version=stopped.version
    )
    withdrawn = _received(world, at(2026, 3, 9, 9))
    services.dossier_withdraw(
        dossier=withdrawn,
        actor=world.staff["reception"],
        reason="Công dân rút",
        expected_version=withdrawn.version,
    )
    assert {d.state for d in Dossier.objects.filter(pk__in=[stopped.pk, withdrawn.pk])} == {
        State.STOPPED,
        State.WITHDRAWN,
    }


def test_post_return_needs_an_address(world: World) -> None:
    dossier = _received(world, at(2026, 3, 9, 9))
    services.dossier_resolve(
        dossier=dossier,
        actor=world.staff["leader"],
        document_number="1/KQ",
        document_date=dt.date(2026, 3, 10),
        expected_version=dossier.version,
    )
    dossier.refresh_from_db()
    with pytest.raises(RuleBroken, match="địa chỉ"):
        services.dossier_return(
            dossier=dossier,
            actor=world.staff["reception"],
            method=DeliveryMethod.POST,
            expected_version=dossier.version,
        )


# -- permissions, stale versions, wrong transitions: clear errors, nothing changed ---------------------------------
def _unchanged(dossier: Dossier) -> None:
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert (fresh.state, fresh.version, fresh.history_length) == (
        dossier.state,
        dossier.version,
        dossier.history_length,
    )
    assert DossierEvent.objects.filter(dossier=dossier).count() == dossier.history_length


def test_another_departments_staff_cannot_act(world: World) -> None:
    dossier = _received(world, at(2026, 3, 9, 9))
    with pytest.raises(ActionForbidden, match="không có quyền"):
        services.dossier_resolve(
            dossier=dossier,
            actor=world.staff["other_leader"],
            document_number="1",
            document_date=dt.date(2026, 3, 9),
            expected_version=dossier.version,
        )
    with pytest.raises(ActionForbidden):
        services.dossier_hand_over(
            dossier=dossier, actor=world.staff["other_specialist"], expected_version=dossier.version
        )
    _unchanged(dossier)


def test_a_specialist_cannot_sign(world: World) -> None:
    dossier = _received(world, at(2026, 3, 9, 9))
    with pytest.raises(ActionForbidden):
        services.dossier_resolve(
            dossier=dossier,
            actor=world.staff["specialist"],
            document_number="1",
            document_date=dt.date(2026, 3, 9),
            expected_version=dossier.version,
        )
    _unchanged(dossier)


def test_a_stale_version_is_refused(world: World) -> None:
    dossier = _received(world, at(2026, 3, 9, 9))
    seen = dossier.version
    services.dossier_hand_over(dossier=dossier, actor=world.staff["reception"], expected_version=seen)
    dossier.refresh_from_db()
    with pytest.raises(StaleDossier, match="vừa được người khác cập nhật"):
        services.dossier_hand_over(dossier=dossier, actor=world.staff["specialist"], expected_version=seen)
    _unchanged(dossier)


def test_a_wrong_transition_changes_nothing(world: World) -> None:
    dossier = _received(world, at(2026, 3, 9, 9))
    with pytest.raises(TransitionNotAllowed, match="Không thể"):
        services.dossier_return(
            dossier=dossier,
            actor=world.staff["reception"],
            method=DeliveryMethod.COUNTER,
            expected_version=dossier.version,
        )
    _unchanged(dossier)


def test_reception_officer_cannot_receive_for_another_centre(world: World) -> None:
    with pytest.raises(ActionForbidden):
        services.dossier_receive(actor=world.staff["specialist"], intake=world.intake(), at=at(2026, 3, 9, 9))
    assert not Dossier.objects.exists()


# -- inter-agency processing (liên thông) ---------------------------------------------------------------------------
def test_inter_agency_hand_over_moves_the_dossier_to_the_next_unit(world: World) -> None:
    from decimal import Decimal

    from cchc.catalog import services as catalog_services
    from tests.catalog.conftest import make_draft

    draft = make_draft("2.000777", name="Thủ tục liên thông", shares=("0.5", "1", "1", "0.5"))
    steps = list(draft.process_steps.order_by("order"))
    for step, unit in zip(
        steps, [world.centre, world.justice, world.construction, world.centre], strict=True
    ):
        step.unit = unit
        step.save()
    version = catalog_services.procedure_version_publish(version=draft, valid_from=dt.date(2025, 7, 1))
    dossier = services.dossier_receive(
        actor=world.staff["reception"], intake=world.intake(procedure_version=version), at=at(2026, 3, 9, 9)
    )
    assert [s.share for s in dossier.steps.order_by("order")] == [Decimal("0.5"), 1, 1, Decimal("0.5")]
    services.dossier_hand_over(
        dossier=dossier, actor=world.staff["reception"], expected_version=dossier.version
    )
    dossier.refresh_from_db()
    services.dossier_hand_over(
        dossier=dossier, actor=world.staff["specialist"], expected_version=dossier.version
    )
    dossier.refresh_from_db()
    assert dossier.current_unit == world.construction
    # Now the construction department holds it; justice can no longer hand it on.
    with pytest.raises(ActionForbidden):
        services.dossier_hand_over(
            dossier=dossier, actor=world.staff["specialist"], expected_version=dossier.version
        )
    services.dossier_hand_over(
        dossier=dossier, actor=world.staff["other_specialist"], expected_version=dossier.version
    )
    dossier.refresh_from_db()
    assert dossier.current_unit == world.centre
    assert [(h.from_unit_id, h.to_unit_id) for h in dossier.hand_overs.all()] == [
        (world.centre.pk, world.justice.pk),
        (world.justice.pk, world.construction.pk),
        (world.construction.pk, world.centre.pk),
    ]


def test_reception_supplement_and_result_queue_notices_for_the_applicant(world: World) -> None:
    from cchc.dossiers.models import Notification

    dossier = services.dossier_receive(
        actor=world.staff["reception"], intake=world.intake(), at=at(2026, 3, 9, 9)
    )
    services.dossier_resolve(
        dossier=dossier,
        actor=world.staff["leader"],
        document_number="5/KQ",
        document_date=dt.date(2026, 3, 10),
        expected_version=dossier.version,
    )
    # The applicant of the fixture has a phone and no email: one SMS per notice.
    assert list(Notification.objects.filter(dossier=dossier).values_list("template", "channel")) == [
        ("received", "sms"),
        ("result_ready", "sms"),
    ]


def test_a_supplement_asked_at_the_counter_queues_a_notice(world: World) -> None:
    from cchc.dossiers.models import Notification

    dossier = services.dossier_request_supplement_at_reception(
        actor=world.staff["reception"],
        intake=world.intake(),
        missing=["Giấy chứng sinh"],
        reason="Thiếu",
        at=at(2026, 3, 9, 9),
    )
    assert dossier.code == "000.00.12.H99-260309-0001"
    notice = Notification.objects.get(dossier=dossier)
    assert notice.template == "supplement_needed"
    assert dossier.code in notice.body


def test_an_online_submission_alerts_the_reception_officers_at_once(world: World) -> None:
    from cchc.dossiers.models import Notification

    officer = world.staff["reception"]
    officer.email, officer.first_name, officer.last_name = "tiepnhan@example.invalid", "Trần Minh", "Khoa"
    officer.save()
    dossier = services.dossier_submit(intake=world.intake(channel=2), at=at(2026, 2, 13, 16))
    alert = Notification.objects.get(dossier=dossier, template="staff_new_online")
    assert alert.recipient == "tiepnhan@example.invalid"
    assert alert.status == "pending" and alert.next_attempt_at == at(2026, 2, 13, 16)
    # Decree 118/2025 Art. 17: accept or ask for a supplement within 8 working hours (here: after Tết).
    assert "23/02/2026 16:30" in alert.body
    assert "Trần Minh Khoa" in alert.body


@pytest.mark.parametrize(
    ("document_date", "message"),
    [
        (dt.date(2026, 3, 8), "trước ngày tiếp nhận hồ sơ \\(09/03/2026\\)"),
        (dt.date(2026, 3, 13), "sau ngày hôm nay"),
    ],
)
def test_a_result_dated_before_reception_or_in_the_future_is_refused(
    world: World, document_date: dt.date, message: str
) -> None:
    dossier = _received(world, at(2026, 3, 9, 9))
    with pytest.raises(RuleBroken, match=message):
        services.dossier_resolve(
            dossier=dossier,
            actor=world.staff["leader"],
            document_number="12/QĐ",
            document_date=document_date,
            expected_version=dossier.version,
            at=at(2026, 3, 12, 10),
        )
    _unchanged(dossier)


def test_after_review_only_the_competent_leader_refuses(world: World) -> None:
    """At reception the one-stop unit refuses (Art. 17(2)(b)); in processing it is the competent agency's
    written decision (Art. 19), sent to the applicant through the one-stop unit."""
    dossier = _received(world, at(2026, 3, 9, 9))
    for actor in (world.staff["reception"], world.staff["other_leader"], world.staff["specialist"]):
        with pytest.raises(ActionForbidden):
            services.dossier_refuse(
                dossier=dossier, actor=actor, reason="Không đủ điều kiện", expected_version=dossier.version
            )
    _unchanged(dossier)
    refused = services.dossier_refuse(
        dossier=dossier,
        actor=world.staff["leader"],
        reason="Không đủ điều kiện",
        expected_version=dossier.version,
    )
    assert refused.state == State.REFUSED


@pytest.mark.parametrize(("resolved", "on_time"), [((17, 0), True), ((17, 30), False)])
def test_on_time_compares_instants_as_the_statistics_do(
    world: World, resolved: tuple[int, int], on_time: bool
) -> None:
    """A result after closing on the due day is late (DOMAIN.md §3: end of processing ≤ appointment), though no
    working time passed: the dossier page, the statistics and the 766 index give the same verdict."""
    dossier = _received(world, at(2026, 3, 9, 9))
    appointment = Dossier.objects.get(pk=dossier.pk).original_appointment_at
    assert appointment == at(2026, 3, 12, 17)
    services.dossier_resolve(
        dossier=dossier,
        actor=world.staff["leader"],
        document_number="12/QĐ",
        document_date=dt.date(2026, 3, 12),
        expected_version=dossier.version,
        at=at(2026, 3, 12, *resolved),
    )
    assert day_counts(Dossier.objects.get(pk=dossier.pk)).on_time is on_time
