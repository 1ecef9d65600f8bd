"""/cong-dan/ho-so-cua-toi/: a signed-in citizen sees their own dossiers, and only those, without keys."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cchc.dossiers import services
from cchc.dossiers.models import Channel, Dossier, Rating
from cchc.orgs.models import Membership
from cchc.orgs.roles import Role
from cchc.portal.selectors import citizen_dossiers, is_citizen
from tests.dossiers.conftest import World, at
from tests.portal.factories import APPLICANT_ID, citizen_user, returned

pytestmark = pytest.mark.django_db

MINE = "/cong-dan/ho-so-cua-toi/"


def _submitted(world: World, citizen: Any, minute: int = 0) -> Dossier:
    return services.dossier_submit(
        intake=world.intake(channel=Channel.ONLINE, citizen=citizen), at=at(2026, 3, 9, 8, minute)
    )


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_the_citizen_login(client: Client) -> None:
    response = client.get(MINE)
    assert response.status_code == 302
    assert response["Location"] == "/cong-dan/dang-nhap/?next=/cong-dan/ho-so-cua-toi/"
    detail = client.get(f"{MINE}X-1/")
    assert detail["Location"] == "/cong-dan/dang-nhap/?next=/cong-dan/ho-so-cua-toi/X-1/"


def test_a_staff_member_is_not_a_citizen(world: World) -> None:
    officer = world.staff["reception"]
    assert not is_citizen(officer)
    response = _signed_in(officer).get(MINE)
    assert response.status_code == 403
    assert "Tài khoản cán bộ không xem được trang này" in response.content.decode()


def test_an_admin_account_is_not_a_citizen(db: None) -> None:
    admin = get_user_model().objects.create_superuser("quantri", "q@example.invalid", "mat-khau-dai-2026")
    assert _signed_in(admin).get(MINE).status_code == 403


def test_a_staff_member_who_submitted_sees_nothing_through_the_citizen_path(world: World) -> None:
    officer = world.staff["specialist"]
    dossier = _submitted(world, officer)
    assert not citizen_dossiers(officer).exists()
    assert _signed_in(officer).get(f"{MINE}{dossier.code}/").status_code == 403


def test_the_list_shows_only_the_citizens_own_dossiers(world: World) -> None:
    an, binh = citizen_user("congdan.an"), citizen_user("congdan.binh")
    mine = [_submitted(world, an, 0), _submitted(world, an, 1)]
    theirs = _submitted(world, binh, 2)
    counter = returned(world)  # received at the counter: no account
    response = _signed_in(an).get(MINE)
    html = response.content.decode()
    assert response.status_code == 200
    for dossier in mine:
        assert f'href="/cong-dan/ho-so-cua-toi/{dossier.code}/"' in html
    assert theirs.code not in html
    assert counter.code not in html
    assert "Mới tiếp nhận" in html  # the national status of an online submission waiting for reception
    assert "09/03/2026 08:01" in html
    assert APPLICANT_ID not in html
    # Newest first.
    assert html.index(mine[1].code) < html.index(mine[0].code)


def test_an_empty_list_says_so(citizen: Any) -> None:
    html = _signed_in(citizen).get(MINE).content.decode()
    assert "chưa nộp hồ sơ trực tuyến nào" in html


def test_the_list_is_paginated(world: World, citizen: Any) -> None:
    for minute in range(21):
        _submitted(world, citizen, minute)
    client = _signed_in(citizen)
    first = client.get(MINE).content.decode()
    rows = re.compile(r'href="/cong-dan/ho-so-cua-toi/[^"]+/"')  # each dossier's link, not the menu's
    assert len(rows.findall(first)) == 20
    assert "Trang 1/2" in first
    second = client.get(f"{MINE}?trang=2").content.decode()
    assert len(rows.findall(second)) == 1
    assert client.get(f"{MINE}?trang=abc").status_code == 200


def test_the_owner_opens_the_tracking_page_without_a_key(world: World, citizen: Any) -> None:
    dossier = _submitted(world, citizen)
    response = _signed_in(citizen).get(f"{MINE}{dossier.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Hồ sơ {dossier.code}" in html
    assert "Nộp hồ sơ trực tuyến" in html
    assert dossier.lookup_key not in html


def test_another_citizens_dossier_is_not_found(world: World) -> None:
    an, binh = citizen_user("congdan.an"), citizen_user("congdan.binh")
    theirs = _submitted(world, binh)
    response = _signed_in(an).get(f"{MINE}{theirs.code}/")
    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ phù hợp" in response.content.decode()
    # Nor through the tracking form with the code alone.
    assert _signed_in(an).post("/tra-cuu/", {"ma": theirs.code}).status_code == 404


def test_the_code_alone_is_not_enough_for_an_anonymous_visitor(world: World, client: Client) -> None:
    dossier = returned(world)
    response = client.post("/tra-cuu/", {"ma": dossier.code})
    assert response.status_code == 400
    assert "Vui lòng nhập mã tra cứu hoặc 4 số cuối số điện thoại." in response.content.decode()


def test_the_owner_rates_a_returned_dossier_without_a_key(world: World, citizen: Any) -> None:
    dossier = returned(world, citizen=citizen)
    client = _signed_in(citizen)
    page = client.get(f"{MINE}{dossier.code}/").content.decode()
    assert f'<input type="hidden" name="ma" value="{dossier.code}">' in page
    assert 'name="khoa"' not in page
    response = client.post("/tra-cuu/danh-gia/", {"ma": dossier.code, "muc": "satisfied"})
    assert response.status_code == 200
    assert Rating.objects.get(dossier=dossier).level == "satisfied"


def test_someone_else_cannot_rate_with_the_code_alone(world: World, citizen: Any) -> None:
    dossier = returned(world, citizen=citizen)
    other = citizen_user("congdan.khac")
    response = _signed_in(other).post("/tra-cuu/danh-gia/", {"ma": dossier.code, "muc": "not_satisfied"})
    assert response.status_code == 404
    assert not Rating.objects.exists()


def test_a_membership_that_has_ended_still_makes_a_staff_account(world: World) -> None:
    user = citizen_user("cuu.canbo")
    Membership.objects.create(
        user=user, unit=world.centre, role=Role.RECEPTION_OFFICER, valid_to=at(2020, 1, 1).date()
    )
    assert not is_citizen(user)


def test_a_verified_identity_also_sees_counter_dossiers_filed_under_its_id_number(world: World) -> None:
    from cchc.citizens.models import CitizenProfile

    counter = returned(world)  # received at the counter; the applicant's ID number is APPLICANT_ID
    stranger_counter = services.dossier_receive(
        actor=world.staff["reception"],
        intake=world.intake(applicant=services.PartyData(full_name="Người khác", id_number="079203009876")),
        at=at(2026, 3, 9, 9),
    )
    user = citizen_user()
    profile = CitizenProfile.objects.get(user=user)
    profile.id_number = APPLICANT_ID
    profile.save()
    # Typed but not verified: anyone could type someone else's number, so nothing more is shown.
    assert list(citizen_dossiers(user)) == []
    assert _signed_in(user).get(f"{MINE}{counter.code}/").status_code == 404
    profile.identity_verified = True
    profile.save()
    assert [d.code for d in citizen_dossiers(user)] == [counter.code]
    assert _signed_in(user).get(f"{MINE}{counter.code}/").status_code == 200
    assert _signed_in(user).get(f"{MINE}{stranger_counter.code}/").status_code == 404
