"""CSRF (check 4): a state-changing POST without the CSRF token is refused with 403 and changes nothing, on the
pages (Django's CsrfViewMiddleware) and on the session-authenticated API /api/v1/ (django-ninja's SessionAuth
checks the token itself). Every client here is created with enforce_csrf_checks=True; the same request with the
token goes through, so the 403 is the token's doing.

`test_no_route_takes_a_post_without_the_token` walks every URL of tests/security/matrix.py. The two views exempt
from the middleware are listed there with their answer: the payment gateway's IPN (GET only, signed by the
gateway; tests/payments/test_ipn.py::test_the_ipn_needs_no_csrf_token) and the demo's test gateway, which checks
the token itself when it is on (tests/payments/test_sandbox.py::test_a_post_without_the_csrf_token_is_refused).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.test import Client
from django.urls import reverse

from cchc.dossiers import services
from cchc.dossiers.models import Dossier, Rating, State
from tests.dossiers.conftest import World
from tests.portal.factories import returned
from tests.security.conftest import Now
from tests.security.matrix import ROUTES
from tests.security.scene import CALLERS, PASSWORD, Scene, build

pytestmark = pytest.mark.django_db

TOKEN = "a" * 32  # a CSRF secret as Django keeps it in the cookie; the same value is a valid token
API = "/api/v1/dossiers"


def _strict(user: Any = None, *, token: bool = False) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    if token:
        client.cookies["csrftoken"] = TOKEN
    return client


def _json(client: Client, url: str, body: Any, **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def _at_justice(world: World, now: Now) -> Dossier:
    """A dossier received now, handed over to the justice department's specialist ten minutes later."""
    dossier = services.dossier_receive(actor=world.staff["reception"], intake=world.intake())
    now.advance(minutes=10)
    services.dossier_hand_over(dossier=dossier, actor=world.staff["reception"], to_user=world.staff["specialist"],
                               note="", expected_version=dossier.version)  # fmt: skip
    now.advance(minutes=10)
    return Dossier.objects.get(pk=dossier.pk)


# -- one page, the API, the sign-in -------------------------------------------------------------------------------
def test_api_posts_need_the_csrf_token(world: World, now: Now) -> None:
    dossier = _at_justice(world, now)
    client = _strict(world.staff["leader"])
    body = {"expected_version": Dossier.objects.get(pk=dossier.pk).version, "reason": "Theo đề nghị"}
    url = f"{API}/{dossier.code}/actions/stop"
    refused = _json(client, url, body)
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert Dossier.objects.get(pk=dossier.pk).state == State.PROCESSING

    client.cookies["csrftoken"] = TOKEN
    response = _json(client, url, body, X_CSRFToken=TOKEN)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == State.STOPPED


def test_api_intake_needs_the_csrf_token(world: World, now: Now) -> None:
    body = {
        "procedure_code": world.version.procedure.code,
        "receiving_unit_id": world.centre.pk,
        "competent_unit_id": world.justice.pk,
        "applicant": {"full_name": "Nguyễn Văn An"},
        "provided_component_ids": list(world.version.components.values_list("pk", flat=True)),
        "outcome": "receive",
    }
    client = _strict(world.staff["reception"])
    assert _json(client, API, body, Idempotency_Key="lan-1").status_code == 403
    assert not Dossier.objects.exists()
    client.cookies["csrftoken"] = TOKEN
    assert _json(client, API, body, Idempotency_Key="lan-1", X_CSRFToken=TOKEN).status_code == 201
    assert Dossier.objects.count() == 1


def test_a_staff_page_action_needs_the_csrf_token(world: World, now: Now) -> None:
    dossier = _at_justice(world, now)
    url = f"/can-bo/ho-so/{dossier.code}/thao-tac/stop/"
    form = {"stop-expected_version": dossier.version, "stop-reason": "Theo đề nghị"}
    client = _strict(world.staff["leader"])
    refused = client.post(url, form)
    assert refused.status_code == 403
    assert Dossier.objects.get(pk=dossier.pk).state == State.PROCESSING

    client.cookies["csrftoken"] = TOKEN
    done = client.post(url, {**form, "csrfmiddlewaretoken": TOKEN})
    assert done.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).state == State.STOPPED


def test_a_token_that_does_not_match_the_cookie_is_refused(world: World, now: Now) -> None:
    dossier = _at_justice(world, now)
    client = _strict(world.staff["leader"], token=True)
    url = f"/can-bo/ho-so/{dossier.code}/thao-tac/stop/"
    form = {"stop-expected_version": dossier.version, "stop-reason": "Theo đề nghị"}
    assert client.post(url, {**form, "csrfmiddlewaretoken": "b" * 32}).status_code == 403
    body = {"expected_version": dossier.version, "reason": "Theo đề nghị"}
    assert _json(client, f"{API}/{dossier.code}/actions/stop", body, X_CSRFToken="b" * 32).status_code == 403
    assert Dossier.objects.get(pk=dossier.pk).state == State.PROCESSING


def test_rating_needs_the_csrf_token(world: World, now: Now) -> None:
    dossier = returned(world)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/tra-cuu/danh-gia/", {"ma": dossier.code, "khoa": dossier.lookup_key, "muc": "satisfied"}
    )
    assert response.status_code == 403
    assert not Rating.objects.exists()


def test_signing_in_and_out_need_the_csrf_token(world: World) -> None:
    """A forged sign-in would put the victim in the attacker's account; a forged sign-out is a nuisance."""
    client = _strict()
    credentials = {"username": "lanhdao.tuphap", "password": PASSWORD}
    assert client.post("/can-bo/dang-nhap/", credentials).status_code == 403
    assert SESSION_KEY not in client.session
    client.cookies["csrftoken"] = TOKEN
    assert client.post("/can-bo/dang-nhap/", {**credentials, "csrfmiddlewaretoken": TOKEN}).status_code == 302
    assert client.session[SESSION_KEY] == str(world.staff["leader"].pk)

    client.cookies.pop("csrftoken")
    assert client.post("/can-bo/dang-xuat/").status_code == 403
    assert client.session[SESSION_KEY] == str(world.staff["leader"].pk)
    citizen = _strict()
    assert citizen.post("/cong-dan/dang-nhap/", {"contact": "0912345678"}).status_code == 403


# -- every route ----------------------------------------------------------------------------------------------------
# The views exempt from the middleware, and what a POST without the token gets from them.
EXEMPT = {
    "payments-ipn": 405,  # GET only; the gateway signs what it sends
    "payments-sandbox": 404,  # off unless CCHC_PAYMENT_SANDBOX; then it checks the token itself
}


def _caller(name: str) -> str:
    """The first caller the matrix lets through (answered, or refused on content), else nobody signed in."""
    for who, letter in zip(CALLERS, ROUTES[name].expect, strict=True):
        if letter in "OV":
            return who
    return "anonymous"


def _url_and_body(name: str, scene: Scene) -> tuple[str, dict[str, Any]]:
    route = ROUTES[name]
    kwargs = {
        key: value[1:] if value.startswith("=") else scene.ids[value] for key, value in route.kwargs.items()
    }
    url = reverse(name, kwargs=kwargs)
    if route.query:
        url = f"{url}?{route.query}"

    def resolve(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: resolve(item) for key, item in value.items()}
        if isinstance(value, list):
            return [resolve(item) for item in value]
        return scene.ids[value[1:]] if isinstance(value, str) and value.startswith("@") else value

    return url, resolve(route.data or {})


def _post(name: str, scene: Scene, who: str, *, token: bool) -> Any:
    route = ROUTES[name]
    client = _strict(scene.users[who], token=token)
    headers = {"X_CSRFToken": TOKEN} if token else {}
    with transaction.atomic():
        url, body = _url_and_body(name, scene)
        if route.json or name.startswith("api-v1:"):
            response = _json(client, url, body, **headers)
        else:
            response = client.post(url, body, headers=headers)
        transaction.set_rollback(True)
    return response


def _letter(response: Any) -> str:
    """The letter of tests/security/test_permission_matrix.py for an answer."""
    status = response.status_code
    if status == 401 or (status in (301, 302, 303, 307, 308) and "dang-nhap" in response.get("Location", "")):
        return "L"
    if status in (403, 404):
        return "D"
    if status in (400, 405, 409, 410, 422, 429):
        return "V"
    return "X" if status >= 500 else "O"


def test_no_route_takes_a_post_without_the_token(world: World, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    scene = build(world)
    wrong: list[str] = []
    for name in sorted(ROUTES):
        route = ROUTES[name]
        who = _caller(name)
        status = _post(name, scene, who, token=False).status_code
        if name in EXEMPT:
            expected = {EXEMPT[name]}
        elif name.startswith("api-v1:") and route.method == "GET":
            expected = {403, 405}  # refused by the token check, or a method the API does not declare
        else:
            expected = {403}
        if status not in expected:
            wrong.append(f"{name} ({who}, without the token): {status}, expected {sorted(expected)}")
        # With the token, the answers the permission matrix expects: the 403 above was the token's.
        if route.method == "POST" and name not in EXEMPT:
            letter = route.expect[CALLERS.index(who)]
            answer = _post(name, scene, who, token=True)
            if _letter(answer) != letter:
                wrong.append(f"{name} ({who}, with the token): {answer.status_code}, expected {letter}")
    assert wrong == [], "\n" + "\n".join(wrong)
