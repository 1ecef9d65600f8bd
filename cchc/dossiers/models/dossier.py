"""The dossier (hồ sơ) and the tables it is split into.

A dossier keeps the procedure version and the time limit that applied when it was received, so later changes
to the catalog never change its rules (DOMAIN.md §1: dossiers keep the rules they were received under).
A received dossier is never deleted, only ended (docs/architecture.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.models.choices import (
    Channel,
    DeliveryMethod,
    PartyKind,
    PartyRole,
    RatingLevel,
    State,
    StepOutcome,
    SupplementStage,
)


class Dossier(models.Model):
    """A dossier of one procedure, from submission or reception to its end."""

    # Unique through Meta.constraints (no extra pattern index on PostgreSQL). Every index costs each intake an
    # index insertion, so only those the worklists, lookups and deletion checks use exist (docs/architecture.md).
    code = models.CharField(_("mã hồ sơ"), max_length=40)
    # Compared only after the code has found the dossier, so not indexed.
    lookup_key = models.CharField(_("mã tra cứu"), max_length=12)
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("thủ tục"),
    )
    receiving_unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="dossiers_received",
        verbose_name=_("nơi tiếp nhận"),
        db_index=False,  # covered by dossier_receiving_state
    )
    competent_unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="dossiers_competent",
        verbose_name=_("cơ quan giải quyết"),
        db_index=False,  # covered by a composite index, or never searched
    )
    counter = models.ForeignKey(
        "orgs.Counter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quầy"),
        db_index=False,  # covered by a composite index, or never searched
    )
    # Where the dossier is now, in inter-agency processing (liên thông): the unit and person holding it.
    current_unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="dossiers_current",
        verbose_name=_("đơn vị đang xử lý"),
        db_index=False,  # covered by a composite index, or never searched
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers_assigned",
        verbose_name=_("người đang xử lý"),
        db_index=False,  # covered by a composite index, or never searched
    )
    channel = models.PositiveSmallIntegerField(_("kênh nộp"), choices=Channel.choices)
    state = models.CharField(_("trạng thái"), max_length=24, choices=State.choices)
    # Compare-and-set guard: every state change bumps it; a stale form carries the old value and is refused.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    # The time limit, copied from the procedure version at reception.
    time_limit_amount = models.DecimalField(
        _("thời hạn"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    time_limit_unit = models.CharField(_("đơn vị thời hạn"), max_length=16, blank=True)
    time_limit_cutoff = models.TimeField(_("giờ chốt nhận"), null=True, blank=True)

    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    # The first appointment, which decides "on time" in the statistics even after an apology (DOMAIN.md §3).
    original_appointment_at = models.DateTimeField(_("ngày hẹn trả ban đầu"), null=True, blank=True)
    # The legal appointment now: recomputed after a supplement in processing, or the apology's new date.
    appointment_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    ended_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    end_reason = models.TextField(_("lý do kết thúc"), blank=True)

    # Head of the history chain (see DossierEvent): a deleted last event no longer matches it.
    history_length = models.PositiveIntegerField(default=0, editable=False)
    history_head = models.CharField(max_length=64, blank=True, editable=False)

    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # How the applicant asked to receive the result (Art. 22): at the counter, by public post, or online.
    return_method = models.CharField(
        _("hình thức nhận kết quả"), max_length=8, choices=DeliveryMethod.choices, blank=True
    )
    return_address = models.CharField(_("địa chỉ nhận kết quả qua bưu chính"), max_length=500, blank=True)
    # The citizen's portal account that submitted the dossier online (tài khoản công dân); null at the counter.
    # Signed-in citizens see their dossiers through it.
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="citizen_dossiers",
        verbose_name=_("tài khoản công dân"),
    )
    # The applicant's identity (name, birth date, identification number) came from the national identity system
    # (VNeID, backed by the national population database) through the citizen's verified account when filed:
    # the 766 index counts such dossiers as using population data. A database default, so bulk writers that
    # do not name the column (the simulator's COPY) write False.
    applicant_identity_verified = models.BooleanField(
        _("danh tính người nộp xác thực qua định danh điện tử"), default=False, db_default=False
    )
    # The client's Idempotency-Key, namespaced by who sent it: a retried creation returns this dossier.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, editable=False)
    # Deadline watch (cchc.dossiers.deadline_watch): set by a compare-and-set claim when the staff notice is
    # queued, so each notice is sent once however many workers run.
    due_soon_warned_at = models.DateTimeField(
        _("đã cảnh báo sắp đến hạn lúc"), null=True, blank=True, editable=False
    )
    overdue_marked_at = models.DateTimeField(
        _("đã đánh dấu quá hạn lúc"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        constraints = [
            models.UniqueConstraint(fields=["code"], name="dossier_code_unique"),
            models.UniqueConstraint(fields=["idempotency_key"], name="dossier_idempotency_key_unique"),
        ]
        indexes = [
            models.Index(fields=["competent_unit", "state", "appointment_at"], name="dossier_unit_state_due"),
            models.Index(fields=["current_unit", "state"], name="dossier_current_state"),
            # The few dossiers whose applicant was verified through the identity provider (the 766 index).
            models.Index(
                fields=["competent_unit", "received_at"],
                condition=models.Q(applicant_identity_verified=True),
                name="dossier_identity_verified",
            ),
            # The reception queue of a one-stop centre, which receives most of the province's dossiers.
            models.Index(fields=["receiving_unit", "state"], name="dossier_receiving_state"),
            models.Index(fields=["assignee", "state"], name="dossier_assignee_state"),
            models.Index(fields=["received_at"], name="dossier_received_at"),
            # The exit (result, else end) of the statistics: today's exits and the open dossiers (IS NULL).
            models.Index(Coalesce("resolved_at", "ended_at"), name="dossier_exit"),
        ]

    def __str__(self) -> str:
        return self.code


class Party(models.Model):
    """The applicant (người nộp) or an authorised representative, an individual or an organisation.

    Personal data (Decree 13/2023/NĐ-CP): the national ID (CCCD) is shown masked in lists, exports and logs.
    """

    # Indexed by the (dossier, role) constraint.
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="parties", db_index=False)
    role = models.CharField(_("vai trò"), max_length=16, choices=PartyRole.choices)
    kind = models.CharField(_("loại"), max_length=16, choices=PartyKind.choices)
    full_name = models.CharField(_("họ tên / tên tổ chức"), max_length=255)
    id_number = models.CharField(_("số định danh cá nhân / mã số thuế"), max_length=20, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    area = models.ForeignKey(
        "orgs.AdministrativeUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("xã, phường"),
    )

    class Meta:
        verbose_name = _("người nộp, người được ủy quyền")
        verbose_name_plural = _("người nộp, người được ủy quyền")
        constraints = [models.UniqueConstraint(fields=["dossier", "role"], name="party_one_per_role")]
        # A citizen whose identity is verified sees every dossier filed under their ID number, counter ones too.
        indexes = [models.Index(fields=["id_number"], name="party_id_number")]

    def __str__(self) -> str:
        return self.full_name


class DossierComponent(models.Model):
    """A component of the dossier (thành phần hồ sơ): the checklist item, its file, and how it was obtained."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="components")
    catalog_component = models.ForeignKey(
        "catalog.Component", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.TextField(_("tên giấy tờ"))
    quantity = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    provided = models.BooleanField(_("đã nộp"), default=False)
    file = models.FileField(_("tệp"), upload_to="dossiers/%Y/%m/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # Decree 45/2020/NĐ-CP: a paper component scanned at reception (số hóa), or taken from data the state
    # already holds (tái sử dụng), which is not asked for again (Decree 118/2025 Art. 17).
    digitised = models.BooleanField(_("đã số hóa"), default=False)
    reused = models.BooleanField(_("tái sử dụng dữ liệu"), default=False)
    # The earlier electronic result taken from the citizen's store instead of asking for the paper again
    # (cchc.dossiers.reuse).
    reused_result = models.ForeignKey(
        "dossiers.DossierResult", on_delete=models.PROTECT, null=True, blank=True, related_name="reuses"
    )
    # When the applicant sent it as a supplement (Art. 17(2)(a), 19(5)); empty for the components of the intake.
    added_at = models.DateTimeField(_("thời điểm bổ sung"), null=True, blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name


class DossierFee(models.Model):
    """A fee or charge line (phí, lệ phí) and its payment."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="fees")
    fee_rule = models.ForeignKey(
        "catalog.FeeRule", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.CharField(_("nội dung"), max_length=255)
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    paid_at = models.DateTimeField(_("thời điểm nộp tiền"), null=True, blank=True)
    # National payment channel code: 1 national portal, 2 provincial portal (DOMAIN.md §3); blank at the counter.
    payment_channel = models.PositiveSmallIntegerField(_("kênh thanh toán"), null=True, blank=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        # Online payments of a day (the 766 index's stored days, cchc.stats.daily).
        indexes = [models.Index(fields=["paid_at"], name="dossierfee_paid_at")]

    def __str__(self) -> str:
        return self.description


class DossierStep(models.Model):
    """One step of the internal process (quy trình nội bộ) as this dossier lives it, with its own due time."""

    # Indexed by the (dossier, order) constraint.
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="steps", db_index=False)
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò"), max_length=24)
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    share = models.DecimalField(_("thời gian được giao"), max_digits=8, decimal_places=2)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn bước"), null=True, blank=True)
    finished_at = models.DateTimeField(_("hoàn thành"), null=True, blank=True)
    outcome = models.CharField(_("kết quả bước"), max_length=8, choices=StepOutcome.choices, blank=True)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["dossier", "order"], name="dossier_step_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class HandOver(models.Model):
    """A hand-over between people or units (bàn giao), a line of the control sheet (Mẫu 06)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="hand_overs")
    step = models.ForeignKey(DossierStep, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("thời điểm"))
    from_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("kết quả bước"), max_length=8, choices=StepOutcome.choices, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bàn giao")
        verbose_name_plural = _("bàn giao")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_unit} → {self.to_unit}"


class SupplementRequest(models.Model):
    """A request to complete the dossier (yêu cầu bổ sung): Mẫu 02 at reception, or once during processing."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="supplement_requests")
    stage = models.CharField(_("giai đoạn"), max_length=12, choices=SupplementStage.choices)
    requested_at = models.DateTimeField(_("thời điểm yêu cầu"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    missing = models.JSONField(_("giấy tờ cần bổ sung"), default=list)
    reason = models.TextField(_("lý do"))
    completed_at = models.DateTimeField(_("thời điểm bổ sung xong"), null=True, blank=True)
    # The citizen sent the missing documents online; reception then checks them and receives the dossier.
    supplied_at = models.DateTimeField(_("thời điểm công dân gửi bổ sung"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return self.reason


class Apology(models.Model):
    """A written apology with a new date (phiếu xin lỗi và hẹn lại ngày trả kết quả, Mẫu 04): once per dossier."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="apology")
    issued_at = models.DateTimeField(_("thời điểm lập"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("lý do"))
    previous_appointment_at = models.DateTimeField(_("ngày hẹn cũ"))
    new_appointment_at = models.DateTimeField(_("ngày hẹn mới"))

    class Meta:
        verbose_name = _("phiếu xin lỗi và hẹn lại")
        verbose_name_plural = _("phiếu xin lỗi và hẹn lại")

    def __str__(self) -> str:
        return f"{self.dossier} – {self.new_appointment_at:%d/%m/%Y}"


class DossierResult(models.Model):
    """The result (kết quả giải quyết): the document issued."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="result")
    document_number = models.CharField(_("số văn bản"), max_length=80)
    document_date = models.DateField(_("ngày ban hành"))
    summary = models.TextField(_("trích yếu"), blank=True)
    file = models.FileField(_("tệp kết quả"), upload_to="results/%Y/%m/", blank=True)
    # The electronic result as signed (cchc.signing), stored by its SHA-256 (cchc.core.blobs).
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The electronic result's document code (mã số giấy tờ, Art. 22): cchc.dossiers.result_codes.
    document_code = models.CharField(_("mã số giấy tờ"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("kết quả giải quyết")
        verbose_name_plural = _("kết quả giải quyết")
        constraints = [
            models.UniqueConstraint(
                fields=["document_code"],
                condition=~models.Q(document_code=""),
                name="result_document_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.document_number


class Delivery(models.Model):
    """How the result reached the applicant (trả kết quả, Decree 118/2025 Art. 22), with the proof."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="delivery")
    method = models.CharField(_("hình thức trả"), max_length=8, choices=DeliveryMethod.choices)
    address = models.CharField(_("địa chỉ nhận"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("thời điểm trả"))
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proof = models.CharField(_("chứng từ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("trả kết quả")
        verbose_name_plural = _("trả kết quả")
        # Results delivered in a day (the 766 index's stored days, cchc.stats.daily).
        indexes = [models.Index(fields=["delivered_at"], name="delivery_delivered_at")]

    def __str__(self) -> str:
        return self.get_method_display()


class Rating(models.Model):
    """The applicant's rating of the service (đánh giá mức độ hài lòng)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rating")
    level = models.CharField(_("mức độ"), max_length=16, choices=RatingLevel.choices)
    comment = models.TextField(_("ý kiến"), blank=True)
    rated_at = models.DateTimeField(_("thời điểm đánh giá"))

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")

    def __str__(self) -> str:
        return self.get_level_display()
