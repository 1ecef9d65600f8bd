"""End to end in headless Chromium: a department self-assesses and its leader submits; Home Affairs appraises
one criterion with a reason and publishes; the ranking shows the unit's index, and so does the public page.
axe checks each page."""

from __future__ import annotations

from typing import Any

import pytest

from cchc.parindex.models import ScoreEvent
from tests.dossiers.conftest import World
from tests.e2e.conftest import staff_sign_in
from tests.parindex.conftest import home_affairs, live_assessment, world  # noqa: F401 - fixtures used by name

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("default_766_rules"),
]


@pytest.fixture
def scene(world: World, live_assessment: Any, home_affairs: Any) -> tuple[World, Any, Any]:  # noqa: F811
    return world, live_assessment, home_affairs


def test_self_assessment_appraisal_and_ranking(
    scene: Any, live_server: Any, page: Any, axe: Any, shots: Any
) -> None:
    w, assessment, council = scene
    base = live_server.url
    unit_url = f"/can-bo/chi-so-cchc/{assessment.pk}/don-vi/{w.justice.pk}/"

    # The justice department's leader scores two criteria and submits.
    staff_sign_in(page, base, w.staff["leader"].username, "/can-bo/chi-so-cchc/")
    assert page.locator("h1").inner_text() == "Chỉ số cải cách hành chính"
    page.get_by_role("link", name=w.justice.name).click()
    page.wait_for_url(f"{base}{unit_url}")
    assert axe(page) == []
    page.get_by_label("Điểm 1.1.1").fill("3,5")
    page.get_by_label("Giải trình 1.1.1").fill("Kế hoạch số 12/KH-STP ban hành ngày 05/01")
    page.get_by_role("button", name="Lưu điểm 1.1.1").click()
    page.wait_for_url(f"{base}{unit_url}")
    assert "Đã lưu điểm tiêu chí 1.1.1." in page.locator(".messages").inner_text()
    page.get_by_label("Điểm 1.1.2").fill("2")
    page.get_by_role("button", name="Lưu điểm 1.1.2").click()
    page.wait_for_url(f"{base}{unit_url}")
    shots(page, "tu-danh-gia")
    page.get_by_role("button", name="Gửi kết quả tự đánh giá").click()
    page.wait_for_url(f"{base}{unit_url}")
    assert "Đã gửi, đang thẩm định" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Lưu điểm 1.1.1").count() == 0

    # Home Affairs lowers 1.1.1 with a reason, then publishes.
    staff_sign_in(page, base, council.username, unit_url)
    page.get_by_label("Điểm thẩm định 1.1.1").fill("3")
    page.get_by_label("Lý do 1.1.1").fill("Kế hoạch ban hành chậm 5 ngày")
    page.get_by_role("button", name="Ghi điểm thẩm định 1.1.1").click()
    page.wait_for_url(f"{base}{unit_url}")
    assert "Kế hoạch ban hành chậm 5 ngày" in page.locator("main").inner_text()
    shots(page, "tham-dinh")
    page.goto(f"{base}/can-bo/chi-so-cchc/{assessment.pk}/xep-hang/")
    assert axe(page) == []
    page.get_by_role("button", name="Công bố kết quả").click()
    page.wait_for_url(f"{base}/can-bo/chi-so-cchc/{assessment.pk}/xep-hang/")
    assert "Đã công bố kết quả Chỉ số CCHC." in page.locator(".messages").inner_text()

    # Justice: 1.1 = 3 + 2 = 5 of the 12 points outside the survey (1.2 is automatic, nothing resolved): 41,67.
    row = page.locator("tbody tr", has_text=w.justice.name)
    cells = row.locator("td")
    assert cells.nth(0).inner_text() == "1"
    assert cells.nth(3).inner_text() == "41,67"
    assert page.locator("svg[role=img] rect.point").count() == 2
    shots(page, "xep-hang")
    # Anyone reads the published results, without signing in.
    page.context.clear_cookies()
    page.goto(f"{base}/cong-khai/chi-so-cchc/")
    assert page.locator("h1").inner_text() == "Công khai kết quả Chỉ số cải cách hành chính"
    public_row = page.locator("tbody tr", has_text=w.justice.name)
    assert public_row.locator("td").nth(3).inner_text() == "41,67"
    assert axe(page) == []
    shots(page, "cong-khai")
    actions = list(
        ScoreEvent.objects.filter(unit_assessment__unit=w.justice).values_list("action", flat=True)
    )
    assert actions == ["open", "self_score", "self_score", "submit", "appraise", "publish"]
