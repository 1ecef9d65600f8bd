"""Forms of the feedback pages. They check what was typed; the services check the rules and the targets, and
their per-field messages (FeedbackInputError.errors) are put back on these forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.models import RatingLevel
from cchc.feedback import rules
from cchc.feedback.contact import normalise_email, normalise_phone
from cchc.feedback.models import Kind, Subject
from cchc.orgs.models import Unit
from cchc.orgs.selectors import agencies_active


def _required(message: Any) -> dict[str, Any]:
    return {"required": message}


class _UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class SubmitForm(forms.Form):
    """The public form (gửi phản ánh, kiến nghị). Every field is on the page, so it works without JavaScript."""

    subject = forms.ChoiceField(
        label=_("Phản ánh về"),
        choices=Subject.choices,
        widget=forms.RadioSelect,
        error_messages=_required(_("Vui lòng chọn nội dung phản ánh về hồ sơ, thủ tục hay cơ quan.")),
    )
    kind = forms.ChoiceField(
        label=_("Loại phản ánh"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        initial=Kind.COMPLAINT,
        error_messages=_required(_("Vui lòng chọn loại phản ánh.")),
    )
    dossier_code = forms.CharField(label=_("Mã hồ sơ"), max_length=40, required=False)
    dossier_key = forms.CharField(
        label=_("Mã tra cứu hồ sơ (in trên giấy tiếp nhận)"), max_length=20, required=False
    )
    procedure_code = forms.CharField(
        label=_("Mã thủ tục hành chính (ví dụ 1.001193)"), max_length=40, required=False
    )
    unit = _UnitChoiceField(
        label=_("Chọn cơ quan, đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("– Chọn cơ quan, đơn vị –"),
        error_messages={"invalid_choice": _("Cơ quan, đơn vị đã chọn không hợp lệ.")},
    )
    content = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị"),
        max_length=rules.CONTENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            **_required(_("Vui lòng nhập nội dung phản ánh, kiến nghị.")),
            "max_length": _("Nội dung dài quá %(limit_value)d ký tự."),
        },
    )
    sender_name = forms.CharField(label=_("Họ và tên"), max_length=255, required=False)
    sender_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    sender_email = forms.CharField(
        label=_("Thư điện tử"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = agencies_active().order_by("kind", "name")  # type: ignore[attr-defined]

    def contacts(self) -> list[str]:
        """The phone and e-mail in the form they are stored, for throttling before anything is checked
        (as typed when they cannot be read): "+84 912 345 678" and "0912345678" are one contact."""
        found = []
        for name, normalise in (("sender_phone", normalise_phone), ("sender_email", normalise_email)):
            typed = str(self.data.get(name, ""))
            try:
                found.append(normalise(typed))
            except ValueError:
                found.append(typed)
        return found


class LookupForm(forms.Form):
    """Follow a feedback (tra cứu phản ánh) by its code and lookup key."""

    code = forms.CharField(
        label=_("Mã phản ánh (ví dụ PAKN-260213-0001)"),
        max_length=40,
        error_messages=_required(_("Vui lòng nhập mã phản ánh.")),
    )
    key = forms.CharField(
        label=_("Mã tra cứu"), max_length=20, error_messages=_required(_("Vui lòng nhập mã tra cứu."))
    )


class AddMoreForm(forms.Form):
    text = forms.CharField(
        label=_("Thông tin bổ sung"),
        max_length=rules.CONTENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required(_("Vui lòng nhập thông tin bổ sung.")),
    )


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Mức độ hài lòng với kết quả trả lời"),
        choices=RatingLevel.choices,
        widget=forms.RadioSelect,
        error_messages=_required(_("Vui lòng chọn mức độ hài lòng.")),
    )
    comment = forms.CharField(
        label=_("Ý kiến thêm (không bắt buộc)"),
        max_length=rules.CONTENT_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PublicSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm trong các câu trả lời đã công khai"), max_length=200, required=False)


# -- staff actions ----------------------------------------------------------------------------------------------
class ActionForm(forms.Form):
    """Every action carries the version the officer saw, so a concurrent change is refused (compare-and-set)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RefuseForm(ActionForm):
    reason = forms.CharField(
        label=_("Lý do từ chối tiếp nhận"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required(_("Vui lòng nêu lý do từ chối tiếp nhận.")),
    )


class RequestMoreForm(ActionForm):
    question = forms.CharField(
        label=_("Thông tin đề nghị người gửi bổ sung, làm rõ"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required(_("Vui lòng nêu thông tin cần bổ sung.")),
    )


class AnswerForm(ActionForm):
    answer = forms.CharField(
        label=_("Nội dung trả lời"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages=_required(_("Vui lòng nhập nội dung trả lời.")),
    )


class PublishForm(ActionForm):
    public_summary = forms.CharField(
        label=_("Nội dung phản ánh được công khai (đã bỏ thông tin cá nhân)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required(_("Vui lòng nhập nội dung phản ánh được công khai.")),
    )
