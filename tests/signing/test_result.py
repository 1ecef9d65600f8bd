"""The electronic result (kết quả điện tử, Decree 118/2025 Art. 22): the leader resolves a dossier with the result
as a PDF, which is signed with the leader's personal certificate and stored by its hash; a file that is not a
PDF, or no means to sign, refuses the whole step and changes nothing."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cchc.core.blobs import blob_read
from cchc.dossiers import services
from cchc.dossiers.lifecycle import RuleBroken
from cchc.dossiers.models import DeliveryMethod, Dossier, DossierResult, PersonalDataAccess, State
from cchc.signing import keystore
from cchc.signing.verify import verify_pdf
from tests.dossiers.conftest import World, at
from tests.portal.factories import received, refreshed

pytestmark = pytest.mark.django_db


def _with_leader(world: World) -> Dossier:
    dossier = received(world)
    for giver, taker, moment in (
        ("reception", "specialist", at(2026, 3, 9, 10)),
        ("specialist", "leader", at(2026, 3, 10, 9)),
    ):
        services.dossier_hand_over(dossier=dossier, actor=world.staff[giver], to_user=world.staff[taker],
                                   expected_version=dossier.version, at=moment)  # fmt: skip
        dossier = refreshed(dossier)
    return dossier


def _resolve(world: World, dossier: Dossier, document: bytes | None) -> Dossier:
    return services.dossier_resolve(
        dossier=dossier, actor=world.staff["leader"], document_number="15/GKS", document_date=dt.date(2026, 3, 10),
        document=document, expected_version=dossier.version, at=at(2026, 3, 10, 15),
    )  # fmt: skip


def test_the_result_is_signed_by_the_leader_and_stored_by_its_hash(
    world: World, local: Path, receipt: bytes
) -> None:
    leader = world.staff["leader"]
    dossier = _resolve(world, _with_leader(world), receipt)
    result = DossierResult.objects.get(dossier=dossier)
    stored = blob_read(result.file.name, result.sha256)
    assert stored.startswith(receipt)  # the document as given, with the signature appended
    (check,) = verify_pdf(stored, keystore.installation_trust())
    assert check.valid, check.problem
    assert (check.signer, check.organisation) == (
        leader.get_full_name() or leader.get_username(),
        world.justice.name,
    )
    assert refreshed(dossier).state == State.RESOLVED


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"GIF89a not a pdf", "Kết quả điện tử phải là tệp PDF"),
        (b"<html>%PDF-</html>", "Kết quả điện tử phải là tệp PDF"),
        (b"%PDF-1.7\nbroken", "Tệp không phải PDF hợp lệ, không ký được"),
    ],
)
def test_a_result_that_is_not_a_pdf_refuses_the_step(
    world: World, local: Path, document: bytes, message: str
) -> None:
    dossier = _with_leader(world)
    with pytest.raises(RuleBroken, match=message):
        _resolve(world, dossier, document)
    assert refreshed(dossier).state == dossier.state and not DossierResult.objects.exists()


def test_without_a_means_to_sign_the_step_is_refused(world: World, settings: Any, receipt: bytes) -> None:
    settings.CCHC_SIGNING_LOCAL_CA = False
    dossier = _with_leader(world)
    with pytest.raises(RuleBroken, match="Chưa cấu hình phương tiện ký số"):
        _resolve(world, dossier, receipt)
    assert refreshed(dossier).state == dossier.state and not DossierResult.objects.exists()


def test_a_paper_result_needs_no_signature(world: World, settings: Any) -> None:
    settings.CCHC_SIGNING_LOCAL_CA = False
    dossier = _resolve(world, _with_leader(world), None)
    result = DossierResult.objects.get(dossier=dossier)
    assert (result.file.name, result.sha256) == ("", "")


# -- the staff pages -----------------------------------------------------------------------------------------------
def _post_resolve(world: World, dossier: Dossier, upload: SimpleUploadedFile) -> Any:
    client = Client()
    client.force_login(world.staff["leader"])
    return client.post(
        reverse("staff-dossier-action", args=[dossier.code, "resolve"]),
        {
            "resolve-expected_version": dossier.version,
            "resolve-document_number": "15/GKS",
            "resolve-document_date": timezone.localdate().strftime("%d/%m/%Y"),
            "resolve-summary": "",
            "resolve-document": upload,
        },
    )


def test_the_leader_uploads_the_result_and_the_page_shows_its_signature(
    world: World, local: Path, receipt: bytes
) -> None:
    dossier = _with_leader(world)
    answer = _post_resolve(world, dossier, SimpleUploadedFile("ket-qua.pdf", receipt, "application/pdf"))
    assert answer.status_code == 302, answer.content.decode()[:2000]
    leader = Client()
    leader.force_login(world.staff["leader"])
    page = leader.get(reverse("staff-dossier", args=[dossier.code])).content.decode()
    name = world.staff["leader"].get_full_name() or world.staff["leader"].get_username()
    assert "Chữ ký số hợp lệ" in page and f"ký bởi {name} ({world.justice.name})" in page
    served = leader.get(reverse("staff-dossier-result", args=[dossier.code]))
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert verify_pdf(served.content, keystore.installation_trust())[0].valid
    assert PersonalDataAccess.objects.filter(dossier=dossier, purpose="xem kết quả điện tử").count() == 1
    # A revocation shows at once: the page checks the signature each time it is shown.
    keystore.local_revoke(keystore.local_credential(key=f"user-{world.staff['leader'].pk}", common_name=name,
                                                    organisation=world.justice.name)[1])  # fmt: skip
    page = leader.get(reverse("staff-dossier", args=[dossier.code])).content.decode()
    assert "Chữ ký số không hợp lệ</strong>: Chứng thư số đã bị thu hồi." in page


def test_an_oversize_result_is_refused_with_a_message(world: World, local: Path, settings: Any) -> None:
    settings.CCHC_UPLOAD_MAX_BYTES = 1024 * 1024
    dossier = _with_leader(world)
    big = SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024), "application/pdf")
    answer = _post_resolve(world, dossier, big)
    assert answer.status_code == 422
    assert "Tệp lớn hơn 1 MB" in answer.content.decode()
    assert refreshed(dossier).state == dossier.state


def test_the_result_file_is_hidden_from_another_unit(world: World, local: Path, receipt: bytes) -> None:
    dossier = _resolve(world, _with_leader(world), receipt)
    other = Client()
    other.force_login(world.staff["other_specialist"])
    assert other.get(reverse("staff-dossier-result", args=[dossier.code])).status_code == 404
    anonymous = Client().get(reverse("staff-dossier-result", args=[dossier.code]))
    assert anonymous.status_code == 302


# -- the citizen's download ------------------------------------------------------------------------------------------
def _returned_online(world: World, receipt: bytes) -> Dossier:
    dossier = refreshed(_resolve(world, _with_leader(world), receipt))
    services.dossier_return(dossier=dossier, actor=world.staff["reception"], method=DeliveryMethod.ONLINE,
                            expected_version=dossier.version, at=at(2026, 3, 11, 8))  # fmt: skip
    return refreshed(dossier)


def test_the_applicant_downloads_the_signed_result_once_it_is_returned(
    world: World, local: Path, receipt: bytes
) -> None:
    dossier = refreshed(_resolve(world, _with_leader(world), receipt))
    secret = {"ma": dossier.code, "khoa": dossier.lookup_key}
    client = Client()
    # Resolved but not returned yet: no button, and a download is refused with a message.
    assert 'id="result-download"' not in client.get(reverse("portal-track"), secret).content.decode()
    early = client.post(reverse("portal-result"), secret)
    assert early.status_code == 404 and "Hồ sơ chưa có kết quả điện tử để tải." in early.content.decode()
    services.dossier_return(dossier=dossier, actor=world.staff["reception"], method=DeliveryMethod.ONLINE,
                            expected_version=dossier.version, at=at(2026, 3, 11, 8))  # fmt: skip
    assert 'id="result-download"' in client.get(reverse("portal-track"), secret).content.decode()
    answer = client.post(reverse("portal-result"), secret)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"] == f'attachment; filename="{dossier.code}-ket-qua.pdf"'
    (check,) = verify_pdf(answer.content, keystore.installation_trust())
    assert check.valid


def test_a_wrong_key_gets_the_tracking_pages_not_found(world: World, local: Path, receipt: bytes) -> None:
    dossier = _returned_online(world, receipt)
    answer = Client().post(reverse("portal-result"), {"ma": dossier.code, "khoa": "22222222"})
    assert answer.status_code == 404
    assert answer["Content-Type"].startswith("text/html")
    assert "Không tìm thấy hồ sơ phù hợp" in answer.content.decode()


# -- the API -------------------------------------------------------------------------------------------------------
def _api_resolve(world: World, dossier: Dossier, **extra: Any) -> Any:
    client = Client()
    client.force_login(world.staff["leader"])
    body = {"expected_version": dossier.version, "document_number": "15/GKS",
            "document_date": timezone.localdate().isoformat(), **extra}  # fmt: skip
    return client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/resolve", json.dumps(body), content_type="application/json"
    )


def test_the_api_takes_the_result_as_base64_and_signs_it(world: World, local: Path, receipt: bytes) -> None:
    dossier = _with_leader(world)
    answer = _api_resolve(world, dossier, document_pdf_base64=base64.b64encode(receipt).decode())
    assert answer.status_code == 200, answer.content
    result = DossierResult.objects.get(dossier=dossier)
    assert verify_pdf(blob_read(result.file.name, result.sha256), keystore.installation_trust())[0].valid


@pytest.mark.parametrize(
    ("encoded", "message"),
    [
        ("không phải base64", "Tệp kết quả không đúng mã hóa base64."),
        (base64.b64encode(b"GIF89a").decode(), "PDF"),
    ],
)
def test_the_api_refuses_a_result_that_is_not_a_base64_pdf(
    world: World, local: Path, encoded: str, message: str
) -> None:
    dossier = _with_leader(world)
    answer = _api_resolve(world, dossier, document_pdf_base64=encoded)
    assert answer.status_code == 422 and answer["Content-Type"] == "application/problem+json"
    assert message in json.dumps(answer.json(), ensure_ascii=False)
    assert refreshed(dossier).state == dossier.state
