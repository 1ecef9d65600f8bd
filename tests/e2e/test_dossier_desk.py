"""End to end in headless Chromium: a dossier from the reception desk to the returned result.

The data is the `world` of the dossier tests (imported below); under django_db(transaction=True) it is
committed, so the live server sees it. Every user has the password "mat-khau-dai-2026".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from cchc.dossiers.models import Dossier, State
from tests.dossiers.conftest import World, world  # noqa: F401 - the fixture is used by name
from tests.signing.conftest import blank_pdf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-dai-2026"


def _sign_in(page: Any, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}/can-bo/dang-nhap/?next={next_url}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}{next_url}")


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/")


def test_desk_receive_hand_over_resolve_return(
    world: World,  # noqa: F811
    live_server: Any,
    page: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.CCHC_SIGNING_LOCAL_CA, settings.CCHC_SIGNING_DIR = True, tmp_path  # signs the electronic result
    base = live_server.url
    reception, leader = world.staff["reception"], world.staff["leader"]

    # The reception officer finds the procedure at the desk and receives the dossier.
    _sign_in(page, base, reception.username, "/can-bo/tiep-nhan/")
    page.get_by_label("Tìm thủ tục (tên hoặc mã)").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm thủ tục").click()
    page.get_by_role("link", name="Thủ tục đăng ký khai sinh").click()
    page.get_by_label("Họ và tên người nộp").fill("Lê Văn Cường")
    page.get_by_label("Số định danh cá nhân").fill("079203009999")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Tờ khai đăng ký khai sinh", exact=True).check()
    # The paper form is scanned at the counter: it is signed with the officer's certificate (Art. 17).
    page.get_by_label("Bản quét (PDF) – Tờ khai đăng ký khai sinh").set_input_files(
        {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": blank_pdf()}
    )
    page.get_by_label("Cơ quan có thẩm quyền giải quyết").select_option(label=world.justice.name)
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.wait_for_url("**/can-bo/ho-so/*/")
    dossier = Dossier.objects.get()
    dossier_path = f"/can-bo/ho-so/{dossier.code}/"
    assert page.locator("h1").inner_text() == f"Hồ sơ {dossier.code}"
    assert page.get_by_text("079******999").is_visible()
    assert "079203009999" not in page.content()
    assert "Số hóa khi tiếp nhận" in page.content() and "Chữ ký số hợp lệ" in page.content()

    # Mẫu 01, fetched with the page's cookies.
    receipt = page.get_by_role("link", name="Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    href = receipt.get_attribute("href")
    assert href == f"{dossier_path}mau/01.pdf"
    pdf = page.request.get(base + href)
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # Hand-over to the department.
    page.get_by_label("Ghi chú bàn giao").fill("Hồ sơ đầy đủ")
    page.get_by_role("button", name="Chuyển, bàn giao hồ sơ").click()
    page.wait_for_url(base + dossier_path)
    assert page.get_by_text("Đã thực hiện: Chuyển, bàn giao hồ sơ.").is_visible()
    assert page.locator("table", has_text="Bên giao").get_by_text(world.justice.name).is_visible()
    _sign_out(page)

    # The leader of the department approves and signs.
    _sign_in(page, base, leader.username, dossier_path)
    page.get_by_label("Số văn bản kết quả").fill("15/GKS")
    page.get_by_label("Ngày văn bản (dd/mm/yyyy)").fill(timezone.localdate().strftime("%d/%m/%Y"))
    # The result as a PDF (here the receipt stands in for it): signed with the leader's certificate.
    page.get_by_label("Kết quả điện tử (tệp PDF, sẽ được ký số)").set_input_files(
        {"name": "ket-qua.pdf", "mimeType": "application/pdf", "buffer": pdf.body()}
    )
    page.get_by_role("button", name="Phê duyệt, ký và có kết quả").click()
    page.wait_for_url(base + dossier_path)
    assert page.locator("#state").inner_text() == "Đã có kết quả, chờ trả"
    signatures = page.locator("#result-signatures").inner_text()
    assert signatures.startswith("Chữ ký số hợp lệ – ký bởi"), signatures
    assert f"({world.justice.name})" in signatures
    result = page.request.get(
        base + page.get_by_role("link", name="Xem kết quả điện tử").get_attribute("href")
    )
    assert result.status == 200 and result.body().startswith(pdf.body())
    _sign_out(page)

    # The reception officer returns the result at the counter.
    _sign_in(page, base, reception.username, dossier_path)
    page.get_by_role("button", name="Trả kết quả").click()
    page.wait_for_url(base + dossier_path)
    assert page.locator("#state").inner_text() == "Đã trả kết quả"
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED
