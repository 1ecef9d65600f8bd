"""The report pages through the test client: scope, the submissions table, bad input kept, downloads."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document

from cchc.orgs.models import Unit
from cchc.reports import services
from cchc.reports.models import Report, ReportStatus
from cchc.reports.periods import ReportKind
from tests.dossiers.conftest import World, at

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_shows_who_has_submitted(world: World, committee: Unit, home_affairs: Any) -> None:
    report = services.report_create(
        unit=world.justice, year=2026, kind=ReportKind.Q1, actor=world.staff["leader"]
    )
    services.report_save(report=report, actor=world.staff["leader"], narrative={}, manual={}, signer_name="A")
    services.report_submit(report=report, actor=world.staff["leader"], at=at(2026, 3, 19, 9))
    page = _client(home_affairs).get("/can-bo/bao-cao/?nam=2026&ky=q1").content.decode()
    assert "Số liệu từ 15/12/2025 đến 14/03/2026; hạn gửi 20/03/2026." in page
    table = page.split("Tình hình gửi báo cáo của các đơn vị")[-1]
    assert "Đã gửi đúng hạn" in table and "19/03/2026" in table
    assert "Sở Xây dựng tỉnh Thử" in table and "Chưa có báo cáo" in table
    assert "1 đơn vị chưa gửi báo cáo." in page
    # Home Affairs may open the province's report; a department only its own.
    assert "Ủy ban nhân dân tỉnh Thử" in page.split("<h2>Lập báo cáo</h2>")[1].split("</form>")[0]
    other = _client(world.staff["other_leader"]).get("/can-bo/bao-cao/?nam=2026&ky=q1").content.decode()
    assert "Tình hình gửi báo cáo" not in other and "Sở Tư pháp" not in other
    assert _client(world.staff["other_leader"]).get(f"/can-bo/bao-cao/{report.pk}/").status_code == 404
    assert (
        _client(world.staff["other_leader"]).get(f"/can-bo/bao-cao/{report.pk}/bao-cao.docx").status_code
        == 404
    )


def test_writing_a_report_through_the_page(world: World, home_affairs: Any) -> None:
    specialist = _client(world.staff["specialist"])
    created = specialist.post("/can-bo/bao-cao/tao/", {"nam": "2026", "ky": "q1", "don_vi": world.justice.pk})
    assert created.status_code == 303
    report = Report.objects.get(unit=world.justice, year=2026, kind="q1")
    url = f"/can-bo/bao-cao/{report.pk}/"
    page = specialist.get(url).content.decode()
    assert (
        "Số liệu do hệ thống tự động điền" in page and "Gửi báo cáo</button>" not in page
    )  # the leader submits
    form = {"muc_I": "Đã ban hành kế hoạch.", "so_lieu_inspections": "hai", "nguoi_ky": "Nguyễn Văn Bình"}
    bad = specialist.post(f"{url}luu/", form)
    body = bad.content.decode()
    assert bad.status_code == 422 and "phải là số nguyên không âm" in body
    assert "Đã ban hành kế hoạch." in body and 'value="hai"' in body and 'value="Nguyễn Văn Bình"' in body
    report.refresh_from_db()
    assert report.narrative == {}  # nothing half-saved
    form["so_lieu_inspections"] = "2"
    assert specialist.post(f"{url}luu/", form).status_code == 303
    report.refresh_from_db()
    assert report.manual == {"inspections": 2} and report.narrative == {"I": "Đã ban hành kế hoạch."}
    assert specialist.post(f"{url}gui/").status_code == 403
    docx = specialist.get(f"{url}bao-cao.docx")
    assert docx.status_code == 200 and docx["Content-Type"].endswith("wordprocessingml.document")
    assert "Đã ban hành kế hoạch." in [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    xlsx = specialist.get(f"{url}phu-luc.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_leader_submits_once_the_period_is_over(world: World, home_affairs: Any) -> None:
    leader = _client(world.staff["leader"])
    next_year = timezone.localdate().year + 1  # its year report's period is always still running
    early = services.report_create(unit=world.justice, year=next_year, kind=ReportKind.YEAR,
                                   actor=world.staff["leader"])  # fmt: skip
    services.report_save(report=early, actor=world.staff["leader"], narrative={}, manual={}, signer_name="A")
    response = leader.post(f"/can-bo/bao-cao/{early.pk}/gui/")
    assert response.status_code == 422 and "gửi báo cáo từ ngày hôm sau" in response.content.decode()
    early.refresh_from_db()
    assert early.status == ReportStatus.DRAFT
    past = services.report_create(
        unit=world.justice, year=2026, kind=ReportKind.Q1, actor=world.staff["leader"]
    )
    services.report_save(report=past, actor=world.staff["leader"], narrative={}, manual={}, signer_name="A")
    assert leader.post(f"/can-bo/bao-cao/{past.pk}/gui/").status_code == 303
    past.refresh_from_db()
    assert past.status == ReportStatus.SUBMITTED
    page = leader.get(f"/can-bo/bao-cao/{past.pk}/").content.decode()
    assert "Gửi muộn" in page and "<textarea" not in page  # submitted after 20/03/2026; no longer editable
