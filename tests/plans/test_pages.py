"""The plan pages through the test client: who sees and does what, bad input answered clearly."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from cchc.orgs.models import Unit
from cchc.plans import services
from cchc.plans.models import Area, Plan, Task, TaskStatus
from tests.dossiers.conftest import World

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def plan(world: World, committee: Unit, home_affairs: Any) -> Plan:
    plan = services.plan_create(year=2026, unit=committee, title="Kế hoạch CCHC 2026", actor=home_affairs)
    services.task_add(plan=plan, area=Area.PROCEDURES, code="1", title="Rà soát thủ tục", lead_unit=world.justice,
                      deadline=dt.date(2026, 6, 30), actor=home_affairs)  # fmt: skip
    services.task_add(plan=plan, area=Area.DIGITAL, code="2", title="Số hóa kết quả", lead_unit=world.construction,
                      deadline=dt.date(2026, 12, 31), actor=home_affairs)  # fmt: skip
    return plan


def test_the_plan_page_shows_progress_and_only_the_lead_unit_reports(world: World, plan: Plan) -> None:
    specialist = _client(world.staff["specialist"])
    page = specialist.get(f"/can-bo/ke-hoach/{plan.pk}/").content.decode()
    assert "Rà soát thủ tục" in page and "<svg" in page
    assert "Cập nhật tiến độ 1" in page and "Cập nhật tiến độ 2" not in page  # justice leads task 1 only
    assert "Thêm nhiệm vụ" not in page  # the province's plan is Home Affairs'
    url = f"/can-bo/ke-hoach/{plan.pk}/nhiem-vu/{plan.tasks.get(code='1').pk}/tien-do/"
    bad = specialist.post(url, {"tien_do": "nhiều", "trang_thai": "in_progress"})
    assert bad.status_code == 422 and "Tiến độ phải là số phần trăm." in bad.content.decode()
    assert specialist.post(url, {"tien_do": "100", "trang_thai": "done"}).status_code == 303
    assert Task.objects.get(code="1", plan=plan).status == TaskStatus.DONE
    other = _client(world.staff["other_leader"]).post(url, {"tien_do": "10", "trang_thai": "in_progress"})
    assert other.status_code == 403
    assert Client().get(f"/can-bo/ke-hoach/{plan.pk}/").status_code == 302


def test_home_affairs_adds_tasks_and_a_leader_derives_the_unit_plan(
    world: World, plan: Plan, home_affairs: Any
) -> None:
    council = _client(home_affairs)
    url = f"/can-bo/ke-hoach/{plan.pk}/nhiem-vu/"
    task = {"so": "3", "noi_dung": "direction", "nhiem_vu": "Tuyên truyền CCHC", "chu_tri": world.justice.pk,
            "thoi_han": "30/09/2026", "san_pham": "Kế hoạch", "kinh_phi": "5000000"}  # fmt: skip
    assert council.post(url, task | {"thoi_han": "30-09-2026"}).status_code == 422
    assert council.post(url, task | {"thoi_han": "30/09/2027"}).status_code == 422  # outside the plan's year
    assert council.post(url, task).status_code == 303
    assert plan.tasks.get(code="3").budget_vnd == 5_000_000
    assert _client(world.staff["leader"]).post(url, task | {"so": "4"}).status_code == 403
    leader = _client(world.staff["leader"])
    assert "Lập kế hoạch đơn vị" in leader.get(f"/can-bo/ke-hoach/{plan.pk}/").content.decode()
    derived = leader.post(f"/can-bo/ke-hoach/{plan.pk}/lap-ke-hoach-don-vi/", {"don_vi": world.justice.pk})
    assert derived.status_code == 303
    unit_plan = Plan.objects.get(unit=world.justice)
    assert sorted(unit_plan.tasks.values_list("code", flat=True)) == ["1", "3"]
    refused = leader.post(
        f"/can-bo/ke-hoach/{plan.pk}/lap-ke-hoach-don-vi/", {"don_vi": world.construction.pk}
    )
    assert refused.status_code == 403
    # The construction department sees the province's plan, not the justice department's.
    other = _client(world.staff["other_leader"])
    assert other.get(f"/can-bo/ke-hoach/{unit_plan.pk}/").status_code == 404
    listing = other.get("/can-bo/ke-hoach/").content.decode()
    assert "Kế hoạch CCHC 2026" in listing and unit_plan.title not in listing


def test_task_evidence_is_attached_by_the_lead_unit_and_read_back(world: World, plan: Plan) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    task = plan.tasks.get(code="1")  # led by justice
    url = f"/can-bo/ke-hoach/{plan.pk}/nhiem-vu/{task.pk}/tai-lieu/"
    other = _client(world.staff["other_specialist"])
    assert other.post(url, {"tep": SimpleUploadedFile("a.pdf", pdf)}).status_code == 403
    specialist = _client(world.staff["specialist"])
    spoofed = specialist.post(url, {"tep": SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf")})
    assert spoofed.status_code == 400
    assert specialist.post(url, {}).status_code == 400
    assert specialist.post(url, {"tep": SimpleUploadedFile("bao-cao-ra-soat.pdf", pdf)}).status_code == 303
    evidence = task.evidence_files.get()
    page = specialist.get(f"/can-bo/ke-hoach/{plan.pk}/").content.decode()
    assert "bao-cao-ra-soat.pdf" in page and 'id="plan-units"' in page
    # Whoever sees the plan reads the file; it is the bytes stored.
    download = other.get(f"/can-bo/ke-hoach/{plan.pk}/tai-lieu/{evidence.pk}/")
    assert download.status_code == 200 and download.content == pdf
    assert download["Content-Type"] == "application/pdf"
