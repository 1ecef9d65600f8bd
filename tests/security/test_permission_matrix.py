"""The permission matrix (issue 8): every page and API endpoint, called by every kind of caller, against the
objects of the justice department (the "own" unit) and its citizen. The expected answers are a table
(`tests/security/matrix.py`), one letter per caller; a URL without a row fails the test, so a new endpoint
cannot go unreviewed.

Letters: O answered (2xx, or a redirect that is not to a login page); L sent to log in (a redirect to a login
page, or 401); D refused or not shown (403, or 404: another unit's object is not revealed); V accepted past the
gate but refused on its content (400, 405, 409, 422, 429). A server error (500) is never expected.

Every answer read is also searched for the scene's full CCCD numbers (in HTML, JSON, CSV, XLSX and DOCX alike).
"""

from __future__ import annotations

import io
import json
import os
from typing import Any

import docx
import openpyxl
import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.dossiers.conftest import World
from tests.security.matrix import ROUTES
from tests.security.scene import CALLERS, Scene, build

pytestmark = pytest.mark.django_db


def route_names() -> set[str]:
    """Every named URL of the project, the admin apart (Django's own, behind its staff-only login)."""

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> Any:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield prefix + str(pattern.pattern), namespace + pattern.name

    return {name for path, name in walk(get_resolver(), "", "") if not path.startswith("admin/")}


def test_every_url_has_a_row_and_every_row_a_url() -> None:
    names = route_names()
    assert sorted(names - set(ROUTES)) == [], "URLs without a row in tests/security/matrix.py"
    assert sorted(set(ROUTES) - names) == [], "rows of tests/security/matrix.py without a URL"


def _letter(response: Any) -> str:
    status = response.status_code
    if status >= 500:
        return "X"
    if status == 401:
        return "L"
    if status in (301, 302, 303, 307, 308):
        return "L" if "dang-nhap" in response.get("Location", "") else "O"
    if status in (403, 404):
        return "D"
    if status in (400, 405, 409, 410, 422, 429):
        return "V"
    return "O"


def _url(name: str, scene: Scene) -> str:
    route = ROUTES[name]
    kwargs = {
        key: (value[1:] if value.startswith("=") else scene.ids[value]) for key, value in route.kwargs.items()
    }
    url = reverse(name, kwargs=kwargs)
    return f"{url}?{route.query}" if route.query else url


def _data(value: Any, scene: Scene) -> Any:
    if isinstance(value, dict):
        return {key: _data(item, scene) for key, item in value.items()}
    if isinstance(value, list):
        return [_data(item, scene) for item in value]
    if isinstance(value, str) and value.startswith("@"):
        return scene.ids[value[1:]]
    return value


RAW_IDS = ("079203001234", "079303004321")  # the scene's CCCD numbers (the counter applicant, the citizen)


def _text(response: Any) -> str:
    """The response as text, whatever its format (HTML, JSON, CSV, XLSX, DOCX); PDFs are the official forms."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return " ".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                        for cell in row if cell is not None)  # fmt: skip
    if "wordprocessingml" in content_type:
        document = docx.Document(io.BytesIO(body))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return " ".join([p.text for p in document.paragraphs] + cells)
    if "pdf" in content_type:
        return ""
    return body.decode("utf-8", "replace")


SHOWN: dict[str, set[str]] = {}  # route name -> the callers shown a raw CCCD


def _call(name: str, scene: Scene, who: str) -> str:
    route = ROUTES[name]
    client = Client(raise_request_exception=False)
    cache.clear()  # no throttling carried from one call to the next
    with transaction.atomic():
        user = scene.users[who]
        if user is not None:
            client.force_login(user)
        url = _url(name, scene)
        data = _data(route.data or {}, scene)
        if route.json:
            response = client.post(url, json.dumps(data), content_type="application/json")
        elif route.method == "POST":
            response = client.post(url, data)
        else:
            response = client.get(url)
        transaction.set_rollback(True)
    letter = _letter(response)
    if letter == "O" and response.status_code == 200 and any(raw in _text(response) for raw in RAW_IDS):
        SHOWN.setdefault(name, set()).add(who)
    return letter


def test_the_permission_matrix(world: World, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    SHOWN.clear()
    scene = build(world)
    observed = {name: "".join(_call(name, scene, who) for who in CALLERS) for name in sorted(ROUTES)}
    if os.environ.get("CCHC_MATRIX_PRINT"):
        for name, letters in observed.items():
            print(f"{name:45s} {letters}")
        print("SHOWN", {name: sorted(who) for name, who in SHOWN.items()})
    wrong = [
        f"{name}: expected {ROUTES[name].expect}, got {letters}"
        for name, letters in observed.items()
        if letters != ROUTES[name].expect
    ]
    assert wrong == [], "\n" + "\n".join(wrong) + f"\n(callers: {', '.join(CALLERS)})"
    # Decree 13/2023: no page, list, export or API answer shows a full CCCD number, except a citizen's own
    # profile to that citizen (the official PDF forms carry it by law and are not read here).
    assert {"citizen-profile": {"citizen"}} == SHOWN
