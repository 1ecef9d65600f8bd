"""Signed files checked when they enter a dossier, and the electronic result when it leaves (kiểm tra chữ ký số).

A PDF that carries a signature is verified against the installation's trust as it is uploaded (a citizen's
component or supplement, a filing from the national portal, a scan at the counter, the leader's result). A
signature that proves the file changed after signing, that does not match the file, or whose certificate was
expired or revoked when checked is refused with the reason, and nothing is stored. A signature from an
authority the installation does not know is accepted: the dossier page shows it as not trusted, and a person
decides. Files without signatures, images, and files that are not readable PDFs are left to the upload rules.

The electronic result is checked again when the citizen downloads it (`result_signature_problem`): it is handed
out only while every signature on it verifies.
"""

from __future__ import annotations

from typing import IO, Final

from django.utils.translation import gettext as _

from cchc.core.blobs import max_upload_bytes
from cchc.signing.keystore import installation_trust
from cchc.signing.verify import BROKEN, EXPIRED, REVOKED, TAMPERED, NotAPdf, verify_pdf

REFUSED_PROBLEMS: Final = (TAMPERED, BROKEN, EXPIRED, REVOKED)


def signature_refusal(content: bytes) -> str | None:
    """Why a signed PDF is refused (Vietnamese), or None when it may be stored."""
    if not content.startswith(b"%PDF-"):
        return None
    try:
        checks = verify_pdf(content, installation_trust())
    except NotAPdf:
        return None
    refused = {str(problem) for problem in REFUSED_PROBLEMS}  # in the language the checks were written in
    for check in checks:
        if check.problem in refused:
            return _("Tệp có chữ ký số không hợp lệ: %(problem)s") % {"problem": check.problem}
    return None


def upload_signature_refusal(upload: IO[bytes]) -> str | None:
    """`signature_refusal` of an upload read whole (up to the upload limit; a larger file is the size rule's to
    refuse, cchc.core.blobs), left at its start for the storing that follows."""
    limit = max_upload_bytes()
    upload.seek(0)
    content = upload.read(limit + 1)
    upload.seek(0)
    if len(content) > limit:
        return None
    return signature_refusal(content)


def result_signature_problem(content: bytes) -> str | None:
    """Why a signed result may not be handed out (Vietnamese): a file without a signature, or one whose
    signature does not verify now, for any reason (untrusted included: the platform signed it itself)."""
    try:
        checks = verify_pdf(content, installation_trust())
    except NotAPdf as error:
        return str(error)
    if not checks:
        return _("Tệp kết quả không có chữ ký số.")
    for check in checks:
        if not check.valid:
            return check.problem
    return None
