"""Signing PDFs with pyHanko and verifying them (cchc.signing, issue 9 part 1): a real form of the platform
(Mẫu 01, PDF/A-2b) signed by an officer and sealed by the unit, then judged against the local authority's root
and revocation list; a changed document, an expired, a revoked and a foreign certificate are each refused with
their own Vietnamese message. Every certificate here is made by the test's own authority."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from cchc.signing.authority import Holder, Issued, LocalAuthority
from cchc.signing.signer import KeySigner, Signature, SigningError
from cchc.signing.verify import EXPIRED, REVOKED, TAMPERED, UNTRUSTED, NotAPdf, Trust, verify_pdf
from tests.dossiers.test_forms import assert_pdf_a

pytestmark = pytest.mark.django_db

OFFICER = "Nguyễn Thị Tiếp Nhận"
CENTRE = "Trung tâm Phục vụ hành chính công tỉnh"
RECEIPT_TITLE = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"


@pytest.fixture(scope="module")
def authority() -> LocalAuthority:
    return LocalAuthority.create()


@pytest.fixture(scope="module")
def officer(authority: LocalAuthority) -> Issued:
    return authority.issue(common_name=OFFICER, organisation=CENTRE)


def _signer(issued: Issued, authority: LocalAuthority) -> KeySigner:
    return KeySigner(issued.key_pem, issued.certificate_pem, authority.root.certificate_pem)


def _trust(authority: LocalAuthority) -> Trust:
    return Trust(roots=(authority.root.certificate_pem_der(),), crls=(authority.crl(),))


SIGN = Signature(field_name="ChuKyCanBo", reason="Ký tiếp nhận hồ sơ", location="An Giang")


def test_a_signed_form_verifies_and_names_its_signer(
    receipt: bytes, authority: LocalAuthority, officer: Issued
) -> None:
    before = dt.datetime.now(dt.UTC)
    signed = _signer(officer, authority).sign(receipt, SIGN)
    (check,) = verify_pdf(signed, _trust(authority))
    assert check.valid, check.problem
    assert (check.problem, check.field, check.signer, check.organisation) == (
        "",
        "ChuKyCanBo",
        OFFICER,
        CENTRE,
    )
    assert check.signed_at is not None and before - dt.timedelta(seconds=5) <= check.signed_at


def test_signing_appends_to_the_document_and_keeps_it_pdf_a(
    receipt: bytes, authority: LocalAuthority, officer: Issued
) -> None:
    signed = _signer(officer, authority).sign(receipt, SIGN)
    assert signed.startswith(receipt)  # an incremental update: every byte signed stays as it was
    assert_pdf_a(receipt, RECEIPT_TITLE)
    # pyHanko writes the metadata again for the new revision, the PDF/A-2b identification in attribute form.
    xmp = unicodedata.normalize("NFC", PdfReader(io.BytesIO(signed)).xmp_metadata.stream.get_data().decode())
    assert re.search(r'pdfaid:part(="|>)2', xmp) and re.search(r'pdfaid:conformance(="|>)B', xmp), xmp
    assert RECEIPT_TITLE in xmp
    fields = PdfReader(io.BytesIO(signed)).get_fields() or {}
    assert fields["ChuKyCanBo"]["/FT"] == "/Sig"


def test_the_officer_signs_and_the_unit_seals(
    receipt: bytes, authority: LocalAuthority, officer: Issued
) -> None:
    seal = authority.issue(common_name=CENTRE, organisation=CENTRE, holder=Holder.SEAL)
    signed = _signer(officer, authority).sign(receipt, SIGN)
    sealed = _signer(seal, authority).sign(signed, Signature("DauDonVi", "Đóng dấu", "An Giang"))
    checks = verify_pdf(sealed, _trust(authority))
    assert [(c.field, c.signer, c.valid) for c in checks] == [
        ("ChuKyCanBo", OFFICER, True),
        ("DauDonVi", CENTRE, True),
    ]


def test_a_document_changed_after_signing_is_refused(
    receipt: bytes, authority: LocalAuthority, officer: Issued
) -> None:
    signed = _signer(officer, authority).sign(receipt, SIGN)
    # One byte of the first page's compressed content, inside the signed range, changed.
    start = re.search(rb"stream\r?\n", signed)
    assert start is not None
    position = start.end() + 20
    tampered = signed[:position] + bytes([signed[position] ^ 0x01]) + signed[position + 1 :]
    (check,) = verify_pdf(tampered, _trust(authority))
    assert (check.valid, check.problem) == (False, TAMPERED)


def test_an_expired_certificate_is_refused(receipt: bytes, authority: LocalAuthority) -> None:
    now = dt.datetime.now(dt.UTC)
    old = authority.issue(
        common_name=OFFICER,
        organisation=CENTRE,
        valid_from=now - dt.timedelta(days=800),
        valid_to=now - dt.timedelta(days=1),
    )
    (check,) = verify_pdf(_signer(old, authority).sign(receipt, SIGN), _trust(authority))
    assert (check.valid, check.problem) == (False, EXPIRED)


def test_a_revoked_certificate_is_refused(receipt: bytes, authority: LocalAuthority) -> None:
    lost = authority.issue(common_name=OFFICER, organisation=CENTRE)
    signed = _signer(lost, authority).sign(receipt, SIGN)
    assert verify_pdf(signed, _trust(authority))[0].valid  # before the revocation
    authority.revoke(lost.certificate)
    (check,) = verify_pdf(signed, _trust(authority))
    assert (check.valid, check.problem) == (False, REVOKED)


def test_a_certificate_from_another_authority_is_refused(receipt: bytes, authority: LocalAuthority) -> None:
    stranger = LocalAuthority.create(name="CA lạ")
    forged = stranger.issue(common_name=OFFICER, organisation=CENTRE)
    (check,) = verify_pdf(_signer(forged, stranger).sign(receipt, SIGN), _trust(authority))
    assert (check.valid, check.problem, check.signer) == (False, UNTRUSTED, OFFICER)


def test_an_unsigned_pdf_has_no_signature(receipt: bytes, authority: LocalAuthority) -> None:
    assert verify_pdf(receipt, _trust(authority)) == []


@pytest.mark.parametrize("data", [b"", b"not a pdf", b"%PDF-1.7\n%%EOF\n"])
def test_what_is_not_a_pdf_is_neither_signed_nor_verified(
    data: bytes, authority: LocalAuthority, officer: Issued
) -> None:
    with pytest.raises(SigningError):
        _signer(officer, authority).sign(data, SIGN)
    with pytest.raises(NotAPdf):
        verify_pdf(data, _trust(authority))


def test_a_garbled_signature_is_reported_not_a_crash(
    receipt: bytes, authority: LocalAuthority, officer: Issued
) -> None:
    signed = _signer(officer, authority).sign(receipt, SIGN)
    start = signed.index(b"/Contents <") + len(b"/Contents <")
    end = signed.index(b">", start)
    garbled = signed[:start] + b"30" + b"0" * (end - start - 2) + signed[end:]
    (check,) = verify_pdf(garbled, _trust(authority))
    assert not check.valid and check.problem


def test_signing_and_verifying_work_inside_a_running_event_loop(
    receipt: bytes, authority: LocalAuthority, officer: Issued
) -> None:
    """pyHanko's synchronous calls start an event loop of their own; called from a thread that already runs one
    (an async view, a browser-driving test) they run in a worker thread instead of failing."""

    async def inside() -> bool:
        signed = _signer(officer, authority).sign(receipt, SIGN)
        return verify_pdf(signed, _trust(authority))[0].valid

    assert asyncio.run(inside())
