"""Forms of the public pages; field names are the short Vietnamese URL parameters of the QR code (ma, khoa)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.models import RatingLevel
from cchc.portal.access import normalise_code, normalise_key
from cchc.portal.rules import INDICATORS, POINTS_PER_INDICATOR, RATING_COMMENT_MAX_CHARS

CODE_MAX_CHARS = 40
KEY_MAX_CHARS = 12


class TrackingForm(forms.Form):
    """Code plus lookup key, or code plus the last 4 digits of the applicant's phone (`needs_secret`=False lets a
    signed-in owner give the code alone)."""

    ma = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=CODE_MAX_CHARS,
        error_messages={"required": _("Vui lòng nhập mã hồ sơ.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    khoa = forms.CharField(
        label=_("Mã tra cứu (in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả)"),
        max_length=KEY_MAX_CHARS + 4,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    so = forms.CharField(
        label=_("Hoặc 4 số cuối số điện thoại của người nộp"),
        required=False,
        validators=[RegexValidator(r"^[0-9]{4}$", _("Vui lòng nhập đúng 4 chữ số."))],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "4"}),
    )

    def __init__(self, *args: Any, needs_secret: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_secret = needs_secret

    def clean_ma(self) -> str:
        return normalise_code(self.cleaned_data["ma"])

    def clean_khoa(self) -> str:
        key = normalise_key(self.cleaned_data.get("khoa") or "")
        if key and (not key.isalnum() or not key.isascii() or len(key) > KEY_MAX_CHARS):
            raise forms.ValidationError(_("Mã tra cứu chỉ gồm chữ cái và chữ số."))
        return key

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.needs_secret and not data.get("khoa") and not data.get("so") and not self.has_error("so"):
            raise forms.ValidationError(_("Vui lòng nhập mã tra cứu hoặc 4 số cuối số điện thoại."))
        return data


class RatingForm(forms.Form):
    muc = forms.ChoiceField(
        label=_("Mức độ hài lòng"),
        choices=RatingLevel.choices,
        error_messages={
            "required": _("Vui lòng chọn mức độ hài lòng."),
            "invalid_choice": _("Mức độ hài lòng không hợp lệ."),
        },
    )
    y_kien = forms.CharField(
        label=_("Ý kiến (không bắt buộc)"),
        required=False,
        max_length=RATING_COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


SCORE_CHOICES = [
    (str(POINTS_PER_INDICATOR), _("Tốt (2 điểm)")),
    ("1", _("Trung bình (1 điểm)")),
    ("0", _("Chưa tốt (0 điểm)")),
]


class EvaluationForm(forms.Form):
    """One radio group per indicator of rules.INDICATORS, named chi_so_1 to chi_so_9."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, text in enumerate(INDICATORS, start=1):
            self.fields[f"chi_so_{number}"] = forms.TypedChoiceField(
                label=text,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Vui lòng chấm điểm chỉ số này."),
                    "invalid_choice": _("Điểm không hợp lệ."),
                },
            )

    def scores(self) -> list[int]:
        return [int(self.cleaned_data[f"chi_so_{n}"]) for n in range(1, len(INDICATORS) + 1)]

    def indicators(self) -> list[Any]:
        return [self[f"chi_so_{n}"] for n in range(1, len(INDICATORS) + 1)]
