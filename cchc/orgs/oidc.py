"""Staff sign-in through the identity provider (VNeID-style OpenID Connect), beside the password.

The relying party is the platform's one, shared with the citizens (cchc.core.oidc: discovery, authorization code
with PKCE, the ID token's signature, issuer, audience, expiry and nonce). What differs is who may come in: only an active staff
account that holds a role today, and whose administrator recorded the officer's identification number
(StaffIdentity). The first sign-in with that verified number links the provider's account (issuer, subject);
later sign-ins are found by that link, so a number changed at the provider cannot move into another account.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core.oidc import OidcIdentity
from cchc.orgs.models import StaffIdentity
from cchc.orgs.scoping import roles_of


class StaffSignInRefused(Exception):
    """The identity is not a staff member's here; the message is for the person (Vietnamese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def staff_sign_in_oidc(*, identity: OidcIdentity) -> Any:
    """The staff account of this identity (its link recorded, `verified_at` updated), or StaffSignInRefused."""
    with transaction.atomic():
        record = (
            StaffIdentity.objects.select_for_update()
            .select_related("user")
            .filter(issuer=identity.issuer, subject=identity.subject)
            .first()
        )
        if record is None:
            number = identity.id_number
            record = (
                StaffIdentity.objects.select_for_update()
                .select_related("user")
                .filter(id_number=number)
                .first()
                if number
                else None
            )
            if record is None:
                raise StaffSignInRefused(
                    _(
                        "Tài khoản định danh này chưa được gắn với tài khoản cán bộ nào. Xin liên hệ quản trị đơn vị."
                    )
                )
            if record.subject:  # linked to another account at the provider already
                raise StaffSignInRefused(
                    _(
                        "Số định danh này đã gắn với một tài khoản định danh khác. Xin liên hệ quản trị đơn vị."
                    )
                )
            record.issuer, record.subject = identity.issuer, identity.subject
        user = record.user
        if not user.is_active or not (user.is_superuser or roles_of(user)):
            raise StaffSignInRefused(_("Tài khoản cán bộ này đang bị khóa hoặc chưa được giao vai trò."))
        record.verified_at = timezone.now()
        try:
            record.save(update_fields=["issuer", "subject", "verified_at"])
        except IntegrityError as error:  # a concurrent first sign-in linked the same provider account
            raise StaffSignInRefused(_("Vui lòng đăng nhập lại.")) from error
    return user
