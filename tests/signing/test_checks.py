"""Signatures verified where a signed file enters a dossier and where the result leaves it (cchc.signing.checks):
a citizen's upload, an online supplement, a national-portal filing, a scan at the counter and the leader's
result are refused with the reason when a signature on them proves tampering, is broken, or has an expired or
revoked certificate, and nothing is stored; an untrusted authority's signature is accepted and shown as such.
The tracking page shows who signed the result and whether it verifies, and the download refuses a result whose
signature no longer holds."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cchc.catalog import services as catalog_services
from cchc.core.blobs import blob_read
from cchc.dossiers import services
from cchc.dossiers.lifecycle import RuleBroken
from cchc.dossiers.models import DossierResult
from cchc.signing import keystore
from cchc.signing.authority import LocalAuthority
from cchc.signing.checks import signature_refusal
from cchc.signing.signer import KeySigner
from cchc.signing.verify import EXPIRED, REVOKED, TAMPERED
from cchc.submissions import services as submissions
from cchc.submissions.models import DraftFile
from tests.catalog.conftest import make_draft
from tests.citizens.conftest import make_citizen
from tests.dossiers.conftest import World, at
from tests.signing.test_result import _resolve, _returned_online, _with_leader
from tests.signing.test_signatures import SIGN

pytestmark = pytest.mark.django_db


def _local_signed(pdf: bytes, key: str = "unit-xa", name: str = "UBND xã Mỹ Hòa") -> bytes:
    signer, _certificate = keystore.local_credential(key=key, common_name=name, organisation=name)
    return signer.sign(pdf, SIGN)


def _tampered(signed: bytes) -> bytes:
    start = re.search(rb"stream\r?\n", signed)
    assert start is not None
    position = start.end() + 20
    return signed[:position] + bytes([signed[position] ^ 0x01]) + signed[position + 1 :]


def _expired(pdf: bytes) -> bytes:
    authority = keystore.local_authority()
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=800)
    old = authority.issue(common_name="Cán bộ cũ", organisation="UBND xã Mỹ Hòa", valid_from=long_ago,
                          valid_to=long_ago + dt.timedelta(days=365))  # fmt: skip
    return KeySigner(old.key_pem, old.certificate_pem, authority.root.certificate_pem).sign(pdf, SIGN)


def test_the_rule_refuses_tampered_broken_expired_and_revoked_but_not_untrusted(
    local: Path, receipt: bytes
) -> None:
    good = _local_signed(receipt)
    assert signature_refusal(good) is None
    assert signature_refusal(receipt) is None  # no signature: the upload rules decide
    assert signature_refusal(b"%PDF-1.4 not really a pdf") is None
    assert signature_refusal(b"\x89PNG\r\n\x1a\n") is None
    assert signature_refusal(_tampered(good)) == f"Tệp có chữ ký số không hợp lệ: {TAMPERED}"
    assert signature_refusal(_expired(receipt)) == f"Tệp có chữ ký số không hợp lệ: {EXPIRED}"
    _signer, certificate = keystore.local_credential(key="unit-xa", common_name="UBND xã Mỹ Hòa",
                                                     organisation="UBND xã Mỹ Hòa")  # fmt: skip
    keystore.local_revoke(certificate)
    assert signature_refusal(good) == f"Tệp có chữ ký số không hợp lệ: {REVOKED}"
    foreign = LocalAuthority.create(name="CA lạ").issue(common_name="Người lạ", organisation="Công ty lạ")
    signed_abroad = KeySigner(foreign.key_pem, foreign.certificate_pem).sign(receipt, SIGN)
    assert signature_refusal(signed_abroad) is None  # shown as untrusted on the page; a person decides


def test_a_citizens_tampered_upload_is_refused_on_the_files_page_and_nothing_is_kept(
    world: World, local: Path, receipt: bytes
) -> None:
    version = catalog_services.procedure_version_publish(version=make_draft(
        code="9.990003", name="Cấp bản sao trích lục", online_level="full", level_province=True,
        level_commune=False, agency="Sở Tư pháp",
        components=[{"name": "Bản sao điện tử", "kind": "original", "quantity": 1}],
    ), valid_from=dt.date(2025, 7, 1))  # fmt: skip
    citizen = make_citizen(phone="0987650001", full_name="Trần Văn Tải")
    draft = submissions.draft_create(owner=citizen, version=version, prefill={})
    component = version.components.get()
    with pytest.raises(submissions.DraftError, match=re.escape(str(TAMPERED))):
        submissions.draft_attach(draft=draft, component=component,
                                 upload=io.BytesIO(_tampered(_local_signed(receipt))), filename="ban-sao.pdf")  # fmt: skip
    assert not DraftFile.objects.filter(draft=draft).exists()
    client = Client()
    client.force_login(citizen)
    upload = SimpleUploadedFile("ban-sao.pdf", _expired(receipt), "application/pdf")
    answer = client.post(reverse("submission-files", args=[draft.key]), {f"tep_{component.pk}": upload})
    assert answer.status_code == 400
    assert str(EXPIRED) in answer.content.decode()
    assert not DraftFile.objects.filter(draft=draft).exists()
    good = SimpleUploadedFile("ban-sao.pdf", _local_signed(receipt), "application/pdf")
    assert (
        client.post(reverse("submission-files", args=[draft.key]), {f"tep_{component.pk}": good}).status_code
        == 302
    )
    assert DraftFile.objects.filter(draft=draft).count() == 1


def test_a_scan_with_a_broken_signature_is_refused_at_the_counter(
    world: World, local: Path, receipt: bytes
) -> None:
    component = world.version.components.order_by("order").first()
    assert component is not None
    with pytest.raises(RuleBroken, match=re.escape(str(TAMPERED))):
        services.dossier_receive(actor=world.staff["reception"], at=at(2026, 3, 9, 9),
                                 intake=world.intake(scans={component.pk: _tampered(_local_signed(receipt))}))  # fmt: skip


def test_a_result_carrying_a_broken_signature_is_not_signed_over(
    world: World, local: Path, receipt: bytes
) -> None:
    dossier = _with_leader(world)
    with pytest.raises(RuleBroken, match=re.escape(str(TAMPERED))):
        _resolve(world, dossier, _tampered(_local_signed(receipt)))
    assert not DossierResult.objects.filter(dossier=dossier).exists()


def test_the_tracking_page_shows_the_results_signatures_and_the_download_checks_them(
    world: World, local: Path, receipt: bytes
) -> None:
    dossier = _returned_online(world, receipt)
    secret = {"ma": dossier.code, "khoa": dossier.lookup_key}
    client = Client()
    leader = world.staff["leader"]
    page = client.get(reverse("portal-track"), secret).content.decode()
    name = leader.get_full_name() or leader.get_username()
    assert f"Chữ ký số hợp lệ</strong> – ký bởi {name} ({world.justice.name})" in page
    assert client.post(reverse("portal-result"), secret).status_code == 200
    # The leader's certificate is revoked since: the page says so, and the file is no longer handed out.
    result = DossierResult.objects.get(dossier=dossier)
    _signer, certificate = keystore.local_credential(
        key=f"user-{leader.pk}", common_name=name, organisation=world.justice.name
    )
    keystore.local_revoke(certificate)
    page = client.get(reverse("portal-track"), secret).content.decode()
    assert f"Chữ ký số không hợp lệ</strong>: {REVOKED}" in page
    refused = client.post(reverse("portal-result"), secret)
    assert refused.status_code == 409 and refused["Content-Type"].startswith("text/html")
    assert f"chữ ký số không hợp lệ: {REVOKED}" in refused.content.decode()
    assert blob_read(result.file.name, result.sha256)  # kept as it was: nothing is lost
