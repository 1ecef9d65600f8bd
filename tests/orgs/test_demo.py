"""The demo province (cchc.orgs.demo): An Giang's agencies, centres, counters and staff logins."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from cchc.orgs.demo import DEMO_PASSWORD, DEPARTMENTS, DemoProvince, demo_province_create
from cchc.orgs.models import Counter, Membership, Unit, UnitKind
from cchc.orgs.roles import Role
from cchc.orgs.scoping import units_visible_to
from cchc.orgs.services import LoadReport

pytestmark = pytest.mark.django_db

IDENTIFIER = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.H\d{2}$")  # QCVN 102:2016 shape V1V2V3.Z1Z2.Y1Y2.MX1X2


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    # Demo passwords are hashed with Argon2 in real use; a fast hasher keeps these tests quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(loaded_units: LoadReport) -> DemoProvince:
    return demo_province_create()


def _snapshot() -> tuple[list[Any], ...]:
    user_model = get_user_model()
    return (
        list(Unit.objects.order_by("pk").values()),
        list(Counter.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        list(user_model.objects.order_by("pk").values()),
    )


def test_demo_creates_the_province_committee_departments_and_centre(demo: DemoProvince) -> None:
    assert demo.province.name == "Tỉnh An Giang"
    assert demo.committee.name == "Ủy ban nhân dân tỉnh An Giang"
    assert len(demo.departments) == len(DEPARTMENTS)
    names = {unit.name for unit in demo.departments.values()}
    assert {
        "Sở Tư pháp tỉnh An Giang",
        "Sở Nông nghiệp và Môi trường tỉnh An Giang",
        "Thanh tra tỉnh An Giang",
    } <= names
    assert all(unit.parent_id == demo.committee.pk for unit in demo.departments.values())
    assert demo.centre.name == "Trung tâm Phục vụ hành chính công tỉnh An Giang"
    assert demo.centre.counters.count() >= 5


def test_every_commune_gets_a_committee_and_a_centre_with_a_counter(demo: DemoProvince) -> None:
    assert len(demo.commune_committees) == len(demo.commune_centres) == 102
    assert Unit.objects.filter(kind=UnitKind.COMMUNE_CENTRE, counters__number=1).count() == 102
    long_xuyen = next(u for u in demo.commune_committees if u.area.code == 30307)
    assert long_xuyen.name == "Ủy ban nhân dân phường Long Xuyên"
    centre = next(u for u in demo.commune_centres if u.parent_id == long_xuyen.pk)
    assert centre.name == "Trung tâm Phục vụ hành chính công phường Long Xuyên"
    assert any(u.name == "Ủy ban nhân dân đặc khu Phú Quốc" for u in demo.commune_committees)


def test_identifiers_have_the_qcvn_102_shape_and_are_unique(demo: DemoProvince) -> None:
    identifiers = list(Unit.objects.values_list("identifier", flat=True))
    assert len(identifiers) == 1 + len(DEPARTMENTS) + 1 + 2 * 102
    assert all(IDENTIFIER.match(identifier) for identifier in identifiers)
    assert len(set(identifiers)) == len(identifiers)
    assert demo.committee.identifier == "000.00.00.H91"


def test_running_twice_changes_nothing(demo: DemoProvince) -> None:
    before = _snapshot()
    again = demo_province_create()
    assert (again.created, again.updated) == (0, 0)
    assert _snapshot() == before
    assert again.logins == demo.logins


def test_every_role_has_a_demo_login_that_works(demo: DemoProvince) -> None:
    assert {login.role for login in demo.logins} == {str(role.label) for role in Role}
    for login in demo.logins:
        assert login.password == DEMO_PASSWORD
        user = authenticate(username=login.username, password=login.password)
        assert user is not None, login.username
        assert user.get_full_name()  # a real-looking Vietnamese name


def test_demo_staff_names_and_usernames(demo: DemoProvince) -> None:
    usernames = {login.username for login in demo.logins}
    assert {
        "tiepnhan.tinh",
        "tiepnhan.longxuyen",
        "chuyenvien.tuphap",
        "lanhdao.xaydung",
        "quantri.tinh",
    } <= usernames
    reception = get_user_model().objects.get(username="tiepnhan.tinh")
    assert reception.get_full_name() == "Nguyễn Thị Thu Hà"
    membership = Membership.objects.get(user=reception)
    assert membership.counter is not None and membership.counter.unit_id == demo.centre.pk


def _visible(username: str) -> set[str]:
    return set(
        units_visible_to(get_user_model().objects.get(username=username)).values_list("name", flat=True)
    )


def test_justice_specialist_does_not_see_construction(demo: DemoProvince) -> None:
    visible = _visible("chuyenvien.tuphap")
    assert visible == {"Sở Tư pháp tỉnh An Giang"}
    assert "Sở Xây dựng tỉnh An Giang" not in visible


def test_commune_reception_officer_sees_only_their_centre(demo: DemoProvince) -> None:
    assert _visible("tiepnhan.longxuyen") == {"Trung tâm Phục vụ hành chính công phường Long Xuyên"}


@pytest.mark.parametrize("username", ["noivu.tinh", "quantri.tinh"])
def test_province_wide_demo_staff_see_every_unit(demo: DemoProvince, username: str) -> None:
    assert len(_visible(username)) == Unit.objects.count()


def test_demo_command_prints_the_logins(loaded_units: LoadReport) -> None:
    out = StringIO()
    call_command("demo_province", stdout=out)
    text = out.getvalue()
    assert "Tỉnh An Giang: 14 sở, ngành; 102 xã, phường, đặc khu" in text
    assert f"tiepnhan.tinh / {DEMO_PASSWORD}" in text
