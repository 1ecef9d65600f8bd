"""What comes from the national portal: dossiers filed there become online dossiers waiting for reception (or
are refused with the reason), once; catalog updates become drafts, and a wrong document writes nothing."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from cchc.catalog import services as catalog_services
from cchc.catalog.models import Procedure, ProcedureVersion, VersionStatus
from cchc.core.blobs import blob_read
from cchc.dossiers.models import Channel, Dossier, State
from cchc.nationalportal.client import HttpNationalPortal
from cchc.nationalportal.models import CatalogPull, FilingState, InboundFiling, Message
from cchc.nationalportal.services import catalog_pull, filings_receive
from cchc.orgs.models import Unit, UnitKind
from tests.catalog.conftest import make_draft
from tests.dossiers.conftest import World, at
from tests.nationalportal.fake_portal import TOKEN, FakePortal

pytestmark = pytest.mark.django_db

NOW = at(2026, 3, 11, 9)
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def portal() -> Iterator[FakePortal]:
    with FakePortal() as fake:
        yield fake


@pytest.fixture
def commune(world: World) -> Unit:
    return Unit.objects.create(
        name="Ủy ban nhân dân xã Thử", kind=UnitKind.COMMUNE_COMMITTEE, area=world.centre.area,
        identifier="000.41.21.H99",
    )  # fmt: skip


@pytest.fixture
def online_version(world: World) -> ProcedureVersion:
    draft = make_draft("1.004227", name="Đăng ký kết hôn", online_level="full")
    return catalog_services.procedure_version_publish(version=draft, valid_from=dt.date(2025, 7, 1))


def _filing(number: str = "G22.99-260311-000001", **overrides: Any) -> dict[str, Any]:
    filing: dict[str, Any] = {
        "id": number,
        "procedure_code": "1.004227",
        "agency_code": "000.41.21.H99",
        "submitted_at": "2026-03-11T08:30:00+07:00",
        "applicant": {"kind": "individual", "full_name": "Trần Thị Bình", "id_number": "079304001234",
                      "phone": "0987654321", "email": "binh@example.vn", "address": "Ấp 3, xã Thử"},
        "components": [{"name": "Tờ khai đăng ký khai sinh", "file_name": "to-khai.pdf",
                        "content_base64": base64.b64encode(PDF).decode()}],
        "return": {"method": "online", "address": ""},
    }  # fmt: skip
    filing.update(overrides)
    return filing


def _receive(portal: FakePortal, now: dt.datetime = NOW) -> Any:
    return filings_receive(portal=HttpNationalPortal(portal.url, TOKEN), now=now)


def test_a_filing_becomes_an_online_dossier_waiting_for_reception_and_the_portal_gets_its_code(
    world: World, commune: Unit, online_version: ProcedureVersion, portal: FakePortal
) -> None:
    portal.file(_filing())
    report = _receive(portal)
    assert (report.accepted, report.rejected, report.failed) == (1, 0, 0)
    record = InboundFiling.objects.get(national_id="G22.99-260311-000001")
    dossier = record.dossier
    assert dossier is not None and record.acknowledged
    assert (dossier.state, dossier.channel, dossier.competent_unit, dossier.procedure_version) == (
        State.SUBMITTED,
        Channel.ONLINE,
        commune,
        online_version,
    )
    assert dossier.submitted_at == at(2026, 3, 11, 8, 30)
    assert dossier.return_method == "online"
    assert dossier.parties.get(role="applicant").full_name == "Trần Thị Bình"
    (component,) = dossier.components.filter(provided=True)
    assert blob_read(component.file.name, component.sha256) == PDF
    assert portal.answers["G22.99-260311-000001"] == ("accept", dossier.code)
    # Its status goes back to the portal like any other dossier's.
    assert Message.objects.get(dossier=dossier).national_status == "new"
    # Listed again, it is not received twice.
    portal.answers.clear()
    assert _receive(portal).accepted == 0
    assert Dossier.objects.filter(procedure_version=online_version).count() == 1


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"procedure_code": "9.999999"}, "Không tìm thấy thủ tục đang có hiệu lực mã 9.999999."),
        ({"agency_code": "000.00.13.H99"}, "Cơ quan mã 000.00.13.H99 không giải quyết thủ tục 1.004227"),
        (
            {
                "applicant": {
                    "kind": "individual",
                    "full_name": "Trần Thị Bình",
                    "id_number": "12345",
                    "phone": "0987654321",
                }
            },
            "Số định danh cá nhân gồm đúng 12 chữ số.",
        ),
        (
            {"components": [{"name": "Giấy tờ lạ", "content_base64": ""}]},
            "Thành phần “Giấy tờ lạ” không thuộc",
        ),
        (
            {"components": [{"name": "Tờ khai đăng ký khai sinh", "content_base64": "không-phải-base64"}]},
            "không đúng mã hóa base64",
        ),
        (
            {
                "components": [
                    {
                        "name": "Tờ khai đăng ký khai sinh",
                        "content_base64": base64.b64encode(b"MZ\x90\x00").decode(),
                    }
                ]
            },
            "Chỉ nhận tệp PDF, JPG hoặc PNG.",
        ),
        ({"return": {"method": "post", "address": ""}}, "Nhận qua bưu chính cần địa chỉ nhận."),
    ],
)
def test_a_filing_that_cannot_be_a_dossier_here_is_refused_with_its_reason(
    world: World,
    commune: Unit,
    online_version: ProcedureVersion,
    portal: FakePortal,
    overrides: dict[str, Any],
    reason: str,
) -> None:
    portal.file(_filing(**overrides))
    assert _receive(portal).rejected == 1
    record = InboundFiling.objects.get()
    assert record.state == FilingState.REJECTED and record.dossier is None and reason in record.reason
    assert portal.answers[record.national_id] == ("reject", record.reason)
    assert not Dossier.objects.exists()


def test_a_procedure_not_offered_online_is_refused(world: World, commune: Unit, portal: FakePortal) -> None:
    portal.file(_filing(procedure_code="1.001193"))  # the world's procedure: no online level
    _receive(portal)
    assert InboundFiling.objects.get().reason == "Thủ tục 1.001193 không được cung cấp trực tuyến."


def test_an_answer_the_portal_did_not_take_is_given_again_without_a_second_dossier(
    world: World, commune: Unit, online_version: ProcedureVersion, portal: FakePortal
) -> None:
    portal.file(_filing())
    client = HttpNationalPortal(portal.url, TOKEN)
    filings = client.new_filings()

    class AnswerFails(HttpNationalPortal):
        def new_filings(self) -> list[dict[str, Any]]:
            return filings

        def accept_filing(self, national_id: str, dossier_code: str) -> None:
            portal.fail_next(1)
            super().accept_filing(national_id, dossier_code)

    report = filings_receive(portal=AnswerFails(portal.url, TOKEN), now=NOW)
    assert (report.accepted, report.failed) == (0, 1)
    record = InboundFiling.objects.get()
    assert not record.acknowledged and "HTTP 500" in record.last_error
    assert _receive(portal, NOW + dt.timedelta(minutes=1)).accepted == 1
    record.refresh_from_db()
    assert record.acknowledged and Dossier.objects.count() == 1
    assert portal.answers[record.national_id] == ("accept", record.dossier.code)  # type: ignore[union-attr]


def _record(code: str, name: str) -> dict[str, Any]:
    return {
        "code": code, "name": name, "field": {"name": "Hộ tịch", "code": None},
        "levels": {"province": False, "commune": True, "note": ""}, "agency": "Ủy ban nhân dân cấp xã",
        "time_limit": {"amount": 3, "unit": "working_days", "cutoff": None, "note": ""},
        "steps": "Bước 1: nộp. Bước 2: nhận.", "methods": {"counter": True, "post": True, "online": True},
        "online_level": "full", "applicants": "Công dân", "result": "Giấy xác nhận",
        "legal_basis": ["60/2014/QH13"], "decision": {"number": "163/QĐ-BTP", "date": "2025-07-01"},
        "components": [{"name": "Tờ khai", "kind": "original", "quantity": 1}],
        "fees": [{"kind": "charge", "case": "Lệ phí", "amount_vnd": 0}],
        "process_steps": [{"name": "Tiếp nhận", "role": "reception_officer", "share": 1},
                          {"name": "Xử lý", "role": "specialist", "share": 2}],
    }  # fmt: skip


def test_catalog_updates_become_drafts_and_the_cursor_moves_only_on_success(
    db: None, portal: FakePortal
) -> None:
    client = HttpNationalPortal(portal.url, TOKEN)
    portal.catalog.append(("c1", [_record("2.000001", "Xác nhận tình trạng hôn nhân")]))
    pull = catalog_pull(portal=client, now=NOW)
    assert (pull.ok, pull.since, pull.cursor) == (True, "", "c1")
    version = Procedure.objects.get(code="2.000001").versions.get()
    assert version.status == VersionStatus.DRAFT and version.name == "Xác nhận tình trạng hôn nhân"
    assert catalog_pull(portal=client, now=NOW).summary == "Không có thay đổi."
    # A wrong record: nothing is written, the cursor stays, the next pull asks again.
    portal.catalog.append(("c2", [_record("2.000002", "")]))
    bad = catalog_pull(portal=client, now=NOW + dt.timedelta(hours=1))
    assert (bad.ok, bad.cursor) == (False, "c1") and "không có dữ liệu nào được ghi" in bad.summary
    assert not Procedure.objects.filter(code="2.000002").exists()
    portal.catalog[-1] = ("c2", [_record("2.000002", "Cấp bản sao trích lục hộ tịch")])
    assert catalog_pull(portal=client, now=NOW + dt.timedelta(hours=2)).cursor == "c2"
    assert Procedure.objects.filter(code="2.000002").exists()
    assert CatalogPull.objects.filter(ok=False).count() == 1


def test_an_unreachable_portal_is_recorded_not_raised(db: None) -> None:
    pull = catalog_pull(portal=HttpNationalPortal("http://127.0.0.1:9", TOKEN, timeout=2), now=NOW)
    assert not pull.ok and "portal unreachable" in pull.summary
    report = filings_receive(portal=HttpNationalPortal("http://127.0.0.1:9", TOKEN, timeout=2), now=NOW)
    assert report.failed == 1


def test_a_filed_component_whose_signature_was_broken_is_refused_with_the_reason(
    world: World,
    commune: Unit,
    online_version: ProcedureVersion,
    portal: FakePortal,
    local: Any,
    receipt: bytes,
) -> None:
    from tests.signing.test_checks import _local_signed, _tampered

    content = base64.b64encode(_tampered(_local_signed(receipt))).decode()
    portal.file(_filing(components=[{"name": "Tờ khai đăng ký khai sinh", "file_name": "to-khai.pdf",
                                     "content_base64": content}]))  # fmt: skip
    assert _receive(portal).rejected == 1
    record = InboundFiling.objects.get()
    assert record.reason == (
        "Tờ khai đăng ký khai sinh: Tệp có chữ ký số không hợp lệ: Tài liệu đã bị thay đổi sau khi ký."
    )
    assert portal.answers[record.national_id] == ("reject", record.reason)
    assert not Dossier.objects.filter(channel=Channel.ONLINE).exists()  # (the receipt is a counter dossier)
