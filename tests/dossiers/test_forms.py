"""The official forms of Circular 03/2025/TT-VPCP (Mẫu 01-07) rendered with typst, read back with pypdf."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from typing import Any, cast

import pytest
import segno
from django.test import override_settings
from openpyxl import load_workbook
from pypdf import PdfReader

from cchc.dossiers import services
from cchc.dossiers.forms import form_pdf, register_pdf, register_xlsx, tracking_url
from cchc.dossiers.models import DeliveryMethod, Dossier
from cchc.dossiers.services import PartyData
from tests.dossiers.conftest import World, at

pytestmark = pytest.mark.django_db

SPECIAL = "Thiếu chữ ký #set $x$ *đậm* _nghiêng_ [a] <nhãn> @ref \\ `code` // chú thích"


def text_of(pdf: bytes) -> str:
    """The PDF's text, NFC-normalised (extraction may give decomposed diacritics) with spaces collapsed."""
    reader = PdfReader(io.BytesIO(pdf))
    raw = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", raw))


def received(world: World, moment: dt.datetime, **intake: object) -> Dossier:
    return services.dossier_receive(actor=world.staff["reception"], intake=world.intake(**intake), at=moment)


def fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def assert_pdf_a(pdf: bytes, title: str) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = unicodedata.normalize("NFC", xmp.stream.get_data().decode("utf-8"))
    assert "<pdfaid:part>2</pdfaid:part>" in raw
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in raw
    assert title in raw
    assert reader.metadata is not None


def qr_matrix_from_pdf(pdf: bytes) -> list[list[bool]]:
    """The receipt's one embedded image, read back as dark/light modules (no QR decoder needed)."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    xobjects = cast(Any, page["/Resources"])["/XObject"]
    images = [xobjects[name].get_object() for name in xobjects if xobjects[name]["/Subtype"] == "/Image"]
    assert len(images) == 1
    image = images[0]
    width, height = int(image["/Width"]), int(image["/Height"])
    data = image.get_data()
    channels = len(data) // (width * height)
    assert channels * width * height == len(data), "expected 8-bit samples"
    return [[data[(y * width + x) * channels] < 128 for x in range(width)] for y in range(height)]


# -- Mẫu 01 ------------------------------------------------------------------------------------------------------
@override_settings(CCHC_PUBLIC_URL="https://dichvucong.thu.gov.vn/")
def test_receipt_has_code_applicant_dates_components_and_a_tracking_qr(world: World) -> None:
    dossier = fresh(received(world, at(2026, 3, 9, 9, 5)))
    pdf = form_pdf(dossier=dossier, form="01")
    text = text_of(pdf)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH THỬ" in text
    assert "Thử, ngày 09 tháng 03 năm 2026" in text
    assert dossier.code in text and dossier.lookup_key in text
    assert "Nguyễn Văn An" in text
    assert "Thủ tục đăng ký khai sinh" in text
    assert "Tờ khai đăng ký khai sinh" in text
    assert "09:05, ngày 09/03/2026" in text  # reception
    assert "17:00, ngày 12/03/2026" in text  # appointment: 3 working days
    assert "3 ngày làm việc" in text
    assert "tiepnhan" in text  # the officer
    url = tracking_url(dossier)
    assert url == f"https://dichvucong.thu.gov.vn/tra-cuu/?ma={dossier.code}&khoa={dossier.lookup_key}"
    expected = [[bool(v) for v in row] for row in segno.make(url, error="m").matrix_iter(scale=1, border=4)]
    assert qr_matrix_from_pdf(pdf) == expected
    assert_pdf_a(pdf, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả")


def test_tracking_url_defaults_to_localhost(world: World) -> None:
    dossier = received(world, at(2026, 3, 9, 9))
    with override_settings(CCHC_PUBLIC_URL=""):
        assert tracking_url(dossier) == (
            f"http://127.0.0.1:8000/tra-cuu/?ma={dossier.code}&khoa={dossier.lookup_key}"
        )


def test_a_submitted_dossier_has_no_receipt_yet(world: World) -> None:
    dossier = services.dossier_submit(intake=world.intake(channel=2), at=at(2026, 3, 9, 9))
    with pytest.raises(ValueError, match="chưa được tiếp nhận"):
        form_pdf(dossier=dossier, form="01")
    with pytest.raises(ValueError, match="chưa được tiếp nhận"):
        form_pdf(dossier=dossier, form="06")


# -- Mẫu 02 ------------------------------------------------------------------------------------------------------
def test_supplement_request_lists_the_missing_documents_and_the_reason(world: World) -> None:
    dossier = services.dossier_request_supplement_at_reception(
        actor=world.staff["reception"],
        intake=world.intake(),
        missing=["Giấy chứng sinh (bản chính)", "Văn bản ủy quyền"],
        reason="Hồ sơ thiếu giấy chứng sinh",
        at=at(2026, 3, 9, 14, 30),
    )
    text = text_of(form_pdf(dossier=fresh(dossier), form="02"))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert dossier.code in text and "Nguyễn Văn An" in text
    assert "1. Giấy chứng sinh (bản chính)" in text and "2. Văn bản ủy quyền" in text
    assert "Lý do: Hồ sơ thiếu giấy chứng sinh" in text
    assert "14:30, ngày 09/03/2026" in text
    assert "Thử, ngày 09 tháng 03 năm 2026" in text


def test_no_supplement_request_no_form_02(world: World) -> None:
    with pytest.raises(ValueError, match="không có yêu cầu bổ sung"):
        form_pdf(dossier=received(world, at(2026, 3, 9, 9)), form="02")


# -- Mẫu 03 ------------------------------------------------------------------------------------------------------
def test_refusal_prints_the_reason_and_typst_markup_literally(world: World) -> None:
    dossier = services.dossier_refuse(
        actor=world.staff["reception"],
        intake=world.intake(),
        reason=SPECIAL,
        at=at(2026, 3, 10, 10, 15),
    )
    text = text_of(form_pdf(dossier=fresh(dossier), form="03"))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert dossier.code in text and "Nguyễn Văn An" in text
    assert SPECIAL in text
    assert "10:15, ngày 10/03/2026" in text


def test_an_applicant_name_with_markup_is_printed_literally(world: World) -> None:
    name = "Công ty #TNHH *Ánh_Dương* [số 1] $5 <a> @b"
    dossier = fresh(
        received(world, at(2026, 3, 9, 9), applicant=PartyData(full_name=name, kind="organisation"))
    )
    assert name in text_of(form_pdf(dossier=dossier, form="01"))


def test_a_processing_dossier_has_no_refusal_nor_stop_notice(world: World) -> None:
    dossier = received(world, at(2026, 3, 9, 9))
    for form in ("03", "05"):
        with pytest.raises(ValueError):
            form_pdf(dossier=dossier, form=form)


# -- Mẫu 04 ------------------------------------------------------------------------------------------------------
def test_apology_gives_the_reason_and_both_dates(world: World) -> None:
    dossier = received(world, at(2026, 3, 9, 9))
    services.dossier_apologise(
        dossier=dossier,
        actor=world.staff["leader"],
        reason="Chờ kết quả xác minh của Công an xã",
        new_appointment_at=at(2026, 3, 17, 17),
        expected_version=dossier.version,
        at=at(2026, 3, 11, 9),
    )
    pdf = form_pdf(dossier=fresh(dossier), form="04")
    text = text_of(pdf)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "SỞ TƯ PHÁP TỈNH THỬ" in text
    assert dossier.code in text and "Kính gửi: Nguyễn Văn An" in text
    assert "Chờ kết quả xác minh của Công an xã" in text
    assert "ngày 12/03/2026" in text  # the old appointment
    assert "ngày 17/03/2026" in text  # the new one
    assert "Thử, ngày 11 tháng 03 năm 2026" in text
    assert_pdf_a(pdf, "Phiếu xin lỗi và hẹn lại ngày trả kết quả")


def test_a_dossier_without_an_apology_refuses_form_04(world: World) -> None:
    with pytest.raises(ValueError, match="không có phiếu xin lỗi"):
        form_pdf(dossier=received(world, at(2026, 3, 9, 9)), form="04")


def test_an_unknown_form_is_refused(world: World) -> None:
    with pytest.raises(ValueError, match="Không có mẫu số 08"):
        form_pdf(dossier=received(world, at(2026, 3, 9, 9)), form="08")


# -- Mẫu 05 ------------------------------------------------------------------------------------------------------
def test_stop_notice_gives_the_reason(world: World) -> None:
    dossier = received(world, at(2026, 3, 9, 9))
    services.dossier_stop(
        dossier=dossier,
        actor=world.staff["leader"],
        reason="Theo đề nghị của người nộp hồ sơ",
        expected_version=dossier.version,
        at=at(2026, 3, 10, 16, 45),
    )
    text = text_of(form_pdf(dossier=fresh(dossier), form="05"))
    assert "THÔNG BÁO" in text and "Về việc dừng giải quyết hồ sơ thủ tục hành chính" in text
    assert dossier.code in text and "Kính gửi: Nguyễn Văn An" in text
    assert "Theo đề nghị của người nộp hồ sơ" in text
    assert "16:45, ngày 10/03/2026" in text and "Ngày 09/03/2026" in text


# -- Mẫu 06 ------------------------------------------------------------------------------------------------------
def _whole_life(world: World, moment: dt.datetime) -> Dossier:
    staff = world.staff
    dossier = received(world, moment)
    services.dossier_hand_over(
        dossier=dossier,
        actor=staff["reception"],
        to_user=staff["specialist"],
        expected_version=dossier.version,
        at=at(2026, 3, 9, 10),
    )
    dossier.refresh_from_db()
    services.dossier_hand_over(
        dossier=dossier,
        actor=staff["specialist"],
        to_user=staff["leader"],
        expected_version=dossier.version,
        at=at(2026, 3, 12, 16),
    )
    dossier.refresh_from_db()
    services.dossier_resolve(
        dossier=dossier,
        actor=staff["leader"],
        document_number="12/GKS",
        document_date=dt.date(2026, 3, 12),
        expected_version=dossier.version,
        at=at(2026, 3, 12, 16, 30),
    )
    dossier.refresh_from_db()
    services.dossier_return(
        dossier=dossier,
        actor=staff["reception"],
        method=DeliveryMethod.COUNTER,
        expected_version=dossier.version,
        at=at(2026, 3, 13, 8, 30),
    )
    return fresh(dossier)


def test_control_sheet_has_a_row_per_hand_over_with_its_outcome(world: World) -> None:
    dossier = _whole_life(world, at(2026, 3, 9, 9))
    text = text_of(form_pdf(dossier=dossier, form="06"))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert dossier.code in text and "Nguyễn Văn An" in text
    assert "10:00, ngày 09/03/2026" in text and "16:00, ngày 12/03/2026" in text
    assert "16:30, ngày 12/03/2026" in text
    assert "Trước hạn" in text  # the reception step, handed over an hour in
    assert "Quá hạn" in text  # the specialist's step, due on 11/03
    assert "chuyenvien.tuphap" in text and "lanhdao.tuphap" in text
    assert text.index("10:00, ngày 09/03/2026") < text.index("16:00, ngày 12/03/2026")


# -- Mẫu 07 ------------------------------------------------------------------------------------------------------
def test_register_pdf_and_xlsx_list_the_dossiers_with_masked_ids(world: World) -> None:
    done = _whole_life(world, at(2026, 3, 9, 9))
    other = received(
        world,
        at(2026, 3, 9, 11),
        applicant=PartyData(full_name="Trần Thị Bích", id_number="001190009876"),
    )
    dossiers = Dossier.objects.filter(pk__in=[done.pk, other.pk]).order_by("code")
    pdf = register_pdf(dossiers=dossiers, title="Sổ theo dõi hồ sơ tháng 3 năm 2026")
    text = text_of(pdf)
    assert "SỔ THEO DÕI HỒ SƠ THÁNG 3 NĂM 2026" in text
    assert done.code in text and other.code in text
    assert "Nguyễn Văn An" in text and "Trần Thị Bích" in text
    assert "079******234" in text and "001******876" in text
    assert "079203001234" not in text
    for day in ("09/03/2026", "12/03/2026", "13/03/2026"):
        assert day in text
    assert_pdf_a(pdf, "Sổ theo dõi hồ sơ tháng 3 năm 2026")

    book = load_workbook(io.BytesIO(register_xlsx(dossiers=dossiers)))
    sheet = book.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:5] == (
        "STT",
        "Mã hồ sơ",
        "Tên thủ tục hành chính",
        "Tên cá nhân, tổ chức",
        "Số định danh",
    )
    body = rows[2:]
    assert len(body) == 2
    first = body[0]
    assert first[1] == done.code and first[3] == "Nguyễn Văn An" and first[4] == "079******234"
    # received, appointment, transfer (the hand-over to Sở Tư pháp), result, return
    assert first[6:11] == ("09/03/2026", "12/03/2026", "09/03/2026", "12/03/2026", "13/03/2026")
    assert body[1][1] == other.code and body[1][4] == "001******876" and body[1][8] is None
    assert not any("079203001234" in str(cell) for row in rows for cell in row)


def test_register_of_a_plain_list_and_of_nothing(world: World) -> None:
    dossier = received(world, at(2026, 3, 9, 9))
    assert dossier.code in text_of(register_pdf(dossiers=[fresh(dossier)], title="Sổ theo dõi hồ sơ"))
    assert "SỔ THEO DÕI HỒ SƠ" in text_of(register_pdf(dossiers=[], title="Sổ theo dõi hồ sơ"))
    sheet = load_workbook(io.BytesIO(register_xlsx(dossiers=[]))).active
    assert sheet is not None and sheet.max_row == 2
