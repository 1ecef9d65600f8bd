"""A local remote signing service speaking the Cloud Signature Consortium API v1 (1.0.4.0), for tests.

It holds keys the tests give it, per user and credential, and answers `credentials/list`, `credentials/info`,
`credentials/authorize` and `signatures/signHash` as the specification says: the bearer token is checked; the
SAD is bound to the credential and to the very hashes authorised, and used once; the hash must have the length of
the named hash algorithm, and the signing algorithm must be the key's. A user may be set to refuse (the officer
declines on the phone: `access_denied`)."""

from __future__ import annotations

import base64
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

from tests.fake_server import LocalServer

TOKEN = "dich-vu-ky-so-tu-xa"
SHA256 = "2.16.840.1.101.3.4.2.1"
SHA256_RSA = "1.2.840.113549.1.1.11"
RSA = "1.2.840.113549.1.1.1"


@dataclass
class Credential:
    credential_id: str
    key: rsa.RSAPrivateKey
    chain: list[x509.Certificate]  # the signer's certificate first
    status: str = "enabled"


@dataclass
class Account:
    credentials: list[Credential] = field(default_factory=list)
    refuses: bool = False


class FakeCsc(LocalServer):
    def __init__(self) -> None:
        self.accounts: dict[str, Account] = {}
        self.sads: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.calls: list[str] = []
        self.signed_hashes: list[str] = []
        self._lock = threading.Lock()
        self._serve_json(lambda _method, path, headers, body: self._answer(path, headers, body))

    @property
    def url(self) -> str:
        return f"{self.origin}/csc/v1"

    def add(
        self, user_id: str, key: rsa.RSAPrivateKey, chain: list[x509.Certificate], *, status: str = "enabled"
    ) -> Credential:
        account = self.accounts.setdefault(user_id, Account())
        credential = Credential(f"{user_id}-{len(account.credentials) + 1}", key, chain, status)
        account.credentials.append(credential)
        return credential

    def _credential(self, credential_id: Any) -> tuple[Account, Credential] | None:
        for account in self.accounts.values():
            for credential in account.credentials:
                if credential.credential_id == credential_id:
                    return account, credential
        return None

    def _answer(self, path: str, headers: Any, body: Any) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.calls.append(path)
            if headers.get("Authorization") != f"Bearer {TOKEN}":
                return 401, {"error": "invalid_token", "error_description": "The access token is not valid"}
            if not isinstance(body, dict):
                return 400, {"error": "invalid_request", "error_description": "JSON body expected"}
            endpoint = path.removeprefix("/csc/v1/")
            if endpoint == "credentials/list":
                account = self.accounts.get(str(body.get("userID", "")))
                return 200, {
                    "credentialIDs": [c.credential_id for c in (account.credentials if account else [])]
                }
            found = self._credential(body.get("credentialID"))
            if found is None:
                return 400, {
                    "error": "invalid_request",
                    "error_description": "Invalid parameter credentialID",
                }
            account, credential = found
            if endpoint == "credentials/info":
                return 200, self._info(credential, body)
            if endpoint == "credentials/authorize":
                return self._authorize(account, credential, body)
            if endpoint == "signatures/signHash":
                return self._sign(credential, body)
            return 404, {"error": "invalid_request", "error_description": "Unknown endpoint"}

    @staticmethod
    def _info(credential: Credential, body: dict[str, Any]) -> dict[str, Any]:
        certificates = credential.chain if body.get("certificates") == "chain" else credential.chain[:1]
        signer = credential.chain[0]
        return {
            "key": {"status": credential.status, "algo": [SHA256_RSA, RSA], "len": credential.key.key_size},
            "cert": {
                "status": "valid",
                "certificates": [
                    base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode()
                    for c in certificates
                ],
                "issuerDN": signer.issuer.rfc4514_string(),
                "serialNumber": format(signer.serial_number, "x"),
                "subjectDN": signer.subject.rfc4514_string(),
            },
            "authMode": "implicit",
            "multisign": 1,
        }

    def _authorize(
        self, account: Account, credential: Credential, body: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        if account.refuses:
            return 403, {"error": "access_denied", "error_description": "The user refused the request"}
        hashes_given = body.get("hash")
        if body.get("numSignatures") != 1 or not isinstance(hashes_given, list) or len(hashes_given) != 1:
            return 400, {"error": "invalid_request", "error_description": "Invalid parameter numSignatures"}
        sad = secrets.token_urlsafe(16)
        self.sads[sad] = (credential.credential_id, tuple(str(h) for h in hashes_given))
        return 200, {"SAD": sad, "expiresIn": 300}

    def _sign(self, credential: Credential, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        bound = self.sads.pop(str(body.get("SAD", "")), None)
        given = tuple(str(h) for h in body.get("hash") or [])
        if bound is None or bound != (credential.credential_id, given):
            return 400, {"error": "invalid_request", "error_description": "Invalid SAD"}
        if body.get("hashAlgo") != SHA256 or body.get("signAlgo") != SHA256_RSA:
            return 400, {"error": "invalid_request", "error_description": "Unsupported algorithm"}
        signatures = []
        for encoded in given:
            digest = base64.b64decode(encoded)
            if len(digest) != 32:
                return 400, {"error": "invalid_request", "error_description": "Invalid hash length"}
            signature = credential.key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
            signatures.append(base64.b64encode(signature).decode())
            self.signed_hashes.append(encoded)
        return 200, {"signatures": signatures}
