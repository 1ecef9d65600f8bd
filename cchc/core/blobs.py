"""Uploaded files stored under their SHA-256 (tệp đính kèm), validated on upload and checked on read.

A file is stored once at ``blobs/<first two hex digits>/<sha256>`` in the default storage, however many dossiers
or drafts point to it (deduplication). Its type is decided from its first bytes, never from the name or the
browser's Content-Type. Decree 13/2023/NĐ-CP: the files hold personal data; the views that serve them check the
reader's rights and log the access.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import IO, Any, Final
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import models
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

# The accepted types, by their signature (magic bytes), with the extension and media type they are stored as.
_SIGNATURES: Final = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
)
DEFAULT_MAX_BYTES: Final = 10 * 1024 * 1024
CHUNK: Final = 64 * 1024


class BlobError(ValueError):
    """The upload is refused; the message is for the user (Vietnamese)."""


@dataclass(frozen=True)
class StoredBlob:
    name: str  # the storage name, blobs/ab/<sha256>
    sha256: str
    size: int
    content_type: str


def max_upload_bytes() -> int:
    return int(getattr(settings, "CCHC_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def blob_name(sha256: str) -> str:
    return f"blobs/{sha256[:2]}/{sha256}"


def sniff(head: bytes) -> tuple[str, str] | None:
    """(extension, media type) of an accepted file from its first bytes, or None."""
    for signature, extension, media_type in _SIGNATURES:
        if head.startswith(signature):
            return extension, media_type
    return None


def blob_store(upload: IO[bytes]) -> StoredBlob:
    """Validate `upload` (type by signature, size) and store it under its SHA-256, once.

    Raises BlobError with a Vietnamese message for an empty, too large or unaccepted file.
    """
    limit = max_upload_bytes()
    upload.seek(0)
    head = upload.read(16)
    if not head:
        raise BlobError(_("Tệp rỗng, vui lòng chọn lại."))
    kind = sniff(head)
    if kind is None:
        raise BlobError(_("Chỉ nhận tệp PDF, JPG hoặc PNG."))
    digest = hashlib.sha256(head)
    size = len(head)
    while chunk := upload.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise BlobError(
                _("Tệp lớn hơn %(mb)s MB, vui lòng nén hoặc chia nhỏ.") % {"mb": limit // (1024 * 1024)}
            )
        digest.update(chunk)
    sha256 = digest.hexdigest()
    name = blob_name(sha256)
    if not default_storage.exists(name):
        upload.seek(0)
        saved = default_storage.save(name, File(upload, name=sha256))
        if saved != name:  # another writer stored the same bytes first; keep one copy
            default_storage.delete(saved)
    return StoredBlob(name=name, sha256=sha256, size=size, content_type=kind[1])


def blob_read(name: str, sha256: str) -> bytes:
    """The stored bytes, checked against their SHA-256; BlobError when missing or altered."""
    if not name or not default_storage.exists(name):
        raise BlobError(_("Không tìm thấy tệp."))
    with default_storage.open(name, "rb") as handle:
        content: bytes = handle.read()
    if hashlib.sha256(content).hexdigest() != sha256:
        raise BlobError(_("Tệp đã bị thay đổi so với khi nộp, không thể mở."))
    return content


def blob_content_type(content: bytes) -> str:
    kind = sniff(content[:16])
    return kind[1] if kind else "application/octet-stream"


class StoredFileRecord(models.Model):
    """A file kept by its SHA-256 (`blob_store`), with its name and who added it when: the base of the evidence
    files of scores (cchc.parindex) and of plan tasks (cchc.plans)."""

    name = models.CharField(_("tên tệp"), max_length=255)
    blob = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    added_at = models.DateTimeField(_("thời điểm tải lên"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


def stored_file_values(stored: StoredBlob, *, name: str, actor: Any, at: dt.datetime) -> dict[str, Any]:
    """The fields of a `StoredFileRecord` for a stored upload (the name cut to 255, else the hash)."""
    return {
        "name": name[:255] or stored.sha256,
        "blob": stored.name,
        "sha256": stored.sha256,
        "size": stored.size,
        "added_at": at,
        "added_by": actor,
    }


def stored_file_response(record: StoredFileRecord) -> HttpResponse:
    """A stored file for download, checked against its SHA-256 (a changed blob answers 404, never its bytes).
    The name is the one it was uploaded under; the type is decided from its first bytes again."""
    try:
        content = blob_read(record.blob, record.sha256)
    except BlobError as error:
        raise Http404(str(error)) from None
    response = HttpResponse(content, content_type=blob_content_type(content))
    safe = "".join(ch for ch in record.name if ch.isprintable() and ch not in '"\\/;') or record.sha256
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(safe)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
