"""Who counts as a citizen, the citizen_required decorator, and what citizens may not open."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from cchc.citizens.access import citizen_required, is_citizen
from cchc.citizens.models import CitizenProfile
from tests.citizens.conftest import PROFILE, enter_code, last_sms_code, make_citizen, request_code
from tests.dossiers.fake_sms_gateway import FakeSmsGateway

pytestmark = pytest.mark.django_db


def test_a_user_with_a_profile_and_no_staff_rights_is_a_citizen() -> None:
    assert is_citizen(make_citizen())


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_staff_rights_make_an_account_no_citizen(flag: str) -> None:
    user = make_citizen()
    setattr(user, flag, True)
    assert not is_citizen(user)


def test_inactive_anonymous_and_profile_less_users_are_no_citizens() -> None:
    inactive = make_citizen()
    inactive.is_active = False
    assert not is_citizen(inactive)
    assert not is_citizen(AnonymousUser())
    assert not is_citizen(None)
    assert not is_citizen(get_user_model().objects.create_user("canbo", password="mat-khau-dai-2026"))


def test_citizen_required_sends_others_to_the_citizen_login_with_next() -> None:
    view = citizen_required(lambda request: None)  # type: ignore[arg-type,return-value]
    request = RequestFactory().get("/cong-dan/ho-so/?trang=2")
    request.user = AnonymousUser()
    response: Any = view(request)
    assert response.status_code == 302
    assert response["Location"] == "/cong-dan/dang-nhap/?next=%2Fcong-dan%2Fho-so%2F%3Ftrang%3D2"


def test_staff_member_is_sent_to_the_citizen_login_from_the_profile(client: Client) -> None:
    client.force_login(get_user_model().objects.create_user("canbo", password="mat-khau-dai-2026"))
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith("/cong-dan/dang-nhap/?next=")


@pytest.fixture
def citizen_client(client: Client, sms: FakeSmsGateway) -> Client:
    """A citizen signed in the real way: a code by SMS."""
    request_code(client, "0912345678")
    enter_code(client, last_sms_code(sms))
    return client


def test_signing_up_never_grants_staff_rights(citizen_client: Client) -> None:
    user = CitizenProfile.objects.get().user
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert not user.user_permissions.exists() and not user.groups.exists()


@pytest.mark.parametrize("path", ["/can-bo/ho-so/", "/can-bo/tiep-nhan/", "/can-bo/so-theo-doi/"])
def test_citizens_cannot_open_staff_pages(citizen_client: Client, path: str) -> None:
    assert citizen_client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/admin/", "/admin/citizens/citizenprofile/", "/admin/auth/user/"])
def test_citizens_cannot_open_the_admin(citizen_client: Client, path: str) -> None:
    response = citizen_client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
