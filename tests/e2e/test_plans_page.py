"""End to end in headless Chromium: the justice department's specialist reports a task done on the province's
plan, and the progress by area shows it. axe checks the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cchc.orgs.models import Unit
from cchc.plans import services
from cchc.plans.models import Area
from tests.dossiers.conftest import World
from tests.plans.conftest import committee, home_affairs, world  # noqa: F401 - fixtures used by name

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(world: World, committee: Unit, home_affairs: Any) -> tuple[World, Any]:  # noqa: F811
    year = timezone.localdate().year  # the task is reported done today, by its deadline on 31/12
    plan = services.plan_create(year=year, unit=committee, title="Kế hoạch CCHC năm nay", actor=home_affairs)
    services.task_add(plan=plan, area=Area.PROCEDURES, code="1", title="Rà soát thủ tục", lead_unit=world.justice,
                      deadline=dt.date(year, 12, 31), actor=home_affairs)  # fmt: skip
    return world, plan


def test_a_specialist_reports_progress(scene: Any, live_server: Any, page: Any, axe: Any, shots: Any) -> None:
    w, plan = scene
    base = live_server.url
    page.goto(f"{base}/can-bo/dang-nhap/?next=/can-bo/ke-hoach/")
    page.get_by_label("Tên đăng nhập").fill(w.staff["specialist"].username)
    page.get_by_label("Mật khẩu").fill("mat-khau-dai-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/can-bo/ke-hoach/")
    page.get_by_role("link", name="Kế hoạch CCHC năm nay").click()
    page.wait_for_url(f"{base}/can-bo/ke-hoach/{plan.pk}/")
    assert axe(page) == []
    page.get_by_label("Tiến độ (%) 1").fill("100")
    page.get_by_label("Trạng thái 1").select_option("done")
    page.get_by_role("button", name="Cập nhật tiến độ 1").click()
    page.wait_for_url(f"{base}/can-bo/ke-hoach/{plan.pk}/")
    assert "Đã cập nhật tiến độ nhiệm vụ 1." in page.locator(".messages").inner_text()
    row = page.locator("table", has_text="Tiến độ theo nội dung").locator(
        "tbody tr", has_text="Cải cách thủ tục"
    )
    assert [cell.inner_text() for cell in row.locator("td").all()] == ["1", "1", "1", "0", "100,0"]
    assert page.locator("#plan-areas rect.point").count() == 1
    assert page.locator("#plan-units rect.point").count() == 1
    shots(page, "tien-do")
