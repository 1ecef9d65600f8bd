"""The forms of the online submission steps, with Vietnamese messages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.citizens.contacts import id_number_matches_birth_date
from cchc.citizens.forms import EARLIEST_BIRTH_DATE
from cchc.dossiers.models import DeliveryMethod, PartyKind
from cchc.orgs.models import Unit

_ID_NUMBER = re.compile(r"\d{12}")
_PHONE = re.compile(r"0\d{9}")


class UnitField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ApplicantForm(forms.Form):
    """Người nộp hồ sơ, and the agency the dossier is filed with."""

    kind = forms.ChoiceField(label=_("Người nộp là"), choices=PartyKind.choices, initial=PartyKind.INDIVIDUAL)
    full_name = forms.CharField(
        label=_("Họ và tên (hoặc tên tổ chức)"),
        max_length=255,
        error_messages={"required": _("Vui lòng nhập họ và tên.")},
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân (CCCD)"),
        max_length=20,
        required=False,
        help_text=_("12 chữ số; bắt buộc với cá nhân."),
    )
    birth_date = forms.DateField(
        label=_("Ngày sinh"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _("Ngày sinh phải có dạng ngày/tháng/năm, ví dụ 05/09/1990.")},
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        error_messages={"required": _("Vui lòng nhập số điện thoại để nhận thông báo.")},
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    address = forms.CharField(label=_("Địa chỉ liên hệ"), max_length=500, required=False)
    competent_unit = UnitField(
        label=_("Cơ quan giải quyết"),
        queryset=Unit.objects.none(),
        empty_label=_("– Chọn cơ quan –"),
        error_messages={
            "required": _("Vui lòng chọn cơ quan giải quyết."),
            "invalid_choice": _("Cơ quan này không giải quyết thủ tục đã chọn."),
        },
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competent_unit"].queryset = units  # type: ignore[attr-defined]

    def clean_id_number(self) -> str:
        value = "".join(self.cleaned_data["id_number"].split())
        if value and not _ID_NUMBER.fullmatch(value):
            raise ValidationError(_("Số định danh cá nhân gồm đúng 12 chữ số."))
        return value

    def clean_phone(self) -> str:
        value = re.sub(r"[\s.\-]", "", self.cleaned_data["phone"])
        if value.startswith("+84"):
            value = "0" + value[3:]
        if not _PHONE.fullmatch(value):
            raise ValidationError(_("Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 0."))
        return value

    def clean_birth_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("birth_date")
        if value is not None and value > timezone.localdate():
            raise ValidationError(_("Ngày sinh không được sau ngày hôm nay."))
        if value is not None and value < EARLIEST_BIRTH_DATE:
            raise ValidationError(_("Ngày sinh không hợp lệ (trước năm 1900)."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("kind") == PartyKind.INDIVIDUAL
            and not data.get("id_number")
            and "id_number" not in self.errors
        ):
            self.add_error("id_number", _("Cá nhân cần nhập số định danh cá nhân."))
        id_number, birth_date = data.get("id_number"), data.get("birth_date")
        if id_number and birth_date and not id_number_matches_birth_date(id_number, birth_date):
            # Circular 07/2016/TT-BCA Art. 7 (verify): digits 4-6 give the century, sex and year of birth.
            self.add_error("birth_date", _("Ngày sinh không khớp với năm sinh trong số định danh cá nhân."))
        return data


class ReturnForm(forms.Form):
    """Hình thức nhận kết quả (Decree 118/2025 Art. 22)."""

    method = forms.ChoiceField(
        label=_("Nhận kết quả"),
        choices=DeliveryMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn hình thức nhận kết quả.")},
    )
    address = forms.CharField(label=_("Địa chỉ nhận qua bưu chính"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == DeliveryMethod.POST and not (data.get("address") or "").strip():
            self.add_error("address", _("Nhận qua bưu chính cần địa chỉ nhận."))
        return data


class SupplementForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=1000)
