"""Signing through a remote signing service (CSC API v1), against a local fake that speaks the API
(tests/signing/fake_csc.py): the officer's and the unit's signatures verify and name their holder; an officer who
declines, a holder without a credential, a wrong service account, a service that is down, and an expired,
revoked or untrusted certificate at the service each refuse with their own message, and nothing is signed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from cchc.core.blobs import blob_read
from cchc.dossiers.lifecycle import RuleBroken
from cchc.dossiers.models import DossierResult, State
from cchc.signing import keystore
from cchc.signing.authority import Holder, LocalAuthority
from cchc.signing.services import backend, sign_as_officer, sign_as_unit
from cchc.signing.signer import SigningError
from cchc.signing.verify import EXPIRED, REVOKED, UNTRUSTED, verify_pdf
from tests.dossiers.conftest import World
from tests.portal.factories import refreshed
from tests.signing.fake_csc import TOKEN, FakeCsc
from tests.signing.test_result import _resolve, _with_leader

pytestmark = pytest.mark.django_db

CENTRE = "Trung tâm Phục vụ hành chính công tỉnh"


@pytest.fixture(scope="module")
def authority() -> LocalAuthority:
    return LocalAuthority.create(name="CA thử nghiệm dịch vụ ký số từ xa")


def trust_folder(folder: Path, authority: LocalAuthority) -> Path:
    """The installation's trust as files: the authority's root and its current revocation list."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "root.pem").write_bytes(authority.root.certificate_pem)
    (folder / "ca.crl").write_bytes(authority.crl())
    return folder


@pytest.fixture
def service(settings: Any, tmp_path: Path, authority: LocalAuthority) -> Iterator[FakeCsc]:
    with FakeCsc() as fake:
        settings.CCHC_SIGNING_BACKEND = "remote"
        settings.CCHC_SIGNING_REMOTE_URL = fake.url
        settings.CCHC_SIGNING_REMOTE_TOKEN = TOKEN
        settings.CCHC_SIGNING_LOCAL_CA = False
        settings.CCHC_SIGNING_TRUST_DIR = str(trust_folder(tmp_path / "trust", authority))
        yield fake


def _enrol(
    fake: FakeCsc,
    authority: LocalAuthority,
    user_id: str,
    name: str,
    *,
    organisation: str = CENTRE,
    **validity: Any,
) -> Any:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = authority.certify(
        key.public_key(), common_name=name, organisation=organisation, holder=Holder.PERSON, **validity
    )
    fake.add(user_id, key, [certificate, authority.root.certificate])
    return certificate


def _declining_leader(fake: FakeCsc, authority: LocalAuthority, world: World) -> tuple[Any, str]:
    """The world's leader, enrolled at the service, who declines every request on the phone."""
    leader = world.staff["leader"]
    user_id = f"cchc-user-{leader.get_username()}"
    _enrol(fake, authority, user_id, "Trần Văn Lãnh Đạo")
    fake.accounts[user_id].refuses = True
    return leader, user_id


def test_without_a_backend_or_the_local_authority_nothing_signs(
    settings: Any, receipt: bytes, world: World
) -> None:
    settings.CCHC_SIGNING_BACKEND, settings.CCHC_SIGNING_LOCAL_CA = "", False
    assert backend() == ""
    with pytest.raises(SigningError, match="Chưa cấu hình phương tiện ký số"):
        sign_as_officer(receipt, user=world.staff["leader"], organisation=CENTRE, reason="Ký")


def test_the_officer_signs_through_the_service_and_the_signature_verifies(
    service: FakeCsc, authority: LocalAuthority, receipt: bytes, world: World
) -> None:
    leader = world.staff["leader"]
    _enrol(service, authority, f"cchc-user-{leader.get_username()}", "Trần Văn Lãnh Đạo")
    signed = sign_as_officer(receipt, user=leader, organisation=CENTRE, reason="Ký kết quả")
    (check,) = verify_pdf(signed, keystore.installation_trust())
    assert check.valid, check.problem
    assert (check.signer, check.organisation, check.field) == (
        "Trần Văn Lãnh Đạo",
        CENTRE,
        f"CanBo{leader.pk}",
    )
    # The CSC sequence, and only a hash left the platform (the service signed exactly one).
    assert service.calls == [
        "/csc/v1/credentials/list",
        "/csc/v1/credentials/info",
        "/csc/v1/credentials/authorize",
        "/csc/v1/signatures/signHash",
    ]
    assert len(service.signed_hashes) == 1 and not service.sads  # the activation data was used once
    assert signed.startswith(receipt)  # an incremental update: the form's bytes are kept


def test_the_unit_seal_uses_the_unit_key_pattern(
    service: FakeCsc, authority: LocalAuthority, receipt: bytes, world: World, settings: Any
) -> None:
    settings.CCHC_SIGNING_UNIT_KEY = "dau-{identifier}"
    _enrol(
        service,
        authority,
        f"dau-{world.justice.identifier}",
        world.justice.name,
        organisation=world.justice.name,
    )
    (check,) = verify_pdf(
        sign_as_unit(receipt, unit=world.justice, reason="Đóng dấu số"), keystore.installation_trust()
    )
    assert check.valid and check.signer == world.justice.name and check.field == f"DonVi{world.justice.pk}"


def test_an_officer_who_declines_on_the_phone_signs_nothing(
    service: FakeCsc, authority: LocalAuthority, receipt: bytes, world: World
) -> None:
    leader, _user_id = _declining_leader(service, authority, world)
    with pytest.raises(SigningError, match="chưa xác nhận hoặc đã từ chối"):
        sign_as_officer(receipt, user=leader, organisation=CENTRE, reason="Ký")
    assert not service.signed_hashes


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("no credential", "chưa có chứng thư số còn hiệu lực của"),
        ("disabled key", "chưa có chứng thư số còn hiệu lực của"),
        ("wrong token", "Tài khoản kết nối dịch vụ ký số từ xa không hợp lệ"),
        ("service down", "Không kết nối được dịch vụ ký số từ xa"),
    ],
)
def test_a_service_that_cannot_sign_says_why(
    service: FakeCsc,
    authority: LocalAuthority,
    receipt: bytes,
    world: World,
    settings: Any,
    change: str,
    message: str,
) -> None:
    leader = world.staff["leader"]
    if change != "no credential":
        _enrol(service, authority, f"cchc-user-{leader.get_username()}", "Trần Văn Lãnh Đạo")
    if change == "disabled key":
        service.accounts[f"cchc-user-{leader.get_username()}"].credentials[0].status = "disabled"
    if change == "wrong token":
        settings.CCHC_SIGNING_REMOTE_TOKEN = "khong-dung"
    if change == "service down":
        settings.CCHC_SIGNING_REMOTE_URL = "http://127.0.0.1:9/csc/v1"
    with pytest.raises(SigningError, match=message):
        sign_as_officer(receipt, user=leader, organisation=CENTRE, reason="Ký")
    assert not service.signed_hashes


def test_an_expired_a_revoked_and_a_foreign_certificate_are_refused_with_the_reason(
    service: FakeCsc, authority: LocalAuthority, receipt: bytes, world: World, settings: Any, tmp_path: Path
) -> None:
    leader = world.staff["leader"]
    user_id = f"cchc-user-{leader.get_username()}"
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=800)
    _enrol(
        service,
        authority,
        user_id,
        "Trần Văn Lãnh Đạo",
        valid_from=long_ago,
        valid_to=long_ago + dt.timedelta(days=365),
    )
    with pytest.raises(SigningError, match=re.escape(str(EXPIRED))):
        sign_as_officer(receipt, user=leader, organisation=CENTRE, reason="Ký")

    service.accounts.clear()
    revoked = _enrol(service, authority, user_id, "Trần Văn Lãnh Đạo")
    authority.revoke(revoked)
    trust_folder(tmp_path / "trust", authority)  # the installation receives the new revocation list
    try:
        with pytest.raises(SigningError, match=re.escape(str(REVOKED))):
            sign_as_officer(receipt, user=leader, organisation=CENTRE, reason="Ký")
    finally:
        authority.revoked.pop(revoked.serial_number)

    service.accounts.clear()
    _enrol(service, LocalAuthority.create(name="CA lạ"), user_id, "Trần Văn Lãnh Đạo")
    with pytest.raises(SigningError, match=re.escape(str(UNTRUSTED))):
        sign_as_officer(receipt, user=leader, organisation=CENTRE, reason="Ký")


def test_a_dossier_resolved_with_a_remote_signature_keeps_nothing_when_the_officer_declines(
    service: FakeCsc, authority: LocalAuthority, receipt: bytes, world: World
) -> None:
    _leader, user_id = _declining_leader(service, authority, world)
    dossier = _with_leader(world)
    with pytest.raises(RuleBroken, match="chưa xác nhận hoặc đã từ chối"):
        _resolve(world, dossier, receipt)
    assert (
        refreshed(dossier).state != State.RESOLVED
        and not DossierResult.objects.filter(dossier=dossier).exists()
    )
    service.accounts[user_id].refuses = False
    resolved = _resolve(world, refreshed(dossier), receipt)
    result = DossierResult.objects.get(dossier=resolved)
    (check,) = verify_pdf(blob_read(result.file.name, result.sha256), keystore.installation_trust())
    assert check.valid and check.signer == "Trần Văn Lãnh Đạo"
