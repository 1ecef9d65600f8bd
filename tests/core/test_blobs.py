"""Stored files served back (cchc.core.blobs.stored_file_response): by their hash, never by the name given at
upload, whatever that name holds."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.http import Http404

from cchc.core.blobs import blob_store, stored_file_response

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class _Record:
    """The fields of a StoredFileRecord that the response reads."""

    def __init__(self, name: str, blob: str, sha256: str) -> None:
        self.name, self.blob, self.sha256 = name, blob, sha256


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "..\\..\\boot.ini",
        'a"; filename="evil.exe',
        "báo cáo/../../x.pdf",
        "\x00nul.pdf",
    ],
)
def test_a_hostile_upload_name_is_stored_by_hash_and_served_harmlessly(name: str) -> None:
    stored = blob_store(io.BytesIO(PDF))
    assert stored.name.startswith("blobs/") and ".." not in stored.name
    response = stored_file_response(_Record(name, stored.name, stored.sha256))  # type: ignore[arg-type]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=UTF-8''")
    served_name = disposition.split("''", 1)[1]
    assert (
        "/" not in served_name
        and "\\" not in served_name
        and '"' not in served_name
        and ";" not in served_name
    )
    assert response.content == PDF and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_changed_stored_file_is_not_served() -> None:
    stored = blob_store(io.BytesIO(PDF))
    with default_storage.open(stored.name, "wb") as handle:
        handle.write(PDF + b"% edited")
    with pytest.raises(Http404):
        stored_file_response(_Record("a.pdf", stored.name, stored.sha256))  # type: ignore[arg-type]
