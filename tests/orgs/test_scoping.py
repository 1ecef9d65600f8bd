"""Who sees which units (cchc.orgs.scoping): the one permission helper."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cchc.orgs.models import Counter, Membership, Unit
from cchc.orgs.roles import Role
from cchc.orgs.scoping import has_role, roles_of, unit_scope_q, units_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(make_unit: Any) -> dict[str, Unit]:
    """UBND tỉnh → Sở Tư pháp → Phòng Hộ tịch → Tổ Lý lịch; UBND tỉnh → Sở Xây dựng."""
    committee = make_unit("UBND tỉnh Thử", kind="province_committee")
    justice = make_unit("Sở Tư pháp", parent=committee)
    registry = make_unit("Phòng Hộ tịch", kind="branch", parent=justice)
    records = make_unit("Tổ Lý lịch", kind="branch", parent=registry)
    construction = make_unit("Sở Xây dựng", parent=committee)
    return {
        "committee": committee,
        "justice": justice,
        "registry": registry,
        "records": records,
        "construction": construction,
    }


@pytest.fixture
def staff(django_user_model: Any) -> Any:
    def make(username: str, **extra: Any) -> Any:
        return django_user_model.objects.create(username=username, **extra)

    return make


def _grant(user: Any, unit: Unit, role: str, **dates: dt.date | None) -> Membership:
    return Membership.objects.create(user=user, unit=unit, role=role, **dates)


def _names(user: Any) -> set[str]:
    return set(units_visible_to(user).values_list("name", flat=True))


def test_anonymous_sees_no_unit(tree: dict[str, Unit]) -> None:
    assert _names(AnonymousUser()) == set()
    assert not Counter.objects.filter(unit_scope_q(AnonymousUser())).exists()


def test_inactive_user_sees_nothing_even_with_a_membership(tree: dict[str, Unit], staff: Any) -> None:
    user = staff("nghiviec", is_active=False)
    _grant(user, tree["justice"], Role.SPECIALIST)
    assert _names(user) == set()
    assert roles_of(user) == set()


def test_user_without_membership_sees_nothing(tree: dict[str, Unit], staff: Any) -> None:
    assert _names(staff("moi")) == set()


def test_superuser_sees_every_unit(tree: dict[str, Unit], staff: Any) -> None:
    assert _names(staff("root", is_superuser=True)) == {unit.name for unit in tree.values()}


@pytest.mark.parametrize("role", [Role.HOME_AFFAIRS, Role.PROVINCE_ADMIN])
def test_province_wide_role_sees_every_unit(tree: dict[str, Unit], staff: Any, role: str) -> None:
    user = staff("tinh")
    _grant(user, tree["construction"], role)
    assert _names(user) == {unit.name for unit in tree.values()}


@pytest.mark.parametrize("role", [Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.LEADER, Role.UNIT_ADMIN])
def test_unit_role_sees_its_unit_and_all_descendants_only(
    tree: dict[str, Unit], staff: Any, role: str
) -> None:
    user = staff("tuphap")
    _grant(user, tree["justice"], role)
    assert _names(user) == {"Sở Tư pháp", "Phòng Hộ tịch", "Tổ Lý lịch"}


def test_member_of_a_branch_does_not_see_its_parent(tree: dict[str, Unit], staff: Any) -> None:
    user = staff("hotich")
    _grant(user, tree["registry"], Role.SPECIALIST)
    assert _names(user) == {"Phòng Hộ tịch", "Tổ Lý lịch"}


def test_memberships_in_two_units_add_up(tree: dict[str, Unit], staff: Any) -> None:
    user = staff("kiemnhiem")
    _grant(user, tree["records"], Role.SPECIALIST)
    _grant(user, tree["construction"], Role.LEADER)
    assert _names(user) == {"Tổ Lý lịch", "Sở Xây dựng"}


def test_expired_membership_gives_nothing(tree: dict[str, Unit], staff: Any) -> None:
    user = staff("cu")
    _grant(user, tree["justice"], Role.SPECIALIST, valid_to=timezone.localdate() - dt.timedelta(days=1))
    assert _names(user) == set()
    assert roles_of(user) == set()


def test_future_membership_gives_nothing_yet(tree: dict[str, Unit], staff: Any) -> None:
    user = staff("sap")
    _grant(user, tree["justice"], Role.SPECIALIST, valid_from=timezone.localdate() + dt.timedelta(days=1))
    assert _names(user) == set()


def test_membership_ending_today_still_counts(tree: dict[str, Unit], staff: Any) -> None:
    user = staff("homnay")
    _grant(user, tree["justice"], Role.SPECIALIST, valid_to=timezone.localdate())
    assert "Sở Tư pháp" in _names(user)


def test_validity_is_judged_by_the_date_in_vietnam(
    tree: dict[str, Unit], staff: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 17:30 UTC on 30/06 is already 00:30 on 01/07 in Hà Nội: a membership ending 30/06 is over.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 6, 30, 17, 30, tzinfo=dt.UTC))
    user = staff("nuadem")
    _grant(user, tree["justice"], Role.SPECIALIST, valid_to=dt.date(2026, 6, 30))
    assert _names(user) == set()


def test_scope_filter_works_on_any_model_with_a_unit_key(tree: dict[str, Unit], staff: Any) -> None:
    Counter.objects.create(unit=tree["registry"], number=1, name="Quầy hộ tịch")
    Counter.objects.create(unit=tree["construction"], number=1, name="Quầy xây dựng")
    user = staff("quay")
    _grant(user, tree["justice"], Role.RECEPTION_OFFICER)
    visible = Counter.objects.filter(unit_scope_q(user, field="unit"))
    assert list(visible.values_list("name", flat=True)) == ["Quầy hộ tịch"]


def test_scope_takes_at_most_two_queries(
    tree: dict[str, Unit], staff: Any, django_assert_max_num_queries: Any
) -> None:
    user = staff("nhanh")
    _grant(user, tree["justice"], Role.LEADER)
    with django_assert_max_num_queries(2):
        assert len(list(units_visible_to(user))) == 3
    with django_assert_max_num_queries(1):  # memberships are kept on the user for the request
        assert Counter.objects.filter(unit_scope_q(user)).count() == 0


def test_roles_of_lists_current_roles_only(tree: dict[str, Unit], staff: Any) -> None:
    user = staff("nhieuvaitro")
    _grant(user, tree["justice"], Role.SPECIALIST)
    _grant(user, tree["construction"], Role.LEADER, valid_to=dt.date(2020, 1, 1))
    assert roles_of(user) == {Role.SPECIALIST}


def test_has_role_in_own_unit_and_descendants_but_not_elsewhere(tree: dict[str, Unit], staff: Any) -> None:
    user = staff("lanhdao")
    _grant(user, tree["justice"], Role.LEADER)
    assert has_role(user, Role.LEADER)
    assert has_role(user, Role.LEADER, tree["justice"])
    assert has_role(user, Role.LEADER, tree["records"])
    assert not has_role(user, Role.LEADER, tree["construction"])
    assert not has_role(user, Role.LEADER, tree["committee"])
    assert not has_role(user, Role.SPECIALIST, tree["justice"])


def test_province_wide_role_applies_to_every_unit(tree: dict[str, Unit], staff: Any) -> None:
    user = staff("noivu")
    _grant(user, tree["justice"], Role.HOME_AFFAIRS)
    assert has_role(user, Role.HOME_AFFAIRS, tree["construction"])
    assert not has_role(user, Role.LEADER, tree["construction"])


def test_anonymous_and_superuser_roles(tree: dict[str, Unit], staff: Any) -> None:
    assert not has_role(AnonymousUser(), Role.SPECIALIST)
    assert roles_of(AnonymousUser()) == set()
    assert has_role(staff("root", is_superuser=True), Role.LEADER, tree["construction"])
