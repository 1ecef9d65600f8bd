"""The personal profile page (hồ sơ cá nhân): Vietnamese validation, verified values, areas, next."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cchc.citizens import services
from cchc.citizens.models import CitizenProfile
from cchc.orgs.models import AdministrativeUnit, Generation, Level
from tests.citizens.conftest import PROFILE, make_citizen

pytestmark = pytest.mark.django_db

VALID = {
    "full_name": "  Nguyễn   Thị Lan ",
    "id_number": "079190001234",
    "birth_date": "05/09/1990",
    "phone": "",
    "email": "Lan.Nguyen@Example.VN",
    "address": "12 đường Lê Lợi, tổ 3",
    "area": "",
}


@pytest.fixture
def citizen(client: Client) -> Any:
    user = make_citizen(phone="0912345678", full_name="")
    client.force_login(user)
    return user


@pytest.fixture
def areas(db: None) -> dict[str, AdministrativeUnit]:
    province = AdministrativeUnit.objects.create(
        generation=Generation.CURRENT, level=Level.PROVINCE, code=991, name="Tỉnh Thử",
        codename="tinh_thu", division_type="tỉnh", province_code=991,
    )  # fmt: skip
    ward = AdministrativeUnit.objects.create(
        generation=Generation.CURRENT, level=Level.COMMUNE, code=99101, name="Phường Một",
        codename="phuong_mot", division_type="phường", parent=province, province_code=991,
    )  # fmt: skip
    legacy = AdministrativeUnit.objects.create(
        generation=Generation.LEGACY, level=Level.COMMUNE, code=99199, name="Xã Cũ",
        codename="xa_cu", division_type="xã", province_code=991,
    )  # fmt: skip
    return {"province": province, "ward": ward, "legacy": legacy}


def _post(client: Client, **changes: str) -> Any:
    return client.post(PROFILE, {**VALID, **changes})


def _profile(user: Any) -> CitizenProfile:
    return CitizenProfile.objects.get(user=user)


def test_profile_page_shows_labelled_fields_and_the_verified_phone(client: Client, citizen: Any) -> None:
    html = client.get(PROFILE).content.decode()
    assert "<h1>Hồ sơ cá nhân</h1>" in html
    for label in ("Họ và tên", "Số CCCD (số định danh cá nhân)", "Ngày sinh", "Số điện thoại di động"):
        assert label in html
    assert 'value="0912345678"' in html and "disabled" in html
    assert "Đã xác thực, dùng để đăng nhập." in html


def test_valid_profile_is_saved_normalised(client: Client, citizen: Any) -> None:
    response = _post(client)
    assert response.status_code == 302 and response["Location"] == PROFILE
    profile = _profile(citizen)
    assert profile.full_name == "Nguyễn Thị Lan"
    assert profile.id_number == "079190001234"
    assert profile.birth_date == dt.date(1990, 9, 5)
    assert (profile.email, profile.email_verified) == ("lan.nguyen@example.vn", False)
    assert profile.phone == "0912345678"  # verified, kept although the form posted nothing for it
    citizen.refresh_from_db()
    assert citizen.get_full_name() == "Nguyễn Thị Lan"
    page = client.get(PROFILE).content.decode()
    assert "Đã lưu hồ sơ cá nhân." in page and 'value="05/09/1990"' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"full_name": "   "}, "Vui lòng nhập họ và tên."),
        ({"id_number": "07919000123"}, "Số CCCD (số định danh cá nhân) phải gồm đúng 12 chữ số."),
        ({"id_number": "0791900012ab"}, "Số CCCD (số định danh cá nhân) phải gồm đúng 12 chữ số."),
        ({"id_number": "099190001234"}, "ba chữ số đầu là mã tỉnh"),
        ({"id_number": "079185001234"}, "Số CCCD không khớp với năm sinh"),
        ({"birth_date": "31/02/1990"}, "Ngày sinh không hợp lệ, vui lòng nhập dạng ngày/tháng/năm"),
        ({"birth_date": "1990-09-05"}, "Ngày sinh không hợp lệ, vui lòng nhập dạng ngày/tháng/năm"),
        ({"email": "lan@"}, "Địa chỉ thư điện tử không hợp lệ."),
    ],
)
def test_bad_values_are_refused_in_vietnamese_and_nothing_is_saved(
    client: Client, citizen: Any, changes: dict[str, str], message: str
) -> None:
    response = _post(client, **changes)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert _profile(citizen).full_name == ""


def test_birth_date_in_the_future_is_refused(client: Client, citizen: Any) -> None:
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    response = _post(client, birth_date=tomorrow, id_number="")
    assert "Ngày sinh không được sau ngày hôm nay." in response.content.decode()


@pytest.mark.parametrize("phone", ["0212345678", "12345", "09123456789"])
def test_bad_phone_is_refused(client: Client, phone: str) -> None:
    user = make_citizen(phone="", full_name="", email="a@example.vn", email_verified=True)
    client.force_login(user)
    response = client.post(PROFILE, {**VALID, "email": "", "phone": phone})
    assert response.status_code == 400
    assert "Số điện thoại di động không hợp lệ" in response.content.decode()


def test_unverified_phone_is_normalised(client: Client) -> None:
    user = make_citizen(phone="", full_name="", email="a@example.vn", email_verified=True)
    client.force_login(user)
    assert client.post(PROFILE, {**VALID, "email": "", "phone": "+84 98 765 4321"}).status_code == 302
    profile = _profile(user)
    assert (profile.phone, profile.phone_verified, profile.email) == ("0987654321", False, "a@example.vn")


def test_a_commune_of_the_list_is_saved(client: Client, citizen: Any, areas: dict[str, Any]) -> None:
    assert _post(client, area=str(areas["ward"].pk)).status_code == 302
    assert _profile(citizen).area == areas["ward"]
    assert "Phường Một, Tỉnh Thử" in client.get(PROFILE).content.decode()


@pytest.mark.parametrize("forged", ["legacy", "province", "missing"])
def test_forged_area_is_refused(client: Client, citizen: Any, areas: dict[str, Any], forged: str) -> None:
    value = "999999" if forged == "missing" else str(areas[forged].pk)
    response = _post(client, area=value)
    assert response.status_code == 400
    assert "Vui lòng chọn xã, phường, đặc khu trong danh sách." in response.content.decode()


def test_area_list_is_limited_to_the_installation_province(
    client: Client, citizen: Any, areas: dict[str, Any], settings: Any
) -> None:
    AdministrativeUnit.objects.create(
        generation=Generation.CURRENT, level=Level.COMMUNE, code=99201, name="Xã Tỉnh Khác",
        codename="xa_khac", division_type="xã", province_code=992,
    )  # fmt: skip
    settings.CCHC_PROVINCE_CODE = 991
    html = client.get(PROFILE).content.decode()
    assert "Phường Một" in html and "Xã Tỉnh Khác" not in html


def test_a_forged_post_cannot_change_a_verified_phone(client: Client, citizen: Any) -> None:
    assert _post(client, phone="0987654321").status_code == 302
    profile = _profile(citizen)
    assert (profile.phone, profile.phone_verified) == ("0912345678", True)


def test_a_forged_post_cannot_change_a_verified_identity(client: Client) -> None:
    user = make_citizen(
        full_name="Trần Thị Bình",
        id_number="079190001234",
        birth_date=dt.date(1990, 9, 5),
        identity_verified=True,
    )
    client.force_login(user)
    response = client.post(
        PROFILE, {**VALID, "full_name": "Kẻ Giả", "id_number": "001203001234", "birth_date": "01/01/2003"}
    )
    assert response.status_code == 302
    profile = _profile(user)
    assert (profile.full_name, profile.id_number, profile.birth_date) == (
        "Trần Thị Bình",
        "079190001234",
        dt.date(1990, 9, 5),
    )
    assert profile.address == "12 đường Lê Lợi, tổ 3"  # the rest is saved


def test_service_refuses_to_change_verified_values() -> None:
    profile = CitizenProfile.objects.get(user=make_citizen(phone="0912345678"))
    values = {
        "full_name": "A",
        "id_number": "",
        "birth_date": None,
        "email": "",
        "address": "",
        "area": None,
    }
    with pytest.raises(services.ProfileChangeRefused) as refused:
        services.citizen_profile_update(profile=profile, phone="0987654321", **values)
    assert "Số điện thoại đã xác thực" in refused.value.message
    profile.identity_verified, profile.id_number = True, "079190001234"
    profile.save()
    with pytest.raises(services.ProfileChangeRefused):
        services.citizen_profile_update(profile=profile, phone="0912345678", **values)


def test_safe_next_is_followed_after_saving_and_unsafe_ignored(client: Client, citizen: Any) -> None:
    assert _post(client, next="/thu-tuc/1.001612/")["Location"] == "/thu-tuc/1.001612/"
    assert _post(client, next="https://evil.example/")["Location"] == PROFILE


def test_field_errors_are_tied_to_their_fields_for_screen_readers(client: Client, citizen: Any) -> None:
    html = _post(client, id_number="0791").content.decode()
    assert 'aria-describedby="id_id_number_helptext id_id_number_error"' in html
    assert 'id="id_id_number_error"' in html and 'id="id_id_number_helptext"' in html
    assert 'role="alert"' in html
