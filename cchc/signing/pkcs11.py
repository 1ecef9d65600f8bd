"""Signing with a key that never leaves a PKCS#11 token (thiết bị ký số, HSM): the production means on a server.

The province's hardware security module (or any PKCS#11 token: a USB token on the server, SoftHSM in the tests)
holds each officer's personal key and each unit's seal key, with the certificate the licensed authority issued
for it, both under the same label. Which label belongs to whom is a pattern (`CCHC_SIGNING_PKCS11_USER_LABEL`,
default ``cchc-user-{username}``; `CCHC_SIGNING_PKCS11_UNIT_LABEL`, default ``cchc-unit-{identifier}``), so the
operator who loads a key on the token needs nothing from the database. The platform logs in with the token's user
PIN (`CCHC_SIGNING_PKCS11_PIN`, or a file named by `CCHC_SIGNING_PKCS11_PIN_FILE`); the officer is the person
signed in, who chose to resolve the dossier.

A session is opened for each document and closed after it (`TokenSigner.sign`), in the thread that signs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pkcs11
from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _
from pkcs11 import Attribute, ObjectClass
from pkcs11 import exceptions as p11
from pyhanko.keys import load_certs_from_pemder
from pyhanko.sign.pkcs11 import PKCS11Signer

from cchc.signing.signer import Signature, SigningError, sign_with

logger = logging.getLogger("cchc.signing")


class TokenUnavailable(SigningError):
    """The token, its PIN, or the holder's key on it cannot be used; the message is for the officer."""


@dataclass(frozen=True)
class TokenConfig:
    """Where the token is: the PKCS#11 module (a .so file), the token's label, the user PIN, and a PEM file of
    the intermediate certificates to embed beside the signer's (optional)."""

    module: str
    token_label: str
    pin: str
    chain_file: str = ""

    def chain(self) -> list[asn1_x509.Certificate]:
        return list(load_certs_from_pemder([self.chain_file])) if self.chain_file else []  # type: ignore[no-untyped-call]


def pin_from(*, pin: str, pin_file: str) -> str:
    """The PIN given directly, or read from a file (a secret mounted by the service manager)."""
    if pin_file:
        return Path(pin_file).read_text(encoding="utf-8").strip()
    return pin


@contextmanager
def _session(config: TokenConfig) -> Iterator[pkcs11.Session]:
    try:
        library = pkcs11.lib(config.module)
    except (OSError, RuntimeError, p11.PKCS11Error) as error:
        logger.error("PKCS#11 module %s could not be loaded: %s", config.module, error)
        raise TokenUnavailable(_("Không nạp được thư viện của thiết bị ký số (PKCS#11).")) from error
    try:
        token = library.get_token(token_label=config.token_label)
    except (p11.NoSuchToken, p11.MultipleTokensReturned) as error:
        raise TokenUnavailable(
            _("Không tìm thấy thiết bị ký số “%(label)s”.") % {"label": config.token_label}
        ) from error
    try:
        session = token.open(user_pin=config.pin)
    except (p11.PinIncorrect, p11.PinInvalid, p11.PinLenRange) as error:
        raise TokenUnavailable(_("Mã PIN của thiết bị ký số không đúng.")) from error
    except p11.PinLocked as error:
        raise TokenUnavailable(_("Thiết bị ký số đã bị khóa PIN.")) from error
    except p11.PKCS11Error as error:
        logger.error("PKCS#11 token %s could not be opened: %r", config.token_label, error)
        raise TokenUnavailable(_("Không mở được phiên làm việc với thiết bị ký số.")) from error
    try:
        yield session
    finally:
        session.close()


def _certificate(session: pkcs11.Session, label: str) -> asn1_x509.Certificate | None:
    for found in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: label}):
        return asn1_x509.Certificate.load(found[Attribute.VALUE])
    return None


def _has_key(session: pkcs11.Session, label: str) -> bool:
    keys = session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.LABEL: label})
    return any(True for _key in keys)


@dataclass(frozen=True)
class TokenSigner:
    """Signs with the key and certificate labelled `label` on the configured token."""

    config: TokenConfig
    label: str
    holder_name: str  # for messages: whose key is missing

    @contextmanager
    def _open(self) -> Iterator[PKCS11Signer]:
        with _session(self.config) as session:
            certificate = _certificate(session, self.label)
            if certificate is None or not _has_key(session, self.label):
                raise TokenUnavailable(
                    _("Thiết bị ký số chưa có khóa và chứng thư số của %(name)s (nhãn “%(label)s”).")
                    % {"name": self.holder_name, "label": self.label}
                )
            yield PKCS11Signer(
                session,
                key_label=self.label,
                signing_cert=certificate,
                ca_chain=self.config.chain(),
            )

    def sign(self, pdf: bytes, signature: Signature) -> bytes:
        try:
            return sign_with(pdf, signature, self._open)
        except SigningError:
            raise
        except p11.PKCS11Error as error:
            logger.error("PKCS#11 signing with %s failed: %r", self.label, error)
            raise TokenUnavailable(_("Thiết bị ký số không ký được tài liệu.")) from error
