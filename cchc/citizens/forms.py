"""Forms of citizen sign-in and of the personal profile, with Vietnamese labels and messages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.citizens import rules
from cchc.citizens.contacts import (
    Contact,
    id_number_matches_birth_date,
    normalise_email,
    normalise_phone,
    parse_contact,
    validate_id_number,
)
from cchc.citizens.models import CitizenProfile
from cchc.orgs.models import AdministrativeUnit, Generation, Level

DATE_FORMAT = "%d/%m/%Y"
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)


class ContactForm(forms.Form):
    contact = forms.CharField(
        label=_("Số điện thoại di động hoặc thư điện tử"),
        max_length=254,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def clean_contact(self) -> Contact:
        return parse_contact(self.cleaned_data.get("contact") or "")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác nhận"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )

    def clean_code(self) -> str:
        code = re.sub(r"\s", "", self.cleaned_data.get("code") or "")
        if not re.fullmatch(rf"[0-9]{{{rules.OTP_DIGITS}}}", code):
            raise ValidationError(
                _("Mã xác nhận gồm đúng %(digits)s chữ số.") % {"digits": rules.OTP_DIGITS}, code="format"
            )
        return code


class AreaChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        parent = obj.parent.name if obj.parent_id and obj.parent else ""
        return f"{obj.name}, {parent}" if parent else str(obj.name)


def area_choices() -> QuerySet[AdministrativeUnit]:
    """Current communes, of the installation's province when settings.CCHC_PROVINCE_CODE is set."""
    queryset = AdministrativeUnit.objects.filter(generation=Generation.CURRENT, level=Level.COMMUNE)
    province = int(getattr(settings, "CCHC_PROVINCE_CODE", 0) or 0)
    if province:
        queryset = queryset.filter(province_code=province)
    return queryset.select_related("parent").order_by("name_folded", "name", "code")


class ProfileForm(forms.Form):
    """The citizen's own data. Verified values are shown but disabled: what is posted for them is ignored."""

    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=255,
        error_messages={"required": _("Vui lòng nhập họ và tên.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("Số CCCD (số định danh cá nhân)"),
        max_length=20,
        required=False,
        help_text=_("12 chữ số, in trên thẻ căn cước hoặc căn cước công dân."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=_("Ngày sinh"),
        required=False,
        input_formats=[DATE_FORMAT],
        help_text=_("Dạng ngày/tháng/năm, ví dụ 05/09/1990."),
        error_messages={
            "invalid": _("Ngày sinh không hợp lệ, vui lòng nhập dạng ngày/tháng/năm, ví dụ 05/09/1990.")
        },
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"inputmode": "numeric", "autocomplete": "bday"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("Thư điện tử"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email", "autocapitalize": "none"}),
    )
    address = forms.CharField(
        label=_("Địa chỉ (số nhà, đường, thôn, tổ dân phố)"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    area = AreaChoiceField(
        label=_("Xã, phường, đặc khu"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        empty_label=_("– Chọn xã, phường, đặc khu –"),
        error_messages={"invalid_choice": _("Vui lòng chọn xã, phường, đặc khu trong danh sách.")},
    )

    def __init__(self, *args: Any, profile: CitizenProfile, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "full_name": profile.full_name,
                "id_number": profile.id_number,
                "birth_date": profile.birth_date,
                "phone": profile.phone,
                "email": profile.email,
                "address": profile.address,
                "area": profile.area_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.fields["area"].queryset = area_choices()  # type: ignore[attr-defined]
        if profile.identity_verified:
            for name in ("full_name", "id_number", "birth_date"):
                self.fields[name].disabled = True
        self.fields["phone"].disabled = profile.phone_verified
        self.fields["email"].disabled = profile.email_verified

    def clean_full_name(self) -> str:
        return " ".join((self.cleaned_data.get("full_name") or "").split())

    def clean_id_number(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data.get("id_number") or "")
        if value:
            validate_id_number(value)
        return value

    def clean_birth_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("birth_date")
        if value is not None and value > timezone.localdate():
            raise ValidationError(_("Ngày sinh không được sau ngày hôm nay."), code="future")
        if value is not None and value < EARLIEST_BIRTH_DATE:
            raise ValidationError(_("Ngày sinh không hợp lệ (trước năm 1900)."), code="too_early")
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone") or ""
        return normalise_phone(value) if value.strip() else ""

    def clean_email(self) -> str:
        value = self.cleaned_data.get("email") or ""
        return normalise_email(value) if value.strip() else ""

    def clean_address(self) -> str:
        return " ".join((self.cleaned_data.get("address") or "").split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        id_number, birth_date = cleaned.get("id_number"), cleaned.get("birth_date")
        # Verified values come from the identity provider and are not second-guessed here.
        if (
            id_number
            and birth_date
            and not self.profile.identity_verified
            and not id_number_matches_birth_date(id_number, birth_date)
        ):
            self.add_error(
                "id_number",
                ValidationError(
                    _(
                        "Số CCCD không khớp với năm sinh: chữ số thứ 4 đến 6 ghi thế kỷ, giới tính và năm sinh."
                    ),
                    code="id_number_birth_year",
                ),
            )
        return cleaned
