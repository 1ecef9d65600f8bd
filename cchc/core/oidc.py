"""OpenID Connect sign-in with a VNeID-style identity provider, through Authlib (the standard OIDC client): the
relying party that citizens (cchc.citizens) and staff (cchc.orgs) both sign in through.

Authorization code flow with PKCE S256 (RFC 7636) and a nonce (OpenID Connect Core 1.0 §3.1). The ID token is
checked before anything is trusted (Core §3.1.3.7): its signature against the provider's JWKS, then `iss`, `aud`
(and `azp`), `exp`, `iat` and `nonce`; `state` binds the callback to the browser session that started it.

Settings, read with getattr (none set = OIDC is off: no button, the URLs answer 404):
CCHC_OIDC_ISSUER, CCHC_OIDC_CLIENT_ID, CCHC_OIDC_CLIENT_SECRET (all three needed), CCHC_OIDC_DISCOVERY_URL
(default <issuer>/.well-known/openid-configuration), CCHC_OIDC_SCOPES ("openid profile email phone"),
CCHC_OIDC_BUTTON_LABEL, CCHC_OIDC_ID_NUMBER_CLAIM ("cccd": the claim holding the 12-digit ID number),
CCHC_OIDC_TOKEN_AUTH_METHOD ("client_secret_basic" or "client_secret_post"), CCHC_OIDC_REDIRECT_URI (default:
built from the request). The provider's addresses must be https, except on the loopback (tests, development).

The browser's part of a flow (state, nonce and PKCE verifier, kept in its session only, used once, abandoned after
FLOW_MAX_AGE) is `flow_begin` and `flow_finish`; what the identity says about the person is read by its users
(cchc.citizens.oidc for a citizen's profile; the verified identification number, `OidcIdentity.id_number`, for
staff).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from cchc.core.idnumber import validate_id_number

logger = logging.getLogger(__name__)

FLOW_MAX_AGE = dt.timedelta(minutes=10)  # an unfinished sign-in at the provider is abandoned after this
CLOCK_LEEWAY_SECONDS = 60  # clock skew tolerated on exp/iat (RFC 7519 §4.1.4 allows "a few minutes")
METADATA_CACHE_SECONDS = 60 * 60  # discovery document and JWKS kept this long (key rotation refetches)
HTTP_TIMEOUT_SECONDS = 10

# Asymmetric signatures only: a token signed with the shared client secret (HS256) could be forged by anyone
# holding that secret, and "none" is never accepted.
SIGNING_ALGORITHMS = ["RS256", "PS256", "ES256"]
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")

# Messages for the person signing in; the technical reason goes to the log only.
MESSAGES: dict[str, Any] = {
    "state": _("Phiên đăng nhập qua tài khoản định danh đã hết hạn hoặc không hợp lệ. Vui lòng thử lại."),
    "denied": _("Bạn đã hủy đăng nhập qua tài khoản định danh."),
    "provider": _("Không kết nối được với hệ thống định danh. Vui lòng thử lại sau."),
    "token": _("Không xác thực được thông tin đăng nhập từ hệ thống định danh. Vui lòng thử lại."),
}


class OidcError(Exception):
    """The sign-in failed; `kind` picks the person's message, `reason` is for the log."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(f"{kind}: {reason}")
        self.kind, self.reason = kind, reason

    @property
    def message(self) -> str:
        return str(MESSAGES.get(self.kind, MESSAGES["token"]))


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str
    discovery_url: str
    scopes: str
    button_label: str
    id_number_claim: str
    token_auth_method: str
    redirect_uri: str


def oidc_config() -> OidcConfig | None:
    """The provider's settings, or None when OIDC sign-in is not configured."""
    issuer = str(getattr(settings, "CCHC_OIDC_ISSUER", "") or "").strip()
    client_id = str(getattr(settings, "CCHC_OIDC_CLIENT_ID", "") or "").strip()
    client_secret = str(getattr(settings, "CCHC_OIDC_CLIENT_SECRET", "") or "")
    if not (issuer and client_id and client_secret):
        return None
    scopes: Any = getattr(settings, "CCHC_OIDC_SCOPES", "") or "openid profile email phone"
    if not isinstance(scopes, str):
        scopes = " ".join(scopes)
    if "openid" not in scopes.split():
        scopes = "openid " + scopes
    return OidcConfig(
        issuer=issuer,
        client_id=client_id,
        client_secret=client_secret,
        discovery_url=str(getattr(settings, "CCHC_OIDC_DISCOVERY_URL", "") or "")
        or issuer.rstrip("/") + "/.well-known/openid-configuration",
        scopes=scopes,
        button_label=str(
            getattr(settings, "CCHC_OIDC_BUTTON_LABEL", "")
            or _("Đăng nhập bằng tài khoản định danh điện tử VNeID")
        ),
        id_number_claim=str(getattr(settings, "CCHC_OIDC_ID_NUMBER_CLAIM", "") or "cccd"),
        token_auth_method=str(getattr(settings, "CCHC_OIDC_TOKEN_AUTH_METHOD", "") or "client_secret_basic"),
        redirect_uri=str(getattr(settings, "CCHC_OIDC_REDIRECT_URI", "") or ""),
    )


def oidc_config_or_404() -> OidcConfig:
    """The settings, for the sign-in views: without them the views do not exist (404)."""
    config = oidc_config()
    if config is None:
        raise Http404("OIDC sign-in is not configured")
    return config


# -- the provider's metadata and keys ---------------------------------------------------------------------------
def _secure(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme == "https" or (parsed.scheme == "http" and parsed.hostname in _LOOPBACK)


def _get_json(url: str) -> dict[str, Any]:
    if not _secure(url):
        raise OidcError("provider", f"refusing a non-https provider address {url!r}")
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT_SECONDS, headers={"Accept": "application/json"})
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as error:
        raise OidcError("provider", f"GET {url}: {error}") from error
    if not isinstance(data, dict):
        raise OidcError("provider", f"GET {url}: not a JSON object")
    return data


def _cache_key(kind: str, url: str) -> str:
    return f"oidc:{kind}:{hashlib.sha256(url.encode()).hexdigest()[:32]}"


def provider_metadata(config: OidcConfig) -> dict[str, Any]:
    """The discovery document (OpenID Connect Discovery 1.0 §4), checked and cached."""
    key = _cache_key("metadata", config.discovery_url)
    metadata: dict[str, Any] | None = cache.get(key)
    if metadata is not None:
        return metadata
    metadata = _get_json(config.discovery_url)
    # Discovery §4.3: the issuer in the document must be exactly the one configured.
    if metadata.get("issuer") != config.issuer:
        raise OidcError("provider", f"discovery issuer {metadata.get('issuer')!r} is not {config.issuer!r}")
    for name in _REQUIRED_ENDPOINTS:
        if not isinstance(metadata.get(name), str) or not _secure(metadata[name]):
            raise OidcError("provider", f"discovery {name} missing or not https")
    cache.set(key, metadata, METADATA_CACHE_SECONDS)
    return metadata


def _key_set(metadata: dict[str, Any], *, refresh: bool = False) -> KeySet:
    url = str(metadata["jwks_uri"])
    key = _cache_key("jwks", url)
    jwks: dict[str, Any] | None = None if refresh else cache.get(key)
    if jwks is None:
        jwks = _get_json(url)
        cache.set(key, jwks, METADATA_CACHE_SECONDS)
    try:
        return KeySet.import_key_set(jwks)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise OidcError("provider", f"unreadable JWKS: {error}") from error


# -- the flow ---------------------------------------------------------------------------------------------------
def _client(config: OidcConfig, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=config.client_id,
        client_secret=config.client_secret,
        token_endpoint_auth_method=config.token_auth_method,
        scope=config.scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        default_timeout=HTTP_TIMEOUT_SECONDS,
    )


@dataclass(frozen=True)
class AuthorizationRequest:
    """Where to send the browser, and the secrets to keep in its session until the callback."""

    url: str
    state: str
    nonce: str
    code_verifier: str


def authorization_start(config: OidcConfig, *, redirect_uri: str) -> AuthorizationRequest:
    """The provider's authorization URL with a fresh state, nonce and PKCE S256 challenge."""
    metadata = provider_metadata(config)
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    code_verifier = secrets.token_urlsafe(64)  # 86 characters, within RFC 7636 §4.1's 43-128
    url, _state = _client(config, redirect_uri).create_authorization_url(
        metadata["authorization_endpoint"], state=state, code_verifier=code_verifier, nonce=nonce
    )
    return AuthorizationRequest(url=url, state=state, nonce=nonce, code_verifier=code_verifier)


@dataclass(frozen=True)
class OidcIdentity:
    """Who signed in: the provider's account (issuer, subject) and the checked claims of the ID token, completed
    by userinfo; `id_number_claim` names the claim that holds the identification number."""

    issuer: str
    subject: str
    claims: Mapping[str, Any]
    id_number_claim: str

    @property
    def id_number(self) -> str:
        """The identification number the provider vouches for, or "" when it gave none that is valid."""
        return id_number_from_claims(self.claims, self.id_number_claim)


def id_number_from_claims(claims: Mapping[str, Any], claim: str) -> str:
    raw = str(claims.get(claim) or "").strip()
    try:
        validate_id_number(raw)
    except ValidationError:
        if raw:
            logger.warning("OIDC claim %s is not a valid ID number; ignored", claim)
        return ""
    return raw


def _decode(id_token: str, metadata: dict[str, Any]) -> Any:
    try:
        return jwt.decode(id_token, _key_set(metadata), algorithms=SIGNING_ALGORITHMS)
    except InvalidKeyIdError:
        # The provider may have rotated its keys since they were cached: read them once more.
        return jwt.decode(id_token, _key_set(metadata, refresh=True), algorithms=SIGNING_ALGORITHMS)


def id_token_claims(
    config: OidcConfig, *, id_token: str, nonce: str, access_token: str | None, now: int | None = None
) -> dict[str, Any]:
    """The ID token's claims once its signature, iss, aud, azp, exp, iat, nonce and at_hash are checked."""
    metadata = provider_metadata(config)
    try:
        token = _decode(id_token, metadata)
        options: dict[str, Any] = {
            "iss": {"essential": True, "value": config.issuer},
            "aud": {"essential": True, "value": config.client_id},
            "sub": {"essential": True},
            "exp": {"essential": True},
            "iat": {"essential": True},
            "nonce": {"essential": True, "value": nonce},
        }
        params = {"nonce": nonce, "client_id": config.client_id, "access_token": access_token}
        claims = CodeIDToken(token.claims, token.header, options, params)
        claims.validate(now=now, leeway=CLOCK_LEEWAY_SECONDS)
    except (JoseError, AuthlibBaseError, ValueError, TypeError) as error:
        raise OidcError("token", f"ID token refused: {error}") from error
    return dict(claims)


def _userinfo(client: OAuth2Session, metadata: dict[str, Any], subject: str) -> dict[str, Any]:
    endpoint = metadata.get("userinfo_endpoint")
    if not endpoint:
        return {}
    if not _secure(str(endpoint)):
        raise OidcError("provider", "userinfo endpoint not https")
    try:
        response = client.get(endpoint, headers={"Accept": "application/json"})
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, AuthlibBaseError, ValueError) as error:
        raise OidcError("provider", f"userinfo: {error}") from error
    # Core §5.3.2: the userinfo sub must be the ID token's, or the answer must not be used.
    if not isinstance(data, dict) or data.get("sub") != subject:
        raise OidcError("token", "userinfo sub differs from the ID token's")
    return data


def identity_from_callback(
    config: OidcConfig,
    *,
    params: Mapping[str, str],
    expected_state: str,
    nonce: str,
    code_verifier: str,
    redirect_uri: str,
) -> OidcIdentity:
    """Finish the flow at the callback: check state, exchange the code (with the PKCE verifier), check the
    ID token, read userinfo. Raises OidcError; nothing is trusted before every check has passed."""
    if params.get("error"):
        kind = "denied" if params.get("error") == "access_denied" else "provider"
        raise OidcError(kind, f"provider answered error={params.get('error')!r}")
    state = params.get("state") or ""
    if not expected_state or not state or not constant_time_compare(state, expected_state):
        raise OidcError("state", "state missing or not the one sent")
    code = params.get("code") or ""
    if not code:
        raise OidcError("token", "no authorization code")
    metadata = provider_metadata(config)
    client = _client(config, redirect_uri)
    try:
        token = client.fetch_token(
            metadata["token_endpoint"],
            grant_type="authorization_code",
            code=code,
            code_verifier=code_verifier,
            redirect_uri=redirect_uri,
        )
    except requests.RequestException as error:
        raise OidcError("provider", f"token endpoint: {error}") from error
    except (AuthlibBaseError, ValueError) as error:
        raise OidcError("token", f"token endpoint refused: {error}") from error
    id_token = token.get("id_token")
    if not isinstance(id_token, str) or not id_token:
        raise OidcError("token", "no ID token in the token response")
    claims = id_token_claims(config, id_token=id_token, nonce=nonce, access_token=token.get("access_token"))
    userinfo = _userinfo(client, metadata, str(claims["sub"])) if token.get("access_token") else {}
    merged = {**userinfo, **claims}
    return OidcIdentity(
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        claims=merged,
        id_number_claim=config.id_number_claim,
    )


# -- the browser's part -----------------------------------------------------------------------------------------
def flow_begin(session: Any, key: str, config: OidcConfig, *, redirect_uri: str, next_url: str) -> str:
    """Start a sign-in: keep its secrets in the browser's `session` under `key`; the provider's URL to send the
    browser to. OidcError when the provider cannot be read."""
    start = authorization_start(config, redirect_uri=redirect_uri)
    session[key] = {
        "state": start.state, "nonce": start.nonce, "verifier": start.code_verifier,
        "redirect_uri": redirect_uri, "next": next_url, "started": time.time(),
    }  # fmt: skip
    return start.url


@dataclass(frozen=True)
class FlowEnd:
    identity: OidcIdentity
    next_url: str  # where the sign-in was started from (already checked by the caller that began it)


def flow_finish(session: Any, key: str, config: OidcConfig, *, params: Mapping[str, str]) -> FlowEnd:
    """Finish the sign-in kept under `key` at the callback: the flow is taken out of the session (used once,
    whatever happens), refused when missing or older than FLOW_MAX_AGE, then checked by identity_from_callback.
    OidcError on any failure."""
    flow = session.pop(key, None)
    if (
        not isinstance(flow, dict)
        or time.time() - float(flow.get("started", 0)) > FLOW_MAX_AGE.total_seconds()
    ):
        raise OidcError("state", "no live flow in the session")
    identity = identity_from_callback(
        config,
        params=params,
        expected_state=str(flow.get("state") or ""),
        nonce=str(flow.get("nonce") or ""),
        code_verifier=str(flow.get("verifier") or ""),
        redirect_uri=str(flow.get("redirect_uri") or ""),
    )
    return FlowEnd(identity=identity, next_url=str(flow.get("next") or ""))
