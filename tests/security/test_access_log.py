"""The personal-data access log (check 7), Decree 13/2023/NĐ-CP: every time a staff member opens a dossier's
personal data (the dossier page, the API detail, a printed form, an attached file) one PersonalDataAccess row
records who, which dossier, when and why (cchc.dossiers.history.personal_data_access_log, called by
cchc.dossiers.selectors.dossier_for).

As the code intends, lists and exports, which show only masked data, write no row; neither do actions (they find
the dossier with selectors.dossier_visible) nor a refused read; and the applicant's own lookups are not logged
(cchc.portal.access). The log itself holds no personal data: two keys, a time and a purpose from a fixed list.
A staff member reading a payment receipt is logged too: tests/payments/test_pages.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.forms.models import model_to_dict
from django.http import Http404
from django.test import Client

from cchc.dossiers import services
from cchc.dossiers.history import personal_data_access_log
from cchc.dossiers.models import Dossier, PersonalDataAccess
from cchc.dossiers.selectors import dossier_for
from tests.dossiers.conftest import World
from tests.security.conftest import Now
from tests.security.scene import build

pytestmark = pytest.mark.django_db

API = "/api/v1/dossiers"
PURPOSES = {"xem hồ sơ", "in biểu mẫu", "xem tệp đính kèm", "xem biên lai thanh toán"}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _received(world: World) -> Dossier:
    return services.dossier_receive(actor=world.staff["reception"], intake=world.intake())


def _rows(dossier: Dossier) -> list[tuple[Any, ...]]:
    return list(
        PersonalDataAccess.objects.filter(dossier=dossier).order_by("pk").values_list("user", "at", "purpose")
    )


# -- what is logged -------------------------------------------------------------------------------------------------
def test_opening_the_dossier_page_writes_one_row(world: World, now: Now) -> None:
    dossier = _received(world)
    reader = world.staff["specialist"]
    moment = now.advance(hours=1)
    response = _client(reader).get(f"/can-bo/ho-so/{dossier.code}/")
    assert response.status_code == 200
    assert _rows(dossier) == [(reader.pk, moment, "xem hồ sơ")]


def test_reading_the_api_detail_writes_one_row(world: World, now: Now) -> None:
    dossier = _received(world)
    reader = world.staff["leader"]
    moment = now.advance(hours=2)
    assert _client(reader).get(f"{API}/{dossier.code}").status_code == 200
    assert _rows(dossier) == [(reader.pk, moment, "xem hồ sơ")]


def test_every_read_is_a_row_of_its_own(world: World, now: Now) -> None:
    dossier = _received(world)
    specialist, leader = world.staff["specialist"], world.staff["leader"]
    first = now.advance(minutes=1)
    _client(specialist).get(f"/can-bo/ho-so/{dossier.code}/")
    second = now.advance(minutes=1)
    _client(specialist).get(f"/can-bo/ho-so/{dossier.code}/")
    third = now.advance(minutes=1)
    _client(leader).get(f"{API}/{dossier.code}")
    assert _rows(dossier) == [
        (specialist.pk, first, "xem hồ sơ"),
        (specialist.pk, second, "xem hồ sơ"),
        (leader.pk, third, "xem hồ sơ"),
    ]


def test_a_printed_form_and_an_opened_file_are_logged_with_their_purpose(
    world: World, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    scene = build(world)
    reception = world.staff["reception"]
    counter = Dossier.objects.get(code=scene.ids["dossier"])
    online = Dossier.objects.get(code=scene.ids["online_dossier"])
    client = _client(reception)
    assert client.get(f"/can-bo/ho-so/{counter.code}/mau/01.pdf").status_code == 200
    assert client.get(f"/can-bo/ho-so/{online.code}/tep/{scene.ids['dossier_file']}/").status_code == 200
    assert [(user, purpose) for user, _at, purpose in _rows(counter)] == [(reception.pk, "in biểu mẫu")]
    assert [(user, purpose) for user, _at, purpose in _rows(online)] == [(reception.pk, "xem tệp đính kèm")]


# -- what is not ------------------------------------------------------------------------------------------------------
def test_lists_and_exports_write_no_row(world: World, now: Now) -> None:
    _received(world)
    for who in ("reception", "specialist", "leader"):
        client = _client(world.staff[who])
        for url in ("/can-bo/ho-so/?loai=unit", "/can-bo/ho-so/?loai=mine", "/can-bo/so-theo-doi/",
                    "/can-bo/so-theo-doi/so-theo-doi.xlsx", "/can-bo/so-theo-doi/so-theo-doi.pdf",
                    "/can-bo/tiep-nhan/", f"{API}?kind=unit"):  # fmt: skip
            assert client.get(url).status_code == 200, url
    assert not PersonalDataAccess.objects.exists()


def test_an_action_writes_no_row(world: World, now: Now) -> None:
    dossier = _received(world)
    now.advance(minutes=30)
    page = _client(world.staff["reception"]).post(
        f"/can-bo/ho-so/{dossier.code}/thao-tac/hand_over/",
        {"hand_over-expected_version": dossier.version, "hand_over-note": "Đủ hồ sơ"},
    )
    assert page.status_code == 302
    api = _client(world.staff["leader"]).post(
        f"{API}/{dossier.code}/actions/stop",
        {"expected_version": Dossier.objects.get(pk=dossier.pk).version, "reason": "Theo đề nghị"},
        content_type="application/json",
    )
    assert api.status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_a_read_refused_outside_the_scope_writes_no_row(world: World, now: Now) -> None:
    dossier = _received(world)
    other = _client(world.staff["other_specialist"])
    assert other.get(f"/can-bo/ho-so/{dossier.code}/").status_code == 404
    assert other.get(f"{API}/{dossier.code}").status_code == 404
    assert other.get(f"/can-bo/ho-so/{dossier.code}/mau/01.pdf").status_code == 404
    assert Client().get(f"{API}/{dossier.code}").status_code == 401
    assert not PersonalDataAccess.objects.exists()


def test_the_applicants_own_lookup_writes_no_row(world: World, now: Now) -> None:
    dossier = _received(world)
    response = Client().post("/tra-cuu/", {"ma": dossier.code, "khoa": dossier.lookup_key})
    assert response.status_code == 200
    assert not PersonalDataAccess.objects.exists()


# -- the selector and the log function ------------------------------------------------------------------------------
def test_dossier_for_returns_a_visible_dossier_and_logs_the_access(world: World, now: Now) -> None:
    dossier = _received(world)
    user = world.staff["specialist"]
    assert dossier_for(user, dossier.code) == dossier
    assert dossier_for(user, dossier.pk) == dossier
    accesses = PersonalDataAccess.objects.filter(dossier=dossier, user=user)
    assert accesses.count() == 2
    assert {access.purpose for access in accesses} == {"xem hồ sơ"}


def test_dossier_for_outside_the_scope_is_not_found_and_not_logged(world: World, now: Now) -> None:
    dossier = _received(world)
    with pytest.raises(Http404):
        dossier_for(world.staff["other_specialist"], dossier.code)
    assert not PersonalDataAccess.objects.exists()


def test_reading_personal_data_is_logged(world: World, now: Now) -> None:
    dossier = _received(world)
    officer = world.staff["specialist"]
    personal_data_access_log(dossier=dossier, user=officer, purpose=" Xem hồ sơ ")

    access = PersonalDataAccess.objects.get()
    assert (access.dossier_id, access.user_id, access.purpose, access.at) == (
        dossier.pk,
        officer.pk,
        "Xem hồ sơ",
        now.moment,
    )
    with pytest.raises(ValueError):
        personal_data_access_log(dossier=dossier, user=AnonymousUser(), purpose="Xem hồ sơ")
    with pytest.raises(ValueError):
        personal_data_access_log(dossier=dossier, user=officer, purpose="  ")
    with pytest.raises(ValueError):
        personal_data_access_log(dossier=dossier, user=officer, purpose="x" * 61)
    assert PersonalDataAccess.objects.count() == 1


# -- the log holds no personal data -----------------------------------------------------------------------------------
def test_the_log_holds_keys_a_time_and_a_purpose_only() -> None:
    fields = {field.name for field in PersonalDataAccess._meta.concrete_fields}
    assert fields == {"id", "dossier", "user", "at", "purpose"}


def test_the_rows_carry_no_personal_data_of_the_applicant(world: World, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    scene = build(world)
    ids = scene.ids
    reception, leader = _client(world.staff["reception"]), _client(world.staff["leader"])
    for client, url in (
        (reception, f"/can-bo/ho-so/{ids['dossier']}/"),
        (reception, f"/can-bo/ho-so/{ids['dossier']}/mau/01.pdf"),
        (reception, f"/can-bo/ho-so/{ids['online_dossier']}/tep/{ids['dossier_file']}/"),
        (leader, f"{API}/{ids['dossier']}"),
    ):
        assert client.get(url).status_code == 200, url
    rows = list(PersonalDataAccess.objects.all())
    assert len(rows) == 4
    personal = ("079203001234", "079303004321", "0912345678", "0987654321", "Nguyễn Văn An", "Trần Thị Bình")
    for row in rows:
        text = " ".join([str(row), *(str(value) for value in model_to_dict(row).values())])
        assert not [value for value in personal if value in text], text
        assert row.purpose in PURPOSES
