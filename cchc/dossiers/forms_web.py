"""Forms of the staff pages (cán bộ): the reception desk, the dossier actions and the register filters.

They only check and convert what was typed; every change goes through cchc.dossiers.services, whose
Vietnamese messages (DossierActionError.message) are shown as they are.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cchc.core.blobs import max_upload_bytes
from cchc.dossiers.models import DeliveryMethod, State
from cchc.orgs.models import Unit

DATE_FORMATS = ["%d/%m/%Y"]
DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y"]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ProcedurePickForm(forms.Form):
    q = forms.CharField(label=_("Tìm thủ tục (tên hoặc mã)"), max_length=200, required=False)


def _pdf_upload(upload: Any) -> bytes | None:
    """An uploaded file's bytes, at most the upload limit (cchc.core.blobs); None when nothing was sent."""
    if not upload:
        return None
    limit = max_upload_bytes()
    if upload.size > limit:
        raise forms.ValidationError(
            _("Tệp lớn hơn %(mb)s MB, vui lòng nén hoặc chia nhỏ.") % {"mb": limit // (1024 * 1024)}
        )
    data: bytes = upload.read()
    return data


class ReceptionForm(forms.Form):
    """The intake at the counter: applicant, checklist, units; the button pressed says what to do.

    Beside each component: its scan (a PDF, signed by the officer when recorded, Art. 17) or the document code
    of an earlier electronic result taken from the citizen's store instead (cchc.dossiers.reuse)."""

    full_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=255)
    id_number = forms.CharField(label=_("Số định danh cá nhân"), max_length=20, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    components = forms.MultipleChoiceField(
        label=_("Thành phần hồ sơ đã nộp"), required=False, widget=forms.CheckboxSelectMultiple
    )
    receiving_unit = UnitChoiceField(label=_("Đơn vị tiếp nhận"), queryset=Unit.objects.none())
    competent_unit = UnitChoiceField(
        label=_("Cơ quan có thẩm quyền giải quyết"), queryset=Unit.objects.none()
    )
    missing = forms.CharField(
        label=_("Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Lý do (khi yêu cầu bổ sung hoặc từ chối)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        components: list[tuple[int, str]],
        receiving_units: QuerySet[Unit],
        competent_units: QuerySet[Unit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["components"].choices = [(str(pk), name) for pk, name in components]  # type: ignore[attr-defined]
        self.fields["receiving_unit"].queryset = receiving_units  # type: ignore[attr-defined]
        self.fields["competent_unit"].queryset = competent_units  # type: ignore[attr-defined]
        self.component_ids = [pk for pk, _name in components]
        for pk, name in components:
            self.fields[f"scan_{pk}"] = forms.FileField(
                label=_("Bản quét (PDF) – %(name)s") % {"name": name},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
            )
            self.fields[f"reuse_{pk}"] = forms.CharField(
                label=_("Hoặc mã số giấy tờ trong Kho dữ liệu – %(name)s") % {"name": name},
                max_length=80,
                required=False,
            )
        order = list(self.fields)
        at = order.index("components") + 1
        extra = [f for f in order if f.startswith(("scan_", "reuse_"))]
        self.order_fields([f for f in order[:at] if f not in extra] + extra + order[at:])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for pk in self.component_ids:
            try:
                data[f"scan_{pk}"] = _pdf_upload(data.get(f"scan_{pk}"))
            except forms.ValidationError as error:
                self.add_error(f"scan_{pk}", error)
            if data.get(f"scan_{pk}") and (data.get(f"reuse_{pk}") or "").strip():
                self.add_error(f"reuse_{pk}", _("Chỉ chọn một: bản quét hoặc giấy tờ trong Kho dữ liệu."))
        return data

    def scans(self) -> dict[int, bytes]:
        return {pk: scan for pk in self.component_ids if (scan := self.cleaned_data.get(f"scan_{pk}"))}

    def reuse_codes(self) -> dict[int, str]:
        return {
            pk: code.strip()
            for pk in self.component_ids
            if (code := self.cleaned_data.get(f"reuse_{pk}") or "").strip()
        }

    def missing_items(self) -> list[str]:
        return _lines(self.cleaned_data.get("missing") or "")


# -- one form per action on the dossier page ------------------------------------------------------------------------
class ActionForm(forms.Form):
    """Every action carries the version the officer saw, so a concurrent change is refused (compare-and-set)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class HandOverForm(ActionForm):
    note = forms.CharField(
        label=_("Ghi chú bàn giao"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class SupplementForm(ActionForm):
    missing = forms.CharField(
        label=_("Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def missing_items(self) -> list[str]:
        return _lines(self.cleaned_data["missing"])


class ResolveForm(ActionForm):
    document_number = forms.CharField(label=_("Số văn bản kết quả"), max_length=60)
    document_date = forms.DateField(
        label=_("Ngày văn bản (dd/mm/yyyy)"), input_formats=DATE_FORMATS, widget=forms.TextInput
    )
    summary = forms.CharField(label=_("Trích yếu"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.FileField(
        label=_("Kết quả điện tử (tệp PDF, sẽ được ký số)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_document(self) -> bytes | None:
        """The result's bytes, at most the upload limit (cchc.core.blobs)."""
        return _pdf_upload(self.cleaned_data.get("document"))


class ApologyForm(ActionForm):
    reason = forms.CharField(label=_("Lý do chậm giải quyết"), widget=forms.Textarea(attrs={"rows": 2}))
    new_appointment_at = forms.DateTimeField(
        label=_("Ngày hẹn trả mới (dd/mm/yyyy HH:MM)"), input_formats=DATETIME_FORMATS, widget=forms.TextInput
    )


class ReturnForm(ActionForm):
    method = forms.ChoiceField(label=_("Hình thức trả kết quả"), choices=DeliveryMethod.choices)
    address = forms.CharField(label=_("Địa chỉ nhận (khi trả qua bưu chính)"), max_length=500, required=False)
    proof = forms.CharField(label=_("Chứng từ, ghi chú"), max_length=255, required=False)


class AssignForm(ActionForm):
    assignee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Giao cho"), queryset=Unit.objects.none()
    )

    def __init__(self, *args: Any, staff: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff  # type: ignore[attr-defined]
        self.fields["assignee"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.get_full_name() or user.get_username()
        )


# -- the register ----------------------------------------------------------------------------------------------------
class RegisterFilterForm(forms.Form):
    tu_ngay = forms.DateField(
        label=_("Nhận từ ngày (dd/mm/yyyy)"),
        input_formats=DATE_FORMATS,
        required=False,
        widget=forms.TextInput,
    )
    den_ngay = forms.DateField(
        label=_("Đến ngày (dd/mm/yyyy)"), input_formats=DATE_FORMATS, required=False, widget=forms.TextInput
    )
    trang_thai = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *State.choices]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and start > end:
            raise forms.ValidationError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
        return data
