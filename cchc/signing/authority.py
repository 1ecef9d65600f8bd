"""A local certificate authority (tổ chức cung cấp dịch vụ chứng thực chữ ký số, for development and tests only).

In production the certificates come from a licensed CA (in the public sector, the Government Cipher Committee's
CA) and the keys stay on a token or a remote signing service. Here the project makes its own root, issues an
officer's personal certificate or a unit's seal certificate, revokes them, and publishes the revocation list
(CRL) that verification reads. Keys are RSA 2048 with SHA-256, as the public-sector CAs issue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

KEY_BITS = 2048
# Where the list would be published; verification never fetches it (the list is handed to it).
CRL_URL = "http://127.0.0.1/cchc-ca.crl"


class Holder(StrEnum):
    """Whose certificate: an officer's personal one, or a unit's (the seal, con dấu số)."""

    PERSON = "person"
    SEAL = "seal"


@dataclass(frozen=True)
class Issued:
    """A certificate with its private key (PEM, unencrypted: development and tests only)."""

    certificate: x509.Certificate
    key: rsa.RSAPrivateKey

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    @property
    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def certificate_pem_der(self) -> bytes:
        """The certificate, DER (what verification's trust roots take)."""
        return self.certificate.public_bytes(serialization.Encoding.DER)


def _key_usage(**granted: bool) -> x509.KeyUsage:
    """A key usage extension with only the `granted` uses (a root signs certificates and CRLs; a signer signs
    documents, with non-repudiation: content_commitment)."""
    uses = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
            "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")  # fmt: skip
    return x509.KeyUsage(**{use: granted.get(use, False) for use in uses})


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


@dataclass
class LocalAuthority:
    """A root that issues and revokes; `revoked` maps serial numbers to the moment of revocation."""

    root: Issued
    revoked: dict[int, dt.datetime] = field(default_factory=dict)

    @classmethod
    def create(cls, *, name: str = "cchc CA phát triển", now: dt.datetime | None = None) -> LocalAuthority:
        moment = now or dt.datetime.now(dt.UTC)
        key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        subject = _name(name, "cchc")
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(moment - dt.timedelta(days=1))
            .not_valid_after(moment + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                _key_usage(key_cert_sign=True, crl_sign=True),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        return cls(root=Issued(certificate, key))

    def issue(
        self,
        *,
        common_name: str,
        organisation: str,
        holder: Holder = Holder.PERSON,
        valid_from: dt.datetime | None = None,
        valid_to: dt.datetime | None = None,
    ) -> Issued:
        """A signing certificate with a new key: for a person (digital signature and non-repudiation) or a
        unit's seal."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        certificate = self.certify(
            key.public_key(),
            common_name=common_name,
            organisation=organisation,
            holder=holder,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        return Issued(certificate, key)

    def certify(
        self,
        public_key: rsa.RSAPublicKey,
        *,
        common_name: str,
        organisation: str,
        holder: Holder = Holder.PERSON,
        valid_from: dt.datetime | None = None,
        valid_to: dt.datetime | None = None,
    ) -> x509.Certificate:
        """A signing certificate for a key held elsewhere (on a token, at a remote signing service)."""
        start = valid_from or dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
        root = self.root.certificate
        return (
            x509.CertificateBuilder()
            .subject_name(_name(common_name, organisation))
            .issuer_name(root.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(valid_to or start + dt.timedelta(days=3 * 365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                _key_usage(digital_signature=True, content_commitment=True),
                critical=True,
            )
            .add_extension(
                x509.CRLDistributionPoints(
                    [x509.DistributionPoint([x509.UniformResourceIdentifier(CRL_URL)], None, None, None)]
                ),
                critical=False,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.root.key.public_key()), critical=False
            )
            .sign(self.root.key, hashes.SHA256())
        )

    def revoke(self, certificate: x509.Certificate, *, at: dt.datetime | None = None) -> None:
        self.revoked[certificate.serial_number] = at or dt.datetime.now(dt.UTC)

    def crl(self, *, now: dt.datetime | None = None) -> bytes:
        """The current revocation list, DER, valid for a week from `now`."""
        moment = now or dt.datetime.now(dt.UTC)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.root.certificate.subject)
            .last_update(moment - dt.timedelta(minutes=5))
            .next_update(moment + dt.timedelta(days=7))
            .add_extension(x509.CRLNumber(len(self.revoked) + 1), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.root.key.public_key()), critical=False
            )
        )
        for serial, revoked_at in sorted(self.revoked.items()):
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(revoked_at).build()
            )
        return builder.sign(self.root.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
