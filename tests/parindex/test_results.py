"""Published results: frozen at publication, compared with the previous year, exported to XLSX, public."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from cchc.parindex.models import Assessment, Score
from cchc.parindex.selectors import ranking
from tests.dossiers.conftest import World
from tests.parindex.conftest import publish_year

pytestmark = pytest.mark.django_db
D = Decimal


def test_results_are_frozen_and_compared_with_the_previous_year(world: World, home_affairs: Any) -> None:
    publish_year(world, home_affairs, 2025, {"1.1.1": "2", "1.1.2": "1"})  # 3 / 12 = 25,00
    current = publish_year(
        world, home_affairs, 2026, {"1.1.1": "4", "1.1.2": "2", "2.1.2": "2"}
    )  # 8 / 12 = 66,67
    justice, construction = ranking(current)
    assert (justice.unit, justice.index, justice.previous, justice.change) == (
        world.justice, D("66.67"), D("25.00"), D("41.67")
    )  # fmt: skip
    assert (construction.index, construction.change, construction.rank) == (0, 0, 2)
    # Published means frozen: a later change of the data does not move the published index.
    Score.objects.filter(criterion__criteria_set=current.criteria_set).update(self_points=0)
    assert ranking(Assessment.objects.get(pk=current.pk))[0].index == D("66.67")


def test_the_province_summary_reads_back(world: World, home_affairs: Any) -> None:
    current = publish_year(world, home_affairs, 2026, {"1.1.1": "4", "1.1.2": "2", "2.1.2": "2"})
    response = _client(home_affairs).get(f"/can-bo/chi-so-cchc/{current.pk}/tong-hop.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Xếp hạng"]
    assert [cell.value for cell in sheet[2]][:6] == [
        "Hạng",
        "Đơn vị",
        "Điểm đạt",
        "Điểm tối đa",
        "Chỉ số (%)",
        "Xếp loại",
    ]
    assert [cell.value for cell in sheet[3]][:6] == [1, world.justice.name, 8, 12, 66.67, "Dưới 70%"]
    areas = book["Điểm theo lĩnh vực"]
    assert areas["B1"].value == "1. Công tác chỉ đạo, điều hành (10.00)"
    assert [areas["A2"].value, areas["B2"].value, areas["C2"].value] == [world.justice.name, 6, 2]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_public_page_shows_only_published_results(
    world: World, home_affairs: Any, assessment: Assessment
) -> None:
    page = Client().get("/cong-khai/chi-so-cchc/")
    assert (
        page.status_code == 200 and "Chưa có kết quả Chỉ số CCHC nào được công bố." in page.content.decode()
    )
    assert Client().get(f"/cong-khai/chi-so-cchc/?dot={assessment.pk}").status_code == 404
    published = publish_year(world, home_affairs, 2025, {"1.1.1": "2"})
    body = Client().get("/cong-khai/chi-so-cchc/").content.decode()
    assert world.justice.name in body and "16,67" in body
    assert f"/can-bo/chi-so-cchc/{published.pk}/don-vi/" not in body  # no links into staff pages
    assert Client().get("/cong-khai/chi-so-cchc/?dot=abc").status_code == 404


def test_the_scorecard_pdf_shows_the_areas_and_the_points_lost(world: World, home_affairs: Any) -> None:
    current = publish_year(world, home_affairs, 2026, {"1.1.1": "4", "1.1.2": "1", "2.1.2": "2"})
    score = Score.objects.get(criterion__criteria_set=current.criteria_set, criterion__code="1.1.2")
    Score.objects.filter(pk=score.pk).update(appraisal_reason="Báo cáo quý IV nộp chậm")
    response = _client(world.staff["leader"]).get(
        f"/can-bo/chi-so-cchc/{current.pk}/don-vi/{world.justice.pk}/phieu-ket-qua.pdf"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "PHIẾU KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2026" in text.upper()
    assert world.justice.name in text
    assert "58,33%" in text  # 7 / 12
    assert (
        "Công tác chỉ đạo, điều hành 5,00 10,00 5,00" in text
    )  # 1.1 = 4 + 1; 1.2 automatic, nothing resolved
    assert "Tác động của CCHC 2,00 2,00 0,00" in text  # no survey yet: its 4 points are out of the maximum
    assert "Thử, ngày 20 tháng 12 năm 2026" in text and "Tỉnh Thử, ngày" not in text
    assert "Mức độ thực hiện kế hoạch 1,00 / 2,00 Báo cáo quý IV nộp chậm" in text
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn 0,00 / 4,00 Chưa được chấm" in text
    other = _client(world.staff["other_leader"]).get(
        f"/can-bo/chi-so-cchc/{current.pk}/don-vi/{world.justice.pk}/phieu-ket-qua.pdf"
    )
    assert other.status_code == 200  # published: every unit's results are public
