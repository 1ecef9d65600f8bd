"""Online payment of dossier fees (thanh toán trực tuyến phí, lệ phí): payments, the fee lines they cover,
every callback received from the gateway, and the daily sequence of receipt numbers.

No side effects here: every change goes through cchc.payments.services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from cchc.dossiers.models import DossierFee


class PaymentStatus(models.TextChoices):
    """The states of a payment; the table of moves is cchc.payments.lifecycle.ALLOWED_TRANSITIONS."""

    PENDING = "pending", _("Đang chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    EXPIRED = "expired", _("Hết hạn")


class CallbackKind(models.TextChoices):
    IPN = "ipn", _("Thông báo từ cổng thanh toán (IPN)")
    RETURN = "return", _("Trình duyệt quay về")


class Verdict(models.TextChoices):
    """What was decided about one callback."""

    PAID = "paid", _("Xác nhận đã thanh toán")
    FAILED = "failed", _("Ghi nhận giao dịch không thành công")
    BAD_SIGNATURE = "bad_signature", _("Sai chữ ký")
    UNKNOWN_ORDER = "unknown_order", _("Không tìm thấy giao dịch")
    BAD_AMOUNT = "bad_amount", _("Sai số tiền")
    ALREADY_CONFIRMED = "already_confirmed", _("Giao dịch đã được xác nhận trước đó")
    LINES_ALREADY_PAID = "lines_already_paid", _("Các khoản phí đã được nộp bằng giao dịch khác")
    ERROR = "error", _("Lỗi khi xử lý")
    SHOWN = "shown", _("Đã kiểm tra chữ ký, chỉ hiển thị kết quả")


# Callbacks that were refused although their signature was valid: with a success from the gateway, money
# may have been taken that our records do not show (reconciliation, cchc.payments.selectors).
REFUSED_VERDICTS: frozenset[str] = frozenset(
    {Verdict.BAD_AMOUNT, Verdict.UNKNOWN_ORDER, Verdict.LINES_ALREADY_PAID, Verdict.ERROR}
)


class Payment(models.Model):
    """One attempt to pay some fee lines of a dossier through the gateway (giao dịch thanh toán).

    Invariants (checked by the database): the amount is positive; a paid payment has its receipt number,
    its confirmation time and the gateway's transaction number.
    """

    order_ref = models.CharField(_("mã giao dịch"), max_length=34, unique=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="payments", verbose_name=_("hồ sơ")
    )
    fees: models.ManyToManyField[DossierFee, PaymentLine] = models.ManyToManyField(
        "dossiers.DossierFee",
        through="PaymentLine",
        related_name="payments",
        verbose_name=_("khoản phí, lệ phí"),
    )
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    status = models.CharField(
        _("trạng thái"),
        max_length=8,
        choices=PaymentStatus.choices,
        default=PaymentStatus.PENDING,
        db_index=True,
    )
    gateway = models.CharField(_("cổng thanh toán"), max_length=20)
    # The payer as named on the receipt: the dossier's applicant when the payment started.
    payer_name = models.CharField(_("người nộp tiền"), max_length=255, blank=True)
    client_ip = models.CharField(_("địa chỉ IP người nộp"), max_length=45, blank=True)
    # The signed address the citizen was sent to; reused when the same lines are paid again before expiry.
    redirect_url = models.TextField(_("địa chỉ chuyển đến cổng thanh toán"), blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"))
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    # What the gateway reported (IPN): its transaction number, the bank, the time it took the money.
    gateway_transaction_no = models.CharField(_("mã giao dịch tại cổng"), max_length=40, blank=True)
    bank_code = models.CharField(_("ngân hàng"), max_length=20, blank=True)
    response_code = models.CharField(_("mã phản hồi của cổng"), max_length=4, blank=True)
    pay_date = models.DateTimeField(_("thời điểm thanh toán tại cổng"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)
    ended_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=40, null=True, blank=True, unique=True)
    payment_channel = models.PositiveSmallIntegerField(_("kênh thanh toán"), null=True, blank=True)

    class Meta:
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["dossier", "status"], name="payment_dossier_status"),
            models.Index(fields=["created_at"], name="payment_created_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status=PaymentStatus.PAID)
                | (
                    Q(receipt_number__isnull=False)
                    & ~Q(receipt_number="")
                    & Q(confirmed_at__isnull=False)
                    & ~Q(gateway_transaction_no="")
                ),
                name="payment_paid_has_receipt",
            ),
        ]

    def __str__(self) -> str:
        return self.order_ref


class PaymentLine(models.Model):
    """One fee line covered by a payment, with its amount when the payment started."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="lines")
    fee = models.ForeignKey("dossiers.DossierFee", on_delete=models.PROTECT, related_name="payment_lines")
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))

    class Meta:
        verbose_name = _("khoản phí trong giao dịch")
        verbose_name_plural = _("khoản phí trong giao dịch")
        constraints = [models.UniqueConstraint(fields=["payment", "fee"], name="payment_line_unique")]

    def __str__(self) -> str:
        return f"{self.payment_id}: {self.fee_id}"


class PaymentCallback(models.Model):
    """One call from the gateway (IPN) or from the citizen's browser (return), as received, with the verdict.

    Every callback is logged, the forged and the replayed ones too, so that reconciliation can show what the
    gateway reported and what we did with it.
    """

    kind = models.CharField(_("loại"), max_length=8, choices=CallbackKind.choices)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="callbacks"
    )
    order_ref = models.CharField(_("mã giao dịch nhận được"), max_length=100, blank=True)
    params = models.JSONField(_("tham số nhận được"), default=dict)
    secure_hash = models.CharField(_("chữ ký nhận được"), max_length=256, blank=True)
    signature_valid = models.BooleanField(_("chữ ký hợp lệ"), default=False)
    # The gateway's own report, as signed: the transaction succeeded (only meaningful with a valid signature).
    gateway_success = models.BooleanField(_("cổng báo thành công"), default=False)
    verdict = models.CharField(_("kết luận"), max_length=20, choices=Verdict.choices)
    answer_code = models.CharField(_("mã trả lời"), max_length=4, blank=True)
    remote_addr = models.CharField(_("địa chỉ gửi"), max_length=45, blank=True)
    received_at = models.DateTimeField(_("thời điểm nhận"), db_index=True)

    class Meta:
        verbose_name = _("lượt gọi lại từ cổng thanh toán")
        verbose_name_plural = _("nhật ký gọi lại từ cổng thanh toán")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["payment", "received_at"], name="callback_payment_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.order_ref}: {self.get_verdict_display()}"


class ReceiptSequence(models.Model):
    """The last receipt number given on one day (số biên lai trong ngày).

    Incremented in the transaction that confirms the payment, so a rolled-back confirmation gives its number
    back: receipt numbers of a day are unique and have no gaps.
    """

    day = models.DateField(_("ngày"), unique=True)
    last = models.PositiveIntegerField(_("số cuối"), default=0)

    class Meta:
        verbose_name = _("số biên lai trong ngày")
        verbose_name_plural = _("số biên lai trong ngày")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}: {self.last}"
