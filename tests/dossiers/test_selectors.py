"""Dossier selectors: who sees which dossier, the worklists, and the read of one dossier. That the read is logged
(Decree 13/2023) is tested in tests/security/test_access_log.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from cchc.dossiers import services
from cchc.dossiers.models import Dossier, DossierStep, State
from cchc.dossiers.selectors import dossier_for, dossiers_visible_to, worklist
from cchc.orgs.models import Membership
from cchc.orgs.roles import Role
from tests.dossiers.conftest import World, at

pytestmark = pytest.mark.django_db

MONDAY = at(2026, 3, 9, 9)  # received then, the appointment is Thursday 12/03/2026 17:00


def _received(world: World, moment: dt.datetime = MONDAY, **intake: Any) -> Dossier:
    return services.dossier_receive(actor=world.staff["reception"], intake=world.intake(**intake), at=moment)


def _codes(rows: Any) -> list[str]:
    return [row.code for row in rows]


def _user_with(role: str, world: World, username: str) -> Any:
    user = get_user_model().objects.create_user(username, password="mat-khau-dai-2026")
    Membership.objects.create(user=user, unit=world.centre, role=role)
    return user


# -- scope ---------------------------------------------------------------------------------------------------------
def test_the_competent_department_and_the_receiving_centre_see_the_dossier(world: World) -> None:
    dossier = _received(world)
    assert list(dossiers_visible_to(world.staff["specialist"])) == [dossier]
    assert list(dossiers_visible_to(world.staff["reception"])) == [dossier]


def test_another_department_sees_nothing_of_it(world: World) -> None:
    _received(world)
    assert not dossiers_visible_to(world.staff["other_specialist"]).exists()
    assert not dossiers_visible_to(world.staff["other_leader"]).exists()


def test_anonymous_sees_nothing(world: World) -> None:
    _received(world)
    assert not dossiers_visible_to(AnonymousUser()).exists()


@pytest.mark.parametrize("role", [Role.HOME_AFFAIRS, Role.PROVINCE_ADMIN])
def test_home_affairs_and_province_admins_see_every_dossier(world: World, role: str) -> None:
    first = _received(world)
    second = _received(world, competent_unit=world.construction)
    viewer = _user_with(role, world, f"tinh.{role}")
    assert set(dossiers_visible_to(viewer)) == {first, second}


def test_a_dossier_routed_to_another_department_becomes_visible_to_it_and_stays_visible(world: World) -> None:
    dossier = _received(world)
    # Inter-agency processing (liên thông): the second step of this dossier is the construction department's.
    DossierStep.objects.filter(dossier=dossier, order=2).update(unit=world.construction)
    outsider = world.staff["other_specialist"]
    assert not dossiers_visible_to(outsider).exists()

    services.dossier_hand_over(
        dossier=dossier,
        actor=world.staff["reception"],
        expected_version=dossier.version,
        at=at(2026, 3, 9, 10),
    )
    assert list(dossiers_visible_to(outsider)) == [dossier]

    dossier.refresh_from_db()
    services.dossier_hand_over(
        dossier=dossier, actor=outsider, expected_version=dossier.version, at=at(2026, 3, 10, 10)
    )
    dossier.refresh_from_db()
    assert dossier.current_unit == world.justice
    # No longer held there, but its step was: the department keeps seeing what it handled.
    assert list(dossiers_visible_to(outsider)) == [dossier]


def test_each_dossier_appears_once_although_several_rules_match(world: World) -> None:
    _received(world)
    assert dossiers_visible_to(world.staff["reception"]).count() == 1


# -- worklists -----------------------------------------------------------------------------------------------------
def test_due_soon_holds_processing_dossiers_due_within_one_working_day(world: World) -> None:
    dossier = _received(world)
    user = world.staff["specialist"]
    assert _codes(worklist(user=user, kind="due_soon", now=at(2026, 3, 9, 10)).rows) == []
    assert _codes(worklist(user=user, kind="due_soon", now=at(2026, 3, 11, 10)).rows) == [dossier.code]
    assert _codes(worklist(user=user, kind="due_soon", now=at(2026, 3, 12, 16)).rows) == [dossier.code]
    assert _codes(worklist(user=user, kind="due_soon", now=at(2026, 3, 12, 18)).rows) == []


def test_overdue_holds_processing_dossiers_past_their_appointment(world: World) -> None:
    dossier = _received(world)
    user = world.staff["specialist"]
    assert worklist(user=user, kind="overdue", now=at(2026, 3, 12, 16)).rows == []
    (row,) = worklist(user=user, kind="overdue", now=at(2026, 3, 13, 10)).rows
    assert row.code == dossier.code
    assert row.overdue is True
    assert row.days_left == -1  # one working day late


def test_a_resolved_dossier_is_not_overdue_but_ready_to_return(world: World) -> None:
    dossier = _received(world)
    services.dossier_resolve(
        dossier=dossier,
        actor=world.staff["leader"],
        document_number="12/GKS",
        document_date=dt.date(2026, 3, 11),
        expected_version=dossier.version,
        at=at(2026, 3, 11, 15),
    )
    user = world.staff["reception"]
    assert worklist(user=user, kind="overdue", now=at(2026, 3, 20, 10)).rows == []
    assert _codes(worklist(user=user, kind="ready_to_return", now=at(2026, 3, 20, 10)).rows) == [dossier.code]


def test_waiting_citizen_holds_both_kinds_of_supplement(world: World) -> None:
    at_reception = services.dossier_request_supplement_at_reception(
        actor=world.staff["reception"],
        intake=world.intake(),
        missing=["Tờ khai"],
        reason="Thiếu tờ khai",
        at=MONDAY,
    )
    in_processing = _received(world)
    services.dossier_request_supplement(
        dossier=in_processing,
        actor=world.staff["specialist"],
        missing=["Bản sao giấy chứng sinh"],
        reason="Thiếu giấy chứng sinh",
        expected_version=in_processing.version,
        at=at(2026, 3, 10, 9),
    )
    _received(world)  # still processing: not waiting
    rows = worklist(user=world.staff["reception"], kind="waiting_citizen", now=at(2026, 3, 10, 10)).rows
    assert {row.code for row in rows} == {at_reception.code, in_processing.code}
    assert {row.state for row in rows} == {State.RECEPTION_SUPPLEMENT, State.PROCESSING_SUPPLEMENT}


def test_mine_holds_the_open_dossiers_assigned_to_the_user(world: World) -> None:
    mine = _received(world)
    _received(world)
    services.dossier_hand_over(
        dossier=mine,
        actor=world.staff["reception"],
        to_user=world.staff["specialist"],
        expected_version=mine.version,
        at=at(2026, 3, 9, 10),
    )
    assert _codes(worklist(user=world.staff["specialist"], kind="mine", now=at(2026, 3, 9, 11)).rows) == [
        mine.code
    ]
    assert worklist(user=world.staff["leader"], kind="mine", now=at(2026, 3, 9, 11)).rows == []


def test_unit_holds_the_dossiers_now_in_the_users_units(world: World) -> None:
    moved = _received(world)
    stays = _received(world)
    services.dossier_hand_over(
        dossier=moved, actor=world.staff["reception"], expected_version=moved.version, at=at(2026, 3, 9, 10)
    )
    now = at(2026, 3, 9, 11)
    assert _codes(worklist(user=world.staff["specialist"], kind="unit", now=now).rows) == [moved.code]
    assert _codes(worklist(user=world.staff["reception"], kind="unit", now=now).rows) == [stays.code]
    assert worklist(user=world.staff["other_specialist"], kind="unit", now=now).rows == []


def test_rows_are_ordered_by_appointment_and_carry_the_masked_id(world: World) -> None:
    later = _received(world, moment=at(2026, 3, 10, 9))
    sooner = _received(world, moment=MONDAY)
    page = worklist(user=world.staff["specialist"], kind="unit", now=MONDAY)
    assert page.rows == []  # both are still at the centre
    rows = worklist(user=world.staff["reception"], kind="unit", now=at(2026, 3, 10, 10)).rows
    assert _codes(rows) == [sooner.code, later.code]
    row = rows[0]
    assert row.applicant_name == "Nguyễn Văn An"
    assert row.applicant_id_masked == "079******234"
    assert "079203001234" not in repr(rows)
    assert row.procedure_name == world.version.name
    assert row.current_unit_name == world.centre.name
    assert row.state_label == str(State.PROCESSING.label)
    assert row.appointment_at == at(2026, 3, 12, 17)
    assert row.days_left == 2
    assert row.overdue is False


def test_pages_say_whether_more_follow(world: World) -> None:
    for _ in range(3):
        _received(world)
    user = world.staff["reception"]
    first = worklist(user=user, kind="unit", per_page=2, now=MONDAY)
    second = worklist(user=user, kind="unit", page=2, per_page=2, now=MONDAY)
    assert (len(first.rows), first.has_next) == (2, True)
    assert (len(second.rows), second.has_next) == (1, False)
    assert not set(_codes(first.rows)) & set(_codes(second.rows))


def test_the_worklist_reads_its_rows_in_one_query_however_many(
    world: World, django_assert_num_queries: Any
) -> None:
    user = world.staff["reception"]
    _received(world)
    worklist(user=user, kind="unit", now=MONDAY)  # reads the user's memberships and the calendar once
    with django_assert_num_queries(1):
        worklist(user=user, kind="unit", now=MONDAY)
    for _ in range(5):
        _received(world, applicant=services.PartyData(full_name="Trần Thị Bình", id_number="001301000999"))
    with django_assert_num_queries(1):
        page = worklist(user=user, kind="unit", now=MONDAY)
    assert len(page.rows) == 6


# -- one dossier ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["", "KHONG-CO", "x" * 500])
def test_dossier_for_an_unknown_code_is_not_found(world: World, code: str) -> None:
    with pytest.raises(Http404):
        dossier_for(world.staff["specialist"], code)
