"""Reconciliation (đối soát) for staff: scoped to the dossiers they may see, totals, mismatches, XLSX."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from cchc.dossiers import services as dossier_services
from cchc.dossiers.models import Dossier
from cchc.payments import rules
from cchc.payments.models import Payment, PaymentStatus
from cchc.payments.selectors import reconciliation
from tests.dossiers.conftest import World
from tests.payments.conftest import add_fees, ipn, remember, start
from tests.payments.fake_vnpay import FakeVnpay

pytestmark = pytest.mark.django_db

URL = "/can-bo/thanh-toan/"


@dataclass
class Book:
    paid: Payment
    stale: Payment
    unconfirmed: Payment
    elsewhere: Payment


def received(world: World, **intake: object) -> Dossier:
    dossier = dossier_services.dossier_receive(actor=world.staff["reception"], intake=world.intake(**intake))
    add_fees(dossier, 50_000, 20_000)
    return dossier


@pytest.fixture
def book(client: Client, world: World, dossier: Dossier, gateway: FakeVnpay) -> Book:
    paid = start(dossier)
    remember(gateway, paid)
    ipn(client, gateway.result(paid.order_ref))
    stale = start(received(world), now=timezone.now() - rules.PENDING_ALERT_AFTER - dt.timedelta(minutes=1))
    unconfirmed = start(received(world))
    remember(gateway, unconfirmed)
    # The gateway took the money and the browser came back, but the IPN never arrived.
    client.get("/thanh-toan/ket-qua/", gateway.result(unconfirmed.order_ref))
    elsewhere = start(received(world, competent_unit=world.construction))
    return Book(Payment.objects.get(pk=paid.pk), stale, unconfirmed, elsewhere)


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_anonymous_goes_to_the_staff_login(client: Client, db: None) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/can-bo/dang-nhap/" in response["Location"]


def test_a_user_without_a_role_is_refused(db: None) -> None:
    user = get_user_model().objects.create_user("khong.vai.tro", password="mat-khau-dai-2026")
    assert signed_in(user).get(URL).status_code == 403


def test_staff_see_only_the_payments_of_dossiers_they_may_see(book: Book, world: World) -> None:
    justice = signed_in(world.staff["specialist"]).get(URL).content.decode()
    assert all(p.order_ref in justice for p in (book.paid, book.stale, book.unconfirmed))
    assert book.elsewhere.order_ref not in justice
    construction = signed_in(world.staff["other_specialist"]).get(URL).content.decode()
    assert book.elsewhere.order_ref in construction
    assert book.paid.order_ref not in construction


def test_totals_and_mismatches(book: Book, world: World) -> None:
    report = reconciliation(user=world.staff["specialist"])
    totals = {total.status: (total.count, total.amount_vnd) for total in report.totals}
    assert totals[PaymentStatus.PAID] == (1, 70_000)
    assert totals[PaymentStatus.PENDING] == (2, 140_000)
    assert totals[PaymentStatus.FAILED] == (0, 0)
    assert (report.count, report.amount_vnd, report.paid_amount_vnd) == (3, 210_000, 70_000)
    mismatches = {row.order_ref: row.mismatch for row in report.rows}
    assert mismatches == {
        book.paid.order_ref: "",
        book.stale.order_ref: "pending_too_long",
        book.unconfirmed.order_ref: "unconfirmed_success",
    }
    assert report.mismatch_count == 2
    page = signed_in(world.staff["specialist"]).get(URL).content.decode()
    assert "Cổng thanh toán báo đã thanh toán nhưng hệ thống chưa ghi nhận" in page
    assert "Chờ xác nhận quá lâu" in page
    assert "210.000 đ" in page


def test_a_refused_ipn_with_a_signed_success_is_a_mismatch(
    client: Client, world: World, gateway: FakeVnpay
) -> None:
    payment = start(received(world))
    remember(gateway, payment)
    ipn(client, gateway.result(payment.order_ref, amount="100"))  # a success, for another amount: refused
    row = reconciliation(user=world.staff["specialist"]).rows[0]
    assert (row.order_ref, row.mismatch) == (payment.order_ref, "unconfirmed_success")


def test_filters(book: Book, world: World) -> None:
    client = signed_in(world.staff["specialist"])
    only_paid = client.get(URL, {"trang_thai": "paid"}).content.decode()
    assert book.paid.order_ref in only_paid and book.stale.order_ref not in only_paid
    only_mismatches = client.get(URL, {"chenh_lech": "on"}).content.decode()
    assert book.paid.order_ref not in only_mismatches
    assert book.stale.order_ref in only_mismatches and book.unconfirmed.order_ref in only_mismatches
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    assert "Không có giao dịch phù hợp." in client.get(URL, {"tu_ngay": tomorrow}).content.decode()
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert book.paid.order_ref in client.get(URL, {"tu_ngay": today, "den_ngay": today}).content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"tu_ngay": "20/11/2026", "den_ngay": "01/11/2026"},
            "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.",
        ),
        ({"tu_ngay": "2026-13-45"}, "Nhập một ngày hợp lệ."),
        ({"trang_thai": "stolen"}, "Hãy chọn một lựa chọn hợp lệ"),
    ],
)
def test_bad_filters_get_a_clear_message(world: World, query: dict[str, str], message: str) -> None:
    response = signed_in(world.staff["specialist"]).get(URL, query)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert signed_in(world.staff["specialist"]).get(URL + "doi-soat.xlsx", query).status_code == 422


def test_the_xlsx_export_reads_back(book: Book, world: World) -> None:
    response = signed_in(world.staff["specialist"]).get(URL + "doi-soat.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Đối soát thanh toán trực tuyến"
    assert rows[2][:5] == ("STT", "Mã giao dịch", "Mã hồ sơ", "Người nộp tiền", "Số tiền (đồng)")
    data = {row[1]: row for row in rows[3:6]}
    assert set(data) == {book.paid.order_ref, book.stale.order_ref, book.unconfirmed.order_ref}
    paid = data[book.paid.order_ref]
    assert paid[4] == 70_000  # a number, not text
    assert paid[5] == "Đã thanh toán"
    assert paid[8] == book.paid.gateway_transaction_no
    assert paid[10] == book.paid.receipt_number
    assert data[book.stale.order_ref][11] == "Chờ xác nhận quá lâu"
    totals = {row[1]: row for row in rows[6:] if row and row[1]}
    assert totals["Tổng cộng"][4] == 210_000
    assert totals["Tổng – Đã thanh toán"][4] == 70_000
    assert totals["Số giao dịch chênh lệch"][3] == 2


def test_a_signed_success_for_an_unknown_order_is_shown_to_province_wide_users_only(
    client: Client, world: World, dossier: Dossier, gateway: FakeVnpay
) -> None:
    payment = start(dossier)
    remember(gateway, payment)
    ipn(client, gateway.result(payment.order_ref, vnp_TxnRef="261231LOSTORDER"))
    admin = get_user_model().objects.create_superuser("quantri", "qt@example.invalid", "mat-khau-dai-2026")
    assert "261231LOSTORDER" in signed_in(admin).get(URL).content.decode()
    assert "261231LOSTORDER" not in signed_in(world.staff["specialist"]).get(URL).content.decode()
