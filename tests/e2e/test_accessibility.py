"""axe-core, run in Chromium, finds no serious or critical violation on the public pages.

The first test proves the check can fail: a page with known faults is reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

import cchc
from cchc.citizens.models import CitizenProfile
from tests.dossiers.conftest import World, at, world  # noqa: F401 - the fixture is used by name

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


@pytest.mark.parametrize(
    "path",
    ["/tra-cuu/", "/phan-anh/", "/phan-anh/gui/", "/phan-anh/tra-cuu/", "/cong-dan/dang-nhap/"],
)
def test_portal_forms_have_no_serious_violations(live_server: Any, page: Any, axe: Any, path: str) -> None:
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    assert axe(page) == []


def test_portal_error_states_have_no_serious_violations(live_server: Any, page: Any, axe: Any) -> None:
    """Forms sent empty or wrong show their messages accessibly too."""
    page.goto(live_server.url + "/tra-cuu/?ma=000.00.12.H99-260101-0001&khoa=SAIKHOA1")
    assert axe(page) == []
    page.goto(live_server.url + "/phan-anh/gui/")
    page.locator("form button[type=submit]").last.click()
    assert axe(page) == []


def _signed_in_citizen(page: Any, live_server: Any) -> Any:
    """A citizen with a profile, signed in by copying a Django session into the browser."""
    user = get_user_model().objects.create_user("congdan.axe")
    CitizenProfile.objects.create(
        user=user, full_name="Đỗ Thị Mai", phone="0909123456", id_number="079303001111"
    )
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return user


@pytest.mark.parametrize("path", ["/cong-dan/ho-so-ca-nhan/", "/cong-dan/ho-so-cua-toi/", "/nop-truc-tuyen/"])
def test_citizen_pages_have_no_serious_violations(live_server: Any, page: Any, axe: Any, path: str) -> None:
    _signed_in_citizen(page, live_server)
    page.goto(live_server.url + path)
    assert page.url == live_server.url + path  # signed in, not sent to the login
    assert axe(page) == []


def test_dossier_pages_of_the_portal_have_no_serious_violations(
    world: World,  # noqa: F811
    live_server: Any,
    page: Any,
    axe: Any,
) -> None:
    """Payment, tracking with a timeline, the rating link, the citizen's dossier and the online supplement."""
    from cchc.dossiers import services as dossier_services
    from cchc.dossiers.models import Channel, DossierFee
    from cchc.dossiers.rating_links import rating_token
    from tests.portal.factories import returned

    base = live_server.url
    done = returned(world)
    page.goto(f"{base}/tra-cuu/?ma={done.code}&khoa={done.lookup_key}")
    assert axe(page) == []
    page.goto(f"{base}/danh-gia/{rating_token(done)}/")
    assert axe(page) == []

    user = _signed_in_citizen(page, live_server)
    online = dossier_services.dossier_submit(
        intake=world.intake(channel=Channel.ONLINE, citizen=user), at=at(2026, 3, 9, 9)
    )
    DossierFee.objects.create(dossier=online, description="Lệ phí", amount_vnd=50_000)
    page.goto(f"{base}/thanh-toan/{online.code}/?khoa={online.lookup_key}")
    assert page.locator("h1").inner_text() == "Thanh toán phí, lệ phí"
    assert axe(page) == []
    page.goto(f"{base}/cong-dan/ho-so-cua-toi/{online.code}/")
    assert axe(page) == []
    dossier_services.dossier_request_supplement_at_reception(
        actor=world.staff["reception"],
        dossier=online,
        missing=["Tờ khai có chữ ký"],
        reason="Tờ khai chưa ký",
        expected_version=online.version,
        at=at(2026, 3, 9, 14),
    )
    page.goto(f"{base}/nop-truc-tuyen/bo-sung/{online.code}/")
    assert page.get_by_text("Tờ khai có chữ ký").first.is_visible()
    assert axe(page) == []
