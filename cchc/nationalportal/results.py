"""The electronic result sent to the citizen's document store on the national portal (Kho quản lý dữ liệu điện
tử của tổ chức, cá nhân; Decree 118/2025 Art. 22): queued when the result is returned, the PDF read at sending.
"""

from __future__ import annotations

import base64
from typing import Any

from cchc.core.blobs import blob_read
from cchc.dossiers.models import Dossier, DossierResult, Party, PartyRole
from cchc.nationalportal.models import Message


def result_payload(dossier: Dossier) -> dict[str, Any] | None:
    """What the store keeps of a returned electronic result, and whose store it is; None when there is no
    signed file, or no owner the store knows (an applicant without an identification number)."""
    result = (
        DossierResult.objects.filter(dossier=dossier).exclude(sha256="").exclude(document_code="").first()
    )
    owner = Party.objects.filter(dossier=dossier, role=PartyRole.APPLICANT).exclude(id_number="").first()
    if result is None or owner is None:
        return None
    return {
        "dossier_code": dossier.code,
        "document_code": result.document_code,
        "document_number": result.document_number,
        "document_date": result.document_date.isoformat(),
        "summary": result.summary,
        "sha256": result.sha256,
        "file": result.file.name,
        "owner": {"kind": owner.kind, "full_name": owner.full_name, "id_number": owner.id_number},
    }


def result_body(message: Message) -> dict[str, Any]:
    """The message with the signed PDF itself (checked against its hash), as the portal takes it."""
    payload = dict(message.payload)
    content = blob_read(str(payload.pop("file")), str(payload["sha256"]))
    payload["content_base64"] = base64.b64encode(content).decode()
    return payload
