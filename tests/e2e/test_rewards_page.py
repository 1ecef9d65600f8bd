"""End to end in headless Chromium: a specialist registers an initiative; Home Affairs drafts the proposals from
the year's results and records the decision on one. axe checks the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cchc.orgs.models import Unit
from cchc.plans import services as plans
from cchc.plans.models import Area
from tests.accountability.conftest import committee, home_affairs, world  # noqa: F401 - fixtures used by name
from tests.dossiers.conftest import World
from tests.e2e.conftest import staff_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(world: World, committee: Unit, home_affairs: Any) -> tuple[World, Any]:  # noqa: F811
    """The construction department's only task of last year was never done: a criticism is drafted."""
    year = timezone.localdate().year - 1
    plan = plans.plan_create(year=year, unit=committee, title="Kế hoạch năm trước", actor=home_affairs)
    plans.task_add(plan=plan, area=Area.DIGITAL, code="1", title="Số hóa", lead_unit=world.construction,
                   deadline=dt.date(year, 6, 30), actor=home_affairs)  # fmt: skip
    return world, home_affairs


def test_initiatives_and_proposals(scene: Any, live_server: Any, page: Any, axe: Any, shots: Any) -> None:
    w, council = scene
    base = live_server.url
    year = timezone.localdate().year
    staff_sign_in(page, base, w.staff["specialist"].username, "/can-bo/thi-dua/")
    assert axe(page) == []
    page.get_by_label("Tên sáng kiến").fill("Phiếu hướng dẫn hồ sơ bằng mã QR")
    page.get_by_label("Tác giả").fill("Nguyễn Thị Hoa")
    page.get_by_label("Nội dung tóm tắt").fill("Mỗi thủ tục có mã QR dẫn tới hướng dẫn.")
    page.get_by_role("button", name="Đăng ký sáng kiến").click()
    assert "Đã đăng ký sáng kiến." in page.locator(".messages").inner_text()
    assert "Đã đăng ký, chờ đánh giá" in page.locator("table", has_text="Phiếu hướng dẫn").inner_text()

    staff_sign_in(page, base, council.username, f"/can-bo/thi-dua/?nam={year - 1}")
    page.get_by_role("button", name="Lập đề xuất từ kết quả năm").click()
    row = page.locator("tbody tr", has_text="Sở Xây dựng tỉnh Thử")
    assert "Đề nghị phê bình" in row.inner_text() and "0/1 nhiệm vụ" in row.inner_text()
    row.get_by_label("Quyết định hoặc lý do Sở Xây dựng tỉnh Thử").fill("Văn bản 15/UBND-NC: phê bình")
    row.get_by_role("button", name="Ghi quyết định Sở Xây dựng tỉnh Thử").click()
    assert "Đã ghi quyết định." in page.locator(".messages").inner_text()
    assert (
        "Đã quyết định: Văn bản 15/UBND-NC: phê bình"
        in page.locator("tbody tr", has_text="Sở Xây dựng").inner_text()
    )
    assert axe(page) == []
    shots(page, "thi-dua")
