"""CCCD masking (check 6), Decree 13/2023/NĐ-CP: a national ID number (12 digits) is shown in lists, exports and
logs only masked ("079203001234" -> "079******234", cchc.core.masking).

tests/security/test_permission_matrix.py already reads every page and API answer, to every caller, in HTML, JSON,
CSV, XLSX and DOCX, and finds no full CCCD anywhere but on a citizen's own profile; it is not repeated here. This
module adds what the matrix does not read: the log records of a whole dossier flow, the PDF export of a list, the
admin (which the matrix leaves to Django), and that lists show the masked number rather than no number at all.

The official forms (Mẫu 01-07, PDF) carry the applicant's full number by law and are not lists. SQL is logged by
django.db.backends only when DEBUG is on, which it never is in production; the flow runs with DEBUG off.
"""

from __future__ import annotations

import io
import json
import logging
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from pypdf import PdfReader

from cchc.dossiers import services
from cchc.dossiers.models import Dossier, Notification, Party
from cchc.dossiers.notifications import notifications_send_due
from cchc.dossiers.services import PartyData
from tests.citizens.conftest import make_citizen
from tests.dossiers.conftest import World
from tests.portal.factories import returned
from tests.security.conftest import Now

pytestmark = pytest.mark.django_db

# The applicants of the flow: one received at the desk page, one through the API, one by the services.
DESK_ID, DESK_MASKED = "001190000001", "001******001"
API_ID, API_MASKED = "079203001234", "079******234"
THIRD_ID, THIRD_MASKED = "048301005678", "048******678"
FULL_IDS = (DESK_ID, API_ID, THIRD_ID)
API = "/api/v1/dossiers"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _json(client: Client, url: str, body: Any, **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    raw = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", raw))


# -- the logs -------------------------------------------------------------------------------------------------------
@pytest.fixture
def every_log_record(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record of every logger, down to DEBUG, including the loggers that do not propagate to the root."""
    caplog.set_level(logging.DEBUG)
    loggers = [
        logger for logger in logging.root.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
        if not logger.propagate:
            logger.addHandler(caplog.handler)
    yield caplog
    for logger, level, disabled in saved:
        logger.setLevel(level)
        logger.disabled = disabled
        if caplog.handler in logger.handlers:
            logger.removeHandler(caplog.handler)


def _everything_in(record: logging.LogRecord) -> str:
    """The message, its arguments, its extra fields and any traceback, as text."""
    parts = [record.getMessage(), repr(record.__dict__)]
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(parts)


def test_no_log_record_carries_a_full_cccd_through_a_dossier_flow(
    world: World, now: Now, every_log_record: pytest.LogCaptureFixture
) -> None:
    staff = world.staff
    reception, specialist, leader = (_client(staff[name]) for name in ("reception", "specialist", "leader"))
    component = world.version.components.get()

    # Reception at the desk page, and through the API (once refused on its content, then received).
    code = world.version.procedure.code
    desk = reception.post(f"/can-bo/tiep-nhan/?thu_tuc={code}", {
        "thu_tuc": code, "full_name": "Trần Thị Bình", "id_number": DESK_ID, "phone": "0912000111",
        "components": [str(component.pk)], "receiving_unit": world.centre.pk, "competent_unit": world.justice.pk,
        "quyet_dinh": "tiep_nhan",
    })  # fmt: skip
    assert desk.status_code == 302
    at_desk = Dossier.objects.get(parties__id_number=DESK_ID)
    intake = {
        "procedure_code": code, "receiving_unit_id": world.centre.pk, "competent_unit_id": world.justice.pk,
        "applicant": {"full_name": "Nguyễn Văn An", "id_number": API_ID, "phone": "0912345678"},
        "provided_component_ids": [component.pk], "outcome": "receive",
    }  # fmt: skip
    assert _json(reception, API, {**intake, "outcome": "refuse"}, Idempotency_Key="lan-0").status_code == 422
    assert _json(reception, API, {**intake, "applicant": {"full_name": "", "id_number": API_ID}},
                 Idempotency_Key="lan-1").status_code == 422  # fmt: skip
    received = _json(reception, API, intake, Idempotency_Key="lan-2")
    assert received.status_code == 201, received.content
    dossier = Dossier.objects.get(code=received.json()["code"])
    services.dossier_receive(actor=staff["reception"], intake=world.intake(
        applicant=PartyData(full_name="Lê Văn Cường", id_number=THIRD_ID, phone="0903000333")))  # fmt: skip

    # Processing through the API, and through the pages.
    def act(client: Client, action: str, **body: Any) -> Any:
        now.advance(minutes=30)
        version = Dossier.objects.get(pk=dossier.pk).version
        response = _json(
            client, f"{API}/{dossier.code}/actions/{action}", {"expected_version": version, **body}
        )
        assert response.status_code == 200, (action, response.content)
        return response

    act(reception, "hand_over", to_user_id=staff["specialist"].pk)
    act(leader, "assign", assignee_id=staff["specialist"].pk)
    act(specialist, "request_supplement", missing=["Giấy chứng sinh"], reason="Thiếu")
    act(reception, "complete_supplement")
    act(leader, "resolve", document_number="15/GKS", document_date="2026-03-09")
    act(reception, "return_result", method="counter", proof="Ký nhận")
    assert (
        _json(
            leader, f"{API}/{dossier.code}/actions/stop", {"expected_version": 1, "reason": "x"}
        ).status_code
        == 409
    )
    page_action = reception.post(f"/can-bo/ho-so/{at_desk.code}/thao-tac/hand_over/",
                                 {"hand_over-expected_version": at_desk.version, "hand_over-note": "Đủ"})  # fmt: skip
    assert page_action.status_code == 302
    stale = leader.post(f"/can-bo/ho-so/{at_desk.code}/thao-tac/stop/",
                        {"stop-expected_version": at_desk.version, "stop-reason": "Thử"})  # fmt: skip
    assert stale.status_code == 409

    # Reading: lists, the dossier, its exports and forms, by page and by API.
    for url in ("/can-bo/ho-so/?loai=unit", f"/can-bo/ho-so/{dossier.code}/", "/can-bo/so-theo-doi/",
                "/can-bo/so-theo-doi/so-theo-doi.xlsx", "/can-bo/so-theo-doi/so-theo-doi.pdf",
                f"/can-bo/ho-so/{dossier.code}/mau/01.pdf", f"{API}?kind=unit", f"{API}/{dossier.code}"):  # fmt: skip
        assert leader.get(url).status_code == 200, url
    assert leader.get(f"{API}/KHONG-CO-HO-SO").status_code == 404
    assert _client(staff["other_specialist"]).get(f"/can-bo/ho-so/{dossier.code}/").status_code == 404

    # The public: tracking by key, by phone digits, wrongly, and the notices sent to the applicants.
    anonymous = Client()
    dossier.refresh_from_db()
    assert anonymous.post("/tra-cuu/", {"ma": dossier.code, "khoa": dossier.lookup_key}).status_code == 200
    assert anonymous.post("/tra-cuu/", {"ma": dossier.code, "so": "5678"}).status_code == 200
    assert anonymous.post("/tra-cuu/", {"ma": dossier.code, "khoa": "ZZZZZZZZ"}).status_code == 404
    now.advance(minutes=5)
    assert notifications_send_due(worker="kiem-tra").sent > 0
    assert Notification.objects.filter(recipient__in=["0912345678", "0912000111"]).exists()

    records = every_log_record.records
    # The capture works: the tracking log, the SMS console and Django's request warnings were all read.
    names = {record.name for record in records}
    assert {"cchc.portal.tracking", "cchc.dossiers.sms", "django.request"} <= names, names
    leaks = [
        f"{record.name} {record.levelname}: {record.getMessage()[:200]}"
        for record in records
        if any(full in _everything_in(record) for full in FULL_IDS)
    ]
    assert leaks == []


# -- lists and exports ------------------------------------------------------------------------------------------------
@pytest.fixture
def three_dossiers(world: World, now: Now) -> list[Dossier]:
    made = []
    for name, number in (("Trần Thị Bình", DESK_ID), ("Nguyễn Văn An", API_ID), ("Lê Văn Cường", THIRD_ID)):
        made.append(services.dossier_receive(actor=world.staff["reception"], intake=world.intake(
            applicant=PartyData(full_name=name, id_number=number, phone="0912345678"))))  # fmt: skip
        now.advance(minutes=5)
    return made


def test_the_register_exports_show_only_masked_numbers(world: World, three_dossiers: list[Dossier]) -> None:
    client = _client(world.staff["reception"])
    pdf = client.get("/can-bo/so-theo-doi/so-theo-doi.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    xlsx = client.get("/can-bo/so-theo-doi/so-theo-doi.xlsx")
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content), read_only=True)
    cells = [
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    ]
    html = client.get("/can-bo/so-theo-doi/").content.decode()
    for masked in (DESK_MASKED, API_MASKED, THIRD_MASKED):
        assert masked in text
        assert masked in cells
        assert masked in html
    for full in FULL_IDS:
        assert full not in text
        assert not any(full in cell for cell in cells)
        assert full not in html


def test_the_worklist_page_shows_a_received_dossier_with_a_masked_id(world: World, now: Now) -> None:
    dossier = services.dossier_receive(actor=world.staff["reception"], intake=world.intake())
    response = _client(world.staff["reception"]).get("/can-bo/ho-so/?loai=unit")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/can-bo/ho-so/{dossier.code}/"' in html
    assert "079******234" in html
    assert "079203001234" not in html


def test_the_api_worklist_lists_rows_with_the_masked_id(world: World, now: Now) -> None:
    dossier = services.dossier_receive(actor=world.staff["reception"], intake=world.intake())
    response = _client(world.staff["reception"]).get(API, {"kind": "unit"})
    assert response.status_code == 200
    (row,) = response.json()["rows"]
    assert row["code"] == dossier.code
    assert row["applicant_id_masked"] == "079******234"
    assert "079203001234" not in response.content.decode()


def test_the_tracking_page_does_not_carry_the_cccd_even_masked(world: World, now: Now) -> None:
    dossier = returned(world)
    html = Client().get(f"/tra-cuu/?ma={dossier.code}&khoa={dossier.lookup_key}").content.decode()
    assert dossier.code in html
    assert "079******234" not in html and "079203001234" not in html
    assert "Số định danh" not in html


# -- the admin ----------------------------------------------------------------------------------------------------
def _admin() -> Client:
    return _client(get_user_model().objects.create_superuser("quantri", "q@example.invalid", "mat-khau-2026"))


def test_the_citizen_list_masks_id_number_and_phone(db: None) -> None:
    make_citizen(phone="0912345678", full_name="Nguyễn Văn An", id_number="079090001234")
    html = _admin().get("/admin/citizens/citizenprofile/").content.decode()
    assert "Nguyễn Văn An" in html
    assert "079******234" in html and "*******678" in html
    assert "079090001234" not in html and "0912345678" not in html


def test_the_dossier_admin_shows_the_parties_masked(world: World, three_dossiers: list[Dossier]) -> None:
    admin = _admin()
    dossier = three_dossiers[1]
    event = dossier.events.order_by("seq").first()
    assert event is not None
    pages = {
        "dossiers": admin.get("/admin/dossiers/dossier/"),
        "dossier": admin.get(f"/admin/dossiers/dossier/{dossier.pk}/change/"),
        "events": admin.get("/admin/dossiers/dossierevent/"),
        "event": admin.get(f"/admin/dossiers/dossierevent/{event.pk}/change/"),
        "notifications": admin.get("/admin/dossiers/notification/"),
    }
    for where, response in pages.items():
        assert response.status_code == 200, where
        html = response.content.decode()
        assert not [full for full in FULL_IDS if full in html], where
    assert API_MASKED in pages["dossier"].content.decode()
    assert Party.objects.filter(id_number=API_ID).exists()  # the full number is kept, only never shown
