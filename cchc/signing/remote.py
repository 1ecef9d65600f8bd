"""Signing through a remote signing service (dịch vụ ký số từ xa), by the Cloud Signature Consortium API v1.

The keys stay with the service (a licensed provider's remote signing, or the province's own signing server);
cchc sends only the hash of what is signed. The calls, all `POST {CCHC_SIGNING_REMOTE_URL}/…` with JSON and the
bearer token `CCHC_SIGNING_REMOTE_TOKEN` (the service account's), are those of CSC API 1.0.4.0:

1. `credentials/list` with `userID` (the holder: `CCHC_SIGNING_USER_KEY` / `CCHC_SIGNING_UNIT_KEY`, as for a
   token's label) gives the holder's credential ids; the first one whose certificate is valid is used;
2. `credentials/info` with `certificates: "chain"` gives its certificate and chain;
3. `credentials/authorize` with the hash gives the signature activation data (SAD). The service decides how the
   holder consents (its own app on the officer's phone, a confirmation code); a refusal or a timeout is told to
   the officer;
4. `signatures/signHash` with the SAD gives the raw signature, which pyHanko puts into the PDF's CMS.

Tested against a local fake that speaks the same API (tests/signing/fake_csc.py). The CSC specification's
endpoints and fields are the reference; a provider with another API is put behind this one by a thin gateway.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from asn1crypto import algos
from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _
from pyhanko.sign import signers
from pyhanko.sign.signers.csc_signer import base64_digest
from pyhanko_certvalidator.registry import SimpleCertificateStore

from cchc.core.http import HttpFailure, json_call, require_http_url
from cchc.signing.signer import Signature, SigningError, sign_with

logger = logging.getLogger("cchc.signing")

TIMEOUT_SECONDS = 120.0  # an officer confirming on the phone takes a while (authorize waits for it)
# Room for an RSA 4096 signature; the CMS is laid out before the service answers.
RAW_SIGNATURE_BYTES = 512


class RemoteUnavailable(SigningError):
    """The service cannot sign for this holder now; the message is for the officer."""


@dataclass(frozen=True)
class RemoteConfig:
    url: str  # the API's base, e.g. https://ky-so.example.gov.vn/csc/v1
    token: str

    def call(self, endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
        require_http_url(self.url, "CCHC_SIGNING_REMOTE_URL")
        try:
            _status, raw = json_call(
                f"{self.url.rstrip('/')}/{endpoint}",
                method="POST",
                token=self.token,
                timeout=TIMEOUT_SECONDS,
                body=body,
            )
            answer = json.loads(raw or b"{}")
        except HttpFailure as failure:
            logger.warning("remote signing %s failed: %s", endpoint, failure)
            raise _refusal(failure) from failure
        except ValueError as error:
            raise RemoteUnavailable(_("Dịch vụ ký số từ xa trả lời không đúng định dạng.")) from error
        if not isinstance(answer, dict):
            raise RemoteUnavailable(_("Dịch vụ ký số từ xa trả lời không đúng định dạng."))
        return answer


def _refusal(failure: HttpFailure) -> RemoteUnavailable:
    """The officer's message for a refused call; the CSC error codes say why (access_denied: not confirmed)."""
    if failure.status is None:
        return RemoteUnavailable(_("Không kết nối được dịch vụ ký số từ xa. Vui lòng thử lại sau."))
    try:
        error = str(json.loads(failure.detail).get("error", ""))
    except (ValueError, AttributeError):
        error = ""
    if error == "access_denied" or failure.status == 403:
        return RemoteUnavailable(_("Người ký chưa xác nhận hoặc đã từ chối yêu cầu ký số."))
    if error in {"invalid_otp", "invalid_pin"}:
        return RemoteUnavailable(_("Mã xác nhận ký số không đúng."))
    if failure.status == 401:
        return RemoteUnavailable(_("Tài khoản kết nối dịch vụ ký số từ xa không hợp lệ."))
    return RemoteUnavailable(
        _("Dịch vụ ký số từ xa không ký được tài liệu (lỗi %(s)s).") % {"s": failure.status}
    )


@dataclass(frozen=True)
class Credential:
    credential_id: str
    certificate: asn1_x509.Certificate
    chain: tuple[asn1_x509.Certificate, ...]


def _certificates(info: dict[str, Any]) -> list[asn1_x509.Certificate]:
    cert = info.get("cert")
    encoded = cert.get("certificates") if isinstance(cert, dict) else None
    if not isinstance(encoded, list) or not encoded:
        return []
    try:
        return [asn1_x509.Certificate.load(base64.b64decode(item)) for item in encoded]
    except (ValueError, TypeError):
        return []


def credential_of(config: RemoteConfig, *, user_id: str, holder_name: str) -> Credential:
    """The holder's first usable credential at the service, with its certificate chain."""
    listed = config.call("credentials/list", {"userID": user_id, "maxResults": 10})
    ids = listed.get("credentialIDs")
    for credential_id in ids if isinstance(ids, list) else []:
        info = config.call(
            "credentials/info",
            {"credentialID": str(credential_id), "certificates": "chain", "certInfo": True, "authInfo": True},
        )
        key, cert = info.get("key"), info.get("cert")
        if not isinstance(key, dict) or key.get("status") != "enabled":
            continue
        if not isinstance(cert, dict) or cert.get("status", "valid") != "valid":
            continue
        certificates = _certificates(info)
        if certificates:
            return Credential(str(credential_id), certificates[0], tuple(certificates[1:]))
    raise RemoteUnavailable(
        _("Dịch vụ ký số từ xa chưa có chứng thư số còn hiệu lực của %(name)s (tài khoản “%(user)s”).")
        % {"name": holder_name, "user": user_id}
    )


class _CscSigner(signers.Signer):
    """pyHanko's side of the signing: the hash goes to the service, the raw signature comes back."""

    def __init__(self, config: RemoteConfig, credential: Credential, description: str) -> None:
        self._config, self._credential, self._description = config, credential, description
        super().__init__(
            signing_cert=credential.certificate,
            cert_registry=SimpleCertificateStore.from_certs([credential.certificate, *credential.chain]),  # type: ignore[no-untyped-call]
        )

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        if dry_run:
            return bytes(RAW_SIGNATURE_BYTES)
        digest = base64_digest(data, digest_algorithm)
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        credential_id = self._credential.credential_id
        authorized = self._config.call(
            "credentials/authorize",
            {
                "credentialID": credential_id,
                "numSignatures": 1,
                "hash": [digest],
                "description": self._description[:500],
            },
        )
        sad = authorized.get("SAD")
        if not isinstance(sad, str) or not sad:
            raise RemoteUnavailable(_("Người ký chưa xác nhận hoặc đã từ chối yêu cầu ký số."))
        signed = self._config.call(
            "signatures/signHash",
            {
                "credentialID": credential_id,
                "SAD": sad,
                "hash": [digest],
                "hashAlgo": algos.DigestAlgorithmId(digest_algorithm).dotted,
                "signAlgo": mechanism["algorithm"].dotted,
            },
        )
        values = signed.get("signatures")
        if not isinstance(values, list) or len(values) != 1:
            raise RemoteUnavailable(_("Dịch vụ ký số từ xa trả lời không đúng định dạng."))
        try:
            return base64.b64decode(str(values[0]), validate=True)
        except ValueError as error:
            raise RemoteUnavailable(_("Dịch vụ ký số từ xa trả lời không đúng định dạng.")) from error


@dataclass(frozen=True)
class RemoteSigner:
    """Signs for the holder known to the service as `user_id`."""

    config: RemoteConfig
    user_id: str
    holder_name: str

    def sign(self, pdf: bytes, signature: Signature) -> bytes:
        credential = credential_of(self.config, user_id=self.user_id, holder_name=self.holder_name)

        @contextmanager
        def open_signer() -> Iterator[signers.Signer]:
            yield _CscSigner(self.config, credential, signature.reason)

        return sign_with(pdf, signature, open_signer)
