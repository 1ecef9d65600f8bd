"""End to end in headless Chromium, against a local national portal: the justice department's administrator opens
the sync page, sees the message the portal refused with its answer, resends it once the cause is fixed, and the
next run of `cchc national_sync` delivers it and the messages held behind it; the dossier page shows the fate
of each message."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from cchc.nationalportal.models import Message, MessageState
from cchc.orgs.models import Membership
from cchc.orgs.roles import Role
from tests.dossiers.conftest import World, world  # noqa: F401 - the fixture is used by name
from tests.e2e.conftest import staff_sign_in
from tests.nationalportal.fake_portal import TOKEN, FakePortal
from tests.portal.factories import resolved

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_administrator_resends_a_refused_message(
    world: World,  # noqa: F811
    live_server: Any,
    page: Any,
    axe: Any,
    settings: Any,
) -> None:
    admin = world.staff["leader"]
    Membership.objects.create(user=admin, unit=world.justice, role=Role.UNIT_ADMIN)
    dossier = resolved(world)
    with FakePortal() as portal:
        settings.CCHC_NATIONAL_PORTAL_URL, settings.CCHC_NATIONAL_PORTAL_API_KEY = portal.url, TOKEN
        portal.refuse_statuses = True
        call_command("national_sync", verbosity=0)
        base = live_server.url
        staff_sign_in(page, base, admin.username, "/can-bo/dong-bo-dvcqg/")
        assert page.locator("h1").inner_text() == "Đồng bộ Cổng Dịch vụ công quốc gia"
        failed = page.locator("#failed + .table-wrap tbody tr")
        assert failed.count() == 1
        assert dossier.code in failed.inner_text() and "trạng thái không hợp lệ" in failed.inner_text()
        assert "1" in page.locator("#sync-counts li").nth(0).inner_text()  # the second waits behind it
        assert axe(page) == []

        portal.refuse_statuses = False
        failed.get_by_role("button", name="Gửi lại").click()
        page.wait_for_url(f"{base}/can-bo/dong-bo-dvcqg/")
        assert "Đã đưa thông điệp vào hàng đợi" in page.locator(".messages").inner_text()
        assert page.locator("#failed").count() == 0
        call_command("national_sync", verbosity=0)
        assert [m["status"] for m in portal.statuses[dossier.code]] == ["processing", "resolved"]

    assert set(Message.objects.filter(dossier=dossier).values_list("state", flat=True)) == {
        MessageState.DELIVERED
    }
    page.goto(f"{base}/can-bo/ho-so/{dossier.code}/")
    panel = page.locator("#panel-national-sync")
    assert panel.locator("dd").count() == 2 and "Cổng đã nhận lúc" in panel.inner_text()
    assert axe(page) == []
