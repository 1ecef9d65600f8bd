"""Staff sign-in through the identity provider (cchc.orgs.oidc), against the local fake provider: only an active
staff account with a role, whose administrator recorded the officer's identification number, comes in; the
provider's account is then linked for good."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest
import requests
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client

from cchc.orgs.models import Membership, StaffIdentity
from tests.citizens.fake_oidc import FakeOidcProvider
from tests.dossiers.conftest import World

pytestmark = pytest.mark.django_db

START = "/can-bo/dang-nhap/vneid/"
CALLBACK = "/can-bo/dang-nhap/vneid/callback/"


def _flow(client: Client, query: str = "") -> Any:
    start = client.get(START + query)
    assert start.status_code == 302, start.content
    answer = requests.get(str(start["Location"]), allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlparse(answer.headers["Location"])
    assert back.path == CALLBACK
    return client.get(f"{back.path}?{back.query}")


def _officer(world: World, id_number: str = "079190001234", **user: Any) -> Any:
    officer = world.staff["specialist"]
    for key, value in user.items():
        setattr(officer, key, value)
    officer.save()
    StaffIdentity.objects.create(user=officer, id_number=id_number)
    return officer


def test_without_configuration_the_button_is_hidden_and_the_urls_are_404(client: Client) -> None:
    assert "staff-oidc" not in client.get("/can-bo/dang-nhap/").content.decode()
    assert client.get(START).status_code == 404
    assert client.get(CALLBACK).status_code == 404


def test_an_officer_with_a_recorded_number_signs_in_and_is_linked(
    world: World, oidc: FakeOidcProvider, client: Client
) -> None:
    assert 'id="staff-oidc"' in client.get("/can-bo/dang-nhap/").content.decode()
    officer = _officer(world)
    answer = _flow(client, "?next=/can-bo/ho-so/")
    assert answer.status_code == 302 and answer["Location"] == "/can-bo/ho-so/"
    assert int(client.session[SESSION_KEY]) == officer.pk
    record = StaffIdentity.objects.get(user=officer)
    assert (record.issuer, record.subject) == (oidc.issuer, "vneid-0001") and record.verified_at is not None
    # Later, the link decides, even when the provider's number has changed.
    client.logout()
    oidc.claims["cccd"] = "079190009999"
    assert _flow(client).status_code == 302 and int(client.session[SESSION_KEY]) == officer.pk


def test_an_unknown_person_or_a_citizen_is_refused(
    world: World, oidc: FakeOidcProvider, client: Client
) -> None:
    answer = _flow(client)
    assert answer.status_code == 403
    assert "chưa được gắn với tài khoản cán bộ nào" in answer.content.decode()
    assert SESSION_KEY not in client.session


def test_a_number_already_linked_to_another_provider_account_is_refused(
    world: World, oidc: FakeOidcProvider, client: Client
) -> None:
    _officer(world)
    StaffIdentity.objects.filter(id_number="079190001234").update(issuer=oidc.issuer, subject="vneid-khac")
    answer = _flow(client)
    assert answer.status_code == 403 and "đã gắn với một tài khoản định danh khác" in answer.content.decode()


@pytest.mark.parametrize("change", ["inactive", "no_role"])
def test_a_locked_account_or_one_without_a_role_is_refused(
    world: World, oidc: FakeOidcProvider, client: Client, change: str
) -> None:
    officer = _officer(world, is_active=change != "inactive")
    if change == "no_role":
        Membership.objects.filter(user=officer).delete()
    answer = _flow(client)
    assert answer.status_code == 403 and "đang bị khóa hoặc chưa được giao vai trò" in answer.content.decode()
    assert SESSION_KEY not in client.session


def test_a_callback_without_its_flow_or_with_a_wrong_state_is_refused(
    world: World, oidc: FakeOidcProvider, client: Client
) -> None:
    _officer(world)
    assert client.get(CALLBACK + "?code=x&state=y").status_code == 400
    start = client.get(START)
    answer = requests.get(str(start["Location"]), allow_redirects=False, timeout=5)
    back = urlparse(answer.headers["Location"])
    forged = back.query.replace("state=", "state=sai")
    assert client.get(f"{back.path}?{forged}").status_code == 400
    assert SESSION_KEY not in client.session


def test_the_admin_shows_the_identity_on_the_user_page(world: World, client: Client) -> None:
    officer = _officer(world)
    admin = get_user_model().objects.create_superuser("quantri", password="mat-khau-dai-2026")
    client.force_login(admin)
    page = client.get(f"/admin/auth/user/{officer.pk}/change/").content.decode()
    assert "079190001234" in page and "Định danh cán bộ" in page
