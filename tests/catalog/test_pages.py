"""Public catalog pages: search with filters, the procedure page with its 7 parts, and bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.catalog import services
from cchc.catalog.models import OnlineLevel, ProcedureVersion
from tests.catalog.conftest import make_draft, make_field

pytestmark = pytest.mark.django_db


def _publish(code: str, name: str, **values: object) -> ProcedureVersion:
    return services.procedure_version_publish(
        version=make_draft(code, name=name, **values), valid_from=dt.date(2026, 1, 1)
    )


@pytest.fixture
def catalog() -> dict[str, ProcedureVersion]:
    building = make_field("Hoạt động xây dựng", "xay-dung")
    return {
        "birth": _publish("1.001193", "Thủ tục đăng ký khai sinh", online_level=OnlineLevel.FULL),
        "permit": _publish(
            "1.013225",
            "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
            field=building,
            level_province=True,
            level_commune=False,
            agency="Sở Xây dựng",
        ),
    }


def _results(body: str) -> str:
    """The result list of the search page (the form's placeholder also names procedures)."""
    return (
        body.split('<ol class="results">', 1)[1].split("</ol>", 1)[0]
        if '<ol class="results">' in body
        else ""
    )


def test_search_page_finds_without_accents(client, catalog) -> None:
    body = client.get("/thu-tuc/", {"q": "GIAY PHEP xay dung"}).content.decode()
    assert "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ" in _results(body)
    assert "Thủ tục đăng ký khai sinh" not in _results(body)
    assert "Tìm thấy 1 thủ tục." in body


@pytest.mark.parametrize(
    ("params", "expected", "absent"),
    [
        ({"field": "xay-dung"}, "giấy phép xây dựng", "khai sinh"),
        ({"level": "province"}, "giấy phép xây dựng", "khai sinh"),
        ({"level": "commune"}, "khai sinh", "giấy phép xây dựng"),
        ({"online_level": "full"}, "khai sinh", "giấy phép xây dựng"),
        ({"agency": "so xay dung"}, "giấy phép xây dựng", "khai sinh"),
    ],
)
def test_search_page_filters(client, catalog, params, expected, absent) -> None:
    results = _results(client.get("/thu-tuc/", params).content.decode()).lower()
    assert expected in results
    assert absent not in results


def test_a_query_of_symbols_finds_nothing(client, catalog) -> None:
    body = client.get("/thu-tuc/", {"q": "😀 …"}).content.decode()
    assert "Tìm thấy 0 thủ tục." in body


def test_bad_search_input_is_refused_politely(client, catalog) -> None:
    response = client.get("/thu-tuc/", {"q": "x" * 500, "level": "galaxy"})
    assert response.status_code == 200
    assert "Điều kiện tìm kiếm không hợp lệ" in response.content.decode()


def test_the_procedure_page_shows_the_seven_parts_and_fees(client, catalog) -> None:
    body = client.get("/thu-tuc/1.001193/").content.decode()
    for part in (
        "Thủ tục đăng ký khai sinh",
        "Trình tự thực hiện",
        "Bước 1: nộp hồ sơ.",
        "Cách thức thực hiện",
        "Trực tiếp tại Bộ phận Một cửa",
        "Thành phần, số lượng hồ sơ",
        "Tờ khai đăng ký khai sinh",
        "Thời hạn giải quyết",
        "3 ngày làm việc",
        "Đối tượng thực hiện",
        "Cá nhân",
        "Cơ quan thực hiện",
        "Ủy ban nhân dân cấp xã",
        "Miễn phí",
        "Dịch vụ công trực tuyến toàn trình",
    ):
        assert part in body, part
    assert "Thông tin chưa đầy đủ" not in body


def test_fees_are_shown_in_vnd(client) -> None:
    version = make_draft("2.000001", name="Thủ tục có lệ phí")
    version.fees.update(amount_vnd=1_500_000)
    services.procedure_version_publish(version=version, valid_from=dt.date(2026, 1, 1))
    assert "1.500.000 đồng" in client.get("/thu-tuc/2.000001/").content.decode()


def test_drafts_and_unknown_codes_are_not_found_in_vietnamese(client, catalog) -> None:
    make_draft("2.000002", name="Bản nháp")
    for path in ("/thu-tuc/2.000002/", "/thu-tuc/9.999999/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.parametrize("path", ["/thu-tuc/%00/", "/thu-tuc/?q=%00", "/thu-tuc/?field=a%00b"])
def test_a_nul_character_is_a_400_not_a_500(client, path) -> None:
    response = client.get(path)
    assert response.status_code == 400
    assert "ký tự không hợp lệ" in response.content.decode()


def test_the_submit_online_button_only_where_an_online_level_is_offered(client, catalog) -> None:  # type: ignore[no-untyped-def]
    assert "Nộp trực tuyến" in client.get("/thu-tuc/1.001193/").content.decode()
    assert "Nộp trực tuyến" not in client.get("/thu-tuc/1.013225/").content.decode()


def test_form_templates_download_one_by_one_and_never_from_a_draft(client, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.base import ContentFile

    from cchc.catalog.models import Component

    settings.MEDIA_ROOT = str(tmp_path)
    draft = make_draft("1.004873", name="Cấp Giấy xác nhận tình trạng hôn nhân")
    component = Component.objects.get(version=draft)
    Component.objects.filter(pk=component.pk).update(
        template=Component._meta.get_field("template").generate_filename(component, "to-khai.docx")
    )
    component.refresh_from_db()
    component.template.storage.save(component.template.name, ContentFile(b"PK\\x03\\x04 mau to khai"))
    url = f"/thu-tuc/1.004873/mau/{component.pk}/"
    assert client.get(url).status_code == 404  # a draft's template is not public yet
    services.procedure_version_publish(version=draft, valid_from=dt.date(2026, 1, 1))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK\\x03\\x04 mau to khai"
    assert 'filename="to-khai.docx"' in response["Content-Disposition"]
    page = client.get("/thu-tuc/1.004873/").content.decode()
    assert f'href="{url}"' in page
    assert client.get(f"/thu-tuc/1.004873/mau/{component.pk + 999}/").status_code == 404
    assert client.get(f"/thu-tuc/9.999999/mau/{component.pk}/").status_code == 404
    assert client.get("/media/blobs/").status_code == 404  # the media folder itself is never served
