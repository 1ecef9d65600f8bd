"""The PAR Index staff pages through the test client: who sees what, each step's answer, bad input."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cchc.parindex.models import Assessment, Criterion, Evidence, Score, UnitState
from tests.dossiers.conftest import World

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _unit_url(live_assessment: Assessment, unit: Any, tail: str = "") -> str:
    return f"/can-bo/chi-so-cchc/{live_assessment.pk}/don-vi/{unit.pk}/{tail}"


def _leaf(code: str) -> Criterion:
    return Criterion.objects.get(code=code)


def test_each_unit_sees_its_own_page_only(
    world: World, live_assessment: Assessment, home_affairs: Any
) -> None:
    specialist = _client(world.staff["specialist"])
    page = specialist.get("/can-bo/chi-so-cchc/").content.decode()
    assert world.justice.name in page and world.construction.name not in page
    assert "Bảng xếp hạng" not in page
    assert specialist.get(_unit_url(live_assessment, world.justice)).status_code == 200
    assert specialist.get(_unit_url(live_assessment, world.construction)).status_code == 404
    assert specialist.get(f"/can-bo/chi-so-cchc/{live_assessment.pk}/xep-hang/").status_code == 404
    everything = _client(home_affairs).get("/can-bo/chi-so-cchc/").content.decode()
    assert world.construction.name in everything and "Bảng xếp hạng" in everything
    assert Client().get("/can-bo/chi-so-cchc/").status_code == 302


def test_scoring_saves_and_bad_points_are_refused(world: World, live_assessment: Assessment) -> None:
    specialist = _client(world.staff["specialist"])
    leaf = _leaf("1.1.1")
    url = _unit_url(live_assessment, world.justice, f"tieu-chi/{leaf.pk}/diem/")
    response = specialist.post(url, {"diem": "3,5", "giai_trinh": "Kế hoạch 12/KH"})
    assert response.status_code == 303
    assert Score.objects.get().self_points == Decimal("3.5")
    bad = specialist.post(url, {"diem": "ba"})
    assert bad.status_code == 400 and "Điểm phải là một số" in bad.content.decode()
    over = specialist.post(url, {"diem": "9"})
    assert over.status_code == 422 and "phải từ 0 đến 4.00" in over.content.decode()
    other = _client(world.staff["other_leader"]).post(url, {"diem": "1"})
    assert other.status_code == 404
    assert Score.objects.get().self_points == Decimal("3.5")


def test_evidence_upload_checks_the_file(world: World, live_assessment: Assessment) -> None:
    specialist = _client(world.staff["specialist"])
    leaf = _leaf("1.1.1")
    url = _unit_url(live_assessment, world.justice, f"tieu-chi/{leaf.pk}/tai-lieu/")
    assert specialist.post(url, {}).status_code == 400
    assert (
        specialist.post(url, {"tep": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")}).status_code == 422
    )  # no score
    specialist.post(_unit_url(live_assessment, world.justice, f"tieu-chi/{leaf.pk}/diem/"), {"diem": "3"})
    ok = specialist.post(url, {"tep": SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 x")})
    assert ok.status_code == 303
    refused = specialist.post(url, {"tep": SimpleUploadedFile("a.pdf", b"MZ not a pdf")})
    assert refused.status_code == 400 and "Chỉ nhận tệp PDF, JPG hoặc PNG" in refused.content.decode()
    assert "ke-hoach.pdf" in specialist.get(_unit_url(live_assessment, world.justice)).content.decode()
    # Read back by those who see the unit's assessment, as stored.
    evidence = Evidence.objects.get()
    file_url = _unit_url(live_assessment, world.justice, f"tai-lieu/{evidence.pk}/")
    assert file_url in specialist.get(_unit_url(live_assessment, world.justice)).content.decode()
    assert specialist.get(file_url).content == b"%PDF-1.4 x"
    assert _client(world.staff["other_leader"]).get(file_url).status_code == 404


def test_submit_appraise_clarify_and_publish(
    world: World, live_assessment: Assessment, home_affairs: Any
) -> None:
    leader, specialist, council = (
        _client(world.staff["leader"]), _client(world.staff["specialist"]), _client(home_affairs)
    )  # fmt: skip
    leaf = _leaf("1.1.1")
    specialist.post(_unit_url(live_assessment, world.justice, f"tieu-chi/{leaf.pk}/diem/"), {"diem": "4"})
    denied = specialist.post(_unit_url(live_assessment, world.justice, "gui/"))
    assert denied.status_code == 403 and "không thuộc đơn vị" in denied.content.decode()
    assert leader.post(_unit_url(live_assessment, world.justice, "gui/")).status_code == 303
    appraise_url = _unit_url(live_assessment, world.justice, f"tieu-chi/{leaf.pk}/tham-dinh/")
    assert leader.post(appraise_url, {"diem": "1", "ly_do": "x"}).status_code == 403
    no_reason = council.post(appraise_url, {"diem": "3", "ly_do": ""})
    assert no_reason.status_code == 422 and "Cần nêu lý do" in no_reason.content.decode()
    assert council.post(appraise_url, {"diem": "3", "ly_do": "Chậm 5 ngày"}).status_code == 303
    ask = council.post(appraise_url, {"thao_tac": "giai_trinh", "noi_dung": "Gửi quyết định ban hành"})
    assert ask.status_code == 303
    page = specialist.get(_unit_url(live_assessment, world.justice)).content.decode()
    assert "Gửi quyết định ban hành" in page and "Lưu điểm 1.1.1" in page
    ranking = council.get(f"/can-bo/chi-so-cchc/{live_assessment.pk}/xep-hang/").content.decode()
    assert "Công bố kết quả" in ranking and "<svg" in ranking
    assert council.post(f"/can-bo/chi-so-cchc/{live_assessment.pk}/cong-bo/").status_code == 303
    assert Assessment.objects.get().units.filter(state=UnitState.PUBLISHED).count() == 2
    published = specialist.get(f"/can-bo/chi-so-cchc/{live_assessment.pk}/xep-hang/")
    assert published.status_code == 200
    body = published.content.decode()
    assert world.justice.name in body and world.construction.name in body and "Công bố kết quả" not in body
