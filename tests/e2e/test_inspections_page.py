"""End to end in headless Chromium: Home Affairs records a finding and a remedy at an inspection and concludes
it; the department inspected reports the remedy done with a file; Home Affairs accepts it and the inspection is
complete. axe checks both pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cchc.accountability import services
from cchc.accountability.models import Inspection, InspectionKind, InspectionMode, InspectionState
from tests.accountability.conftest import committee, home_affairs, world  # noqa: F401 - fixtures used by name
from tests.dossiers.conftest import World
from tests.e2e.conftest import staff_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def scene(world: World, home_affairs: Any) -> tuple[World, Any, Inspection]:  # noqa: F811
    today = timezone.localdate()
    inspection = services.inspection_plan(
        year=today.year, kind=InspectionKind.REFORM, mode=InspectionMode.PLANNED, title="Kiểm tra CCHC tại Sở Tư pháp",
        team_leader="Lê Văn Dũng", units=[world.justice], scheduled_on=today, actor=home_affairs,
    )  # fmt: skip
    return world, home_affairs, inspection


def test_an_inspection_followed_to_its_end(
    scene: Any, live_server: Any, page: Any, axe: Any, shots: Any, tmp_path: Any
) -> None:
    w, council, inspection = scene
    base, url = live_server.url, f"/can-bo/kiem-tra/{inspection.pk}/"
    staff_sign_in(page, base, council.username, "/can-bo/kiem-tra/")
    assert axe(page) == []
    page.get_by_role("link", name="Kiểm tra CCHC tại Sở Tư pháp").click()
    page.wait_for_url(f"{base}{url}")
    page.get_by_role("button", name="Ghi nhận đã kiểm tra").click()
    assert "Đã ghi nhận việc kiểm tra." in page.locator(".messages").inner_text()
    page.get_by_label("Nội dung phát hiện").fill("Chưa niêm yết đủ thủ tục hành chính.")
    page.get_by_role("button", name="Ghi nhận phát hiện").click()
    page.locator("summary", has_text="Thêm yêu cầu khắc phục").click()
    page.get_by_label("Yêu cầu khắc phục").fill("Niêm yết đầy đủ thủ tục.")
    deadline = timezone.localdate() + dt.timedelta(days=30)
    page.get_by_label("Thời hạn (dd/mm/yyyy)").fill(deadline.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Thêm yêu cầu").click()
    assert "Đã thêm yêu cầu khắc phục." in page.locator(".messages").inner_text()
    page.get_by_label("Nội dung kết luận").fill("Đơn vị cơ bản thực hiện tốt.")
    page.get_by_role("button", name="Ban hành kết luận").click()
    assert "Đang khắc phục" in page.locator(".remedy").inner_text()
    assert axe(page) == []

    staff_sign_in(page, base, w.staff["specialist"].username, url)
    page.get_by_label("Báo cáo khắc phục").fill("Đã niêm yết 45 thủ tục.")
    evidence = tmp_path / "anh-niem-yet.pdf"
    evidence.write_bytes(PDF)
    page.get_by_label("Tài liệu kèm theo").set_input_files(str(evidence))
    page.get_by_role("button", name="Gửi báo cáo khắc phục").click()
    assert "Đã gửi báo cáo khắc phục." in page.locator(".messages").inner_text()
    assert page.get_by_role("link", name="anh-niem-yet.pdf").count() == 1

    staff_sign_in(page, base, council.username, url)
    page.get_by_role("button", name="Xem xét").click()
    assert "Đã khắc phục xong" in page.locator(".remedy").inner_text()
    assert "Đã hoàn thành" in page.locator(".meta").inner_text()
    shots(page, "kiem-tra-hoan-thanh")
    assert Inspection.objects.get().state == InspectionState.CLOSED
