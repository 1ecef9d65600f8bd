"""The commitment pages through the test client: scope, forms, bad input, evidence download."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from cchc.accountability import services
from cchc.accountability.models import Commitment, CommitmentItem
from tests.accountability.test_commitments import NOW, PDF, _commitment, _year_of_justice
from tests.dossiers.conftest import World

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_shows_states_and_the_units_to_account(world: World, home_affairs: Any) -> None:
    _year_of_justice(world)
    commitment = _commitment(world, world.staff["leader"])
    services.commitment_sign(commitment=commitment, actor=world.staff["leader"], at=NOW)
    page = _client(home_affairs).get("/can-bo/cam-ket/?nam=2026").content.decode()
    assert "Sở Tư pháp tỉnh Thử" in page and "24/11/2026" in page
    accounts = page.split("Đơn vị phải giải trình")[-1]
    assert "Chưa ký cam kết (1 đơn vị):</strong>\n  Sở Xây dựng tỉnh Thử." in accounts
    assert "75,00% / ≥ 98,00%" in accounts  # Vietnamese decimal comma
    # A department sees only its own.
    other = _client(world.staff["other_leader"]).get("/can-bo/cam-ket/?nam=2026").content.decode()
    assert "Sở Tư pháp tỉnh Thử" not in other
    assert _client(world.staff["other_leader"]).get(f"/can-bo/cam-ket/{commitment.pk}/").status_code == 404


def test_drafting_through_the_pages(world: World, home_affairs: Any) -> None:
    leader = _client(world.staff["leader"])
    response = leader.post("/can-bo/cam-ket/tao/", {"nam": "2026", "don_vi": world.justice.pk})
    assert response.status_code == 303
    commitment = Commitment.objects.get(unit=world.justice, year=2026)
    url = f"/can-bo/cam-ket/{commitment.pk}/"
    # Creating for another unit is not offered and not allowed.
    assert (
        leader.post("/can-bo/cam-ket/tao/", {"nam": "2026", "don_vi": world.construction.pk}).status_code
        == 404
    )
    bad = leader.post(f"{url}noi-dung/", {"so": "1", "noi_dung": "Đúng hạn", "chi_so": "on_time_rate",
                                          "chi_tieu": "chín mươi"})  # fmt: skip
    assert bad.status_code == 422 and "Chỉ tiêu phải là số phần trăm" in bad.content.decode()
    ok = leader.post(f"{url}noi-dung/", {"so": "1", "noi_dung": "Đúng hạn", "chi_so": "on_time_rate",
                                         "so_sanh": "gte", "chi_tieu": "98,5"})  # fmt: skip
    assert ok.status_code == 303
    assert CommitmentItem.objects.get(commitment=commitment).target == Decimal("98.50")
    specialist = _client(world.staff["specialist"])
    assert specialist.post(f"{url}ky/").status_code == 403
    assert leader.post(f"{url}ky/").status_code == 303
    page = leader.get(url).content.decode()
    assert "Đã ký ngày" in page and "Thêm nội dung cam kết" not in page and "Ký cam kết</button>" not in page


def test_evidence_upload_and_download(world: World, home_affairs: Any) -> None:
    commitment = services.commitment_create(year=2026, unit=world.justice, actor=home_affairs)
    item = services.commitment_item_add(
        commitment=commitment, code="1", text="Công khai TTHC", actor=home_affairs
    )
    url = f"/can-bo/cam-ket/{commitment.pk}/"
    specialist = _client(world.staff["specialist"])
    spoofed = specialist.post(f"{url}noi-dung/{item.pk}/tai-lieu/", {"tep": _upload(b"<html>", "a.pdf")})
    assert spoofed.status_code == 400
    missing = specialist.post(f"{url}noi-dung/{item.pk}/tai-lieu/", {})
    assert missing.status_code == 400 and "Chọn một tệp" in missing.content.decode()
    assert (
        specialist.post(
            f"{url}noi-dung/{item.pk}/tai-lieu/", {"tep": _upload(PDF, "biên bản.pdf")}
        ).status_code
        == 303
    )
    evidence = item.evidence_files.get()
    download = _client(home_affairs).get(f"{url}tai-lieu/{evidence.pk}/")
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "bi%C3%AAn%20b%E1%BA%A3n.pdf" in download["Content-Disposition"]
    assert _client(world.staff["other_specialist"]).get(f"{url}tai-lieu/{evidence.pk}/").status_code == 404
    # Home Affairs judges once signed.
    services.commitment_sign(commitment=commitment, actor=world.staff["leader"])
    judge = _client(home_affairs)
    assert judge.post(f"{url}noi-dung/{item.pk}/danh-gia/", {"ket_qua": "?"}).status_code == 422
    assert judge.post(f"{url}noi-dung/{item.pk}/danh-gia/", {"ket_qua": "dat"}).status_code == 303
    item.refresh_from_db()
    assert item.judged_met is True and item.judged_by == home_affairs


def _upload(content: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
