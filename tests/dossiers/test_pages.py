"""Staff pages under /can-bo/: worklist, dossier page and actions, reception desk, register, PDF forms."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cchc.dossiers import services
from cchc.dossiers.models import Dossier, PersonalDataAccess, State
from tests.dossiers.conftest import World


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _received(world: World) -> Dossier:
    return services.dossier_receive(actor=world.staff["reception"], intake=world.intake())


@pytest.mark.parametrize(
    "url", ["/can-bo/ho-so/", "/can-bo/tiep-nhan/", "/can-bo/so-theo-doi/", "/can-bo/ho-so/X-1/"]
)
def test_anonymous_is_sent_to_the_staff_login(client: Client, db: None, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/can-bo/dang-nhap/?next=")


def test_user_without_role_gets_403(db: None) -> None:
    user = get_user_model().objects.create_user("khach", password="mat-khau-dai-2026")
    response = _client(user).get("/can-bo/ho-so/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_dossier_page_logs_access_and_hides_other_departments(world: World) -> None:
    dossier = _received(world)
    response = _client(world.staff["specialist"]).get(f"/can-bo/ho-so/{dossier.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đang xử lý" in html
    assert "079******234" in html
    assert "Mẫu 01" in html
    assert PersonalDataAccess.objects.filter(dossier=dossier, user=world.staff["specialist"]).exists()
    other = _client(world.staff["other_specialist"]).get(f"/can-bo/ho-so/{dossier.code}/")
    assert other.status_code == 404


def test_hand_over_then_stale_version_shows_the_message_and_changes_nothing(world: World) -> None:
    dossier = _received(world)
    client = _client(world.staff["reception"])
    url = f"/can-bo/ho-so/{dossier.code}/thao-tac/hand_over/"
    seen = dossier.version
    ok = client.post(url, {"hand_over-expected_version": seen, "hand_over-note": "Đủ hồ sơ"})
    assert ok.status_code == 302
    assert ok["Location"] == f"/can-bo/ho-so/{dossier.code}/"
    dossier.refresh_from_db()
    assert dossier.current_unit == world.justice
    version_after = dossier.version

    leader = _client(world.staff["leader"])
    stale = leader.post(
        f"/can-bo/ho-so/{dossier.code}/thao-tac/stop/",
        {"stop-expected_version": seen, "stop-reason": "Thử"},
    )
    assert stale.status_code == 409
    assert "vừa được người khác cập nhật" in stale.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
    assert dossier.version == version_after


def test_action_not_allowed_for_role_shows_the_message(world: World) -> None:
    dossier = _received(world)
    response = _client(world.staff["specialist"]).post(
        f"/can-bo/ho-so/{dossier.code}/thao-tac/resolve/",
        {
            "resolve-expected_version": dossier.version,
            "resolve-document_number": "1/GKS",
            "resolve-document_date": "01/07/2025",
        },
    )
    assert response.status_code == 403
    assert "Bạn không có quyền" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING


def test_desk_receives_a_dossier(world: World) -> None:
    client = _client(world.staff["reception"])
    code = world.version.procedure.code
    page = client.get(f"/can-bo/tiep-nhan/?thu_tuc={code}")
    assert page.status_code == 200
    assert "Tờ khai đăng ký khai sinh" in page.content.decode()
    component = world.version.components.get()
    response = client.post(
        f"/can-bo/tiep-nhan/?thu_tuc={code}",
        {
            "thu_tuc": code,
            "full_name": "Trần Thị Bình",
            "id_number": "001190000001",
            "phone": "0912000000",
            "components": [str(component.pk)],
            "receiving_unit": world.centre.pk,
            "competent_unit": world.justice.pk,
            "quyet_dinh": "tiep_nhan",
        },
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/can-bo/ho-so/{dossier.code}/"
    assert dossier.state == State.PROCESSING
    assert dossier.parties.get().full_name == "Trần Thị Bình"
    assert dossier.components.get().provided


def test_desk_refusal_without_reason_shows_the_message(world: World) -> None:
    client = _client(world.staff["reception"])
    code = world.version.procedure.code
    response = client.post(
        f"/can-bo/tiep-nhan/?thu_tuc={code}",
        {
            "thu_tuc": code,
            "full_name": "Trần Thị Bình",
            "receiving_unit": world.centre.pk,
            "competent_unit": world.justice.pk,
            "quyet_dinh": "tu_choi",
        },
    )
    assert response.status_code == 422
    assert "Cần nêu rõ lý do từ chối." in response.content.decode()
    assert not Dossier.objects.exists()


def test_register_lists_and_exports_xlsx(world: World) -> None:
    dossier = _received(world)
    client = _client(world.staff["reception"])
    page = client.get("/can-bo/so-theo-doi/?trang_thai=processing")
    assert dossier.code in page.content.decode()
    response = client.get("/can-bo/so-theo-doi/so-theo-doi.xlsx?trang_thai=processing")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [cell.value for row in book.active.iter_rows() for cell in row]
    assert dossier.code in values
    empty = client.get("/can-bo/so-theo-doi/?trang_thai=returned")
    assert dossier.code not in empty.content.decode()
    bad = client.get("/can-bo/so-theo-doi/?tu_ngay=31/02/2026")
    assert bad.status_code == 200
    assert dossier.code not in bad.content.decode()


def test_form_pdf_link_and_unavailable_form(world: World) -> None:
    dossier = _received(world)
    client = _client(world.staff["reception"])
    response = client.get(f"/can-bo/ho-so/{dossier.code}/mau/01.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(f"/can-bo/ho-so/{dossier.code}/mau/03.pdf").status_code == 404
    assert client.get(f"/can-bo/ho-so/{dossier.code}/mau/09.pdf").status_code == 404
