"""The citizen's whole journey in headless Chromium (issue 4 §10), with a screenshot of every step.

Search without accents → sign in by a code sent by SMS (a new account) → submit online with two uploads →
pay through the local fake VNPAY gateway → staff receive and resolve, then return the result → the citizen
tracks the dossier, sees it returned, and rates it. axe-core checks each citizen page on the way.
Screenshots go to test-artifacts/test_citizen_journey/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from cchc.catalog import services as catalog_services
from cchc.catalog.models import ProcedureVersion
from cchc.dossiers.forms import form_pdf
from cchc.dossiers.models import Channel, Dossier, Rating, State
from cchc.dossiers.notifications import notifications_send_due
from cchc.payments.models import Payment, PaymentStatus
from cchc.signing.keystore import installation_trust
from cchc.signing.verify import verify_pdf
from tests.catalog.conftest import make_draft
from tests.dossiers.conftest import World, at, world  # noqa: F401 - the fixture is used by name
from tests.dossiers.fake_sms_gateway import FakeSmsGateway
from tests.payments import fake_vnpay

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-dai-2026"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200


@pytest.fixture
def online(world: World) -> ProcedureVersion:  # noqa: F811
    draft = make_draft(
        code="9.990101",
        name="Cấp Phiếu lý lịch tư pháp",
        online_level="full",
        level_province=True,
        level_commune=False,
        agency="Sở Tư pháp",
        components=[
            {"name": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "kind": "original", "quantity": 1},
            {"name": "Ảnh chụp giấy tờ tùy thân", "kind": "copy", "quantity": 1},
        ],
        fees=[{"kind": "charge", "case": "Phí cung cấp thông tin lý lịch tư pháp", "amount_vnd": 200_000}],
    )
    return catalog_services.procedure_version_publish(version=draft, valid_from=at(2025, 7, 1).date())


@pytest.fixture
def sms(settings: Any) -> Iterator[FakeSmsGateway]:
    with FakeSmsGateway(token="khoa-hanh-trinh") as fake:
        settings.CCHC_SMS_URL = fake.url
        settings.CCHC_SMS_API_KEY = "khoa-hanh-trinh"
        yield fake


@pytest.fixture
def gateway(live_server: Any, settings: Any) -> Iterator[fake_vnpay.FakeVnpay]:
    fake = fake_vnpay.FakeVnpay(ipn_url=f"{live_server.url}/thanh-toan/ipn/").start()
    settings.CCHC_PAYMENT_GATEWAY_URL = fake.url
    settings.CCHC_PAYMENT_TMN_CODE = fake_vnpay.TMN_CODE
    settings.CCHC_PAYMENT_HASH_SECRET = fake_vnpay.SECRET
    settings.CCHC_PAYMENT_PUBLIC_URL = live_server.url
    settings.CCHC_PUBLIC_URL = live_server.url
    yield fake
    fake.stop()


def _staff_sign_in(page: Any, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}/can-bo/dang-nhap/?next={next_url}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}{next_url}")


def test_citizen_journey(
    world: World,  # noqa: F811
    online: ProcedureVersion,
    sms: FakeSmsGateway,
    gateway: fake_vnpay.FakeVnpay,
    live_server: Any,
    browser: Any,
    axe: Any,
    shots: Any,
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CCHC_SIGNING_LOCAL_CA, settings.CCHC_SIGNING_DIR = True, tmp_path / "signing"
    base = live_server.url
    phone = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = phone.new_page()

    # 1. Search without accents, open the procedure, choose to submit online.
    page.goto(base + "/")
    page.get_by_label("Tên hoặc mã thủ tục").fill("ly lich tu phap")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name="Cấp Phiếu lý lịch tư pháp").click()
    page.wait_for_url("**/thu-tuc/9.990101/")
    assert axe(page) == []
    shots(page, "thu-tuc")
    page.get_by_role("link", name="Nộp trực tuyến").click()

    # 2. A new citizen signs in with the code sent by SMS, and completes the profile.
    page.wait_for_url("**/cong-dan/dang-nhap/?next=*")
    assert axe(page) == []
    page.get_by_label("Số điện thoại di động hoặc thư điện tử").fill("0987654321")
    page.get_by_role("button", name="Gửi mã xác nhận").click()
    page.wait_for_url("**/cong-dan/dang-nhap/nhap-ma/")
    code = re.search(r"\b(\d{6})\b", sms.delivered[-1]["text"]).group(1)  # type: ignore[union-attr]
    page.get_by_label("Mã xác nhận").fill(code)
    shots(page, "nhap-ma")
    page.get_by_role("button", name="Xác nhận và đăng nhập").click()
    page.wait_for_url("**/cong-dan/ho-so-ca-nhan/?next=*")
    page.get_by_label("Họ và tên").fill("Trần Thị Bình")
    page.get_by_label("Số CCCD (số định danh cá nhân)").fill("079303004321")
    page.get_by_role("button", name="Lưu hồ sơ").click()
    page.wait_for_url("**/nop-truc-tuyen/thu-tuc/9.990101/")

    # 3. The step-by-step form: applicant (pre-filled), two uploads, return online, submit.
    assert axe(page) == []
    page.get_by_role("button", name="Bắt đầu hồ sơ mới").click()
    page.wait_for_url("**/nguoi-nop/")
    assert page.get_by_label("Họ và tên (hoặc tên tổ chức)").input_value() == "Trần Thị Bình"
    assert page.get_by_label("Số điện thoại di động").input_value() == "0987654321"
    page.get_by_label("Cơ quan giải quyết").select_option(label=world.justice.name)
    assert axe(page) == []
    shots(page, "nguoi-nop")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.wait_for_url("**/giay-to/")
    form_file, photo = tmp_path / "to-khai.pdf", tmp_path / "cccd.jpg"
    form_file.write_bytes(PDF)
    photo.write_bytes(JPEG)
    files = page.locator("input[type=file]")
    files.nth(0).set_input_files(str(form_file))
    files.nth(1).set_input_files(str(photo))
    assert axe(page) == []
    shots(page, "giay-to")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.wait_for_url("**/nhan-ket-qua/")
    page.get_by_label("Trực tuyến (bản điện tử)").check()
    assert axe(page) == []
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.wait_for_url("**/xac-nhan/")
    assert page.get_by_text("to-khai.pdf").is_visible() and page.get_by_text("cccd.jpg").is_visible()
    assert page.get_by_text("200.000 đồng").first.is_visible()
    assert axe(page) == []
    shots(page, "xac-nhan")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url("**/nop-truc-tuyen/da-nop/*/")
    dossier = Dossier.objects.get()
    assert dossier.channel == Channel.ONLINE and dossier.state == State.SUBMITTED
    assert page.locator("#ma-ho-so").inner_text() == dossier.code
    assert page.locator("#ma-tra-cuu").inner_text() == dossier.lookup_key
    notifications_send_due(worker="e2e")  # the outbox worker (cchc send_notifications) sends the confirmation
    assert any(dossier.code in message["text"] for message in sms.delivered)
    assert axe(page) == []
    shots(page, "da-nop")

    # 4. Pay the fee through the gateway.
    page.get_by_role("link", name="Thanh toán phí, lệ phí").click()
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.wait_for_url(f"{gateway.base}/paymentv2/vpcpay.html?**")
    shots(page, "cong-thanh-toan")
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    page.wait_for_url(f"{base}/thanh-toan/ket-qua/?**")
    assert page.locator("#payment-status").inner_text() == "Thanh toán thành công"
    assert Payment.objects.get().status == PaymentStatus.PAID
    assert not dossier.fees.filter(paid_at__isnull=True).exists()
    assert axe(page) == []
    shots(page, "da-thanh-toan")

    # 5. Staff: reception accepts the online dossier, the department resolves it, reception returns it.
    office = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    desk = office.new_page()
    _staff_sign_in(desk, base, world.staff["reception"].username, "/can-bo/ho-so/?loai=to_receive")
    desk.get_by_role("link", name=dossier.code).click()
    desk.wait_for_url(f"**/can-bo/ho-so/{dossier.code}/")
    desk.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    desk.wait_for_url(f"**/can-bo/ho-so/{dossier.code}/")
    desk.get_by_role("button", name="Chuyển, bàn giao hồ sơ").click()
    desk.wait_for_url(f"**/can-bo/ho-so/{dossier.code}/")
    shots(desk, "can-bo-tiep-nhan")
    desk.get_by_role("button", name="Đăng xuất").click()
    _staff_sign_in(desk, base, world.staff["leader"].username, f"/can-bo/ho-so/{dossier.code}/")
    desk.get_by_label("Số văn bản kết quả").fill("25/LLTP")
    desk.get_by_label("Ngày văn bản (dd/mm/yyyy)").fill(timezone.localdate().strftime("%d/%m/%Y"))
    # The result as a PDF (the receipt stands in for the certificate issued): signed with the leader's key.
    result_pdf = form_pdf(dossier=Dossier.objects.get(pk=dossier.pk), form="01")
    desk.get_by_label("Kết quả điện tử (tệp PDF, sẽ được ký số)").set_input_files(
        {"name": "ket-qua.pdf", "mimeType": "application/pdf", "buffer": result_pdf}
    )
    desk.get_by_role("button", name="Phê duyệt, ký và có kết quả").click()
    desk.wait_for_url(f"**/can-bo/ho-so/{dossier.code}/")
    assert desk.locator("#result-signatures").inner_text().startswith("Chữ ký số hợp lệ")
    desk.get_by_role("button", name="Đăng xuất").click()
    _staff_sign_in(desk, base, world.staff["reception"].username, f"/can-bo/ho-so/{dossier.code}/")
    # The return form starts from what the citizen chose when filing: online.
    assert desk.get_by_label("Hình thức trả kết quả").input_value() == "online"
    desk.get_by_role("button", name="Trả kết quả").click()
    desk.wait_for_url(f"**/can-bo/ho-so/{dossier.code}/")
    assert desk.locator("#state").inner_text() == "Đã trả kết quả"
    shots(desk, "can-bo-tra-ket-qua")
    office.close()

    # 6. The citizen tracks the dossier, sees it returned, and rates it.
    page.goto(f"{base}/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("Mã tra cứu", exact=False).first.fill(dossier.lookup_key)
    page.get_by_role("button", name="Tra cứu").click()
    assert page.get_by_text("Đã trả kết quả").first.is_visible()
    assert axe(page) == []
    shots(page, "tra-cuu")
    # The electronic result, signed: the page says who signed it and that it verifies, and it is downloaded
    # from there (Decree 118/2025 Art. 22).
    assert page.locator("#result-signatures").inner_text().startswith("Chữ ký số hợp lệ – ký bởi")
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải kết quả điện tử (PDF, có chữ ký số)").click()
    signed = Path(download.value.path()).read_bytes()
    assert signed.startswith(result_pdf)
    assert [c.valid for c in verify_pdf(signed, installation_trust())] == [True]
    page.get_by_role("button", name="Rất hài lòng").click()
    assert page.get_by_text("Cảm ơn Ông/Bà đã đánh giá mức độ hài lòng.").is_visible()
    assert page.locator("#rating-given").inner_text() == "Ông/Bà đã đánh giá: Rất hài lòng."
    assert Rating.objects.get(dossier=dossier).level == "very_satisfied"
    assert Dossier.objects.get(pk=dossier.pk).delivery.method == "online"
    assert axe(page) == []
    shots(page, "danh-gia")
    phone.close()
