"""Taking a component from the citizen's store instead of asking for the paper again (tái sử dụng kết quả điện tử).

Decree 118/2025/NĐ-CP Art. 17(1): documents the state already holds electronically are not asked for again.
cchc holds the electronic results it issued (DossierResult with its document code, mã số giấy tờ, Art. 22);
at reception the officer types a result's document code beside the component it stands for. The result must be
an electronic one (a signed file), already returned, and issued to the same person (the applicant's
identification number). The reuse is kept on the component (`DossierComponent.reused_result`, `reused`), and
the 766 index counts it (digitisation group: reused data, digitised components).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from cchc.dossiers.lifecycle import RuleBroken
from cchc.dossiers.models import DossierResult, PartyRole, State


def reusable_result(*, document_code: str, id_number: str) -> DossierResult:
    """The earlier electronic result with this document code, issued to the holder of `id_number`; RuleBroken
    (a Vietnamese message) otherwise. Whose result it is, when not the applicant's, is not said."""
    code = document_code.strip()
    result = (
        DossierResult.objects.select_related("dossier")
        .filter(document_code__iexact=code)
        .exclude(document_code="")
        .first()
    )
    if result is None or not result.sha256:
        raise RuleBroken(_("Không tìm thấy kết quả điện tử có mã số giấy tờ %(code)s.") % {"code": code})
    holder = "".join(id_number.split())
    owned = (
        bool(holder) and result.dossier.parties.filter(role=PartyRole.APPLICANT, id_number=holder).exists()
    )
    if not owned:
        raise RuleBroken(
            _("Giấy tờ %(code)s không được cấp cho người nộp hồ sơ này (đối chiếu số định danh cá nhân).")
            % {"code": code}
        )
    if result.dossier.state != State.RETURNED:
        raise RuleBroken(
            _("Giấy tờ %(code)s chưa được trả cho công dân, chưa dùng lại được.") % {"code": code}
        )
    return result
