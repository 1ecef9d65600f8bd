"""axe-core, run in Chromium, finds no serious or critical violation on the public pages.

The first test proves the check can fail: a page with known faults is reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

import cchc

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROCEDURES = Path(cchc.__file__).parent / "catalog" / "data" / "procedures.json"


def test_the_check_reports_real_faults(page: Any, axe: Any) -> None:
    page.set_content('<html><body><img src="x.png"><input type="text"><a href="/"></a></body></html>')
    found = {v["id"] for v in axe(page)}
    assert {"image-alt", "label", "link-name"} <= found


@pytest.mark.parametrize(
    "path",
    ["/", "/thu-tuc/?q=khai+sinh", "/thu-tuc/?q=khong+co+thu+tuc+nay", "/can-bo/dang-nhap/"],
)
def test_public_pages_have_no_serious_violations(live_server: Any, page: Any, axe: Any, path: str) -> None:
    call_command("import_procedures", str(PROCEDURES), publish=True, verbosity=0)
    page.goto(live_server.url + path)
    assert axe(page) == []


def test_the_procedure_page_has_no_serious_violations(live_server: Any, page: Any, axe: Any) -> None:
    call_command("import_procedures", str(PROCEDURES), publish=True, verbosity=0)
    page.goto(live_server.url + "/thu-tuc/?q=khai+sinh")
    page.locator("ol.results > li > a").first.click()
    page.wait_for_url("**/thu-tuc/*/")
    assert axe(page) == []
