"""The period picker of the statistics pages (chọn kỳ thống kê), read from the query string."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.stats.periods import NUMBERED, PERIOD_KINDS, Period, period_of
from cchc.stats.selectors import FIGURES

GROUP_CHOICES = [
    ("unit", gettext_lazy("Theo đơn vị")),
    ("field", gettext_lazy("Theo lĩnh vực")),
    ("procedure", gettext_lazy("Theo thủ tục")),
]


def _default_initial() -> dict[str, Any]:
    today = timezone.localdate()
    return {"ky": "quarter", "nam": today.year, "so": (today.month - 1) // 3 + 1, "nhom": "unit"}


class PeriodForm(forms.Form):
    ky = forms.ChoiceField(label=gettext_lazy("Loại kỳ"), choices=list(PERIOD_KINDS.items()))
    nam = forms.IntegerField(label=gettext_lazy("Năm"), min_value=2000, max_value=2100)
    so = forms.IntegerField(
        label=gettext_lazy("Tháng hoặc quý"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=gettext_lazy("Tháng 1-12 hoặc quý 1-4; bỏ trống với kỳ năm, 6 tháng."),
    )
    nhom = forms.ChoiceField(label=gettext_lazy("Nhóm theo"), choices=GROUP_CHOICES)
    donvi = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    thutuc = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    linhvuc = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        if data is not None and not data.get("ky"):
            merged = dict(_default_initial())
            merged.update({key: data.get(key) for key in data})
            data = merged
        super().__init__(data if data is not None else _default_initial(), **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind, year = cleaned.get("ky"), cleaned.get("nam")
        if kind is None or year is None:
            return cleaned
        number = cleaned.get("so") or 0
        if kind in NUMBERED and not 1 <= number <= NUMBERED[kind]:
            self.add_error("so", _("Hãy chọn tháng từ 1 đến 12 hoặc quý từ 1 đến 4."))
            return cleaned
        try:
            cleaned["period"] = period_of(kind, year, number)
        except ValueError as error:
            self.add_error(None, str(error))
        return cleaned

    @property
    def period(self) -> Period:
        period: Period = self.cleaned_data["period"]
        return period


class ListForm(PeriodForm):
    chitieu = forms.ChoiceField(choices=[(name, name) for name in FIGURES], widget=forms.HiddenInput)
