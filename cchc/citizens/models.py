"""Citizen profiles (hồ sơ công dân) and one-time codes (mã xác nhận dùng một lần).

Invariants are database constraints, so no path (form, admin, shell) can break them. Personal data (Decree
13/2023/NĐ-CP): a code row holds no address in clear, only keyed hashes of the address and of the code.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.citizens import rules
from cchc.citizens.contacts import MOBILE_PATTERN, validate_id_number
from cchc.core.idnumber import ID_NUMBER_PATTERN


class CitizenProfile(models.Model):
    """The personal data of a citizen's portal account (tài khoản công dân), one per Django user.

    Verified flags: `phone_verified` / `email_verified` once a code sent there was entered (or the identity
    provider says so); `identity_verified` when name, birth date and ID number came from the identity provider
    (VNeID, Decree 69/2024/NĐ-CP on electronic identification; verify). Verified values are not edited by hand.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="citizen_profile",
        verbose_name=_("tài khoản"),
    )
    full_name = models.CharField(_("họ và tên"), max_length=255, blank=True)
    id_number = models.CharField(
        _("số CCCD (số định danh cá nhân)"), max_length=12, blank=True, validators=[validate_id_number]
    )
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    phone = models.CharField(_("số điện thoại di động"), max_length=10, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    area = models.ForeignKey(
        "orgs.AdministrativeUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã, phường, đặc khu"),
    )
    phone_verified = models.BooleanField(_("đã xác thực số điện thoại"), default=False)
    email_verified = models.BooleanField(_("đã xác thực thư điện tử"), default=False)
    identity_verified = models.BooleanField(_("đã xác thực danh tính"), default=False)
    # The account at the OpenID Connect provider, linked by (issuer, subject) (OpenID Connect Core 1.0 §2).
    oidc_issuer = models.CharField(_("nhà cung cấp định danh"), max_length=255, blank=True)
    oidc_subject = models.CharField(_("mã định danh tại nhà cung cấp"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ công dân")
        verbose_name_plural = _("hồ sơ công dân")
        constraints = [
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=MOBILE_PATTERN), name="citizen_phone_format"
            ),
            models.CheckConstraint(
                condition=Q(id_number="") | Q(id_number__regex=ID_NUMBER_PATTERN), name="citizen_id_format"
            ),
            models.CheckConstraint(
                condition=Q(phone_verified=False) | ~Q(phone=""), name="citizen_verified_phone_present"
            ),
            models.CheckConstraint(
                condition=Q(email_verified=False) | ~Q(email=""), name="citizen_verified_email_present"
            ),
            models.CheckConstraint(
                condition=Q(oidc_issuer="", oidc_subject="") | (~Q(oidc_issuer="") & ~Q(oidc_subject="")),
                name="citizen_oidc_pair",
            ),
            # A verified address, a verified identity and an OIDC account belong to one citizen account only.
            models.UniqueConstraint(
                fields=["phone"], condition=Q(phone_verified=True), name="citizen_unique_verified_phone"
            ),
            models.UniqueConstraint(
                fields=["email"], condition=Q(email_verified=True), name="citizen_unique_verified_email"
            ),
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(identity_verified=True) & ~Q(id_number=""),
                name="citizen_unique_verified_id",
            ),
            models.UniqueConstraint(
                fields=["oidc_issuer", "oidc_subject"],
                condition=~Q(oidc_subject=""),
                name="citizen_unique_oidc_account",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or str(self.user)

    @property
    def is_complete(self) -> bool:
        """Whether the citizen has given at least a name (asked for after the first sign-in)."""
        return bool(self.full_name.strip())


class CodeState(models.TextChoices):
    ACTIVE = "active", _("Còn hiệu lực")
    USED = "used", _("Đã dùng")
    EXPIRED = "expired", _("Hết hạn")
    EXHAUSTED = "exhausted", _("Nhập sai quá số lần")
    REPLACED = "replaced", _("Đã thay bằng mã mới")


class CodeChannel(models.TextChoices):
    SMS = "sms", _("Tin nhắn SMS")
    EMAIL = "email", _("Thư điện tử")


class OneTimeCode(models.Model):
    """A one-time code sent to an address; its lifecycle is cchc.citizens.lifecycle.ALLOWED_TRANSITIONS.

    `address_digest` and `code_digest` are HMAC-SHA256 keyed with SECRET_KEY (cchc.citizens.services), so
    neither the address nor the code can be read back from the database. One active code per address.
    """

    address_digest = models.CharField(max_length=64, db_index=True)
    channel = models.CharField(_("kênh gửi"), max_length=8, choices=CodeChannel.choices)
    code_digest = models.CharField(max_length=64)
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=CodeState.choices, default=CodeState.ACTIVE
    )
    wrong_attempts = models.PositiveSmallIntegerField(_("số lần nhập sai"), default=0)
    created_at = models.DateTimeField(_("thời điểm tạo"))
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã xác nhận")
        verbose_name_plural = _("mã xác nhận")
        constraints = [
            models.UniqueConstraint(
                fields=["address_digest"], condition=Q(state="active"), name="otp_one_active_per_address"
            ),
            models.CheckConstraint(
                condition=Q(wrong_attempts__lte=rules.OTP_MAX_WRONG_ATTEMPTS), name="otp_wrong_attempts_max"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="otp_expiry_after"
            ),
            models.CheckConstraint(
                condition=Q(state="active", ended_at__isnull=True)
                | (~Q(state="active") & Q(ended_at__isnull=False)),
                name="otp_ended_iff_not_active",
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="otp_state_created")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.created_at:%d/%m/%Y %H:%M} ({self.get_state_display()})"
