"""At reception (Decree 118/2025 Art. 17): a component scanned at the counter is signed with the receiving
officer's certificate, and a component the citizen's store already holds as an earlier electronic result is
taken from it by its document code instead of being asked for again; both count in the 766 digitisation group."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cchc.core.blobs import blob_read
from cchc.dossiers.models import Dossier, DossierResult, State
from cchc.serviceindex.inputs import measures_by_unit
from cchc.signing import keystore
from cchc.signing.verify import verify_pdf
from tests.dossiers.conftest import World, at
from tests.portal.factories import refreshed
from tests.signing.test_eresult import _returned
from tests.signing.test_result import _resolve, _with_leader

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _desk(world: World, client: Client, **extra: Any) -> Any:
    code = world.version.procedure.code
    return client.post(f"/can-bo/tiep-nhan/?thu_tuc={code}", {
        "thu_tuc": code, "full_name": "Nguyễn Văn An", "id_number": "079203001234", "phone": "0912345678",
        "receiving_unit": world.centre.pk, "competent_unit": world.justice.pk, "quyet_dinh": "tiep_nhan",
        **extra,
    })  # fmt: skip


def _earlier_result(world: World, receipt: bytes) -> DossierResult:
    dossier = _returned(world, _resolve(world, _with_leader(world), receipt))
    return DossierResult.objects.get(dossier=dossier)


def test_a_scan_made_at_the_counter_is_signed_by_the_receiving_officer(
    world: World, local: Path, receipt: bytes
) -> None:
    client = Client()
    client.force_login(world.staff["reception"])
    component = world.version.components.get()
    scan = SimpleUploadedFile("to-khai.pdf", receipt, content_type="application/pdf")
    assert _desk(world, client, **{f"scan_{component.pk}": scan}).status_code == 302
    dossier = Dossier.objects.latest("pk")  # the receipt fixture made one before
    part = dossier.components.get()
    assert (part.provided, part.digitised, part.reused) == (True, True, False)
    (check,) = verify_pdf(blob_read(part.file.name, part.sha256), keystore.installation_trust())
    officer = world.staff["reception"]
    assert check.valid and check.signer == (officer.get_full_name() or officer.get_username())
    assert check.organisation == world.centre.name
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "Số hóa khi tiếp nhận" in page and "Chữ ký số hợp lệ" in page


def test_a_scan_that_is_not_a_pdf_refuses_the_intake(world: World, local: Path) -> None:
    client = Client()
    client.force_login(world.staff["reception"])
    component = world.version.components.get()
    scan = SimpleUploadedFile("to-khai.png", PNG, content_type="image/png")
    answer = _desk(world, client, **{f"scan_{component.pk}": scan})
    assert answer.status_code == 422
    assert "Bản quét thành phần hồ sơ phải là tệp PDF để ký số." in answer.content.decode()
    assert not Dossier.objects.exists()  # nothing recorded


def test_a_scan_without_means_to_sign_refuses_the_intake(world: World, receipt: bytes, settings: Any) -> None:
    settings.CCHC_SIGNING_LOCAL_CA = False
    client = Client()
    client.force_login(world.staff["reception"])
    component = world.version.components.get()
    existing = Dossier.objects.count()  # the receipt fixture's own dossier
    scan = SimpleUploadedFile("to-khai.pdf", receipt, content_type="application/pdf")
    answer = _desk(world, client, **{f"scan_{component.pk}": scan})
    assert answer.status_code == 422 and "Chưa cấu hình phương tiện ký số" in answer.content.decode()
    assert Dossier.objects.count() == existing


def test_an_earlier_electronic_result_is_taken_from_the_store_at_the_desk(
    world: World, local: Path, receipt: bytes
) -> None:
    earlier = _earlier_result(world, receipt)
    client = Client()
    client.force_login(world.staff["reception"])
    component = world.version.components.get()
    assert _desk(world, client, **{f"reuse_{component.pk}": earlier.document_code.lower()}).status_code == 302
    dossier = Dossier.objects.exclude(pk=earlier.dossier_id).exclude(state=State.RETURNED).latest("pk")
    part = dossier.components.get()
    assert (part.provided, part.reused, part.reused_result, part.sha256) == (
        True,
        True,
        earlier,
        earlier.sha256,
    )
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert f"Lấy từ Kho dữ liệu của công dân, mã số giấy tờ {earlier.document_code}" in page
    # The 766 index counts it among dossiers whose components were cut by reusing data, and as digitised.
    measures = measures_by_unit(unit_ids=[world.justice.pk], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
                                now=at(2027, 1, 1))  # fmt: skip
    assert (
        dict(measures[world.justice.pk]["reused"].inputs)[
            "Hồ sơ được cắt giảm thành phần nhờ tái sử dụng dữ liệu"
        ]
        == "1"
    )


@pytest.mark.parametrize(
    ("code", "id_number", "message"),
    [
        ("000.00.12.H99-2026-999999.KQ", "079203001234", "Không tìm thấy kết quả điện tử có mã số giấy tờ"),
        (None, "079199000001", "không được cấp cho người nộp hồ sơ này"),
        (None, "", "không được cấp cho người nộp hồ sơ này"),
    ],
)
def test_a_document_code_that_cannot_be_reused_is_refused_at_the_desk_and_through_the_api(
    world: World, local: Path, receipt: bytes, code: str | None, id_number: str, message: str
) -> None:
    earlier = _earlier_result(world, receipt)
    client = Client()
    client.force_login(world.staff["reception"])
    component = world.version.components.get()
    before = Dossier.objects.count()
    answer = _desk(
        world, client, id_number=id_number, **{f"reuse_{component.pk}": code or earlier.document_code}
    )
    assert answer.status_code == 422 and message in answer.content.decode()
    body = {
        "procedure_code": world.version.procedure.code, "receiving_unit_id": world.centre.pk,
        "competent_unit_id": world.justice.pk, "outcome": "receive",
        "applicant": {"full_name": "Nguyễn Văn An", "id_number": id_number, "phone": "0912345678"},
        "reused_documents": [{"component_id": component.pk, "document_code": code or earlier.document_code}],
    }  # fmt: skip
    api = client.post("/api/v1/dossiers", data=json.dumps(body), content_type="application/json",
                      headers={"Idempotency-Key": f"reuse-{id_number}-{code}"})  # fmt: skip
    assert api.status_code == 422 and message in api.json()["detail"]
    assert Dossier.objects.count() == before


def test_a_result_not_yet_returned_cannot_be_reused(world: World, local: Path, receipt: bytes) -> None:
    resolved = _resolve(world, _with_leader(world), receipt)
    result = DossierResult.objects.get(dossier=resolved)
    client = Client()
    client.force_login(world.staff["reception"])
    component = world.version.components.get()
    answer = _desk(world, client, **{f"reuse_{component.pk}": result.document_code})
    assert answer.status_code == 422 and "chưa được trả cho công dân" in answer.content.decode()
    assert refreshed(resolved).state == State.RESOLVED


def test_the_api_takes_a_reused_document(world: World, local: Path, receipt: bytes) -> None:
    earlier = _earlier_result(world, receipt)
    client = Client()
    client.force_login(world.staff["reception"])
    component = world.version.components.get()
    body = {
        "procedure_code": world.version.procedure.code, "receiving_unit_id": world.centre.pk,
        "competent_unit_id": world.justice.pk, "outcome": "receive",
        "applicant": {"full_name": "Nguyễn Văn An", "id_number": "079203001234", "phone": "0912345678"},
        "reused_documents": [{"component_id": component.pk, "document_code": earlier.document_code}],
    }  # fmt: skip
    answer = client.post("/api/v1/dossiers", data=json.dumps(body), content_type="application/json",
                         headers={"Idempotency-Key": "reuse-ok"})  # fmt: skip
    assert answer.status_code == 201, answer.content
    part = Dossier.objects.get(code=answer.json()["code"]).components.get()
    assert part.reused and part.reused_result == earlier
