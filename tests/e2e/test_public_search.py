"""End to end in headless Chromium: a citizen searches without accents and opens the procedure."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

import cchc

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROCEDURES = Path(cchc.__file__).parent / "catalog" / "data" / "procedures.json"


@pytest.fixture
def catalog() -> None:
    call_command("import_procedures", str(PROCEDURES), publish=True, verbosity=0)


def test_search_giay_phep_xay_dung_and_open_the_result(catalog, live_server, page) -> None:
    page.goto(live_server.url + "/")
    assert page.title().startswith("Tra cứu thủ tục hành chính")
    # The stylesheet is served and applied (the header carries the brand colour).
    assert page.evaluate("getComputedStyle(document.querySelector('header.site')).backgroundColor") == (
        "rgb(164, 22, 26)"
    )
    page.get_by_label("Tên hoặc mã thủ tục").fill("giay phep xay dung")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_url("**/thu-tuc/?q=giay+phep+xay+dung*")
    results = page.locator("ol.results > li > a")
    assert results.count() >= 1
    first_name = results.first.inner_text()
    assert "giấy phép xây dựng" in first_name.lower()
    results.first.click()
    page.wait_for_url("**/thu-tuc/*/")
    assert page.locator("h1").inner_text() == first_name
    # The 7 parts that must be published (Decree 63/2010 Art. 8(2)) each have their heading.
    for heading in (
        "Trình tự thực hiện",
        "Cách thức thực hiện",
        "Thành phần, số lượng hồ sơ",
        "Thời hạn giải quyết",
        "Đối tượng thực hiện",
        "Cơ quan thực hiện",
    ):
        assert page.locator("dl.parts dt", has_text=heading).count() == 1
    # The page sends a Content-Security-Policy and loads no inline script.
    assert page.evaluate("document.scripts.length") == 0
