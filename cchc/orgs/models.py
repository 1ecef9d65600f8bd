"""Administrative units, agencies (cơ quan, đơn vị), counters and staff roles.

Two-level local government since 01/07/2025 (Resolution 202/2025/QH15; DOMAIN.md §1): 34 provinces and
3,321 communes are current; the 63 provinces, 696 districts and 10,051 wards before it are kept as legacy
units with validity dates and an old→new mapping, because dossiers received earlier keep their units.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.orgs.roles import Role

# The day the two-level local government took effect (Resolution 202/2025/QH15, Law 72/2025/QH15).
TWO_LEVEL_START = dt.date(2025, 7, 1)


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class Generation(models.TextChoices):
    CURRENT = "current", _("Từ 01/07/2025")
    LEGACY = "legacy", _("Trước 01/07/2025")


class AdministrativeUnit(models.Model):
    """An administrative unit (đơn vị hành chính): a province, a district (legacy only) or a commune."""

    generation = models.CharField(_("thế hệ"), max_length=8, choices=Generation.choices)
    level = models.CharField(_("cấp"), max_length=8, choices=Level.choices)
    code = models.PositiveIntegerField(_("mã"))
    name = models.CharField(_("tên"), max_length=120)
    # fold(name) from cchc.core.folding, for accent-free search (tìm kiếm không dấu); filled by the loader.
    name_folded = models.CharField(_("tên không dấu"), max_length=120, blank=True, editable=False)
    codename = models.CharField(_("tên mã"), max_length=120)
    # Vietnamese division type as the package gives it: tỉnh, thành phố trung ương, xã, phường, đặc khu,
    # and for legacy units quận, huyện, thị xã, thành phố, thị trấn.
    division_type = models.CharField(_("loại"), max_length=40)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("thuộc"),
    )
    # The code of the province the unit lies in (its own code for a province), of the same generation.
    # Kept on the row so that "every unit of province X" is one indexed filter at any level.
    province_code = models.PositiveIntegerField(_("mã tỉnh"), null=True, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(fields=["generation", "level", "code"], name="adminunit_unique_code"),
        ]
        indexes = [
            models.Index(fields=["generation", "level", "parent"]),
            models.Index(fields=["generation", "level", "province_code"], name="adminunit_gen_level_prov"),
        ]
        ordering = ["generation", "level", "code"]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class UnitSuccession(models.Model):
    """Old→new mapping (chuyển đổi đơn vị hành chính): which current unit a legacy unit went into.

    A legacy ward split between several new communes has one row per new commune, marked `partly`.
    """

    old = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="successors")
    new = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="predecessors")
    partly = models.BooleanField(_("sáp nhập một phần"), default=False)

    class Meta:
        verbose_name = _("chuyển đổi đơn vị hành chính")
        verbose_name_plural = _("chuyển đổi đơn vị hành chính")
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="succession_unique_pair")]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"


class UnitKind(models.TextChoices):
    PROVINCE_COMMITTEE = "province_committee", _("UBND tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    PROVINCE_CENTRE = "province_centre", _("Trung tâm Phục vụ hành chính công tỉnh")
    COMMUNE_COMMITTEE = "commune_committee", _("UBND xã, phường, đặc khu")
    COMMUNE_CENTRE = "commune_centre", _("Trung tâm Phục vụ hành chính công xã")
    BRANCH = "branch", _("Chi nhánh, đơn vị trực thuộc")


# The units that answer to the province for administrative reform: they sign commitments, send periodic
# reports and are inspected (departments and commune committees).
REFORM_UNIT_KINDS: tuple[str, ...] = (UnitKind.DEPARTMENT, UnitKind.COMMUNE_COMMITTEE)


class Unit(models.Model):
    """An agency or office (cơ quan, đơn vị) that receives or handles dossiers, or is scored.

    `identifier` is its electronic identifier (mã định danh điện tử, e.g. 000.00.12.H57), which the dossier code
    is built from (Decree 118/2025 Art. 28; Circular 03/2025 Art. 13).
    """

    kind = models.CharField(_("loại"), max_length=24, choices=UnitKind.choices)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    identifier = models.CharField(_("mã định danh điện tử"), max_length=40, blank=True)
    area = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="units", verbose_name=_("địa bàn")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("cấp trên"),
    )
    working_schedule = models.ForeignKey(
        "workdays.WorkingSchedule",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("giờ làm việc"),
        help_text=_("Để trống để dùng giờ làm việc mặc định."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["identifier"], condition=~Q(identifier=""), name="unit_unique_identifier"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def place_name(self) -> str:
        """The place of a document's date line (Decree 30/2020 Annex I): its area's name without the kind
        ("Tỉnh An Giang" → "An Giang")."""
        name = self.area.name.strip()
        kind = (self.area.division_type or "").strip()
        if kind and name.lower().startswith(kind.lower() + " "):
            name = name[len(kind) + 1 :]
        return name

    @property
    def level(self) -> str:
        return Level.PROVINCE if self.kind in _PROVINCE_KINDS else Level.COMMUNE


_PROVINCE_KINDS = {UnitKind.PROVINCE_COMMITTEE, UnitKind.DEPARTMENT, UnitKind.PROVINCE_CENTRE}


class Counter(models.Model):
    """A reception counter (quầy tiếp nhận) of a unit, with the fields it serves."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="counters", verbose_name=_("đơn vị")
    )
    number = models.PositiveSmallIntegerField(_("số quầy"))
    name = models.CharField(_("tên quầy"), max_length=120)
    fields_served = models.CharField(_("lĩnh vực"), max_length=500, blank=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("quầy tiếp nhận")
        verbose_name_plural = _("quầy tiếp nhận")
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="counter_unique_number")]

    def __str__(self) -> str:
        return f"{self.unit} – {self.name}"


class Membership(models.Model):
    """A staff member's role in a unit (cán bộ, công chức thuộc đơn vị), valid over a period."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("người dùng"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("đơn vị")
    )
    role = models.CharField(_("vai trò"), max_length=24, choices=Role.choices)
    counter = models.ForeignKey(
        Counter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("quầy")
    )
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("vai trò cán bộ")
        verbose_name_plural = _("vai trò cán bộ")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class StaffIdentity(models.Model):
    """The person behind a staff account, for sign-in through the identity provider (đăng nhập bằng tài khoản
    định danh điện tử): the administrator records the officer's identification number (CCCD); the first sign-in
    whose verified number matches links the provider's account (issuer, subject) to it for good."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_identity",
        verbose_name=_("người dùng"),
    )
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, unique=True)
    issuer = models.CharField(_("hệ thống định danh"), max_length=255, blank=True, editable=False)
    subject = models.CharField(_("mã tài khoản định danh"), max_length=255, blank=True, editable=False)
    verified_at = models.DateTimeField(_("xác thực lần cuối"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("định danh cán bộ")
        verbose_name_plural = _("định danh cán bộ")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], condition=~Q(subject=""), name="staff_identity_subject_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)
