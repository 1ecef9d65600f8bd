"""The staff dashboard: figures by hand (see conftest), equal to the selectors', scoped, charts well formed."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cchc.serviceindex.selectors import index_compute_all, scored_units
from tests.dashboards.conftest import MARCH_QUERY, March

URL = "/can-bo/bang-dieu-khien/"
SVG = "{http://www.w3.org/2000/svg}"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _admin() -> Any:
    return get_user_model().objects.create_superuser("quantri", password="mat-khau-dai-2026")


def _svgs(html: str) -> dict[str, ET.Element]:
    charts = {}
    for match in re.finditer(r"<svg .*?</svg>", html, re.S):
        element = ET.fromstring(match.group(0))  # noqa: S314 - our page; well-formed XML, or this raises
        charts[element.attrib["id"]] = element
    return charts


def _points(svg: ET.Element) -> list[str]:
    return [
        rect.findtext(f"{SVG}title") or ""
        for rect in svg.iter(f"{SVG}rect")
        if rect.attrib.get("class") == "point"
    ]


def _table(html: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table id="{table_id}">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert body, table_id
    rows = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    return [[re.sub(r"<.*?>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in rows]  # fmt: skip


def test_figures_of_march_for_every_unit(march: March) -> None:
    response = _client(_admin()).get(URL + MARCH_QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    w = march.world
    assert _table(html, "table-months") == [["03/2026", "3", "2", "66,7%"]]
    assert _table(html, "table-on-time") == [
        ["1", w.construction.name, "1", "1", "100,0%"],
        ["2", w.justice.name, "2", "1", "50,0%"],
    ]
    assert _table(html, "table-channels") == [
        ["Trực tiếp", "2", "50,0%"],
        ["Trực tuyến", "1", "25,0%"],
        ["Bưu chính công ích", "1", "25,0%"],
    ]
    assert _table(html, "table-satisfaction") == [
        ["Rất hài lòng", "1", "50,0%"],
        ["Hài lòng", "0", "0,0%"],
        ["Không hài lòng", "1", "50,0%"],
    ]
    assert _table(html, "table-overdue") == [[w.justice.name, "1"], [w.construction.name, "0"]]
    # The 766 ranking is the index selector's, in its order and with its totals.
    results, pooled = index_compute_all(
        units=scored_units(), start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)
    )
    assert _table(html, "table-score") == [
        [str(n), r.unit_name, f"{r.total:.2f}".replace(".", ",")] for n, r in enumerate(results, 1)
    ]
    # No fee was charged: no online payment rate. No component was scanned: 0 of 4 dossiers digitised.
    assert _table(html, "table-digital") == [
        ["Hồ sơ có phí được thanh toán trực tuyến", "—"],
        ["Hồ sơ được số hóa đầy đủ thành phần", "0,0%"],
    ]
    digitised = next(c for c in pooled.components if c.group == "digitisation" and c.rate is not None)
    assert digitised.rate == 0


def test_every_chart_is_well_formed_svg_with_one_point_per_datum(march: March) -> None:
    html = _client(_admin()).get(URL + "?ky=quarter&nam=2026&so=1").content.decode()
    charts = _svgs(html)
    assert set(charts) == {
        "chart-months", "chart-score", "chart-on-time", "chart-channels", "chart-satisfaction", "chart-overdue",
    }  # fmt: skip
    for chart in charts.values():
        assert chart.attrib["role"] == "img" and chart.attrib["aria-label"]
        assert chart.findtext(f"{SVG}title") == chart.attrib["aria-label"]
        assert "style" not in ET.tostring(chart, encoding="unicode")
    # Quarter 1: January and February have nothing resolved, March 2 on time of 3.
    assert _points(charts["chart-months"]) == ["01/2026: —", "02/2026: —", "03/2026: 66,7%"]
    assert len(_points(charts["chart-score"])) == 2
    assert _points(charts["chart-channels"]) == [
        "Trực tiếp: 2 (50,0%)", "Trực tuyến: 1 (25,0%)", "Bưu chính công ích: 1 (25,0%)",
    ]  # fmt: skip
    assert len(_points(charts["chart-satisfaction"])) == 3
    w = march.world
    assert _points(charts["chart-overdue"]) == [f"{w.justice.name}: 1", f"{w.construction.name}: 0"]
    # Each chart is followed by its table.
    for chart_id, table_id in (("chart-months", "table-months"), ("chart-overdue", "table-overdue")):
        assert html.index(f'id="{chart_id}"') < html.index(f'id="{table_id}"')
    assert "dashboards/dashboards.css" in html


def test_a_year_has_twelve_month_points(march: March) -> None:
    html = _client(_admin()).get(URL + "?ky=year&nam=2026").content.decode()
    assert len(_points(_svgs(html)["chart-months"])) == 12


def test_a_leader_sees_only_their_unit(march: March) -> None:
    html = _client(march.world.staff["leader"]).get(URL + MARCH_QUERY).content.decode()
    w = march.world
    assert _table(html, "table-score")[0][1] == w.justice.name and len(_table(html, "table-score")) == 1
    assert w.construction.name not in html
    assert _table(html, "table-months") == [["03/2026", "2", "1", "50,0%"]]
    assert _table(html, "table-channels") == [
        ["Trực tiếp", "1", "33,3%"], ["Trực tuyến", "1", "33,3%"], ["Bưu chính công ích", "1", "33,3%"],
    ]  # fmt: skip
    assert _table(html, "table-satisfaction")[2] == ["Không hài lòng", "0", "0,0%"]


def test_the_centre_sees_no_scored_unit(march: March) -> None:
    html = _client(march.world.staff["reception"]).get(URL + MARCH_QUERY).content.decode()
    assert "Không có đơn vị nào trong phạm vi của bạn." in html
    assert march.world.justice.name not in html


@pytest.mark.parametrize(
    "query",
    [
        "?ky=week&nam=2026&so=3",
        "?ky=month&nam=2026&so=13",
        "?ky=month&nam=abc&so=3",
        "?ky=quarter&nam=1990&so=1",
    ],
)
def test_bad_period_is_400_in_vietnamese(march: March, query: str) -> None:
    response = _client(_admin()).get(URL + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert re.search(r"không hợp lệ|phải", html)
    assert "<svg" not in html


def test_anonymous_goes_to_login_and_a_user_without_role_is_refused(db: None) -> None:
    response = Client().get(URL)
    assert response.status_code == 302 and "/can-bo/dang-nhap/" in response["Location"]
    nobody = get_user_model().objects.create_user("khongvaitro", password="mat-khau-dai-2026")
    assert _client(nobody).get(URL).status_code == 403


def test_no_period_is_the_current_quarter(db: None) -> None:
    response = _client(_admin()).get(URL)
    assert response.status_code == 200
    assert re.search(r"Quý [1-4]/20\d\d", response.content.decode())
