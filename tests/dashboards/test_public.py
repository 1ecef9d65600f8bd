"""The public transparency page and its open data: figures by hand (see conftest), no personal data, cached."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.test import Client

from cchc.dossiers.models import Party
from cchc.serviceindex.selectors import index_compute_all, scored_units
from tests.dashboards.conftest import MARCH_QUERY, March, make_march


def _row(html: str, unit_id: int) -> list[str]:
    row = re.search(rf'<tr id="unit-{unit_id}">(.*?)</tr>', html, re.S)
    assert row
    return [
        re.sub(r"<.*?>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(1), re.S)
    ]


def _scores() -> dict[int | None, float]:
    results, _ = index_compute_all(units=scored_units(), start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    return {r.unit_id: float(r.total) for r in results}


def test_page_shows_each_unit_without_login(march: March) -> None:
    response = Client().get("/cong-khai/" + MARCH_QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    w = march.world
    scores = _scores()
    justice = f"{scores[w.justice.pk]:.2f}".replace(".", ",")
    construction = f"{scores[w.construction.pk]:.2f}".replace(".", ",")
    assert _row(html, w.justice.pk) == [w.justice.name, "50,0% (1/2)", "33,3% (1/3)", "100,0% (1/1)", justice]
    assert _row(html, w.construction.pk) == [
        w.construction.name,
        "100,0% (1/1)",
        "0,0% (0/1)",
        "0,0% (0/1)",
        construction,
    ]
    # The one-stop centre receives but is not scored: not listed.
    assert w.centre.name not in html
    assert 'href="/phan-anh/"' in html
    assert 'href="/cong-khai/du-lieu.csv?ky=month&amp;nam=2026&amp;so=3"' in html


def test_json_parses_back_with_the_same_figures(march: March) -> None:
    response = Client().get("/cong-khai/du-lieu.json" + MARCH_QUERY)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["ky"]["loai"] == "month" and body["ky"]["so"] == 3
    units = {u["ma_don_vi"]: u for u in body["don_vi"]}
    w = march.world
    justice = units[w.justice.pk]
    assert (justice["ho_so_giai_quyet"], justice["ho_so_dung_han"], justice["ty_le_dung_han"]) == (2, 1, 0.5)
    assert (justice["ho_so_moi"], justice["ho_so_truc_tuyen"], justice["ty_le_truc_tuyen"]) == (3, 1, 0.3333)
    assert (justice["luot_danh_gia"], justice["luot_hai_long"], justice["ty_le_hai_long"]) == (1, 1, 1.0)
    assert justice["diem_766"] == _scores()[w.justice.pk]
    assert units[w.construction.pk]["ty_le_hai_long"] == 0.0
    assert set(units) == {w.justice.pk, w.construction.pk}


def test_csv_parses_back_with_the_same_figures(march: March) -> None:
    response = Client().get("/cong-khai/du-lieu.csv" + MARCH_QUERY)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    w = march.world
    by_unit = {int(r["ma_don_vi"]): r for r in rows}
    assert by_unit[w.justice.pk]["ty_le_dung_han"] == "0.5"
    assert by_unit[w.justice.pk]["don_vi"] == w.justice.name
    assert by_unit[w.construction.pk]["ho_so_moi"] == "1"
    assert by_unit[w.construction.pk]["ty_le_dung_han"] == "1.0"


def test_a_unit_without_dossiers_has_no_rates(march: March) -> None:
    body = json.loads(Client().get("/cong-khai/du-lieu.json?ky=month&nam=2026&so=1").content)
    for unit in body["don_vi"]:
        assert unit["ty_le_dung_han"] is None and unit["ty_le_truc_tuyen"] is None
        assert unit["ho_so_moi"] == 0
    rows = list(csv.DictReader(io.StringIO(Client().get("/cong-khai/du-lieu.csv?ky=month&nam=2026&so=1")
                                          .content.decode("utf-8-sig"))))  # fmt: skip
    assert {r["ty_le_dung_han"] for r in rows} == {""}


def test_no_personal_data_anywhere(march: March) -> None:
    client = Client()
    outputs = [
        client.get(url + MARCH_QUERY).content.decode("utf-8-sig")
        for url in ("/cong-khai/", "/cong-khai/du-lieu.csv", "/cong-khai/du-lieu.json")
    ]
    applicants = list(Party.objects.values_list("full_name", "id_number", "phone"))
    assert applicants  # the fixture's dossiers have an applicant with name, ID number and phone
    for output in outputs:
        for name, id_number, phone in applicants:
            assert name not in output
            assert id_number not in output
            assert phone not in output
        assert march.a.code not in output  # no dossier codes either
        assert not re.search(r"\b0\d{9}\b", output)  # no phone number
        assert not re.search(r"\b\d{12}\b", output)  # no ID (CCCD) number


@pytest.mark.parametrize("url", ["/cong-khai/", "/cong-khai/du-lieu.csv", "/cong-khai/du-lieu.json"])
def test_bad_period_is_400_in_vietnamese(db: None, url: str) -> None:
    response = Client().get(url + "?ky=thang&nam=2026&so=3")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Loại kỳ không hợp lệ" in text
    if url != "/cong-khai/":
        assert response["Content-Type"] == "application/problem+json"
        assert json.loads(text)["detail"] == "Loại kỳ không hợp lệ: chọn tháng, quý hoặc năm."


def test_a_future_period_is_refused(db: None) -> None:
    response = Client().get(f"/cong-khai/du-lieu.json?ky=year&nam={dt.date.today().year + 1}")
    assert response.status_code == 400
    assert "chưa bắt đầu" in json.loads(response.content)["detail"]


def test_public_figures_are_cached_per_period(world: object) -> None:
    client = Client()
    before = json.loads(client.get("/cong-khai/du-lieu.json" + MARCH_QUERY).content)
    assert all(u["ho_so_moi"] == 0 for u in before["don_vi"])
    make_march(world)  # type: ignore[arg-type]
    cached = json.loads(client.get("/cong-khai/du-lieu.json" + MARCH_QUERY).content)
    assert cached == before  # within 10 minutes the same figures
    other = json.loads(client.get("/cong-khai/du-lieu.json?ky=quarter&nam=2026&so=1").content)
    assert sum(u["ho_so_moi"] for u in other["don_vi"]) == 4  # another period is computed afresh
