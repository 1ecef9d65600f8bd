"""A local OpenID Connect provider for tests, speaking the real protocol over HTTP (VNeID-style).

A real HTTP server on 127.0.0.1 (a free port) in a thread, with:
* ``/.well-known/openid-configuration`` (discovery),
* ``/authorize``: checks the client, the redirect URI, the scope and the PKCE S256 challenge, then consents at
  once and redirects back with ``code`` and ``state``,
* ``/token``: checks the client secret (HTTP Basic or in the body), the code (single use), the redirect URI and
  the PKCE verifier; answers with an access token and an RS256-signed ID token carrying the nonce,
* ``/jwks`` (the public key) and ``/userinfo`` (Bearer access token).

Tests can make it misbehave: `id_token_overrides` (e.g. another ``aud`` or ``nonce``, an ``exp`` in the past),
`sign_with_other_key` (a key whose public half is not in the JWKS, under the same ``kid``), `state_override`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.fake_server import LocalServer

CLIENT_ID = "cchc-cong-dan"
CLIENT_SECRET = "bi-mat-cua-ung-dung-2026"
KEY_ID = "khoa-ky-1"

DEFAULT_CLAIMS: dict[str, Any] = {
    "sub": "vneid-0001",
    "name": "Trần Thị Bình",
    "birthdate": "1990-09-05",
    "phone_number": "+84912345678",
    "phone_number_verified": True,
    "email": "binh.tran@example.vn",
    "email_verified": True,
    "cccd": "079190001234",
}


def _b64url_sha256(value: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(value.encode()).digest()).rstrip(b"=").decode()


class FakeOidcProvider(LocalServer):
    def __init__(self, *, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": KEY_ID, "use": "sig", "alg": "RS256"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": KEY_ID})
        self.claims: dict[str, Any] = dict(DEFAULT_CLAIMS)
        self.id_token_overrides: dict[str, Any] = {}
        self.sign_with_other_key = False
        self.state_override: str | None = None
        self.authorize_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self.token_errors: list[str] = []
        self.userinfo_requests = 0
        self._codes: dict[str, dict[str, str]] = {}
        self._access_tokens: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._serve(self._handler())

    # -- lifecycle --------------------------------------------------------------------------------------------------
    @property
    def issuer(self) -> str:
        return self.origin

    # -- endpoints --------------------------------------------------------------------------------------------------
    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "profile", "email", "phone"],
        }

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            self.authorize_requests.append(query)
        problems = []
        if query.get("client_id") != self.client_id:
            problems.append("unknown client_id")
        if query.get("response_type") != "code":
            problems.append("response_type must be code")
        if "openid" not in query.get("scope", "").split():
            problems.append("scope must include openid")
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            problems.append("PKCE S256 required")
        redirect_uri = query.get("redirect_uri", "")
        if not redirect_uri.startswith(("http://", "https://")):
            problems.append("bad redirect_uri")
        if problems:
            return 400, {"Content-Type": "text/plain"}, "; ".join(problems).encode()
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = {
                "redirect_uri": redirect_uri,
                "nonce": query.get("nonce", ""),
                "challenge": query["code_challenge"],
            }
        state = self.state_override if self.state_override is not None else query.get("state", "")
        location = f"{redirect_uri}?{urlencode({'code': code, 'state': state})}"
        return 302, {"Location": location}, b""

    def _client_authenticated(self, headers: Any, form: dict[str, str]) -> bool:
        header = headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                decoded = base64.b64decode(header[6:]).decode()
            except ValueError:
                return False
            client_id, _sep, secret = decoded.partition(":")
            return unquote(client_id) == self.client_id and unquote(secret) == self.client_secret
        return form.get("client_id") == self.client_id and form.get("client_secret") == self.client_secret

    def token(self, headers: Any, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.token_requests.append(form)
            if not self._client_authenticated(headers, form):
                return self._token_error(401, "invalid_client")
            if form.get("grant_type") != "authorization_code":
                return self._token_error(400, "unsupported_grant_type")
            grant = self._codes.pop(form.get("code", ""), None)  # a code is used once
            if grant is None:
                return self._token_error(400, "invalid_grant")
            if form.get("redirect_uri") != grant["redirect_uri"]:
                return self._token_error(400, "invalid_grant")
            if _b64url_sha256(form.get("code_verifier", "")) != grant["challenge"]:
                return self._token_error(400, "invalid_grant")
            access_token = secrets.token_urlsafe(24)
            self._access_tokens[access_token] = dict(self.claims)
        now = int(time.time())
        claims = {
            **self.claims,
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "auth_time": now,
            "nonce": grant["nonce"],
            **self.id_token_overrides,
        }
        key = self.other_key if self.sign_with_other_key else self.key
        id_token = jwt.encode({"alg": "RS256", "kid": KEY_ID}, claims, key)
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }

    def _token_error(self, status: int, error: str) -> tuple[int, dict[str, Any]]:
        self.token_errors.append(error)
        return status, {"error": error}

    def userinfo(self, headers: Any) -> tuple[int, dict[str, Any]]:
        header = headers.get("Authorization", "")
        with self._lock:
            self.userinfo_requests += 1
            claims = self._access_tokens.get(header[7:]) if header.startswith("Bearer ") else None
        if claims is None:
            return 401, {"error": "invalid_token"}
        return 200, claims

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.as_dict(private=False)]}

    # -- HTTP -------------------------------------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def _json(self, status: int, data: dict[str, Any]) -> None:
                self._send(status, json.dumps(data).encode(), {"Content-Type": "application/json"})

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = {name: values[0] for name, values in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._json(200, provider.discovery())
                elif url.path == "/authorize":
                    status, headers, body = provider.authorize(query)
                    self._send(status, body, headers)
                elif url.path == "/jwks":
                    self._json(200, provider.jwks())
                elif url.path == "/userinfo":
                    self._json(*provider.userinfo(self.headers))
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                form = {name: values[0] for name, values in parse_qs(raw).items()}
                if urlparse(self.path).path == "/token":
                    self._json(*provider.token(self.headers, form))
                else:
                    self._json(404, {"error": "not_found"})

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
