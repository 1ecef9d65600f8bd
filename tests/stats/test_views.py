"""The staff statistics pages: who sees what, the drill-down links, bad input, and the XLSX read back."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook

from cchc.orgs.models import Membership
from cchc.orgs.roles import Role
from cchc.stats.exports import COLUMNS
from tests.stats.conftest import Q2_CONSTRUCTION, Q2_JUSTICE, Province

pytestmark = pytest.mark.django_db

Q2 = {"ky": "quarter", "nam": "2026", "so": "2", "nhom": "unit"}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _province_admin(province: Province) -> Any:
    user = get_user_model().objects.create_user("quantri.tinh", password="mat-khau-dai-2026")
    Membership.objects.create(user=user, unit=province.world.centre, role=Role.PROVINCE_ADMIN)
    return user


def test_anonymous_is_sent_to_login_and_a_user_without_role_is_refused(province: Province) -> None:
    response = Client().get("/can-bo/thong-ke/", Q2)
    assert response.status_code == 302 and "dang-nhap" in response["Location"]
    nobody = get_user_model().objects.create_user("khach", password="mat-khau-dai-2026")
    assert _client(nobody).get("/can-bo/thong-ke/", Q2).status_code == 403
    assert _client(nobody).get("/can-bo/thong-ke/thong-ke.xlsx", Q2).status_code == 403


def test_province_admin_sees_every_unit_and_the_total(province: Province) -> None:
    w = province.world
    page = _client(_province_admin(province)).get("/can-bo/thong-ke/", Q2).content.decode()
    assert w.justice.name in page and w.construction.name in page
    assert "Tổng cộng" in page
    # The unit's name drills down to its procedures; a figure opens its dossiers.
    assert f"donvi={w.justice.pk}" in page and "nhom=procedure" in page
    assert "/can-bo/thong-ke/ho-so/?" in page


def test_a_department_specialist_sees_only_their_unit(province: Province) -> None:
    w = province.world
    client = _client(w.staff["other_specialist"])  # Sở Xây dựng
    page = client.get("/can-bo/thong-ke/", Q2).content.decode()
    assert w.construction.name in page and w.justice.name not in page
    # Forging another unit's id in the drill-down gives 404, on every page.
    forged = {**Q2, "donvi": str(w.justice.pk)}
    assert client.get("/can-bo/thong-ke/", forged).status_code == 404
    assert client.get("/can-bo/thong-ke/ho-so/", {**forged, "chitieu": "received"}).status_code == 404
    assert client.get("/can-bo/thong-ke/thong-ke.xlsx", forged).status_code == 404


def test_the_list_behind_a_figure_links_to_the_dossier_pages(province: Province) -> None:
    w = province.world
    client = _client(_province_admin(province))
    response = client.get(
        "/can-bo/thong-ke/ho-so/", {**Q2, "chitieu": "pending_overdue", "donvi": str(w.justice.pk)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    b = province.dossiers["B"]
    assert f'href="/can-bo/ho-so/{b.code}/"' in page
    assert "Đang giải quyết quá hạn" in page
    assert page.count('href="/can-bo/ho-so/000.') == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"ky": "quarter", "nam": "2026", "so": "5", "nhom": "unit"}, "quý từ 1 đến 4"),
        ({"ky": "month", "nam": "2026", "nhom": "unit"}, "tháng từ 1 đến 12"),
        ({"ky": "decade", "nam": "2026", "nhom": "unit"}, "Hãy chọn một lựa chọn hợp lệ"),
        ({"ky": "year", "nam": "abc", "nhom": "unit"}, "Nhập một số"),
        ({"ky": "year", "nam": "1990", "nhom": "unit"}, "2000"),
    ],
)
def test_bad_period_gives_a_vietnamese_message_not_a_500(
    province: Province, query: dict[str, str], message: str
) -> None:
    response = _client(_province_admin(province)).get("/can-bo/thong-ke/", query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_forged_figure_or_filter_is_refused(province: Province) -> None:
    client = _client(_province_admin(province))
    assert client.get("/can-bo/thong-ke/ho-so/", {**Q2, "chitieu": "salaries"}).status_code == 400
    assert client.get("/can-bo/thong-ke/", {**Q2, "donvi": "x"}).status_code == 400


def test_the_report_quarter_and_the_default_period_render(province: Province) -> None:
    client = _client(_province_admin(province))
    response = client.get(
        "/can-bo/thong-ke/", {"ky": "report_quarter", "nam": "2026", "so": "2", "nhom": "field"}
    )
    assert response.status_code == 200
    assert "15/03/2026 – 14/06/2026" in response.content.decode()
    assert client.get("/can-bo/thong-ke/").status_code == 200


def test_xlsx_reads_back_with_the_hand_counted_figures(province: Province) -> None:
    w = province.world
    response = _client(_province_admin(province)).get("/can-bo/thong-ke/thong-ke.xlsx", Q2)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="thong-ke-20260401-20260630.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert "Quý 2/2026" in str(values[1][0])
    header = values[2]
    assert header[0] == "Theo đơn vị"
    lines = {row[0]: dict(zip(COLUMNS, row[1:], strict=True)) for row in values[3:]}
    for unit, expected in ((w.justice.name, Q2_JUSTICE), (w.construction.name, Q2_CONSTRUCTION)):
        for figure, count in expected.items():
            assert lines[unit][figure] == count, (unit, figure)
    assert lines["Tổng cộng"]["received"] == 13
    assert lines["Tổng cộng"]["resolved"] == 6
    assert lines["Tổng cộng"]["pending"] == 4
