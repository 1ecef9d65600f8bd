"""Every state change of citizen accounts: one-time codes, sign-up, the profile, the OIDC link.

Each is a keyword-only function named <thing>_<verb> that runs in a transaction. Codes and addresses are kept
only as HMAC-SHA256 keyed with SECRET_KEY (Decree 13/2023/NĐ-CP: personal data protected against disclosure),
and codes are compared in constant time.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from cchc.citizens import rules
from cchc.citizens.contacts import Contact, ContactKind
from cchc.citizens.delivery import code_deliver
from cchc.citizens.lifecycle import CodeAction, next_state
from cchc.citizens.models import CitizenProfile, CodeChannel, CodeState, OneTimeCode
from cchc.citizens.oidc import person_of
from cchc.core.oidc import OidcIdentity
from cchc.orgs.models import AdministrativeUnit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

_ADDRESS_SALT = "cchc.citizens.otp.address"
_CODE_SALT = "cchc.citizens.otp.code"
# A race on a unique constraint (two requests for the same address at once) is retried this many times.
_RACE_RETRIES = 3
USERNAME_PREFIX = "congdan-"


class ProfileChangeRefused(Exception):
    """A change the profile's rules forbid; `message` is for the citizen (Vietnamese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- one-time codes ---------------------------------------------------------------------------------------------
def address_digest(contact: Contact) -> str:
    """The keyed hash under which codes for `contact` are stored."""
    return salted_hmac(_ADDRESS_SALT, f"{contact.kind}:{contact.value}", algorithm="sha256").hexdigest()


def code_digest(*, address: str, code: str) -> str:
    """The keyed hash of `code` bound to one address digest (a code for one address fails for another)."""
    return salted_hmac(_CODE_SALT, f"{address}:{code}", algorithm="sha256").hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**rules.OTP_DIGITS):0{rules.OTP_DIGITS}d}"


def _code_apply(row: OneTimeCode, action: CodeAction, *, now: dt.datetime) -> None:
    """Move `row` along cchc.citizens.lifecycle.ALLOWED_TRANSITIONS and save it."""
    row.state = next_state(row.state, action)
    if row.state != CodeState.ACTIVE:
        row.ended_at = now
    row.save(update_fields=["state", "wrong_attempts", "ended_at"])


def _lock_address(digest: str) -> None:
    """Serialise code issuing per address on PostgreSQL (a transaction-level advisory lock); SQLite already
    serialises writers. Without it, parallel requests all find no active code and race on the insert."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(digest[:15], 16)])


def _code_issue(*, contact: Contact, code: str, now: dt.datetime) -> OneTimeCode:
    digest = address_digest(contact)
    for attempt in range(_RACE_RETRIES):
        try:
            with transaction.atomic():
                _lock_address(digest)
                for old in OneTimeCode.objects.select_for_update().filter(
                    address_digest=digest, state=CodeState.ACTIVE
                ):
                    _code_apply(old, CodeAction.REPLACE, now=now)
                return OneTimeCode.objects.create(
                    address_digest=digest,
                    channel=CodeChannel.SMS if contact.kind == ContactKind.SMS else CodeChannel.EMAIL,
                    code_digest=code_digest(address=digest, code=code),
                    created_at=now,
                    expires_at=now + rules.OTP_VALIDITY,
                )
        except IntegrityError:
            # Another request made the active code between our read and our insert: replace it in turn.
            if attempt == _RACE_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def otp_request(*, contact: Contact, now: dt.datetime | None = None) -> OneTimeCode:
    """Issue a one-time code (mã xác nhận) for `contact` and send it; any earlier code for it is replaced.

    Issue 4 §2: 6 digits, valid 5 minutes, one active code per address. The code is committed, then sent;
    raises cchc.citizens.delivery.CodeDeliveryError when the gateway or mail server refuses it.
    """
    now = now or timezone.now()
    code = _new_code()
    row = _code_issue(contact=contact, code=code, now=now)
    code_deliver(contact=contact, code=code)
    logger.info("one-time code sent by %s to %s", contact.kind, contact.masked)
    return row


class CodeCheck(StrEnum):
    ACCEPTED = "accepted"
    WRONG = "wrong"  # attempts remain
    EXHAUSTED = "exhausted"  # this wrong entry was the last allowed
    EXPIRED = "expired"
    MISSING = "missing"  # no active code: never sent, already used, replaced by none, or ended


@dataclass(frozen=True)
class CodeOutcome:
    check: CodeCheck
    attempts_left: int = 0

    @property
    def accepted(self) -> bool:
        return self.check == CodeCheck.ACCEPTED


@transaction.atomic
def otp_verify(*, contact: Contact, code: str, now: dt.datetime | None = None) -> CodeOutcome:
    """Check `code` against the active code of `contact` (xác nhận mã), under a row lock.

    Issue 4 §2: the code is used once; it expires after 5 minutes; the 5th wrong entry ends it. A replaced
    code is no longer active, so entering it counts as a wrong entry against the new one.
    """
    now = now or timezone.now()
    digest = address_digest(contact)
    row = (
        OneTimeCode.objects.select_for_update().filter(address_digest=digest, state=CodeState.ACTIVE).first()
    )
    if row is None:
        return CodeOutcome(CodeCheck.MISSING)
    if now >= row.expires_at:
        _code_apply(row, CodeAction.EXPIRE, now=now)
        return CodeOutcome(CodeCheck.EXPIRED)
    if constant_time_compare(row.code_digest, code_digest(address=digest, code=code)):
        _code_apply(row, CodeAction.USE, now=now)
        return CodeOutcome(CodeCheck.ACCEPTED)
    row.wrong_attempts += 1
    left = rules.OTP_MAX_WRONG_ATTEMPTS - row.wrong_attempts
    if left <= 0:
        _code_apply(row, CodeAction.EXHAUST, now=now)
        return CodeOutcome(CodeCheck.EXHAUSTED)
    _code_apply(row, CodeAction.FAIL, now=now)
    return CodeOutcome(CodeCheck.WRONG, attempts_left=left)


@transaction.atomic
def otp_purge(*, now: dt.datetime | None = None) -> int:
    """Delete codes ended (or expired) longer ago than rules.CODE_RETENTION; return how many were deleted."""
    limit = (now or timezone.now()) - rules.CODE_RETENTION
    ended = OneTimeCode.objects.exclude(state=CodeState.ACTIVE).filter(ended_at__lt=limit)
    stale = OneTimeCode.objects.filter(state=CodeState.ACTIVE, expires_at__lt=limit)
    return ended.delete()[0] + stale.delete()[0]


# -- accounts ---------------------------------------------------------------------------------------------------
def _new_user() -> User:
    """An ordinary user with no password and no staff rights; citizens sign in by code or OIDC only."""
    user: User = get_user_model().objects.create_user(username=USERNAME_PREFIX + uuid.uuid4().hex[:16])
    return user


def may_sign_in_as_citizen(user: Any) -> bool:
    """Active and without staff rights: staff accounts sign in with their password (cchc.orgs.views) only."""
    return bool(user.is_active and not user.is_staff and not user.is_superuser)


def citizen_account_ensure(*, contact: Contact) -> tuple[User, bool]:
    """The account whose verified phone or e-mail is `contact`, created on first sign-in (đăng ký): (user, created).

    Call it only after otp_verify accepted a code sent to `contact`: that proves the address, so it is verified.
    """
    field = "phone" if contact.kind == ContactKind.SMS else "email"
    lookup = {field: contact.value, f"{field}_verified": True}
    for attempt in range(_RACE_RETRIES):
        try:
            with transaction.atomic():
                profile = CitizenProfile.objects.select_related("user").filter(**lookup).first()
                if profile is not None:
                    return profile.user, False
                user = _new_user()
                CitizenProfile.objects.create(user=user, **lookup)
                logger.info("citizen account created for %s", contact.masked)
                return user, True
        except IntegrityError:
            # The same address signed up in a parallel request: read the account it made.
            if attempt == _RACE_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _sync_user_name(profile: CitizenProfile) -> None:
    user = profile.user
    name = profile.full_name.strip()[:150]
    if user.first_name != name or user.last_name:
        user.first_name, user.last_name = name, ""
        user.save(update_fields=["first_name", "last_name"])


@transaction.atomic
def citizen_profile_update(
    *,
    profile: CitizenProfile,
    full_name: str,
    id_number: str,
    birth_date: dt.date | None,
    phone: str,
    email: str,
    address: str,
    area: AdministrativeUnit | None,
) -> CitizenProfile:
    """Save the citizen's own profile (cập nhật hồ sơ cá nhân).

    Verified values stay as they are (Decree 13/2023/NĐ-CP: personal data kept accurate): name, ID number and
    birth date confirmed by the identity provider, and the phone or e-mail used to sign in. Raises
    ProfileChangeRefused for such a change and ValidationError for a value that breaks the model's rules.
    """
    locked = CitizenProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    if locked.identity_verified and (full_name, id_number, birth_date) != (
        locked.full_name,
        locked.id_number,
        locked.birth_date,
    ):
        raise ProfileChangeRefused(
            _(
                "Họ tên, số CCCD và ngày sinh đã được xác thực qua tài khoản định danh điện tử, không sửa được."
            )
        )
    if locked.phone_verified and phone != locked.phone:
        raise ProfileChangeRefused(_("Số điện thoại đã xác thực dùng để đăng nhập, không sửa được."))
    if locked.email_verified and email != locked.email:
        raise ProfileChangeRefused(_("Địa chỉ thư điện tử đã xác thực dùng để đăng nhập, không sửa được."))
    locked.full_name, locked.id_number, locked.birth_date = full_name.strip(), id_number, birth_date
    locked.phone, locked.email, locked.address, locked.area = phone, email, address.strip(), area
    locked.full_clean(exclude=["user"])
    locked.save()
    _sync_user_name(locked)
    return locked


def _current_citizen_profile(user: Any) -> CitizenProfile | None:
    if user is None or not getattr(user, "is_authenticated", False) or not may_sign_in_as_citizen(user):
        return None
    return CitizenProfile.objects.select_for_update().filter(user=user).first()


def _taken(field: str, value: str, profile: CitizenProfile) -> bool:
    others = CitizenProfile.objects.filter(**{field: value, f"{field}_verified": True})
    if profile.pk:
        others = others.exclude(pk=profile.pk)
    return others.exists()


def _apply_identity(profile: CitizenProfile, identity: OidcIdentity) -> None:
    person = person_of(identity)
    if person.id_number:
        clash = CitizenProfile.objects.filter(id_number=person.id_number, identity_verified=True)
        if profile.pk:
            clash = clash.exclude(pk=profile.pk)
        if clash.exists():
            raise ProfileChangeRefused(
                _("Số định danh này đã gắn với một tài khoản công dân khác. Vui lòng liên hệ bộ phận hỗ trợ.")
            )
        profile.id_number, profile.identity_verified = person.id_number, True
    # What the identity provider states about the person replaces what was typed by hand.
    if person.full_name:
        profile.full_name = person.full_name
    if person.birth_date:
        profile.birth_date = person.birth_date
    if person.phone and not profile.phone_verified:
        profile.phone = person.phone
        profile.phone_verified = person.phone_verified and not _taken("phone", person.phone, profile)
    if person.email and not profile.email_verified:
        profile.email = person.email
        profile.email_verified = person.email_verified and not _taken("email", person.email, profile)


@transaction.atomic
def citizen_sign_in_oidc(*, identity: OidcIdentity, current_user: Any = None) -> tuple[User, bool]:
    """The account linked to the provider's account (issuer, subject), linked or created now: (user, created).

    A citizen already signed in who has no link yet gets linked; otherwise a new account is made. Accounts are
    never matched by e-mail or phone, which the provider may not have verified. The provider's statements
    fill the profile (Decree 69/2024/NĐ-CP, electronic identification; verify). Raises ProfileChangeRefused
    when the link or the ID number belongs to another account.
    """
    profile = (
        CitizenProfile.objects.select_for_update()
        .select_related("user")
        .filter(oidc_issuer=identity.issuer, oidc_subject=identity.subject)
        .first()
    )
    created = False
    if profile is None:
        current = _current_citizen_profile(current_user)
        if current is not None and current.oidc_subject:
            raise ProfileChangeRefused(_("Tài khoản của bạn đã liên kết với một tài khoản định danh khác."))
        if current is not None:
            profile = current
        else:
            profile, created = CitizenProfile(user=_new_user()), True
        profile.oidc_issuer, profile.oidc_subject = identity.issuer, identity.subject
    _apply_identity(profile, identity)
    profile.full_clean(exclude=["user"])
    profile.save()
    _sync_user_name(profile)
    logger.info("citizen signed in through OIDC (%s), created=%s", identity.issuer, created)
    return profile.user, created
