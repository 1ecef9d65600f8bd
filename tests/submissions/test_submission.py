"""Online submission: drafts, uploads, idempotent submission, the reception queue, supplements. The upload store
(type by signature, size limit, names) is tested in tests/security/test_uploads.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from cchc.catalog import services as catalog_services
from cchc.catalog.models import ProcedureVersion
from cchc.citizens.models import CitizenProfile
from cchc.core.blobs import blob_name, blob_read, blob_store
from cchc.dossiers import selectors as dossier_selectors
from cchc.dossiers import services as dossier_services
from cchc.dossiers.lifecycle import ActionForbidden
from cchc.dossiers.models import Channel, DeliveryMethod, Dossier, Notification, State
from cchc.orgs.models import Unit, UnitKind
from cchc.submissions import services
from cchc.submissions.models import Draft, DraftFile
from cchc.submissions.routing import competent_units, receiving_unit_for
from tests.catalog.conftest import make_draft
from tests.dossiers.conftest import World, at
from tests.signing.test_checks import _local_signed, _tampered

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def online(world: World) -> ProcedureVersion:
    """A province-level procedure offered fully online, decided by the justice department of `world`."""
    draft = make_draft(
        code="9.990001",
        name="Cấp phiếu lý lịch tư pháp",
        online_level="full",
        level_province=True,
        level_commune=False,
        agency="Sở Tư pháp",
        components=[
            {"name": "Tờ khai yêu cầu cấp phiếu lý lịch tư pháp", "kind": "original", "quantity": 1},
            {"name": "Bản chụp giấy tờ tùy thân", "kind": "copy", "quantity": 1},
        ],
        fees=[{"kind": "charge", "case": "Phí cung cấp thông tin lý lịch tư pháp", "amount_vnd": 200_000}],
    )
    return catalog_services.procedure_version_publish(version=draft, valid_from=at(2025, 7, 1).date())


def citizen(username: str = "congdan.an", **profile: Any) -> Any:
    user = get_user_model().objects.create_user(username)
    values = {"full_name": "Trần Thị Bình", "phone": "0987654321", "id_number": "079303004321"}
    values.update(profile)
    CitizenProfile.objects.create(user=user, **values)
    return user


def filled(version: ProcedureVersion, owner: Any, world: World) -> Draft:
    draft = services.draft_create(owner=owner, version=version, prefill={"full_name": "Trần Thị Bình"})
    services.draft_save_applicant(
        draft=draft,
        applicant={"full_name": "Trần Thị Bình", "id_number": "079303004321", "phone": "0987654321"},
        competent_unit=world.justice,
    )
    for component in version.components.all()[:2]:
        services.draft_attach(draft=draft, component=component, upload=io.BytesIO(PDF), filename="a.pdf")
    services.draft_save_return(draft=draft, method=DeliveryMethod.ONLINE, address="")
    return draft


# -- routing ----------------------------------------------------------------------------------------------------
def test_a_province_procedure_goes_to_the_matching_department_through_the_province_centre(
    world: World, online: ProcedureVersion
) -> None:
    assert competent_units(online) == [world.justice]
    assert receiving_unit_for(world.justice) == world.centre


def test_a_commune_procedure_goes_to_the_commune_centre(world: World) -> None:
    area = world.centre.area
    committee = Unit.objects.create(kind=UnitKind.COMMUNE_COMMITTEE, name="UBND xã Thử", area=area)
    centre = Unit.objects.create(
        kind=UnitKind.COMMUNE_CENTRE, name="Trung tâm PVHCC xã Thử", area=area, parent=committee
    )
    draft = make_draft(code="9.990002", name="Chứng thực bản sao", level_commune=True, level_province=False)
    assert committee in competent_units(draft)
    assert receiving_unit_for(committee) == centre


# -- drafts and submission --------------------------------------------------------------------------------------
def test_submission_makes_one_online_dossier_in_the_reception_queue(
    world: World, online: ProcedureVersion
) -> None:
    owner = citizen()
    draft = filled(online, owner, world)
    dossier = services.draft_submit(draft=draft, at=at(2026, 3, 9, 20))
    assert services.draft_submit(draft=Draft.objects.get(pk=draft.pk)) == dossier  # a retry, a double click
    assert Dossier.objects.count() == 1
    assert dossier.channel == Channel.ONLINE and dossier.state == State.SUBMITTED
    assert dossier.citizen == owner and dossier.receiving_unit == world.centre
    assert dossier.received_at is None  # the clock starts at acceptance (Art. 17(3))
    assert dossier.return_method == DeliveryMethod.ONLINE
    with_files = dossier.components.exclude(file="")
    assert with_files.count() == 2 and all(c.provided and c.sha256 for c in with_files)
    notice = Notification.objects.get(dossier=dossier, template="submitted")
    assert dossier.code in notice.body and dossier.lookup_key in notice.body
    queue = dossier_selectors.worklist(
        user=world.staff["reception"], kind="to_receive", now=at(2026, 3, 10, 8)
    )
    assert [row.code for row in queue.rows] == [dossier.code]
    received = dossier_services.dossier_receive(
        actor=world.staff["reception"],
        dossier=dossier,
        expected_version=dossier.version,
        at=at(2026, 3, 10, 8),
    )
    assert received.received_at == at(2026, 3, 10, 8)


def test_a_draft_cannot_be_submitted_incomplete_nor_changed_after(
    world: World, online: ProcedureVersion
) -> None:
    owner = citizen()
    draft = services.draft_create(owner=owner, version=online)
    with pytest.raises(services.DraftError, match="Chưa đính kèm"):
        services.draft_submit(draft=draft)
    draft = filled(online, owner, world)
    services.draft_submit(draft=draft)
    with pytest.raises(services.DraftError, match="đã được nộp"):
        services.draft_save_return(draft=draft, method=DeliveryMethod.COUNTER, address="")


def test_the_same_file_twice_is_stored_once_and_a_new_upload_replaces_the_old(
    world: World, online: ProcedureVersion
) -> None:
    draft = filled(online, citizen(), world)
    first = online.components.all()[0]
    assert DraftFile.objects.filter(draft=draft).values("blob_name").distinct().count() == 1
    services.draft_attach(draft=draft, component=first, upload=io.BytesIO(PNG), filename="anh.png")
    assert DraftFile.objects.get(draft=draft, component=first).content_type == "image/png"
    assert DraftFile.objects.filter(draft=draft).count() == 2


def test_a_procedure_not_offered_online_has_no_draft(world: World) -> None:
    version = world.version
    assert version.online_level == "none"
    with pytest.raises(services.DraftError, match="chưa cung cấp"):
        services.draft_create(owner=citizen(), version=version)


def test_post_needs_an_address(world: World, online: ProcedureVersion) -> None:
    draft = services.draft_create(owner=citizen(), version=online)
    with pytest.raises(services.DraftError, match="địa chỉ"):
        services.draft_save_return(draft=draft, method=DeliveryMethod.POST, address="  ")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_draft_make_one_dossier(world: World, online: ProcedureVersion) -> None:
    """Two tabs (or a retry racing the first request) submit the same draft at the same moment."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    draft = filled(online, citizen(), world)
    count = 8
    barrier = threading.Barrier(count, timeout=30)
    codes: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def submit() -> None:
        try:
            connection.ensure_connection()
            barrier.wait()
            dossier = services.draft_submit(draft=Draft.objects.get(pk=draft.pk))
            with lock:
                codes.append(dossier.code)
        except BaseException as error:  # reported below
            with lock:
                failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    assert len(codes) == count and len(set(codes)) == 1
    assert Dossier.objects.count() == 1


# -- online supplement ------------------------------------------------------------------------------------------
def test_a_supplement_in_processing_restarts_the_clock_when_the_citizen_sends_it(
    world: World, online: ProcedureVersion
) -> None:
    owner = citizen()
    dossier = services.draft_submit(draft=filled(online, owner, world), at=at(2026, 3, 9, 9))
    dossier = dossier_services.dossier_receive(
        actor=world.staff["reception"],
        dossier=dossier,
        expected_version=dossier.version,
        at=at(2026, 3, 9, 10),
    )
    dossier = dossier_services.dossier_request_supplement(
        dossier=dossier,
        actor=world.staff["specialist"],
        missing=["Bản sao sổ hộ khẩu"],
        reason="Thiếu giấy tờ",
        expected_version=dossier.version,
        at=at(2026, 3, 10, 9),
    )
    blob = blob_store(io.BytesIO(PDF))
    files = [
        dossier_services.SuppliedFile(name="Bản sao sổ hộ khẩu", blob_name=blob.name, sha256=blob.sha256)
    ]
    with pytest.raises(ActionForbidden):
        dossier_services.dossier_supplement_online(
            dossier=dossier, citizen=citizen("congdan.khac"), files=files
        )
    done = dossier_services.dossier_supplement_online(
        dossier=dossier, citizen=owner, files=files, at=at(2026, 3, 16, 9)
    )
    assert done.state == State.PROCESSING
    # Art. 19(5): the whole limit again from the completion; the first appointment stays for the statistics.
    assert done.appointment_at is not None and dossier.original_appointment_at is not None
    assert done.appointment_at > dossier.original_appointment_at
    assert done.components.filter(name="Bản sao sổ hộ khẩu", provided=True).exists()
    event = done.events.order_by("-seq").first()
    assert event is not None and event.changes["by"] == "citizen" and event.actor_id is None


def test_a_supplement_at_reception_waits_for_reception(world: World, online: ProcedureVersion) -> None:
    owner = citizen()
    dossier = services.draft_submit(draft=filled(online, owner, world), at=at(2026, 3, 9, 9))
    dossier = dossier_services.dossier_request_supplement_at_reception(
        actor=world.staff["reception"],
        dossier=dossier,
        missing=["Tờ khai có chữ ký"],
        reason="Tờ khai chưa ký",
        expected_version=dossier.version,
        at=at(2026, 3, 9, 14),
    )
    blob = blob_store(io.BytesIO(PDF))
    files = [dossier_services.SuppliedFile(name="Tờ khai có chữ ký", blob_name=blob.name, sha256=blob.sha256)]
    supplied = dossier_services.dossier_supplement_online(
        dossier=dossier, citizen=owner, files=files, at=at(2026, 3, 10, 9)
    )
    assert supplied.state == State.RECEPTION_SUPPLEMENT and supplied.received_at is None
    queue = dossier_selectors.worklist(
        user=world.staff["reception"], kind="to_receive", now=at(2026, 3, 10, 10)
    )
    assert [row.code for row in queue.rows] == [dossier.code]


# -- pages ------------------------------------------------------------------------------------------------------
def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_wizard_pages_walk_to_a_submitted_dossier(world: World, online: ProcedureVersion) -> None:
    owner = citizen(email="binh@example.vn")
    client = _client(owner)
    code = online.procedure.code
    assert client.get(f"/thu-tuc/{code}/").content.decode().count("Nộp trực tuyến") >= 1
    response = client.post(f"/nop-truc-tuyen/thu-tuc/{code}/")
    draft = Draft.objects.get(owner=owner)
    assert response["Location"] == f"/nop-truc-tuyen/nhap/{draft.key}/nguoi-nop/"
    page = client.get(response["Location"]).content.decode()
    assert 'value="Trần Thị Bình"' in page and 'value="0987654321"' in page  # pre-filled from the profile
    bad = client.post(
        f"/nop-truc-tuyen/nhap/{draft.key}/nguoi-nop/",
        {"kind": "individual", "full_name": "Trần Thị Bình", "id_number": "12345", "phone": "12"},
    )
    text = bad.content.decode()
    assert bad.status_code == 200 and "đúng 12 chữ số" in text and "10 chữ số" in text
    assert "Vui lòng chọn cơ quan giải quyết" in text
    ok = client.post(
        f"/nop-truc-tuyen/nhap/{draft.key}/nguoi-nop/",
        {
            "kind": "individual",
            "full_name": "Trần Thị Bình",
            "id_number": "079190004321",
            "phone": "0987 654 321",
            "birth_date": "05/09/1990",
            "competent_unit": world.justice.pk,
        },
    )
    assert ok.status_code == 302
    first, second = list(online.components.all()[:2])
    wrong = client.post(
        f"/nop-truc-tuyen/nhap/{draft.key}/giay-to/",
        {f"tep_{first.pk}": SimpleUploadedFile("virus.pdf", b"MZ not a pdf")},
    )
    assert wrong.status_code == 400 and "Chỉ nhận tệp PDF, JPG hoặc PNG" in wrong.content.decode()
    uploaded = client.post(
        f"/nop-truc-tuyen/nhap/{draft.key}/giay-to/",
        {
            f"tep_{first.pk}": SimpleUploadedFile("to-khai.pdf", PDF),
            f"tep_{second.pk}": SimpleUploadedFile("anh.png", PNG),
            "tiep": "1",
        },
    )
    assert uploaded["Location"].endswith("/nhan-ket-qua/")
    post = client.post(f"/nop-truc-tuyen/nhap/{draft.key}/nhan-ket-qua/", {"method": "post", "address": ""})
    assert "cần địa chỉ nhận" in post.content.decode()
    client.post(f"/nop-truc-tuyen/nhap/{draft.key}/nhan-ket-qua/", {"method": "online"})
    review = client.get(f"/nop-truc-tuyen/nhap/{draft.key}/xac-nhan/").content.decode()
    assert "to-khai.pdf" in review and "anh.png" in review and "Nộp hồ sơ" in review
    submitted = client.post(f"/nop-truc-tuyen/nhap/{draft.key}/xac-nhan/")
    again = client.post(f"/nop-truc-tuyen/nhap/{draft.key}/xac-nhan/")  # a double click
    dossier = Dossier.objects.get()
    assert submitted["Location"] == again["Location"] == f"/nop-truc-tuyen/da-nop/{dossier.code}/"
    done = client.get(submitted["Location"]).content.decode()
    assert dossier.code in done and dossier.lookup_key in done
    applicant = dossier.parties.get(role="applicant")
    assert applicant.birth_date is not None and applicant.birth_date.isoformat() == "1990-09-05"
    assert applicant.phone == "0987654321"


def test_drafts_resume_for_their_owner_only(world: World, online: ProcedureVersion) -> None:
    owner, other = citizen(), citizen("congdan.khac", phone="0912000111", id_number="079303009999")
    draft = services.draft_create(owner=owner, version=online)
    assert str(draft.key) in _client(owner).get("/nop-truc-tuyen/").content.decode()
    stranger = _client(other)
    assert str(draft.key) not in stranger.get("/nop-truc-tuyen/").content.decode()
    for step in ("nguoi-nop", "giay-to", "nhan-ket-qua", "xac-nhan"):
        assert stranger.get(f"/nop-truc-tuyen/nhap/{draft.key}/{step}/").status_code == 404
    assert stranger.get("/nop-truc-tuyen/nhap/not-a-uuid/nguoi-nop/").status_code == 404


def test_anonymous_and_staff_are_sent_to_the_citizen_login(world: World, online: ProcedureVersion) -> None:
    url = f"/nop-truc-tuyen/thu-tuc/{online.procedure.code}/"
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/cong-dan/dang-nhap/")
    staff = _client(world.staff["reception"]).get(url)
    assert staff.status_code == 302 and staff["Location"].startswith("/cong-dan/dang-nhap/")


def test_staff_open_an_uploaded_file_checked_and_logged(world: World, online: ProcedureVersion) -> None:
    dossier = services.draft_submit(draft=filled(online, citizen(), world))
    component = dossier.components.exclude(file="").first()
    assert component is not None
    client = _client(world.staff["reception"])
    response = client.get(f"/can-bo/ho-so/{dossier.code}/tep/{component.pk}/")
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert dossier.accesses.filter(user=world.staff["reception"]).exists()
    assert (
        _client(world.staff["other_specialist"])
        .get(f"/can-bo/ho-so/{dossier.code}/tep/{component.pk}/")
        .status_code
        == 404
    )


def test_the_supplement_page_lists_what_is_missing_and_takes_the_uploads(
    world: World, online: ProcedureVersion, local: Path, receipt: bytes
) -> None:
    owner = citizen()
    dossier = services.draft_submit(draft=filled(online, owner, world), at=at(2026, 3, 9, 9))
    url = f"/nop-truc-tuyen/bo-sung/{dossier.code}/"
    assert _client(owner).get(url).status_code == 302  # nothing asked yet: back to the dossier
    dossier_services.dossier_request_supplement_at_reception(
        actor=world.staff["reception"],
        dossier=dossier,
        missing=["Tờ khai có chữ ký", "Bản sao hộ chiếu"],
        reason="Thiếu chữ ký",
        expected_version=Dossier.objects.get(pk=dossier.pk).version,
        at=at(2026, 3, 9, 14),
    )
    client = _client(owner)
    page = client.get(url).content.decode()
    assert "Tờ khai có chữ ký" in page and "Bản sao hộ chiếu" in page and "Thiếu chữ ký" in page
    other = citizen("congdan.khac", phone="0912000111", id_number="079303009999")
    assert _client(other).get(url).status_code == 404
    bad = client.post(url, {"tep_0": SimpleUploadedFile("a.exe", b"MZ...")})
    assert bad.status_code == 400 and "Chỉ nhận tệp PDF, JPG hoặc PNG" in bad.content.decode()
    # A signed file whose signature shows it was changed after signing is refused with the reason.
    tampered = SimpleUploadedFile("to-khai.pdf", _tampered(_local_signed(receipt)))
    refused = client.post(url, {"tep_0": tampered})
    assert refused.status_code == 400
    assert "Tệp có chữ ký số không hợp lệ: Tài liệu đã bị thay đổi sau khi ký." in refused.content.decode()
    assert dossier.supplement_requests.get().supplied_at is None
    sent = client.post(url, {"tep_0": SimpleUploadedFile("to-khai.pdf", PDF)})
    assert sent.status_code == 302
    supplement = dossier.supplement_requests.get()
    assert supplement.supplied_at is not None
    assert dossier.components.filter(name="Tờ khai có chữ ký", provided=True).exists()
    assert "đã gửi giấy tờ bổ sung" in client.get(url).content.decode()


def test_untouched_drafts_are_purged_with_files_nobody_else_uses(
    world: World, online: ProcedureVersion, tmp_path: Path
) -> None:
    from django.core.management import call_command

    owner = citizen()
    submitted = filled(online, owner, world)
    services.draft_submit(draft=submitted)
    old = services.draft_create(owner=owner, version=online)
    services.draft_attach(
        draft=old, component=online.components.all()[0], upload=io.BytesIO(PNG), filename="a.png"
    )
    shared = services.draft_create(owner=owner, version=online)  # the same PDF as the submitted dossier's
    services.draft_attach(
        draft=shared, component=online.components.all()[0], upload=io.BytesIO(PDF), filename="b.pdf"
    )
    recent = services.draft_create(owner=owner, version=online)
    long_ago = timezone.now() - dt.timedelta(days=91)
    Draft.objects.filter(pk__in=[old.pk, shared.pk, submitted.pk]).update(updated_at=long_ago)
    png_blob = blob_name(hashlib.sha256(PNG).hexdigest())
    pdf_blob = blob_name(hashlib.sha256(PDF).hexdigest())
    assert (tmp_path / png_blob).exists() and (tmp_path / pdf_blob).exists()
    report = services.drafts_purge()
    assert report.drafts == 2 and report.files == 1
    assert set(Draft.objects.values_list("pk", flat=True)) == {submitted.pk, recent.pk}
    assert not (tmp_path / png_blob).exists()
    assert (tmp_path / pdf_blob).exists()  # the dossier still points to it
    assert blob_read(pdf_blob, hashlib.sha256(PDF).hexdigest()) == PDF
    call_command("purge_drafts", days=1, verbosity=0)
    assert set(Draft.objects.values_list("pk", flat=True)) == {submitted.pk, recent.pk}


@pytest.mark.parametrize(
    ("birth_date", "message"),
    [
        ("01/01/2999", "không được sau ngày hôm nay"),
        ("01/01/1890", "trước năm 1900"),
        ("05/09/1985", "không khớp với năm sinh trong số định danh"),
    ],
)
def test_the_applicant_birth_date_is_checked(
    world: World, online: ProcedureVersion, birth_date: str, message: str
) -> None:
    owner = citizen()
    draft = services.draft_create(owner=owner, version=online)
    response = _client(owner).post(
        f"/nop-truc-tuyen/nhap/{draft.key}/nguoi-nop/",
        {
            "kind": "individual",
            "full_name": "Trần Thị Bình",
            "id_number": "079190004321",
            "phone": "0987654321",
            "birth_date": birth_date,
            "competent_unit": world.justice.pk,
        },
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert Draft.objects.get(pk=draft.pk).applicant.get("birth_date") is None


def test_a_huge_remove_number_is_ignored_not_an_error(world: World, online: ProcedureVersion) -> None:
    owner = citizen()
    draft = services.draft_create(owner=owner, version=online)
    response = _client(owner).post(f"/nop-truc-tuyen/nhap/{draft.key}/giay-to/", {"xoa": "9" * 30})
    assert response.status_code in (200, 302)


# -- identity verified through the identity provider (the 766 index's population data) ------------------------------
def test_a_verified_citizen_filing_for_themself_is_counted_as_using_population_data(
    world: World, online: ProcedureVersion
) -> None:
    """The flag is kept on the dossier as filed: a verified account whose number is the applicant's (Dossier.
    applicant_identity_verified); an unverified account, or a verified one filing for another person, is not.
    The 766 component "dossiers using population data" counts it among the dossiers received."""
    from cchc.serviceindex.inputs import measures_by_unit

    verified = services.draft_submit(
        draft=filled(online, citizen(identity_verified=True), world), at=at(2026, 3, 9, 9)
    )
    unverified = services.draft_submit(
        draft=filled(online, citizen("congdan.chua", phone="0912000222", id_number=""), world),
        at=at(2026, 3, 9, 9),
    )
    other_person = citizen("congdan.ho", phone="0912000333", id_number="079303008888", identity_verified=True)
    for_another = services.draft_submit(draft=filled(online, other_person, world), at=at(2026, 3, 9, 9))
    assert [d.applicant_identity_verified for d in (verified, unverified, for_another)] == [
        True,
        False,
        False,
    ]
    for dossier in (verified, unverified, for_another):
        dossier_services.dossier_receive(
            dossier=Dossier.objects.get(pk=dossier.pk), actor=world.staff["reception"],
            expected_version=Dossier.objects.get(pk=dossier.pk).version, at=at(2026, 3, 9, 10),
        )  # fmt: skip
    page = _client(world.staff["reception"]).get(f"/can-bo/ho-so/{verified.code}/").content.decode()
    assert 'id="identity-verified"' in page
    assert 'id="identity-verified"' not in (
        _client(world.staff["reception"]).get(f"/can-bo/ho-so/{unverified.code}/").content.decode()
    )
    measure = measures_by_unit(
        unit_ids=[world.justice.pk], start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), now=at(2026, 4, 1)
    )[world.justice.pk]["population_dossiers"]
    assert measure.rate == Decimal(1) / Decimal(3)
    assert [value for _label, value in measure.inputs] == ["1", "3"]
