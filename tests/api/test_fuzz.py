"""The API fuzzed with schemathesis from its own OpenAPI document, as each kind of caller (anonymous, a citizen
account, the staff roles): no answer may be a server error, and every answer must match the schema (its status
documented, its content type and body as declared). The examples are bounded and derandomised, so the run is the
same in CI every time (issue 8, fuzzing)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cchc.orgs.models import Membership
from cchc.orgs.roles import Role
from tests.dossiers.conftest import World, at
from tests.serviceindex.conftest import receive, resolve

pytestmark = pytest.mark.django_db
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
CALLERS = ("anonymous", "citizen", "reception", "specialist", "leader", "home_affairs")


def _schema() -> Any:
    """The API's own OpenAPI document (as /api/v1/openapi.json serves it), called in-process through WSGI."""
    from cchc.api import api
    from cchc.wsgi import application

    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema())))
    loaded.app = application
    return loaded


schema = _schema()


def _caller(world: World, who: str) -> Any:
    if who == "anonymous":
        return None
    if who == "citizen":
        return get_user_model().objects.create_user("congdan.fuzz", password="mat-khau-dai-2026")
    if who == "home_affairs":
        user = get_user_model().objects.create_user("noivu.fuzz", password="mat-khau-dai-2026")
        Membership.objects.create(user=user, unit=world.centre, role=Role.HOME_AFFAIRS)
        return user
    return world.staff[who]


@pytest.fixture
def callers(world: World) -> dict[str, dict[str, str]]:
    """Each caller's session and CSRF cookies and header; and dossiers to find: one resolved, one in progress."""
    resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 10, 9))
    receive(world, at(2026, 3, 11, 9))
    headers = {}
    for who in CALLERS:
        client = Client()
        user = _caller(world, who)
        if user is not None:
            client.force_login(user)
        client.get("/can-bo/dang-nhap/")  # sets the CSRF cookie
        cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
        headers[who] = {"Cookie": cookies, "X-CSRFToken": client.cookies["csrftoken"].value}
    return headers


@schema.parametrize()
@settings(
    max_examples=10, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None
)
def test_every_answer_matches_the_schema_and_none_is_a_server_error(
    case: Any, callers: dict[str, dict[str, str]]
) -> None:
    # The calls go through the WSGI handler in this process, which closes the database connection when a
    # request finishes (request_finished); that would end the test's transaction. Django's test client suspends
    # the same receivers around its own requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        for who in CALLERS:
            case.call_and_validate(headers=callers[who], checks=CHECKS)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
