"""Signing a document as an officer (ký số cá nhân) or as a unit (đóng dấu số), with the installation's means.

The means is chosen by `CCHC_SIGNING_BACKEND`:
- `pkcs11`: a PKCS#11 token or hardware security module (cchc.signing.pkcs11);
- `remote`: a remote signing service speaking the CSC API (cchc.signing.remote);
- unset: the local development authority when `CCHC_SIGNING_LOCAL_CA=1` (the demo and the tests), which issues
  each officer and unit a certificate on first use (cchc.signing.keystore); otherwise nothing can be signed and
  SigningUnavailable says so in Vietnamese.
The holder is found on the token or at the service by `CCHC_SIGNING_USER_KEY` (default ``cchc-user-{username}``)
and `CCHC_SIGNING_UNIT_KEY` (default ``cchc-unit-{identifier}``).

Every signature just made is verified at once against the installation's trust (roots and current revocation
lists): a certificate that is expired, revoked or from an authority the installation does not trust makes a
signature every reader would see as invalid, so the step is refused with the reason and nothing is kept.
"""

from __future__ import annotations

from typing import Any, Final

from django.conf import settings
from django.utils.translation import gettext as _

from cchc.signing import keystore
from cchc.signing.authority import Holder
from cchc.signing.signer import Signature, Signer, SigningError
from cchc.signing.verify import NotAPdf, verify_pdf

BACKENDS: Final = ("pkcs11", "remote")
DEFAULT_USER_KEY: Final = "cchc-user-{username}"
DEFAULT_UNIT_KEY: Final = "cchc-unit-{identifier}"


class SigningUnavailable(SigningError):
    """No signing means for this officer or unit."""


def _unavailable() -> SigningUnavailable:
    return SigningUnavailable(
        _("Chưa cấu hình phương tiện ký số (thiết bị ký hoặc dịch vụ ký số từ xa); không ký được tài liệu.")
    )


def backend() -> str:
    """The configured means: "pkcs11", "remote", "local" (the development authority) or "" (none)."""
    chosen = str(getattr(settings, "CCHC_SIGNING_BACKEND", "") or "").strip().lower()
    if chosen in BACKENDS:
        return chosen
    return "local" if keystore.local_authority_enabled() else ""


def _holder_key(pattern_setting: str, default: str, **values: Any) -> str:
    pattern = str(getattr(settings, pattern_setting, "") or default)
    try:
        key = pattern.format(**values).strip()
    except (KeyError, IndexError, ValueError) as error:
        raise SigningUnavailable(
            _("Cấu hình %(setting)s không hợp lệ; không ký được tài liệu.") % {"setting": pattern_setting}
        ) from error
    if not key:
        raise SigningUnavailable(_("Không xác định được khóa ký của người ký; không ký được tài liệu."))
    return key


def _means(*, local_key: str, key: str, name: str, organisation: str, holder: Holder) -> Signer:
    chosen = backend()
    if chosen == "pkcs11":
        from cchc.signing.pkcs11 import TokenConfig, TokenSigner, pin_from

        config = TokenConfig(
            module=settings.CCHC_SIGNING_PKCS11_MODULE,
            token_label=settings.CCHC_SIGNING_PKCS11_TOKEN,
            pin=pin_from(
                pin=settings.CCHC_SIGNING_PKCS11_PIN, pin_file=settings.CCHC_SIGNING_PKCS11_PIN_FILE
            ),
            chain_file=settings.CCHC_SIGNING_CHAIN_FILE,
        )
        return TokenSigner(config=config, label=key, holder_name=name)
    if chosen == "remote":
        from cchc.signing.remote import RemoteConfig, RemoteSigner

        remote = RemoteConfig(url=settings.CCHC_SIGNING_REMOTE_URL, token=settings.CCHC_SIGNING_REMOTE_TOKEN)
        return RemoteSigner(config=remote, user_id=key, holder_name=name)
    if chosen == "local":
        signer, _certificate = keystore.local_credential(
            key=local_key, common_name=name, organisation=organisation, holder=holder
        )
        return signer
    raise _unavailable()


def _checked(signed: bytes, field_name: str) -> bytes:
    """`signed`, once its signature `field_name` verifies against the installation's trust; SigningError with
    the reason otherwise (an expired, revoked or untrusted certificate)."""
    try:
        checks = [
            check for check in verify_pdf(signed, keystore.installation_trust()) if check.field == field_name
        ]
    except NotAPdf as error:
        raise SigningError(str(error)) from error
    if not checks:
        raise SigningError(_("Không ký được tài liệu này."))
    if not checks[-1].valid:
        raise SigningError(_("Chữ ký số không hợp lệ: %(problem)s") % {"problem": checks[-1].problem})
    return signed


def _officer_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username()).strip()


def sign_as_officer(pdf: bytes, *, user: Any, organisation: str, reason: str, location: str = "") -> bytes:
    """`pdf` signed with `user`'s personal certificate (Decree 118/2025 Art. 17, 22)."""
    name = _officer_name(user)
    signer = _means(
        local_key=f"user-{user.pk}",
        key=_holder_key("CCHC_SIGNING_USER_KEY", DEFAULT_USER_KEY, username=user.get_username(), id=user.pk),
        name=name,
        organisation=organisation,
        holder=Holder.PERSON,
    )
    field_name = f"CanBo{user.pk}"
    signed = signer.sign(pdf, Signature(field_name=field_name, reason=reason, location=location))
    return _checked(signed, field_name)


def sign_as_unit(pdf: bytes, *, unit: Any, reason: str, location: str = "") -> bytes:
    """`pdf` sealed with `unit`'s certificate (con dấu số), beside the officer's signature where the procedure
    requires it (Decree 118/2025 Art. 22)."""
    signer = _means(
        local_key=f"unit-{unit.pk}",
        key=_holder_key(
            "CCHC_SIGNING_UNIT_KEY", DEFAULT_UNIT_KEY, identifier=unit.identifier or "", id=unit.pk
        ),
        name=unit.name,
        organisation=unit.name,
        holder=Holder.SEAL,
    )
    field_name = f"DonVi{unit.pk}"
    signed = signer.sign(pdf, Signature(field_name=field_name, reason=reason, location=location))
    return _checked(signed, field_name)
