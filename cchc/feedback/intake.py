"""What a sender types on the public form, checked, and the unit it goes to (tiếp nhận phản ánh).

Bad input raises FeedbackInputError with a Vietnamese message per field. An unknown dossier code and a wrong
lookup key get the same message, so the form reveals nothing about which dossiers exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from cchc.catalog.models import Procedure
from cchc.catalog.selectors import version_in_force
from cchc.dossiers.models import Dossier
from cchc.feedback import rules
from cchc.feedback.contact import normalise_email, normalise_phone
from cchc.feedback.lifecycle import FeedbackInputError
from cchc.feedback.models import Subject
from cchc.feedback.routing import feedback_office
from cchc.orgs.models import Unit
from cchc.orgs.selectors import agencies_active


@dataclass(frozen=True)
class Submission:
    """A feedback as typed on the public form."""

    subject: str
    kind: str
    content: str
    dossier_code: str = ""
    dossier_key: str = ""
    procedure_code: str = ""
    unit_id: int | None = None
    sender_name: str = ""
    sender_phone: str = ""
    sender_email: str = ""


@dataclass(frozen=True)
class Target:
    unit: Unit
    subject_name: str
    dossier: Dossier | None = None
    procedure: Procedure | None = None


# -- checks -----------------------------------------------------------------------------------------------------
def text_checked(value: str, *, field: str, empty: str) -> str:
    text = (value or "").strip()
    if len(text) < rules.CONTENT_MIN_CHARS:
        raise FeedbackInputError({field: empty if not text else _("Nội dung quá ngắn, vui lòng nêu rõ hơn.")})
    if len(text) > rules.CONTENT_MAX_CHARS:
        raise FeedbackInputError(
            {
                field: _("Nội dung dài quá %(n)s ký tự.")
                % {"n": f"{rules.CONTENT_MAX_CHARS:,}".replace(",", ".")}
            }
        )
    return text


def contact_checked(submission: Submission) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    name = " ".join((submission.sender_name or "").split())
    if len(name) > 255:
        errors["sender_name"] = _("Họ tên dài quá 255 ký tự.")
    phone = email = ""
    try:
        phone = normalise_phone(submission.sender_phone)
    except ValueError as exc:
        errors["sender_phone"] = str(exc)
    try:
        email = normalise_email(submission.sender_email)
    except ValueError as exc:
        errors["sender_email"] = str(exc)
    if errors:
        raise FeedbackInputError(errors)
    return name, phone, email


def _dossier_target(submission: Submission, citizen: Any) -> Target:
    code = "".join((submission.dossier_code or "").split()).upper()
    key = "".join((submission.dossier_key or "").split()).upper()
    if not code:
        raise FeedbackInputError({"dossier_code": _("Vui lòng nhập mã hồ sơ.")})
    dossier = Dossier.objects.select_related("competent_unit", "procedure_version").filter(code=code).first()
    owner = dossier is not None and citizen is not None and dossier.citizen_id == citizen.pk
    # The same answer whether the code is unknown or the key is wrong: nothing is revealed about the dossier.
    if dossier is None or not (owner or (key and constant_time_compare(key, dossier.lookup_key.upper()))):
        raise FeedbackInputError(
            {
                "dossier_code": _(
                    "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu đã nhập. Vui lòng kiểm tra lại."
                )
            },
            lookup_failed=True,
        )
    return Target(
        unit=dossier.competent_unit,
        subject_name=f"{dossier.procedure_version.name}",
        dossier=dossier,
    )


def _picked_unit(unit_id: int | None) -> Unit | None:
    if unit_id is None:
        return None
    unit = agencies_active().filter(pk=unit_id).first()
    if unit is None:
        raise FeedbackInputError({"unit": _("Cơ quan, đơn vị đã chọn không tồn tại hoặc đã thôi hoạt động.")})
    return unit


def _procedure_target(submission: Submission) -> Target:
    code = (submission.procedure_code or "").strip()
    if not code:
        raise FeedbackInputError({"procedure_code": _("Vui lòng nhập mã thủ tục hành chính.")})
    procedure = Procedure.objects.filter(code__iexact=code).first()
    if procedure is None:
        raise FeedbackInputError(
            {"procedure_code": _("Không tìm thấy thủ tục hành chính có mã %(code)s.") % {"code": code[:40]}}
        )
    unit = _picked_unit(submission.unit_id) or feedback_office()
    if unit is None:
        raise FeedbackInputError({"unit": _("Vui lòng chọn cơ quan tiếp nhận phản ánh.")})
    version = (
        version_in_force(procedure, timezone.localdate()) or procedure.versions.order_by("-number").first()
    )
    name = version.name if version is not None else procedure.code
    return Target(unit=unit, subject_name=f"{name} ({procedure.code})", procedure=procedure)


def target_resolve(submission: Submission, citizen: Any) -> Target:
    if submission.subject == Subject.DOSSIER:
        return _dossier_target(submission, citizen)
    if submission.subject == Subject.PROCEDURE:
        return _procedure_target(submission)
    if submission.subject == Subject.UNIT:
        unit = _picked_unit(submission.unit_id)
        if unit is None:
            raise FeedbackInputError({"unit": _("Vui lòng chọn cơ quan, đơn vị bị phản ánh.")})
        return Target(unit=unit, subject_name=unit.name)
    raise FeedbackInputError({"subject": _("Vui lòng chọn nội dung phản ánh về hồ sơ, thủ tục hay cơ quan.")})
