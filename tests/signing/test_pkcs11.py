"""Signing with keys on a PKCS#11 token (cchc.signing.pkcs11), against SoftHSM, a real PKCS#11 implementation
(Debian's softhsm2). Each test makes its own token, generates the keys on it (they never leave it), and has the
test's authority certify them. The signature verifies and names its holder; a wrong PIN, a missing key, a missing
token or module, and an expired certificate on the token each refuse with their own message.

CI installs softhsm2 and sets CCHC_REQUIRE_SOFTHSM=1, so there these tests cannot be skipped."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cchc.core.blobs import blob_read
from cchc.dossiers.models import DossierResult
from cchc.signing import keystore
from cchc.signing.authority import Holder, LocalAuthority
from cchc.signing.services import sign_as_officer, sign_as_unit
from cchc.signing.signer import SigningError
from cchc.signing.verify import EXPIRED, verify_pdf
from tests.dossiers.conftest import World
from tests.signing.test_remote import CENTRE, trust_folder
from tests.signing.test_result import _resolve, _with_leader

pytestmark = pytest.mark.django_db

MODULES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
MODULE = next((m for m in MODULES if Path(m).exists()), "")
TOKEN_LABEL, PIN, SO_PIN = "cchc-thu", "123456", "87654321"

if not MODULE or not shutil.which("softhsm2-util"):
    if os.environ.get("CCHC_REQUIRE_SOFTHSM") == "1":
        raise RuntimeError("CCHC_REQUIRE_SOFTHSM=1 but SoftHSM is not installed (apt-get install softhsm2)")
    pytest.skip("SoftHSM is not installed (apt-get install softhsm2)", allow_module_level=True)

import pkcs11  # noqa: E402 - after the skip: the module is only needed where SoftHSM is
from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass  # noqa: E402


@dataclass
class Token:
    authority: LocalAuthority
    folder: Path

    def enrol(self, label: str, name: str, *, organisation: str = CENTRE, **validity: Any) -> None:
        """A key pair generated on the token under `label`, and its certificate stored beside it."""
        token = pkcs11.lib(MODULE).get_token(token_label=TOKEN_LABEL)
        with token.open(user_pin=PIN, rw=True) as session:
            key_id = os.urandom(8)
            public, _private = session.generate_keypair(KeyType.RSA, 2048, label=label, id=key_id, store=True)
            numbers = rsa.RSAPublicNumbers(
                int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
                int.from_bytes(public[Attribute.MODULUS], "big"),
            )
            certificate = self.authority.certify(
                numbers.public_key(),
                common_name=name,
                organisation=organisation,
                holder=Holder.PERSON,
                **validity,
            )
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.LABEL: label,
                    Attribute.ID: key_id,
                    Attribute.SUBJECT: certificate.subject.public_bytes(),
                    Attribute.VALUE: certificate.public_bytes(serialization.Encoding.DER),
                }
            )


@pytest.fixture(scope="module")
def softhsm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One SoftHSM token for the module: the library reads its configuration once per process."""
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    config = folder / "softhsm2.conf"
    config.write_text(
        f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    before = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(config)
    subprocess.run(  # noqa: S603 - a fixed program with the test's own arguments
        ["softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL, "--pin", PIN, "--so-pin", SO_PIN],  # noqa: S607
        check=True,
        capture_output=True,
    )
    yield folder
    if before is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = before


@pytest.fixture
def token(settings: Any, tmp_path: Path, softhsm: Path) -> Iterator[Token]:
    """The token emptied for the test, and the platform set to sign with it."""
    authority = LocalAuthority.create(name="CA thử nghiệm HSM")
    settings.CCHC_SIGNING_BACKEND = "pkcs11"
    settings.CCHC_SIGNING_PKCS11_MODULE = MODULE
    settings.CCHC_SIGNING_PKCS11_TOKEN = TOKEN_LABEL
    settings.CCHC_SIGNING_PKCS11_PIN = PIN
    settings.CCHC_SIGNING_PKCS11_PIN_FILE = ""
    settings.CCHC_SIGNING_LOCAL_CA = False
    settings.CCHC_SIGNING_TRUST_DIR = str(trust_folder(tmp_path / "trust", authority))
    yield Token(authority, tmp_path)
    with pkcs11.lib(MODULE).get_token(token_label=TOKEN_LABEL).open(user_pin=PIN, rw=True) as session:
        for found in list(session.get_objects()):
            found.destroy()


def test_the_officer_and_the_unit_sign_with_keys_on_the_token(
    token: Token, receipt: bytes, world: World
) -> None:
    leader = world.staff["leader"]
    token.enrol(f"cchc-user-{leader.get_username()}", "Trần Văn Lãnh Đạo")
    token.enrol(f"cchc-unit-{world.justice.identifier}", world.justice.name, organisation=world.justice.name)
    signed = sign_as_officer(receipt, user=leader, organisation=CENTRE, reason="Ký kết quả")
    sealed = sign_as_unit(signed, unit=world.justice, reason="Đóng dấu số")
    checks = verify_pdf(sealed, keystore.installation_trust())
    assert [(c.valid, c.signer, c.field) for c in checks] == [
        (True, "Trần Văn Lãnh Đạo", f"CanBo{leader.pk}"),
        (True, world.justice.name, f"DonVi{world.justice.pk}"),
    ]
    assert sealed.startswith(signed) and signed.startswith(receipt)


def test_the_pin_may_come_from_a_file(token: Token, receipt: bytes, world: World, settings: Any) -> None:
    leader = world.staff["leader"]
    token.enrol(f"cchc-user-{leader.get_username()}", "Trần Văn Lãnh Đạo")
    (token.folder / "pin").write_text(PIN + "\n")
    settings.CCHC_SIGNING_PKCS11_PIN, settings.CCHC_SIGNING_PKCS11_PIN_FILE = "", str(token.folder / "pin")
    (check,) = verify_pdf(
        sign_as_officer(receipt, user=leader, organisation=CENTRE, reason="Ký"), keystore.installation_trust()
    )
    assert check.valid


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("wrong pin", "Mã PIN của thiết bị ký số không đúng"),
        ("no key", "Thiết bị ký số chưa có khóa và chứng thư số của Trần Văn Lãnh Đạo"),
        ("no token", "Không tìm thấy thiết bị ký số “khong-co”"),
        ("no module", "Không nạp được thư viện của thiết bị ký số"),
    ],
)
def test_a_token_that_cannot_sign_says_why(
    token: Token, receipt: bytes, world: World, settings: Any, change: str, message: str
) -> None:
    leader = world.staff["leader"]
    leader.first_name, leader.last_name = "Trần Văn Lãnh Đạo", ""
    if change != "no key":
        token.enrol(f"cchc-user-{leader.get_username()}", "Trần Văn Lãnh Đạo")
    if change == "wrong pin":
        settings.CCHC_SIGNING_PKCS11_PIN = "000000"
    if change == "no token":
        settings.CCHC_SIGNING_PKCS11_TOKEN = "khong-co"
    if change == "no module":
        settings.CCHC_SIGNING_PKCS11_MODULE = str(token.folder / "khong-co.so")
    with pytest.raises(SigningError, match=message):
        sign_as_officer(receipt, user=leader, organisation=CENTRE, reason="Ký")


def test_an_expired_certificate_on_the_token_is_refused(token: Token, receipt: bytes, world: World) -> None:
    leader = world.staff["leader"]
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=800)
    token.enrol(
        f"cchc-user-{leader.get_username()}",
        "Trần Văn Lãnh Đạo",
        valid_from=long_ago,
        valid_to=long_ago + dt.timedelta(days=365),
    )
    with pytest.raises(SigningError, match=re.escape(str(EXPIRED))):
        sign_as_officer(receipt, user=leader, organisation=CENTRE, reason="Ký")


def test_a_dossier_result_is_signed_on_the_token(token: Token, receipt: bytes, world: World) -> None:
    leader = world.staff["leader"]
    token.enrol(f"cchc-user-{leader.get_username()}", "Trần Văn Lãnh Đạo")
    dossier = _resolve(world, _with_leader(world), receipt)
    result = DossierResult.objects.get(dossier=dossier)
    (check,) = verify_pdf(blob_read(result.file.name, result.sha256), keystore.installation_trust())
    assert check.valid and check.signer == "Trần Văn Lãnh Đạo"
    assert result.document_code.endswith(".KQ")


def test_the_chain_file_is_embedded_beside_the_signer(
    token: Token, receipt: bytes, world: World, settings: Any
) -> None:
    """Intermediate certificates named by CCHC_SIGNING_CHAIN_FILE travel in the signature, so a reader that
    trusts only the root can build the path."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    leader = world.staff["leader"]
    token.enrol(f"cchc-user-{leader.get_username()}", "Trần Văn Lãnh Đạo")
    (token.folder / "chain.pem").write_bytes(token.authority.root.certificate_pem)
    settings.CCHC_SIGNING_CHAIN_FILE = str(token.folder / "chain.pem")
    signed = sign_as_officer(receipt, user=leader, organisation=CENTRE, reason="Ký")
    (embedded,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    subjects = {c.subject.native["common_name"] for c in embedded.other_embedded_certs}
    assert subjects == {"CA thử nghiệm HSM"}
    settings.CCHC_SIGNING_CHAIN_FILE = ""
    (bare,) = PdfFileReader(
        io.BytesIO(sign_as_officer(receipt, user=leader, organisation=CENTRE, reason="Ký"))
    ).embedded_signatures
    assert not bare.other_embedded_certs
