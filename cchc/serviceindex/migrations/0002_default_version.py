"""The default rules of the 766 index: the national portal's 6 groups (DOMAIN.md §6).

The data is written out here, not imported from the app, so that this migration means the same thing forever;
a later change of weights is a new IndexVersion in a new migration (or in the admin), never an edit of this one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import migrations

DECISION = "Quyết định 766/QĐ-TTg ngày 23/6/2022"
PORTAL = "Cổng Dịch vụ công quốc gia, cách chấm 6 nhóm (DOMAIN.md §6)"

# (code, group, name, input_key, max, kind, threshold, params, full_when_no_data, province_only, verify, note)
COMPONENTS: list[tuple[Any, ...]] = [
    ("1.1", "transparency", "Thủ tục được công bố đúng hạn (chậm nhất trước ngày có hiệu lực 5 ngày làm việc, cấp tỉnh)",
     "announced_on_time", "6", "linear", None, {}, False, False, False, ""),
    ("1.2", "transparency", "Thủ tục được cập nhật, công khai đúng hạn (trong 5 ngày làm việc kể từ ngày quyết định)",
     "updated_on_time", "4", "linear", None, {}, False, False, False, ""),
    ("1.3", "transparency", "Thủ tục được công khai đầy đủ 7 bộ phận",
     "seven_parts", "2", "linear", None, {}, False, False, False, ""),
    ("1.4", "transparency", "Hồ sơ được đồng bộ theo thời gian thực lên Cổng Dịch vụ công quốc gia",
     "synced_realtime", "6", "linear", None, {}, False, False, False, ""),
    ("2.1", "progress", "Hồ sơ giải quyết đúng hạn (đã giải quyết và đang giải quyết trong hạn)",
     "on_time", "20", "linear", None, {}, False, False, False, ""),
    ("3.1", "online_service", "Hồ sơ trực tuyến toàn trình trên tổng hồ sơ của thủ tục đủ điều kiện trực tuyến toàn trình",
     "online_full", "12", "linear", None, {}, False, True, True,
     "Quy tắc chính xác chưa được công bố; tạm tính 12 × r (DOMAIN.md §6: verify)."),
    ("4.1", "online_payment", "Thanh toán trực tuyến: A hồ sơ có phí thanh toán trực tuyến; B thủ tục có phí có thanh toán trực tuyến; C tỷ lệ thanh toán theo thủ tục",
     "online_payment", "10", "payment_abc", None, {"a": "6", "b": "2.5", "b_cap": "2", "c": "2.5"}, False, False, True,
     "Định nghĩa B và C trên dữ liệu của nền tảng là cách đọc của cchc (cchc.serviceindex.inputs)."),
    ("5.1", "digitisation", "Hồ sơ có kết quả điện tử",
     "e_result", "6", "linear", None, {}, False, False, False, ""),
    ("5.2", "digitisation", "Hồ sơ có thành phần được số hóa",
     "digitised", "4", "linear", None, {}, False, False, False, ""),
    ("5.3", "digitisation", "Bản sao điện tử chứng thực từ bản chính",
     "certified_copies", "2", "linear", None, {}, False, False, False, ""),
    ("5.4", "digitisation", "Hồ sơ được cắt giảm thành phần nhờ tái sử dụng dữ liệu (đủ điểm khi đạt 80%)",
     "reused", "2", "capped_threshold", "0.8", {}, False, False, False, ""),
    ("5.5", "digitisation", "Hồ sơ số hóa được liên kết với Kho dữ liệu của công dân",
     "data_store_linked", "4", "linear", None, {}, False, False, True, "DOMAIN.md §6: verify."),
    ("5.6", "digitisation", "Hồ sơ sử dụng dữ liệu dân cư (chỉ cấp tỉnh)",
     "population_dossiers", "2", "linear", None, {}, False, True, False, ""),
    ("5.7", "digitisation", "Thủ tục được kết nối dữ liệu dân cư (chỉ cấp tỉnh)",
     "population_procedures", "2", "linear", None, {}, False, True, False, ""),
    ("6.1", "satisfaction", "Phản ánh, kiến nghị được xử lý đúng hạn (đủ điểm khi không phát sinh)",
     "feedback_on_time", "6", "linear", None, {}, True, False, False, ""),
    ("6.2", "satisfaction", "Mức độ hài lòng về xử lý phản ánh, kiến nghị (đủ điểm khi không phát sinh)",
     "feedback_satisfaction", "6", "linear", None, {}, True, False, False, ""),
    ("6.3", "satisfaction", "Mức độ hài lòng về tiếp nhận, giải quyết hồ sơ: 1 − (tỷ lệ trễ hạn + tỷ lệ bị phản ánh, không hài lòng); đủ điểm khi đạt 90%",
     "dossier_satisfaction", "6", "capped_threshold", "0.9", {}, False, False, False, ""),
]  # fmt: skip


def load(apps: Any, schema_editor: Any) -> None:
    IndexVersion = apps.get_model("serviceindex", "IndexVersion")
    IndexComponent = apps.get_model("serviceindex", "IndexComponent")
    version = IndexVersion.objects.create(
        code="766-cong-dvc-6-nhom",
        name="Chỉ số 766 theo Cổng Dịch vụ công quốc gia (6 nhóm)",
        valid_from=dt.date(2022, 6, 23),
        source=f"{DECISION}; {PORTAL}",
    )
    for order, (code, group, name, key, top, kind, threshold, params, full, province, verify, note) in enumerate(
        COMPONENTS, start=1
    ):
        IndexComponent.objects.create(
            version=version,
            code=code,
            order=order,
            group=group,
            name=name,
            input_key=key,
            max_points=Decimal(top),
            kind=kind,
            threshold=None if threshold is None else Decimal(threshold),
            params=params,
            full_when_no_data=full,
            province_only=province,
            source=f"{DECISION}; {PORTAL}",
            verify=verify,
            note=note,
        )


def unload(apps: Any, schema_editor: Any) -> None:
    apps.get_model("serviceindex", "IndexVersion").objects.filter(code="766-cong-dvc-6-nhom").delete()


class Migration(migrations.Migration):
    dependencies = [("serviceindex", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
