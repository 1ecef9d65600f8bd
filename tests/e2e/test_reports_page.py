"""End to end in headless Chromium: the justice department's leader writes the quarter I report (the platform
fills the figures), submits it, and downloads the DOCX, which is read back. axe checks the page."""

from __future__ import annotations

from typing import Any

import pytest
from docx import Document

from cchc.orgs.models import Unit
from tests.dossiers.conftest import World, at
from tests.reports.conftest import committee, home_affairs, world  # noqa: F401 - fixtures used by name
from tests.serviceindex.conftest import receive, resolve

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("default_766_rules"),
]


@pytest.fixture
def scene(world: World, committee: Unit, home_affairs: Any) -> World:  # noqa: F811
    resolve(world, receive(world, at(2026, 2, 2, 9)), at(2026, 2, 3, 9))
    receive(world, at(2026, 3, 2, 9))
    return world


def test_a_leader_writes_and_submits_the_quarter_report(
    scene: World, live_server: Any, page: Any, axe: Any, shots: Any
) -> None:
    base = live_server.url
    page.goto(f"{base}/can-bo/dang-nhap/?next=/can-bo/bao-cao/%3Fnam%3D2026%26ky%3Dq1")
    page.get_by_label("Tên đăng nhập").fill(scene.staff["leader"].username)
    page.get_by_label("Mật khẩu").fill("mat-khau-dai-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/can-bo/bao-cao/?nam=2026&ky=q1")
    page.get_by_label("Đơn vị").select_option(label="Sở Tư pháp tỉnh Thử")
    page.get_by_role("button", name="Lập báo cáo").click()
    page.wait_for_url(f"{base}/can-bo/bao-cao/*/")
    assert axe(page) == []
    figures = page.locator("table", has_text="Tổng số hồ sơ tiếp nhận")
    assert figures.locator("tr", has_text="Tổng số hồ sơ tiếp nhận").locator("td").first.inner_text() == "2"
    page.get_by_label("Nội dung I.").fill("Sở đã ban hành Kế hoạch CCHC năm 2026.")
    page.get_by_label("Cuộc kiểm tra công tác CCHC đã thực hiện").fill("3")
    page.get_by_label("Chức vụ người ký").fill("Giám đốc")
    page.get_by_label("Người ký", exact=True).fill("Nguyễn Văn Bình")
    page.get_by_role("button", name="Lưu báo cáo").click()
    assert "Đã lưu báo cáo." in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Gửi báo cáo").click()
    assert "Đã gửi báo cáo." in page.locator(".messages").inner_text()
    assert page.locator("textarea").count() == 0
    shots(page, "bao-cao-da-gui")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải báo cáo (DOCX)").click()
    document = Document(str(info.value.path()))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "BÁO CÁO" in texts and "Sở đã ban hành Kế hoạch CCHC năm 2026." in texts
    rows = {row.cells[0].text: row.cells[1].text for table in document.tables[1:-1] for row in table.rows}
    assert rows["Tổng số hồ sơ tiếp nhận"] == "2" and rows["Cuộc kiểm tra công tác CCHC đã thực hiện"] == "3"
