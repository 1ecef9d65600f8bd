"""Home Affairs' criteria sets page: import with row errors, download, open an assessment for the audience's
units; nobody else may use it."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from cchc.parindex.exchange import read_json, write_xlsx
from cchc.parindex.models import Assessment, CriteriaSet
from cchc.parindex.services import criteria_set_import
from tests.dossiers.conftest import World
from tests.parindex.conftest import as_json, document

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_only_home_affairs_manages_the_sets(world: World) -> None:
    leader = _client(world.staff["leader"])
    assert leader.get("/can-bo/chi-so-cchc/bo-tieu-chi/").status_code == 403
    upload = SimpleUploadedFile("bo.json", as_json(document()))
    assert leader.post("/can-bo/chi-so-cchc/bo-tieu-chi/nhap/", {"tep": upload}).status_code == 403
    assert not CriteriaSet.objects.exists()


def test_import_shows_row_errors_and_then_saves(world: World, home_affairs: Any) -> None:
    council = _client(home_affairs)
    bad = document()
    bad["criteria"][1]["max_points"] = "7"
    response = council.post(
        "/can-bo/chi-so-cchc/bo-tieu-chi/nhap/", {"tep": SimpleUploadedFile("bo.json", as_json(bad))}
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "criteria, dòng 1, cột Điểm tối đa: Tổng điểm tối đa của các tiêu chí con (11.00) khác" in body
    assert not CriteriaSet.objects.exists()
    assert council.post("/can-bo/chi-so-cchc/bo-tieu-chi/nhap/", {}).status_code == 400
    not_a_set = council.post(
        "/can-bo/chi-so-cchc/bo-tieu-chi/nhap/", {"tep": SimpleUploadedFile("bo.csv", b"a,b")}
    )
    assert not_a_set.status_code == 400 and "Chỉ nhận tệp .json hoặc .xlsx" in not_a_set.content.decode()
    # An XLSX made by the export imports as it was.
    content = write_xlsx(criteria_set_import(read_json(as_json(document()))))
    CriteriaSet.objects.all().delete()
    ok = council.post(
        "/can-bo/chi-so-cchc/bo-tieu-chi/nhap/", {"tep": SimpleUploadedFile("bo.xlsx", content)}
    )
    assert ok.status_code == 303
    criteria_set = CriteriaSet.objects.get()
    assert criteria_set.criteria.count() == 10
    page = council.get("/can-bo/chi-so-cchc/bo-tieu-chi/").content.decode()
    assert "2 lĩnh vực, 3 tiêu chí, 5 tiêu chí thành phần" in page
    download = council.get(f"/can-bo/chi-so-cchc/bo-tieu-chi/{criteria_set.pk}/tai-ve.xlsx")
    assert load_workbook(io.BytesIO(download.content))["Tiêu chí"]["A2"].value == "1"
    assert council.get(f"/can-bo/chi-so-cchc/bo-tieu-chi/{criteria_set.pk}/tai-ve.exe").status_code == 404


def test_opening_an_assessment_takes_the_audience_units(world: World, home_affairs: Any) -> None:
    council = _client(home_affairs)
    criteria_set = criteria_set_import(read_json(as_json(document())))
    url = f"/can-bo/chi-so-cchc/bo-tieu-chi/{criteria_set.pk}/mo-dot/"
    bad = council.post(url, {"han_tu_danh_gia": "31/02/2026", "han_tham_dinh": "15/12/2026"})
    assert bad.status_code == 400 and "dd/mm/yyyy" in bad.content.decode()
    today = timezone.localdate()
    due, appraisal = today + dt.timedelta(days=365), today + dt.timedelta(days=380)
    response = council.post(url, {"han_tu_danh_gia": due.strftime("%d/%m/%Y"),
                                  "han_tham_dinh": appraisal.strftime("%d/%m/%Y"), "so_ngay_giai_trinh": "3"})  # fmt: skip
    assert response.status_code == 303
    assessment = Assessment.objects.get()
    # The department set takes every department: justice and construction (not the centre).
    assert set(assessment.units.values_list("unit_id", flat=True)) == {
        world.justice.pk,
        world.construction.pk,
    }
    assert (assessment.self_assessment_due, assessment.clarification_days) == (due, 3)
    again = council.post(
        url, {"han_tu_danh_gia": due.strftime("%d/%m/%Y"), "han_tham_dinh": appraisal.strftime("%d/%m/%Y")}
    )
    assert again.status_code == 422 and "đã có đợt đánh giá" in again.content.decode()
