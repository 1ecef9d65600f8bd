"""The staff pages of the 766 index: scope, period choice, the unit page, the XLSX export."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook

from cchc.orgs.models import Membership
from cchc.orgs.roles import Role
from cchc.serviceindex.models import IndexComponent, IndexVersion
from tests.dossiers.conftest import World, at
from tests.serviceindex.conftest import receive, resolve

MARCH = "?ky=month&nam=2026&so=3"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def home_affairs(world: World) -> Any:
    user = get_user_model().objects.create_user("noivu", password="mat-khau-dai-2026")
    Membership.objects.create(user=user, unit=world.centre, role=Role.HOME_AFFAIRS)
    return user


def test_anonymous_is_sent_to_the_login(world: World) -> None:
    response = Client().get("/can-bo/chi-so-766/")
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_a_leader_sees_only_the_units_in_scope(world: World) -> None:
    client = _client(world.staff["leader"])
    page = client.get(f"/can-bo/chi-so-766/{MARCH}").content.decode()
    assert world.justice.name in page and world.construction.name not in page
    assert "Tháng 3/2026" in page
    assert client.get(f"/can-bo/chi-so-766/don-vi/{world.construction.pk}/{MARCH}").status_code == 404
    assert client.get("/can-bo/chi-so-766/toan-tinh/").status_code == 404


def test_unit_page_shows_formula_inputs_and_points(world: World) -> None:
    resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 10, 15))
    page = _client(world.staff["leader"]).get(f"/can-bo/chi-so-766/don-vi/{world.justice.pk}/{MARCH}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "20 × r" in text and "100,00%" in text and "<strong>20,00</strong> / 20,00" in text
    assert "Chưa có dữ liệu: nền tảng chưa ghi ngày công bố thủ tục" in text
    # The national portal never took its status: received 1, synced in real time 0.
    assert "Hồ sơ được Cổng DVCQG nhận mọi trạng thái trong 30 phút" in text
    assert "min(6; 6 × r / 0,9)" in text


def test_a_bad_period_is_a_clear_400(world: World) -> None:
    response = _client(world.staff["leader"]).get("/can-bo/chi-so-766/?ky=tuan&nam=2026&so=3")
    assert response.status_code == 400
    assert "Kỳ đánh giá không hợp lệ" in response.content.decode()
    assert _client(world.staff["leader"]).get("/can-bo/chi-so-766/?ky=month&nam=abc&so=13").status_code == 400


def test_home_affairs_sees_the_province_and_exports(world: World, home_affairs: Any) -> None:
    resolve(world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 10, 15))
    client = _client(home_affairs)
    page = client.get(f"/can-bo/chi-so-766/{MARCH}").content.decode()
    assert world.construction.name in page and world.justice.name in page
    assert world.centre.name not in page  # a reception centre is not scored
    assert client.get(f"/can-bo/chi-so-766/toan-tinh/{MARCH}").status_code == 200
    response = client.get(f"/can-bo/chi-so-766/xuat.xlsx{MARCH}")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    ranking = [row for row in book["Xếp hạng"].iter_rows(values_only=True)]
    # Justice: progress 20 + dossier satisfaction 6 (1 − 0/1) + the two feedback rows 12 = 38.
    assert ranking[2][1] == world.justice.name and ranking[2][-2] == 38.0
    # Construction, without dossiers: the feedback rows only; then the province, unranked.
    assert ranking[3][1] == world.construction.name and ranking[3][-2] == 12.0
    assert ranking[4][0] is None and ranking[4][1] == "Toàn tỉnh"
    detail = [row for row in book["Chi tiết"].iter_rows(values_only=True)]
    assert detail[1][:2] == (world.justice.name, "1.1") and len(detail) == 1 + 3 * 17


def test_without_any_rules_the_pages_say_so_instead_of_failing(world: World, home_affairs: Any) -> None:
    IndexComponent.objects.all().delete()
    IndexVersion.objects.all().delete()
    client = _client(home_affairs)
    for url in ("/can-bo/chi-so-766/", "/can-bo/bang-dieu-khien/", "/cong-khai/"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert "Chưa có bộ tiêu chí Chỉ số 766" in response.content.decode(), url
