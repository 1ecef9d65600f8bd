"""The official forms of Circular 03/2025/TT-VPCP, as PDF/A-2b documents compiled with typst.

Mẫu 01 receipt, 02 supplement request, 03 refusal, 04 apology, 05 stop notice, 06 control sheet, and the
Mẫu 07 register (PDF and XLSX). Layout after Decree 30/2020/NĐ-CP; dates in Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from cchc.dossiers.forms.control import control_sheet
from cchc.dossiers.forms.notices import (
    apology,
    receipt,
    refusal,
    stop_notice,
    supplement_request,
    tracking_url,
)
from cchc.dossiers.forms.register import register_pdf, register_xlsx
from cchc.dossiers.models import Dossier

FORMS: dict[str, Callable[[Dossier], bytes]] = {
    "01": receipt,
    "02": supplement_request,
    "03": refusal,
    "04": apology,
    "05": stop_notice,
    "06": control_sheet,
}


def form_pdf(*, dossier: Dossier, form: str) -> bytes:
    """The PDF of form `form` ("01" to "06") for `dossier`; ValueError if the form is unknown or has no data."""
    build = FORMS.get(form)
    if build is None:
        raise ValueError(_("Không có mẫu số %(form)s.") % {"form": form})
    return build(dossier)


__all__ = ["FORMS", "form_pdf", "register_pdf", "register_xlsx", "tracking_url"]
