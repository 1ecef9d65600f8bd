"""Forms of the payment pages: choosing the fee lines to pay, and the reconciliation filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.models import DossierFee
from cchc.payments.amounts import format_vnd
from cchc.payments.models import PaymentStatus

DATE_FORMATS = ["%d/%m/%Y"]


class PayForm(forms.Form):
    """The unpaid lines of a dossier, all ticked by default; a forged line id is refused here."""

    fees = forms.MultipleChoiceField(
        label=_("Khoản phí, lệ phí cần nộp"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Vui lòng chọn ít nhất một khoản phí, lệ phí."),
            "invalid_choice": _("Khoản phí được chọn không thuộc hồ sơ này hoặc đã được nộp."),
        },
    )

    def __init__(self, *args: Any, fees: list[DossierFee], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"fees": [str(fee.pk) for fee in fees]})
        super().__init__(*args, **kwargs)
        self.fields["fees"].choices = [  # type: ignore[attr-defined]
            (str(fee.pk), f"{fee.description}: {format_vnd(fee.amount_vnd)}") for fee in fees
        ]

    def fee_ids(self) -> list[int]:
        return [int(value) for value in self.cleaned_data["fees"]]


class ReconciliationFilterForm(forms.Form):
    tu_ngay = forms.DateField(
        label=_("Từ ngày (dd/mm/yyyy)"), input_formats=DATE_FORMATS, required=False, widget=forms.TextInput
    )
    den_ngay = forms.DateField(
        label=_("Đến ngày (dd/mm/yyyy)"), input_formats=DATE_FORMATS, required=False, widget=forms.TextInput
    )
    trang_thai = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *PaymentStatus.choices]
    )
    chenh_lech = forms.BooleanField(label=_("Chỉ giao dịch có chênh lệch"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and start > end:
            raise forms.ValidationError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
        return data
