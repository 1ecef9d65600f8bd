"""Where the installation keeps what signing and verification need (kho chứng thư số).

- The trust: every root certificate (`.pem`, `.crt`, `.cer`, `.der`) and revocation list (`.crl`) in
  CCHC_SIGNING_TRUST_DIR. Production puts the licensed authorities' roots and their current CRLs there.
- The local authority (development, the demo and tests only, CCHC_SIGNING_LOCAL_CA=1): its root and key, the
  serials it revoked, and the key pairs it issued, as files in CCHC_SIGNING_DIR (default var/signing). Its root
  and CRL are trusted as well. Keys are stored unencrypted: never in production, where keys stay on a token or
  with a remote signing service.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

from cchc.signing.authority import Holder, Issued, LocalAuthority
from cchc.signing.signer import KeySigner
from cchc.signing.verify import Trust

_CERTIFICATE_SUFFIXES = {".pem", ".crt", ".cer", ".der"}
_SAFE = re.compile(r"[^a-z0-9._-]")


def signing_dir() -> Path:
    return Path(getattr(settings, "CCHC_SIGNING_DIR", Path(settings.VAR_DIR) / "signing"))


def local_authority_enabled() -> bool:
    return bool(getattr(settings, "CCHC_SIGNING_LOCAL_CA", False))


def _certificate(data: bytes) -> x509.Certificate:
    return (
        x509.load_pem_x509_certificate(data)
        if b"-----BEGIN" in data
        else x509.load_der_x509_certificate(data)
    )


def _pem_certificates(data: bytes) -> list[bytes]:
    """Each certificate of a file (a PEM file may hold several), DER."""
    if b"-----BEGIN" not in data:
        return [data]
    return [c.public_bytes(serialization.Encoding.DER) for c in x509.load_pem_x509_certificates(data)]


def _crl(data: bytes) -> bytes:
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_crl(data).public_bytes(serialization.Encoding.DER)
    return data


def _write(path: Path, data: bytes) -> None:
    """Written whole or not at all (a reader never sees half a key)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".part")
    partial.write_bytes(data)
    partial.chmod(0o600)
    partial.replace(path)


# -- the local authority -----------------------------------------------------------------------------------------
def local_authority() -> LocalAuthority:
    """The installation's local authority, made on first use and kept in CCHC_SIGNING_DIR."""
    folder = signing_dir()
    key_path, certificate_path, revoked_path = (
        folder / "ca.key.pem",
        folder / "ca.cert.pem",
        folder / "revoked.json",
    )
    if not key_path.exists():
        created = LocalAuthority.create()
        _write(certificate_path, created.root.certificate_pem)
        _write(key_path, created.root.key_pem)
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    authority = LocalAuthority(root=Issued(_certificate(certificate_path.read_bytes()), key))
    if revoked_path.exists():
        for serial, at in json.loads(revoked_path.read_text()).items():
            authority.revoked[int(serial)] = dt.datetime.fromisoformat(at)
    return authority


def local_revoke(certificate: x509.Certificate, *, at: dt.datetime | None = None) -> None:
    """Revoke a certificate of the local authority; the next CRL lists it."""
    authority = local_authority()
    authority.revoke(certificate, at=at)
    revoked = {str(serial): moment.isoformat() for serial, moment in authority.revoked.items()}
    _write(signing_dir() / "revoked.json", json.dumps(revoked, indent=1).encode())


def _holder(certificate: x509.Certificate) -> tuple[str, str]:
    def first(oid: x509.ObjectIdentifier) -> str:
        found = certificate.subject.get_attributes_for_oid(oid)
        return str(found[0].value) if found else ""

    return first(NameOID.COMMON_NAME), first(NameOID.ORGANIZATION_NAME)


def local_credential(
    *, key: str, common_name: str, organisation: str, holder: Holder = Holder.PERSON
) -> tuple[KeySigner, x509.Certificate]:
    """The local authority's key pair filed under `key` (e.g. "user-12", "unit-5"), issued on first use."""
    name = _SAFE.sub("-", key.lower())
    folder = signing_dir() / "issued"
    key_path, certificate_path = folder / f"{name}.key.pem", folder / f"{name}.cert.pem"
    authority = local_authority()
    if not key_path.exists() or _holder(_certificate(certificate_path.read_bytes())) != (
        common_name,
        organisation,
    ):
        # None yet, or one for another name (the officer renamed, moved, or a database made again over the same
        # ids): a certificate must name who signs.
        issued = authority.issue(common_name=common_name, organisation=organisation, holder=holder)
        _write(certificate_path, issued.certificate_pem)
        _write(key_path, issued.key_pem)
    certificate_pem = certificate_path.read_bytes()
    signer = KeySigner(key_path.read_bytes(), certificate_pem, authority.root.certificate_pem)
    return signer, _certificate(certificate_pem)


# -- the trust ---------------------------------------------------------------------------------------------------
def installation_trust() -> Trust:
    """The roots and revocation lists of CCHC_SIGNING_TRUST_DIR, with the local authority's when it is on."""
    roots: list[bytes] = []
    crls: list[bytes] = []
    folder = getattr(settings, "CCHC_SIGNING_TRUST_DIR", None)
    if folder:
        for path in sorted(Path(folder).iterdir()):
            suffix = path.suffix.lower()
            if suffix in _CERTIFICATE_SUFFIXES:
                roots.extend(_pem_certificates(path.read_bytes()))
            elif suffix == ".crl":
                crls.append(_crl(path.read_bytes()))
    if local_authority_enabled():
        authority = local_authority()
        roots.append(authority.root.certificate_pem_der())
        crls.append(authority.crl())
    return Trust(roots=tuple(roots), crls=tuple(crls))
