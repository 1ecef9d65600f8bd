"""Upload validation (check 3): a file's type is decided from its first bytes, never from its name or the
browser's Content-Type; a file over CCHC_UPLOAD_MAX_BYTES is refused; a name never reaches the file system (files
are stored by their SHA-256, cchc.core.blobs) and is served back harmlessly.

First the store itself (blob_store, blob_read, stored_file_response), then every place where an upload enters,
through HTTP: the files step of an online draft and the online supplement (cchc.submissions), and the evidence
files of PAR Index scores, plan tasks, commitments and remedies. There is no upload at the reception desk or in
the intake API: components received at the counter are ticked, not scanned into the platform.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.http import Http404
from django.test import Client
from django.urls import reverse

from cchc.accountability import services as oversight
from cchc.accountability.models import CommitmentEvidence, Remedy, RemedyEvidence, RemedyState
from cchc.core.blobs import BlobError, blob_name, blob_read, blob_store, stored_file_response
from cchc.dossiers import services as dossier_services
from cchc.dossiers.models import Dossier, DossierComponent
from cchc.parindex.models import Evidence
from cchc.plans.models import TaskEvidence
from cchc.submissions import services as submissions
from cchc.submissions.models import Draft, DraftFile
from tests.dossiers.conftest import World, at
from tests.security.scene import Scene, build

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00 an executable"
ONLY = "Chỉ nhận tệp PDF, JPG hoặc PNG"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """MEDIA_ROOT three folders down, so a name climbing out of it would still land under tmp_path."""
    root = tmp_path / "a" / "b" / "media"
    root.mkdir(parents=True)
    settings.MEDIA_ROOT = str(root)
    return root


class _Record:
    """The fields of a StoredFileRecord that the response reads."""

    def __init__(self, name: str, blob: str, sha256: str) -> None:
        self.name, self.blob, self.sha256 = name, blob, sha256


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


# -- the store ----------------------------------------------------------------------------------------------------
def test_uploads_are_checked_by_content_and_stored_once_under_their_sha256() -> None:
    first = blob_store(io.BytesIO(PDF))
    second = blob_store(io.BytesIO(PDF))
    assert first == second
    assert first.name == blob_name(first.sha256)
    assert first.content_type == "application/pdf"
    assert blob_read(first.name, first.sha256) == PDF
    assert blob_store(io.BytesIO(PNG)).content_type == "image/png"
    with pytest.raises(BlobError, match="PDF, JPG hoặc PNG"):
        blob_store(io.BytesIO(b"MZ\x90\x00 an executable named .pdf"))
    with pytest.raises(BlobError, match="rỗng"):
        blob_store(io.BytesIO(b""))


@pytest.mark.parametrize(
    "content", [HTML, SVG, EXE, b"%PD", b" %PDF-1.7 with a space first", b"GIF89a" + PNG]
)
def test_only_the_pdf_jpeg_and_png_signatures_are_accepted(content: bytes) -> None:
    with pytest.raises(BlobError, match=ONLY):
        blob_store(io.BytesIO(content))
    assert not default_storage.exists("blobs")


def test_an_oversized_upload_is_refused(settings: Any) -> None:
    settings.CCHC_UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(BlobError, match="lớn hơn 1 MB"):
        blob_store(io.BytesIO(PDF + b"0" * (1024 * 1024)))
    assert not default_storage.exists("blobs")


def test_a_file_of_exactly_the_maximum_size_is_accepted(settings: Any) -> None:
    settings.CCHC_UPLOAD_MAX_BYTES = 1024 * 1024
    content = PDF + b"0" * (1024 * 1024 - len(PDF))
    assert blob_store(io.BytesIO(content)).size == 1024 * 1024
    with pytest.raises(BlobError, match="lớn hơn"):
        blob_store(io.BytesIO(content + b"0"))


def test_an_altered_stored_file_is_not_served(media: Path) -> None:
    blob = blob_store(io.BytesIO(PDF))
    (media / blob.name).write_bytes(PDF + b"x")
    with pytest.raises(BlobError, match="bị thay đổi"):
        blob_read(blob.name, blob.sha256)


# -- where uploads enter ------------------------------------------------------------------------------------------
# Names as a hostile client sends them; Django's parser keeps what follows the last "/" or "\".
CLIMBING = "../../..\\..\\<img src=x onerror=alert(1)>.pdf"
KEPT = "<img src=x onerror=alert(1)>.pdf"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;.pdf"


@dataclass
class Entry:
    """One place where an upload enters: who posts, where, under which field, and how many files it holds."""

    caller: str
    url: str
    input_name: str  # the form field of the file
    stored: Callable[[], int]
    form: dict[str, str] = field(default_factory=dict)
    page: str = ""  # where the uploaded file's name is shown afterwards ("" when its name is not kept)
    download: Callable[[], str] | None = None  # the address of the last file stored, for a staff member
    reset: Callable[[], None] = lambda: None  # puts the object back where it accepts an upload


def _last_pk(files: Any) -> int:
    last = files.order_by("pk").last()
    assert last is not None
    return int(last.pk)


def _draft_files(scene: Scene, world: World) -> Entry:
    draft = Draft.objects.get(key=scene.ids["draft"])
    submissions.draft_save_applicant(draft=draft, competent_unit=world.justice,
                                     applicant={"full_name": "Trần Thị Bình", "phone": "0987654321"})  # fmt: skip
    component = draft.procedure_version.components.order_by("pk").first()
    assert component is not None
    url = reverse("submission-files", kwargs={"key": draft.key})
    return Entry("citizen", url, f"tep_{component.pk}", DraftFile.objects.filter(draft=draft).count, page=url)


def _supplement(scene: Scene, world: World) -> Entry:
    dossier = Dossier.objects.get(code=scene.ids["online_dossier"])
    dossier_services.dossier_request_supplement_at_reception(
        actor=world.staff["reception"], dossier=dossier, missing=["Tờ khai có chữ ký"], reason="Thiếu chữ ký",
        expected_version=dossier.version, at=at(2026, 3, 10, 14),
    )  # fmt: skip
    added = DossierComponent.objects.filter(dossier=dossier, name="Tờ khai có chữ ký", provided=True)

    def download() -> str:
        component = added.exclude(file="").get()
        return reverse("staff-dossier-file", kwargs={"code": dossier.code, "component_id": component.pk})

    url = reverse("submission-supplement", kwargs={"code": dossier.code})
    return Entry("citizen", url, "tep_0", added.count, download=download)


def _par_evidence(scene: Scene, world: World) -> Entry:
    ids = scene.ids
    unit = {"assessment_id": ids["assessment"], "unit_id": ids["justice"]}
    url = reverse("parindex-evidence", kwargs={**unit, "criterion_id": ids["criterion"]})
    files = Evidence.objects.all()

    def download() -> str:
        return reverse("parindex-evidence-file", kwargs={**unit, "file_id": _last_pk(files)})

    return Entry(
        "leader", url, "tep", files.count, page=reverse("parindex-unit", kwargs=unit), download=download
    )


def _task_evidence(scene: Scene, world: World) -> Entry:
    plan = scene.ids["plan"]
    url = reverse("plans-task-evidence", kwargs={"plan_id": plan, "task_id": scene.ids["task"]})
    files = TaskEvidence.objects.all()

    def download() -> str:
        return reverse("plans-evidence-file", kwargs={"plan_id": plan, "file_id": _last_pk(files)})

    return Entry("specialist", url, "tep", files.count, page=reverse("plans-plan", kwargs={"plan_id": plan}),
                 download=download)  # fmt: skip


def _commitment_evidence(scene: Scene, world: World) -> Entry:
    commitment = scene.ids["commitment"]
    url = reverse(
        "accountability-evidence", kwargs={"commitment_id": commitment, "item_id": scene.ids["item"]}
    )
    files = CommitmentEvidence.objects.all()

    def download() -> str:
        file_id = _last_pk(files)
        return reverse(
            "accountability-evidence-file", kwargs={"commitment_id": commitment, "file_id": file_id}
        )

    page = reverse("accountability-commitment", kwargs={"commitment_id": commitment})
    return Entry("leader", url, "tep", files.count, page=page, download=download)


def _remedy_evidence(scene: Scene, world: World) -> Entry:
    inspection, remedy = scene.ids["inspection"], scene.ids["remedy"]

    # Home Affairs sends the reported remedy back, so the unit may report it again with a file.
    def reopen() -> None:
        # A refused file still leaves the report recorded (see test_a_refused_file_leaves_the_remedy_report_unsent).
        if Remedy.objects.get(pk=remedy).state == RemedyState.REPORTED:
            oversight.remedy_review(remedy=Remedy.objects.get(pk=remedy), accept=False, note="Thiếu ảnh chụp",
                                    actor=scene.users["home_affairs"])  # fmt: skip

    reopen()
    url = reverse("accountability-remedy-report", kwargs={"inspection_id": inspection, "remedy_id": remedy})
    files = RemedyEvidence.objects.all()

    def download() -> str:
        file_id = _last_pk(files)
        return reverse("accountability-remedy-file", kwargs={"inspection_id": inspection, "file_id": file_id})

    page = reverse("accountability-inspection", kwargs={"inspection_id": inspection})
    return Entry("leader", url, "tep", files.count, form={"bao_cao": "Đã niêm yết đủ"}, page=page,
                 download=download, reset=reopen)  # fmt: skip


ENTRIES = {
    "draft-files": _draft_files,
    "online-supplement": _supplement,
    "par-evidence": _par_evidence,
    "task-evidence": _task_evidence,
    "commitment-evidence": _commitment_evidence,
    "remedy-evidence": _remedy_evidence,
}


def _multipart(entry: Entry, filename: str, content: bytes, content_type: str) -> tuple[bytes, str]:
    """A multipart body written by hand: the test client would cut the file name to its last part itself."""
    boundary = "cchc-upload-boundary-7c1e"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in entry.form.items()
    ]
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{entry.input_name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n")  # fmt: skip
    parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _upload(client: Client, entry: Entry, filename: str, content: bytes, content_type: str) -> Any:
    body, multipart = _multipart(entry, filename, content, content_type)
    return client.post(entry.url, body, content_type=multipart)


def _client(scene: Scene, who: str) -> Client:
    client = Client()
    client.force_login(scene.users[who])
    return client


def _files_under(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.mark.parametrize("where", ENTRIES)
def test_a_spoofed_type_is_refused_wherever_files_are_uploaded(world: World, where: str) -> None:
    scene = build(world)
    entry = ENTRIES[where](scene, world)
    client = _client(scene, entry.caller)
    before = entry.stored()
    for filename, content, declared in (
        ("to-khai.pdf", HTML, "application/pdf"),  # HTML named and declared as a PDF
        ("anh-chup.png", SVG, "image/png"),  # a script in an image's clothes
        ("anh-chup.jpg", b"alert(document.cookie);//" + PNG, "image/jpeg"),
        ("bao-cao.pdf", EXE, "application/pdf"),
    ):
        entry.reset()
        response = _upload(client, entry, filename, content, declared)
        assert response.status_code == 400, (filename, response.status_code)
        assert ONLY in response.content.decode(), filename
    assert entry.stored() == before


@pytest.mark.parametrize("where", ENTRIES)
def test_an_oversized_file_is_refused_wherever_files_are_uploaded(
    world: World, where: str, settings: Any, media: Path
) -> None:
    scene = build(world)
    entry = ENTRIES[where](scene, world)
    stored_files = _files_under(media)
    before = entry.stored()
    settings.CCHC_UPLOAD_MAX_BYTES = 1024 * 1024
    response = _upload(
        _client(scene, entry.caller), entry, "lon.pdf", PDF + b"0" * (1024 * 1024), "application/pdf"
    )
    assert response.status_code == 400
    assert "Tệp lớn hơn 1 MB" in response.content.decode()
    assert entry.stored() == before
    assert _files_under(media) == stored_files  # nothing written


@pytest.mark.parametrize("where", ENTRIES)
def test_a_climbing_name_is_stored_by_hash_and_shown_and_served_harmlessly(
    world: World, where: str, media: Path, tmp_path: Path
) -> None:
    scene = build(world)
    entry = ENTRIES[where](scene, world)
    client = _client(scene, entry.caller)
    before = entry.stored()
    content = PDF + f"% {where}\n".encode()
    response = _upload(client, entry, CLIMBING, content, "text/html")  # the declared type counts for nothing
    assert 300 <= response.status_code < 400, response.content.decode()[:2000]
    assert entry.stored() == before + 1
    # Every file under tmp_path is a blob in MEDIA_ROOT, named by its SHA-256; nothing climbed out.
    outside = [path for path in _files_under(tmp_path) if not path.startswith("a/b/media/blobs/")]
    assert outside == []
    for path in _files_under(media):
        folder, digest = path.split("/")[1:]
        assert len(digest) == 64 and digest.startswith(folder) and set(digest) <= set("0123456789abcdef")
    if entry.page:
        html = client.get(entry.page).content.decode()
        assert ESCAPED in html
        assert KEPT not in html
    if entry.download is not None:
        served = _client(scene, "leader").get(entry.download())
        assert served.status_code == 200
        assert served.content == content
        assert served["Content-Type"] == "application/pdf"
        assert served["X-Content-Type-Options"] == "nosniff"
        # Evidence files are offered for download under their (cleaned) name; a dossier's component is shown
        # inline under a name the platform makes. Either way no part of the name sent can break out.
        disposition = served["Content-Disposition"]
        assert disposition.split(";")[0] in {"attachment", "inline"}
        assert not {"/", "\\", "<", ">", "\r", "\n"} & set(disposition)


def test_a_refused_file_leaves_the_remedy_report_unsent(world: World) -> None:
    """The report and its file are one submission: when the file is refused, the report is not recorded."""
    scene = build(world)
    entry = _remedy_evidence(scene, world)
    remedy = Remedy.objects.get(pk=scene.ids["remedy"])
    response = _upload(_client(scene, entry.caller), entry, "anh.png", HTML, "image/png")
    assert response.status_code == 400
    after = Remedy.objects.get(pk=remedy.pk)
    assert (after.state, after.unit_report) == (remedy.state, remedy.unit_report)
