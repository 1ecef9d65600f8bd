"""The receipt as issued (Giấy tiếp nhận hồ sơ và hẹn trả kết quả, Mẫu 01), archived as a PDF/A file.

Reception queues `receipt_archive` inside its transaction (the task row commits with the dossier, or not at
all); a worker (`manage.py db_worker`) renders Mẫu 01 and stores it once under
``dossiers/receipts/<yyyy>/<code>.pdf`` with its SHA-256 beside it. The counter prints the archived copy when
it exists, so a later change (an apology's new date) never alters the receipt the applicant was given.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks import task

from cchc.dossiers.models import Dossier


def receipt_path(dossier: Dossier) -> str:
    year = timezone.localtime(dossier.received_at).year if dossier.received_at else 0
    return f"dossiers/receipts/{year:04d}/{dossier.code}.pdf"


def receipt_archive_enqueue(*, dossier: Dossier) -> None:
    """Queue the archiving of the dossier's receipt, in the caller's transaction (database task backend)."""
    receipt_archive.enqueue(dossier_id=dossier.pk)


def receipt_archived(dossier: Dossier) -> bytes | None:
    """The archived receipt, or None when it is not there yet or does not match its recorded SHA-256."""
    path = receipt_path(dossier)
    digest_path = f"{path}.sha256"
    if not (default_storage.exists(path) and default_storage.exists(digest_path)):
        return None
    with default_storage.open(path, "rb") as handle:
        content: bytes = handle.read()
    with default_storage.open(digest_path, "rb") as handle:
        recorded = handle.read().decode("ascii").strip()
    return content if hashlib.sha256(content).hexdigest() == recorded else None


@task()
def receipt_archive(dossier_id: int) -> dict[str, Any]:
    """Render Mẫu 01 for a received dossier and store it, once. Arguments and result are JSON."""
    from cchc.dossiers.forms import form_pdf  # typst is loaded by the worker only

    dossier = Dossier.objects.select_related(
        "procedure_version", "receiving_unit", "competent_unit", "counter"
    ).get(pk=dossier_id)
    path = receipt_path(dossier)
    if receipt_archived(dossier) is not None:
        return {"path": path, "already": True}
    content = form_pdf(dossier=dossier, form="01")
    digest = hashlib.sha256(content).hexdigest()
    if default_storage.exists(path):  # a copy without a matching digest: replaced by a fresh rendering
        default_storage.delete(path)
    stored = default_storage.save(path, ContentFile(content))
    if default_storage.exists(f"{path}.sha256"):
        default_storage.delete(f"{path}.sha256")
    default_storage.save(f"{path}.sha256", ContentFile(digest.encode("ascii")))
    return {"path": stored, "sha256": digest}
