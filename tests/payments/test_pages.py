"""The citizen's payment page, the payment's page with its receipt, and the receipt PDF read back."""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from cchc.dossiers.models import Dossier, PersonalDataAccess
from cchc.payments import rules
from cchc.payments.models import Payment, PaymentStatus
from tests.dossiers.conftest import World
from tests.payments.conftest import GATEWAY_URL, ipn, remember, start
from tests.payments.fake_vnpay import FakeVnpay

pytestmark = pytest.mark.django_db


def pay_url(dossier: Dossier, key: str | None = None) -> str:
    return f"/thanh-toan/{dossier.code}/?khoa={dossier.lookup_key if key is None else key}"


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    raw = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", raw))


def paid(client: Client, dossier: Dossier, gateway: FakeVnpay) -> Payment:
    payment = start(dossier)
    remember(gateway, payment)
    ipn(client, gateway.result(payment.order_ref))
    payment.refresh_from_db()
    return payment


# -- the payment page ---------------------------------------------------------------------------------------------
def test_the_page_lists_unpaid_lines_and_the_total(client: Client, dossier: Dossier) -> None:
    response = client.get(pay_url(dossier))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Lệ phí cấp giấy chứng nhận: 50.000 đ" in page
    assert "Phí thẩm định hồ sơ: 20.000 đ" in page
    assert "70.000 đ" in page
    assert "Thanh toán trực tuyến" in page
    assert 'name="csrfmiddlewaretoken"' in page
    # The pay button's POST is redirected to the gateway: its origin is allowed in form-action.
    assert "form-action 'self' https://sandbox.vnpayment.vn" in response["Content-Security-Policy"]


def test_the_key_is_not_case_sensitive(client: Client, dossier: Dossier) -> None:
    assert client.get(pay_url(dossier, dossier.lookup_key.lower())).status_code == 200


def test_wrong_key_and_unknown_code_are_the_same_404(client: Client, dossier: Dossier) -> None:
    urls = [
        pay_url(dossier, "AAAAAAAA"),
        f"/thanh-toan/{dossier.code}/",
        f"/thanh-toan/000.00.12.H99-260101-9999/?khoa={dossier.lookup_key}",
    ]
    bodies = set()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404
        # The page repeats its own address (the language form's "next") and a fresh CSRF mask; apart from
        # those, nothing differs.
        body = response.content.decode().replace(url.replace("&", "&amp;"), "ADDRESS")
        bodies.add(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", body))
    assert len(bodies) == 1
    assert "Không tìm thấy" in bodies.pop()


def test_the_citizen_owner_needs_no_key_and_others_get_404(client: Client, dossier: Dossier) -> None:
    users = get_user_model().objects
    owner = users.create_user("congdan.an", password="mat-khau-dai-2026")
    stranger = users.create_user("congdan.khac", password="mat-khau-dai-2026")
    Dossier.objects.filter(pk=dossier.pk).update(citizen=owner)
    client.force_login(owner)
    assert client.get(f"/thanh-toan/{dossier.code}/").status_code == 200
    client.force_login(stranger)
    assert client.get(f"/thanh-toan/{dossier.code}/").status_code == 404


def test_guessing_keys_is_throttled(client: Client, dossier: Dossier) -> None:
    for attempt in range(rules.ACCESS_MAX_FAILURES):
        assert client.get(pay_url(dossier, f"WRONG{attempt:03d}")).status_code == 404
    locked = client.get(pay_url(dossier))
    assert locked.status_code == 429
    assert "Bạn đã thử quá nhiều lần" in locked.content.decode()
    assert int(locked["Retry-After"]) > 0


def test_pay_redirects_to_the_gateway(client: Client, dossier: Dossier) -> None:
    fees = [str(fee.pk) for fee in dossier.fees.filter(amount_vnd__gt=0)]
    response = client.post(pay_url(dossier), {"fees": fees})
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert response["Location"] == payment.redirect_url
    assert response["Location"].startswith(GATEWAY_URL + "?")
    assert payment.amount_vnd == 70_000


def test_pay_with_a_forged_line_shows_the_message(client: Client, dossier: Dossier, world: World) -> None:
    response = client.post(pay_url(dossier), {"fees": ["999999"]})
    assert response.status_code == 422
    assert "Khoản phí được chọn không thuộc hồ sơ này hoặc đã được nộp." in response.content.decode()
    assert not Payment.objects.exists()


def test_pay_with_no_line_chosen_shows_the_message(client: Client, dossier: Dossier) -> None:
    response = client.post(pay_url(dossier), {})
    assert response.status_code == 422
    assert "Vui lòng chọn ít nhất một khoản phí, lệ phí." in response.content.decode()


def test_pay_without_a_csrf_token_is_refused(dossier: Dossier) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(pay_url(dossier), {"fees": []}).status_code == 403
    assert not Payment.objects.exists()


def test_pay_when_the_gateway_is_not_configured_shows_the_message(
    client: Client, dossier: Dossier, settings: Any
) -> None:
    settings.CCHC_PAYMENT_TMN_CODE = ""
    fees = [str(fee.pk) for fee in dossier.fees.filter(amount_vnd__gt=0)]
    response = client.post(pay_url(dossier), {"fees": fees})
    assert response.status_code == 409
    assert "chưa được cấu hình" in response.content.decode()


def test_a_paid_dossier_has_nothing_left_and_shows_what_was_paid(
    client: Client, dossier: Dossier, gateway: FakeVnpay
) -> None:
    payment = paid(client, dossier, gateway)
    page = client.get(pay_url(dossier)).content.decode()
    assert "Hồ sơ không còn khoản phí, lệ phí nào phải nộp." in page
    assert "Thanh toán trực tuyến</button>" not in page
    assert payment.receipt_number and payment.receipt_number in page
    assert payment.order_ref in page


# -- one payment and its receipt ------------------------------------------------------------------------------------
def test_a_pending_payment_page_reloads_itself(client: Client, dossier: Dossier) -> None:
    payment = start(dossier)
    page = client.get(f"/thanh-toan/{dossier.code}/giao-dich/{payment.order_ref}/?khoa={dossier.lookup_key}")
    assert page.status_code == 200
    assert '<meta http-equiv="refresh" content="5">' in page.content.decode()
    assert "Đang chờ thanh toán" in page.content.decode()


def test_a_payment_of_another_dossier_is_not_found(client: Client, dossier: Dossier, world: World) -> None:
    from cchc.dossiers import services as dossier_services
    from tests.payments.conftest import add_fees

    other = dossier_services.dossier_receive(actor=world.staff["reception"], intake=world.intake())
    add_fees(other, 10_000)
    payment = start(other)
    url = f"/thanh-toan/{dossier.code}/giao-dich/{payment.order_ref}/?khoa={dossier.lookup_key}"
    assert client.get(url).status_code == 404


def test_the_receipt_page_and_pdf(client: Client, dossier: Dossier, gateway: FakeVnpay) -> None:
    payment = paid(client, dossier, gateway)
    base = f"/thanh-toan/{dossier.code}/giao-dich/{payment.order_ref}/"
    page = client.get(f"{base}?khoa={dossier.lookup_key}").content.decode()
    assert "Biên lai điện tử" in page
    assert f"{base}bien-lai.pdf?khoa={dossier.lookup_key}" in page
    assert "http-equiv" not in page

    response = client.get(f"{base}bien-lai.pdf?khoa={dossier.lookup_key}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text
    assert f"Số: {payment.receipt_number}" in text
    assert f"Mã hồ sơ: {dossier.code}" in text
    assert "Tên người nộp tiền: Nguyễn Văn An" in text
    assert "Lệ phí cấp giấy chứng nhận" in text and "50.000 đ" in text
    assert "Phí thẩm định hồ sơ" in text and "20.000 đ" in text
    assert "70.000 đ" in text
    assert "Bảy mươi nghìn đồng" in text
    assert f"Mã giao dịch tại cổng thanh toán: {payment.gateway_transaction_no}" in text
    local = timezone.localtime(payment.pay_date)
    assert f"{local:%H:%M}, ngày {local:%d/%m/%Y}" in text
    assert "SỞ TƯ PHÁP TỈNH THỬ" in text


def test_no_receipt_before_payment(client: Client, dossier: Dossier) -> None:
    payment = start(dossier)
    url = f"/thanh-toan/{dossier.code}/giao-dich/{payment.order_ref}/bien-lai.pdf?khoa={dossier.lookup_key}"
    assert client.get(url).status_code == 404
    assert payment.status == PaymentStatus.PENDING


def test_staff_who_see_the_dossier_open_the_receipt_without_key(
    client: Client, dossier: Dossier, world: World, gateway: FakeVnpay
) -> None:
    payment = paid(client, dossier, gateway)
    url = f"/thanh-toan/{dossier.code}/giao-dich/{payment.order_ref}/bien-lai.pdf"
    client.force_login(world.staff["specialist"])
    assert client.get(url).status_code == 200
    access = PersonalDataAccess.objects.get(dossier=dossier)
    assert (access.user, access.purpose) == (world.staff["specialist"], "xem biên lai thanh toán")
    client.force_login(world.staff["other_specialist"])
    assert client.get(url).status_code == 404
    # Staff do not start payments for citizens without the key.
    client.force_login(world.staff["specialist"])
    assert client.get(f"/thanh-toan/{dossier.code}/").status_code == 404
