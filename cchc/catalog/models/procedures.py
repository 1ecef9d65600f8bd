"""Procedures (thủ tục hành chính) and their versions.

A procedure is versioned: a dossier is tied to the version that was in force when it was received, and a
published version is immutable (DOMAIN.md §2). Only the lifecycle fields (status, valid_to) of a published
version change, and only through `cchc.catalog.services`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from cchc.catalog.models.choices import (
    ComponentKind,
    FeeKind,
    OnlineLevel,
    RequiredPart,
    TimeUnit,
    VersionStatus,
)
from cchc.core.folding import fold
from cchc.orgs.roles import Role

RESULT_TYPE_CODE = RegexValidator(
    r"^[0-9A-Z]{1,20}$", _("Mã loại giấy tờ chỉ gồm chữ in hoa không dấu và chữ số.")
)

# Fields of a published version that the services may still change: retirement and supersession.
LIFECYCLE_FIELDS: frozenset[str] = frozenset({"status", "valid_to", "updated_at"})


class PublishedVersionImmutableError(Exception):
    """Raised on any attempt to edit or delete a published (or retired) version or one of its parts."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or str(
                _(
                    "Phiên bản thủ tục đã công bố không được sửa hoặc xóa; "
                    "hãy tạo phiên bản mới (bản nháp) để thay đổi."
                )
            )
        )


class Field(models.Model):
    """A sector/field (lĩnh vực), e.g. "Hộ tịch"; codes per Circular 03/2025/TT-VPCP where known."""

    code = models.CharField(_("mã lĩnh vực"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255, unique=True)
    name_folded = models.CharField(_("tên không dấu"), max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse renaming a field that published versions show; a draft's search text follows the new name."""
        stored = Field.objects.filter(pk=self.pk).values_list("name", flat=True).first() if self.pk else None
        renamed = stored is not None and stored != self.name
        if renamed and self.has_published_versions():
            raise ValidationError(
                _(
                    "Lĩnh vực “%(name)s” đã được dùng trong phiên bản thủ tục đã công bố nên không được đổi tên "
                    "(phiên bản đã công bố không được thay đổi); hãy tạo lĩnh vực mới cho các phiên bản sau."
                )
                % {"name": stored},
                code="field_used_by_published",
            )
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)
        if renamed:
            for draft in ProcedureVersion.objects.filter(field=self, status=VersionStatus.DRAFT):
                draft.save(update_fields=["search_text", "agency_folded", "updated_at"])

    def has_published_versions(self) -> bool:
        """Whether a published (or retired) version uses this field; its name is then frozen with them."""
        return self.pk is not None and self.versions.exclude(status=VersionStatus.DRAFT).exists()


class Procedure(models.Model):
    """The stable identity of a procedure across its versions.

    `code` is the national code (e.g. "1.001612") from the national database of procedures; a local
    procedure without one gets a generated code "DP.000001" and `is_local_code` set.
    """

    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    is_local_code = models.BooleanField(
        _("mã do hệ thống tự sinh"),
        default=False,
        help_text=_("Thủ tục chưa có mã trên Cơ sở dữ liệu quốc gia về thủ tục hành chính."),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]
        # Codes are looked up case-insensitively ("dp.000001"): without this, every counter intake through the
        # API scanned the whole catalog (bench/RESULTS.md).
        indexes = [models.Index(Upper("code"), name="procedure_code_upper")]

    def __str__(self) -> str:
        return self.code


class ProcedureVersionQuerySet(models.QuerySet["ProcedureVersion"]):
    def update(self, **kwargs: Any) -> int:
        if set(kwargs) - LIFECYCLE_FIELDS and self.exclude(status=VersionStatus.DRAFT).exists():
            raise PublishedVersionImmutableError()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.exclude(status=VersionStatus.DRAFT).exists():
            raise PublishedVersionImmutableError()
        return super().delete()

    def published(self) -> ProcedureVersionQuerySet:
        return self.filter(status=VersionStatus.PUBLISHED)


class ProcedureVersion(models.Model):
    """One version of a procedure, as announced by a decision (quyết định công bố)."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="versions", verbose_name=_("thủ tục")
    )
    number = models.PositiveIntegerField(_("số phiên bản"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    # Announcement decision (quyết định công bố), Decree 63/2010 Art. 15.
    decision_number = models.CharField(_("số quyết định công bố"), max_length=80, blank=True)
    decision_date = models.DateField(_("ngày quyết định công bố"), null=True, blank=True)
    decision_issuer = models.CharField(_("cơ quan ban hành quyết định"), max_length=255, blank=True)

    name = models.TextField(_("tên thủ tục"))
    field = models.ForeignKey(
        Field,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="versions",
        verbose_name=_("lĩnh vực"),
    )
    # Implementing levels since the two-level local government (01/07/2025): province and commune.
    level_province = models.BooleanField(_("cấp tỉnh"), default=False)
    level_commune = models.BooleanField(_("cấp xã"), default=False)
    level_note = models.CharField(_("cấp thực hiện (theo nguồn)"), max_length=255, blank=True)
    agency = models.TextField(_("cơ quan thực hiện"), blank=True)
    agency_folded = models.TextField(_("cơ quan thực hiện (không dấu)"), blank=True, editable=False)

    # Statutory time limit (thời hạn giải quyết). Null when the source lacks it: see time_limit_note.
    time_limit_amount = models.DecimalField(
        _("thời hạn giải quyết"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    time_limit_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=16, choices=TimeUnit.choices, blank=True, default=""
    )
    time_limit_cutoff = models.TimeField(
        _("giờ chốt trong ngày"),
        null=True,
        blank=True,
        help_text=_("Ví dụ 15:00: hồ sơ nhận sau giờ này được trả vào ngày làm việc tiếp theo."),
    )
    time_limit_note = models.TextField(_("ghi chú thời hạn"), blank=True)
    # {"counter"|"online"|"post": {"amount": "3", "unit": "working_days"}}
    time_limits_by_channel = models.JSONField(_("thời hạn theo cách thức nộp"), default=dict, blank=True)

    steps = models.TextField(_("trình tự thực hiện"), blank=True)
    method_counter = models.BooleanField(_("nộp trực tiếp"), default=False)
    method_post = models.BooleanField(_("nộp qua bưu chính"), default=False)
    method_online = models.BooleanField(_("nộp trực tuyến"), default=False)
    method_note = models.TextField(_("cách thức thực hiện (ghi chú)"), blank=True)
    online_level = models.CharField(
        _("mức độ dịch vụ công trực tuyến"),
        max_length=16,
        choices=OnlineLevel.choices,
        default=OnlineLevel.NONE,
    )
    applicants = models.TextField(_("đối tượng thực hiện"), blank=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    # The electronic result (Decree 118/2025 Art. 22): its document-type code, the second half of the document
    # code (mã số giấy tờ, cchc.dossiers.result_codes), and whether the unit's digital seal goes beside the
    # leader's signature (đóng dấu số).
    result_type_code = models.CharField(
        _("mã loại giấy tờ kết quả"), max_length=20, blank=True, validators=[RESULT_TYPE_CODE]
    )
    result_sealed = models.BooleanField(_("kết quả cần đóng dấu số của cơ quan"), default=False)
    legal_basis = models.JSONField(_("căn cứ pháp lý"), default=list, blank=True)

    # Provenance: where each value came from, and which values still need checking ({field: note}).
    source = models.JSONField(_("nguồn dữ liệu"), default=dict, blank=True)
    verify_notes = models.JSONField(_("giá trị cần kiểm tra lại"), default=dict, blank=True)

    search_text = models.TextField(_("chuỗi tìm kiếm"), blank=True, editable=False)
    content_hash = models.CharField(_("mã băm nội dung"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)
    published_at = models.DateTimeField(_("thời điểm công bố"), null=True, blank=True)

    objects = ProcedureVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="catalog_version_unique_number"),
        ]
        indexes = [models.Index(fields=["status", "valid_from"], name="catalog_version_status_from")]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}: {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        stored = self._stored_status()
        if stored is not None and stored != VersionStatus.DRAFT:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or set(update_fields) - LIFECYCLE_FIELDS:
                raise PublishedVersionImmutableError()
        else:
            self.search_text = self.compute_search_text()
            self.agency_folded = fold(self.agency)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._stored_status() not in (None, VersionStatus.DRAFT):
            raise PublishedVersionImmutableError()
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def compute_search_text(self) -> str:
        """fold(name + code + field name) between two spaces, the column searched accent-free on both databases.

        The outer spaces let a whole word be found with one LIKE '% word %', which PostgreSQL answers from the
        trigram index.
        """
        field_name = self.field.name if self.field is not None else ""
        return f" {fold(f'{self.name} {self.procedure.code} {field_name}')} "

    def _stored_status(self) -> str | None:
        if self.pk is None:
            return None
        return ProcedureVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()

    @property
    def has_time_limit(self) -> bool:
        return self.time_limit_amount is not None and bool(self.time_limit_unit)

    def missing_required_parts(self) -> list[str]:
        """The required parts (Decree 63/2010 Art. 8(2); Decision 766 component 1.3) that are empty."""
        present = {
            RequiredPart.NAME: bool(self.name.strip()),
            RequiredPart.STEPS: bool(self.steps.strip()),
            RequiredPart.METHOD: self.method_counter or self.method_post or self.method_online,
            RequiredPart.COMPONENTS: self.pk is not None and self.components.exists(),
            RequiredPart.TIME_LIMIT: self.has_time_limit,
            RequiredPart.APPLICANTS: bool(self.applicants.strip()),
            RequiredPart.AGENCY: bool(self.agency.strip()),
        }
        return [str(part) for part in RequiredPart if not present[part]]


class VersionPartQuerySet(models.QuerySet[Any]):
    """Queryset of a version's parts: refuses bulk edits that touch a published version."""

    def _touches_published(self) -> bool:
        return self.exclude(version__status=VersionStatus.DRAFT).exists()

    def update(self, **kwargs: Any) -> int:
        if self._touches_published():
            raise PublishedVersionImmutableError()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self._touches_published():
            raise PublishedVersionImmutableError()
        return super().delete()


class VersionPart(models.Model):
    """Base of the rows that belong to a version; they freeze with it."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, verbose_name=_("phiên bản"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = VersionPartQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._version_is_frozen():
            raise PublishedVersionImmutableError()
        if self.pk is not None:
            # Moving a row out of a published version is an edit of that version too.
            old_version = type(self).objects.filter(pk=self.pk).values_list("version_id", flat=True).first()
            if old_version is not None and old_version != self.version_id:
                old_status = ProcedureVersion.objects.filter(pk=old_version).values_list("status", flat=True)
                if old_status.first() != VersionStatus.DRAFT:
                    raise PublishedVersionImmutableError()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._version_is_frozen():
            raise PublishedVersionImmutableError()
        return super().delete(*args, **kwargs)

    def _version_is_frozen(self) -> bool:
        status = ProcedureVersion.objects.filter(pk=self.version_id).values_list("status", flat=True).first()
        return status not in (None, VersionStatus.DRAFT)


def component_template_path(instance: Component, filename: str) -> str:
    return f"catalog/forms/{instance.version.procedure.code}/{filename}"


class Component(VersionPart):
    """A required dossier component (thành phần hồ sơ)."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="components", verbose_name=_("phiên bản")
    )
    name = models.TextField(_("tên giấy tờ"))
    kind = models.CharField(
        _("loại bản"), max_length=20, choices=ComponentKind.choices, default=ComponentKind.ORIGINAL
    )
    quantity = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    template = models.FileField(_("mẫu đơn, tờ khai"), upload_to=component_template_path, blank=True)
    template_name = models.CharField(_("tên mẫu đơn, tờ khai"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta(VersionPart.Meta):
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name[:80]


class FeeRule(VersionPart):
    """A fee or charge (phí, lệ phí) in whole VND, possibly by case.

    `amount_vnd` null means the amount is set by the Provincial People's Council (HĐND tỉnh, Law on Fees and
    Charges 2015 Art. 21) or is unknown; `note` says which.
    """

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="fees", verbose_name=_("phiên bản")
    )
    kind = models.CharField(_("loại"), max_length=8, choices=FeeKind.choices, default=FeeKind.CHARGE)
    case = models.TextField(_("trường hợp áp dụng"), blank=True)
    amount_vnd = models.BigIntegerField(_("mức thu (đồng)"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta(VersionPart.Meta):
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self) -> str:
        amount = "?" if self.amount_vnd is None else f"{self.amount_vnd:,} đ"
        return f"{self.get_kind_display()}: {amount}"


class ProcessStep(VersionPart):
    """A step of the internal process (quy trình nội bộ), with its share of the time limit.

    Shares are in the version's time-limit unit and must add up to the time limit exactly (checked by
    `cchc.catalog.services.process_steps_validate`).
    """

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="process_steps", verbose_name=_("phiên bản")
    )
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò thực hiện"), max_length=24, choices=Role.choices)
    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="process_steps",
        verbose_name=_("đơn vị thực hiện"),
    )
    share = models.DecimalField(_("thời gian được giao"), max_digits=8, decimal_places=2, default=Decimal(0))

    class Meta(VersionPart.Meta):
        verbose_name = _("bước quy trình nội bộ")
        verbose_name_plural = _("quy trình nội bộ")

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
