"""Signing a document as an officer (ký số cá nhân) or as a unit (đóng dấu số), with the installation's means.

With the local development authority on (CCHC_SIGNING_LOCAL_CA=1: the demo and the tests), each officer and
unit gets a certificate from it on first use (cchc.signing.keystore). Otherwise signing needs a production
backend (a PKCS#11 token or a remote signing service), which this version does not have: SigningUnavailable
says so in Vietnamese and nothing is signed.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cchc.signing import keystore
from cchc.signing.authority import Holder
from cchc.signing.signer import Signature, SigningError


class SigningUnavailable(SigningError):
    """No signing means for this officer or unit."""


def _unavailable() -> SigningUnavailable:
    return SigningUnavailable(
        _("Chưa cấu hình phương tiện ký số (thiết bị ký hoặc dịch vụ ký số từ xa); không ký được tài liệu.")
    )


def _officer_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username()).strip()


def sign_as_officer(pdf: bytes, *, user: Any, organisation: str, reason: str, location: str = "") -> bytes:
    """`pdf` signed with `user`'s personal certificate (Decree 118/2025 Art. 17, 22)."""
    if not keystore.local_authority_enabled():
        raise _unavailable()
    signer, _certificate = keystore.local_credential(
        key=f"user-{user.pk}",
        common_name=_officer_name(user),
        organisation=organisation,
        holder=Holder.PERSON,
    )
    return signer.sign(pdf, Signature(field_name=f"CanBo{user.pk}", reason=reason, location=location))


def sign_as_unit(pdf: bytes, *, unit: Any, reason: str, location: str = "") -> bytes:
    """`pdf` sealed with `unit`'s certificate (con dấu số), beside the officer's signature where the procedure
    requires it (Decree 118/2025 Art. 22)."""
    if not keystore.local_authority_enabled():
        raise _unavailable()
    signer, _certificate = keystore.local_credential(
        key=f"unit-{unit.pk}", common_name=unit.name, organisation=unit.name, holder=Holder.SEAL
    )
    return signer.sign(pdf, Signature(field_name=f"DonVi{unit.pk}", reason=reason, location=location))
