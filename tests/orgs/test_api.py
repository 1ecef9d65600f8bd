"""The public units API, /api/v1/units/ (cchc.orgs.api)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from cchc.orgs.models import AdministrativeUnit, Generation, Level, Unit
from cchc.orgs.services import LoadReport

pytestmark = pytest.mark.django_db

BASE = "/api/v1/units"


def _json(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.content
    return response.json()


def test_lists_the_34_current_provinces(client: Client, loaded_units: LoadReport) -> None:
    body = _json(client, f"{BASE}/administrative?level=province&limit=100")
    assert body["count"] == 34
    assert {item["generation"] for item in body["items"]} == {"current"}
    assert any(item["code"] == 91 and item["name"] == "Tỉnh An Giang" for item in body["items"])


def test_lists_legacy_districts_of_a_province(client: Client, loaded_units: LoadReport) -> None:
    body = _json(client, f"{BASE}/administrative?generation=legacy&level=district&province=89&limit=100")
    assert body["count"] == 11  # the 11 districts of the former An Giang (code 89)
    assert all(item["province_code"] == 89 and item["valid_to"] == "2025-06-30" for item in body["items"])


def test_filters_communes_by_province(client: Client, loaded_units: LoadReport) -> None:
    body = _json(client, f"{BASE}/administrative?level=commune&province=91&limit=1")
    assert body["count"] == 102
    assert len(body["items"]) == 1
    assert body["items"][0]["parent_code"] == 91


@pytest.mark.parametrize("query", ["long xuyen", "Long Xuyên", "LONG XUYEN", "phuong long xuyen"])
def test_name_search_ignores_accents_and_case(client: Client, loaded_units: LoadReport, query: str) -> None:
    body = _json(client, f"{BASE}/administrative?province=91&q={query}")
    assert [item["code"] for item in body["items"]] == [30307]


def test_pages_do_not_overlap(client: Client, loaded_units: LoadReport) -> None:
    first = _json(client, f"{BASE}/administrative?level=commune&limit=10&offset=0")
    second = _json(client, f"{BASE}/administrative?level=commune&limit=10&offset=10")
    assert first["count"] == second["count"] == 3321
    assert len(first["items"]) == len(second["items"]) == 10
    assert not {i["code"] for i in first["items"]} & {i["code"] for i in second["items"]}


def test_legacy_unit_shows_its_successor(client: Client, loaded_units: LoadReport) -> None:
    body = _json(client, f"{BASE}/administrative/legacy/province/77")
    assert body["name"] == "Tỉnh Bà Rịa - Vũng Tàu"
    assert body["successors"] == [
        {
            "unit": {
                "code": 79,
                "name": "Thành phố Hồ Chí Minh",
                "level": "province",
                "generation": "current",
            },
            "partly": False,
        }
    ]
    assert body["predecessors"] == []


def test_current_unit_shows_its_predecessors(client: Client, loaded_units: LoadReport) -> None:
    body = _json(client, f"{BASE}/administrative/current/province/79")
    assert [p["unit"]["code"] for p in body["predecessors"]] == [74, 77, 79]
    assert body["successors"] == []


def test_current_commune_detail_has_its_parent(client: Client, loaded_units: LoadReport) -> None:
    body = _json(client, f"{BASE}/administrative/current/commune/30307")
    assert body["parent"]["name"] == "Tỉnh An Giang"
    assert body["division_type"] == "phường"
    assert body["predecessors"]


def test_unknown_code_is_a_404_problem_in_vietnamese(client: Client, loaded_units: LoadReport) -> None:
    response = client.get(f"{BASE}/administrative/current/province/999")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert "Không tìm thấy đơn vị hành chính mã 999" in response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/administrative?level=huyen",
        "/administrative?generation=old",
        "/administrative?limit=0",
        "/administrative?limit=100000",
        "/administrative?offset=-1",
        "/administrative?province=abc",
        "/administrative?q=" + "x" * 101,
        "/administrative/old/province/77",
        "/administrative/current/ward/1",
        "/administrative/current/province/abc",
        "/agencies?kind=ministry",
        "/agencies?province=x",
    ],
)
def test_bad_parameters_are_a_422_problem(client: Client, url: str) -> None:
    response = client.get(BASE + url)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Tham số không hợp lệ."


def _agency(name: str, kind: str, area: AdministrativeUnit, identifier: str, **extra: Any) -> Unit:
    return Unit.objects.create(name=name, kind=kind, area=area, identifier=identifier, **extra)


def test_agencies_by_province_and_kind(client: Client, loaded_units: LoadReport) -> None:
    an_giang = AdministrativeUnit.objects.get(generation=Generation.CURRENT, level=Level.PROVINCE, code=91)
    long_xuyen = AdministrativeUnit.objects.get(
        generation=Generation.CURRENT, level=Level.COMMUNE, code=30307
    )
    hanoi = AdministrativeUnit.objects.get(generation=Generation.CURRENT, level=Level.PROVINCE, code=1)
    committee = _agency("Ủy ban nhân dân tỉnh An Giang", "province_committee", an_giang, "000.00.00.H91")
    _agency("Sở Tư pháp tỉnh An Giang", "department", an_giang, "000.00.03.H91", parent=committee)
    _agency("UBND phường Long Xuyên", "commune_committee", long_xuyen, "000.01.30.H91", parent=committee)
    _agency("Sở Tư pháp Hà Nội", "department", hanoi, "000.00.03.H01")
    _agency("Sở đã giải thể", "department", an_giang, "000.00.99.H91", valid_to=dt.date(2025, 6, 30))

    body = _json(client, f"{BASE}/agencies?province=91")
    assert body["count"] == 3
    assert {i["name"] for i in body["items"]} == {
        "Ủy ban nhân dân tỉnh An Giang",
        "Sở Tư pháp tỉnh An Giang",
        "UBND phường Long Xuyên",
    }
    departments = _json(client, f"{BASE}/agencies?province=91&kind=department")["items"]
    assert len(departments) == 1
    assert departments[0]["identifier"] == "000.00.03.H91"
    assert departments[0]["kind_label"] == "Sở, ban, ngành"
    assert departments[0]["parent_name"] == "Ủy ban nhân dân tỉnh An Giang"
    assert departments[0]["area"] == {
        "code": 91,
        "name": "Tỉnh An Giang",
        "level": "province",
        "generation": "current",
    }


def test_openapi_documents_the_unit_endpoints(client: Client) -> None:
    spec = _json(client, "/api/v1/openapi.json")
    assert "/api/v1/units/administrative" in spec["paths"]
    assert "/api/v1/units/administrative/{generation}/{level}/{code}" in spec["paths"]
    assert "/api/v1/units/agencies" in spec["paths"]


@pytest.mark.parametrize("path", ["/api/v1/units/administrative", "/api/v1/units/agencies"])
def test_a_huge_offset_is_a_422_not_a_500(client, path) -> None:
    response = client.get(path, {"offset": "99999999999999999999"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
