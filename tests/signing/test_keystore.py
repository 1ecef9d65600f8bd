"""The installation's trust and the local authority kept on disk (cchc.signing.keystore): the root survives a
restart, a credential is issued once, a revocation reaches the CRL that verification reads, and roots and CRLs
dropped into CCHC_SIGNING_TRUST_DIR (PEM or DER) are trusted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from cchc.signing import keystore
from cchc.signing.authority import Holder, LocalAuthority
from cchc.signing.signer import KeySigner
from cchc.signing.verify import REVOKED, UNTRUSTED, verify_pdf
from tests.signing.test_signatures import SIGN

pytestmark = pytest.mark.django_db


def test_the_local_root_is_made_once_and_kept_private(local: Path) -> None:
    first = keystore.local_authority().root.certificate
    assert keystore.local_authority().root.certificate == first
    for name in ("ca.key.pem", "ca.cert.pem"):
        assert (local / name).stat().st_mode & 0o077 == 0


def test_a_credential_is_issued_once_and_its_signature_verifies(local: Path, receipt: bytes) -> None:
    signer, certificate = keystore.local_credential(
        key="user-7", common_name="Lê Văn Ký", organisation="Sở Tư pháp"
    )
    again, same = keystore.local_credential(key="user-7", common_name="Lê Văn Ký", organisation="Sở Tư pháp")
    assert same == certificate and again.key_pem == signer.key_pem
    (check,) = verify_pdf(signer.sign(receipt, SIGN), keystore.installation_trust())
    assert (check.valid, check.signer, check.organisation) == (True, "Lê Văn Ký", "Sở Tư pháp")


def test_a_revocation_is_kept_and_refuses_the_signature(local: Path, receipt: bytes) -> None:
    signer, certificate = keystore.local_credential(
        key="unit-3", common_name="Sở Tư pháp", organisation="Sở Tư pháp", holder=Holder.SEAL
    )
    signed = signer.sign(receipt, SIGN)
    keystore.local_revoke(certificate)
    assert certificate.serial_number in keystore.local_authority().revoked  # read back from disk
    (check,) = verify_pdf(signed, keystore.installation_trust())
    assert (check.valid, check.problem) == (False, REVOKED)


def test_a_key_name_cannot_leave_the_folder(local: Path) -> None:
    keystore.local_credential(key="../../etc/x", common_name="A", organisation="B")
    issued = sorted(p.name for p in (local / "issued").iterdir())
    assert issued == ["..-..-etc-x.cert.pem", "..-..-etc-x.key.pem"]
    assert not (local.parent / "etc").exists()


@pytest.mark.parametrize("encoding", [serialization.Encoding.PEM, serialization.Encoding.DER])
def test_roots_and_crls_in_the_trust_folder_are_trusted(
    settings: Any, tmp_path: Path, receipt: bytes, encoding: serialization.Encoding
) -> None:
    authority = LocalAuthority.create(name="CA được cấp phép")
    officer = authority.issue(common_name="Trần Thị Duyệt", organisation="UBND xã")
    signed = KeySigner(officer.key_pem, officer.certificate_pem, authority.root.certificate_pem).sign(
        receipt, SIGN
    )
    settings.CCHC_SIGNING_LOCAL_CA = False
    settings.CCHC_SIGNING_TRUST_DIR = str(tmp_path / "trust")
    (tmp_path / "trust").mkdir()
    assert verify_pdf(signed, keystore.installation_trust())[0].problem == UNTRUSTED  # nothing trusted yet
    suffix = ".pem" if encoding is serialization.Encoding.PEM else ".der"
    (tmp_path / "trust" / f"root{suffix}").write_bytes(authority.root.certificate.public_bytes(encoding))
    crl = x509.load_der_x509_crl(authority.crl()).public_bytes(encoding)
    (tmp_path / "trust" / "root.crl").write_bytes(crl)
    (tmp_path / "trust" / "README.txt").write_text("ignored")
    assert verify_pdf(signed, keystore.installation_trust())[0].valid


def test_a_credential_filed_for_another_name_is_issued_again(local: Path, receipt: bytes) -> None:
    """The same key (user-7) after the database was made again for someone else: the signature names who signs."""
    _first, old = keystore.local_credential(key="user-7", common_name="Lê Văn Ký", organisation="Sở Tư pháp")
    signer, new = keystore.local_credential(
        key="user-7", common_name="Phạm Thị Mới", organisation="Sở Tư pháp"
    )
    assert new != old
    (check,) = verify_pdf(signer.sign(receipt, SIGN), keystore.installation_trust())
    assert (check.valid, check.signer) == (True, "Phạm Thị Mới")
