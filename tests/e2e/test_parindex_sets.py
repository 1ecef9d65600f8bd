"""End to end in headless Chromium: Home Affairs imports a criteria set (first with an error, shown by row), then
opens the year's assessment for the departments. axe checks the page."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.dossiers.conftest import World
from tests.parindex.conftest import as_json, document, home_affairs, world  # noqa: F401 - fixtures used by name
from tests.parindex.test_survey import DEFINITION, _answers, _xlsx

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("default_766_rules"),
]


@pytest.fixture
def scene(world: World, home_affairs: Any) -> tuple[World, Any]:  # noqa: F811
    return world, home_affairs


def test_home_affairs_imports_a_set_and_opens_the_year(
    scene: Any, live_server: Any, page: Any, axe: Any, shots: Any, tmp_path: Path
) -> None:
    _world, council = scene
    base = live_server.url
    bad = document()
    bad["criteria"][5]["metric"] = "khong_co"
    bad_file, good_file = tmp_path / "bo-loi.json", tmp_path / "bo.json"
    bad_file.write_bytes(as_json(bad))
    good_file.write_bytes(as_json(document()))
    survey_file, answers_file = tmp_path / "khao-sat.json", tmp_path / "ket-qua.xlsx"
    survey_file.write_bytes(json.dumps(DEFINITION, ensure_ascii=False).encode())
    answers_file.write_bytes(_xlsx(_answers(_world)))

    page.goto(f"{base}/can-bo/dang-nhap/?next=/can-bo/chi-so-cchc/bo-tieu-chi/")
    page.get_by_label("Tên đăng nhập").fill(council.username)
    page.get_by_label("Mật khẩu").fill("mat-khau-dai-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/can-bo/chi-so-cchc/bo-tieu-chi/")
    assert axe(page) == []

    page.get_by_label("Tệp bộ tiêu chí (.xlsx hoặc .json)").set_input_files(str(bad_file))
    page.get_by_role("button", name="Nhập bộ tiêu chí").click()
    assert (
        "criteria, dòng 6, cột Chỉ số tự động: Không có chỉ số “khong_co”"
        in page.locator(".errors").inner_text()
    )
    shots(page, "loi-theo-dong")

    page.get_by_label("Tệp bộ tiêu chí (.xlsx hoặc .json)").set_input_files(str(good_file))
    page.get_by_role("button", name="Nhập bộ tiêu chí").click()
    page.wait_for_url(f"{base}/can-bo/chi-so-cchc/bo-tieu-chi/")
    assert "Đã nhập bộ tiêu chí" in page.locator(".messages").inner_text()
    due = timezone.localdate() + dt.timedelta(days=365)
    page.get_by_label("Hạn tự đánh giá 2026").fill(due.strftime("%d/%m/%Y"))
    page.get_by_label("Hạn thẩm định 2026").fill((due + dt.timedelta(days=15)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Mở đợt đánh giá 2026").click()
    page.wait_for_url("**/xep-hang/")
    assert "Đã mở đợt đánh giá cho 2 đơn vị." in page.locator(".messages").inner_text()
    assert page.locator("tbody tr").count() == 2
    shots(page, "mo-dot")

    # The year's survey: the questionnaire and the answers, then the page says where survey points come from.
    page.get_by_label("Bộ câu hỏi khảo sát (.json)").set_input_files(str(survey_file))
    page.get_by_label("Kết quả trả lời tổng hợp theo đơn vị và câu hỏi (.xlsx)").set_input_files(
        str(answers_file)
    )
    page.get_by_role("button", name="Nhập kết quả khảo sát").click()
    page.wait_for_url("**/xep-hang/")
    assert "Đã nhập kết quả khảo sát: 3 dòng." in page.locator(".messages").inner_text()
    assert "Khảo sát sự hài lòng 2026" in page.locator("main").inner_text()
    assert axe(page) == []
