from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cchc.catalog.models import Field, OnlineLevel

LEVEL_CHOICES = [("", _("Tất cả các cấp")), ("province", _("Cấp tỉnh")), ("commune", _("Cấp xã"))]


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(label=_("Tên hoặc mã thủ tục"), required=False, max_length=200, strip=True)
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    level = forms.ChoiceField(label=_("Cấp thực hiện"), required=False, choices=LEVEL_CHOICES)
    agency = forms.CharField(label=_("Cơ quan thực hiện"), required=False, max_length=200, strip=True)
    online_level = forms.ChoiceField(
        label=_("Dịch vụ công trực tuyến"),
        required=False,
        choices=[("", _("Tất cả"))] + [(c.value, c.label) for c in (OnlineLevel.FULL, OnlineLevel.PARTIAL)],
    )

    def __init__(self, *args: Any, fields: QuerySet[Field], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_choice = cast(forms.ChoiceField, self.fields["field"])
        field_choice.choices = [("", _("Tất cả lĩnh vực"))] + [(f.code, f.name) for f in fields]

    def has_criteria(self) -> bool:
        return any(self.cleaned_data.get(name) for name in ("q", "field", "level", "agency", "online_level"))
