"""One-off conversion of the shared sample (procedures-sample.json, 42 real procedures) to our import format.

    .venv/bin/python -m cchc.catalog.data.convert_sample /work/shared/data/procedures-sample.json

writes cchc/catalog/data/procedures.json (docs/catalog-format.md). The data file is what ships; this script
records how it was made. Every value that did not come from the source is listed in the record's
`source.derived` and, when it is not certain, in `verify` with the reason.
"""

from __future__ import annotations

import json
import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("procedures.json")

UNITS = {
    "ngày làm việc": "working_days",
    "ngày": "days",
    "giờ": "hours",
    "giờ làm việc": "working_hours",
    "tháng": "months",
}
CHANNELS = {"Trực tiếp": "counter", "Trực tuyến": "online", "Dịch vụ bưu chính": "post"}
KINDS = {
    "bản chính": "original",
    "bản sao": "copy",
    "bản chính và bản sao": "original_and_copy",
    "bản chính hoặc bản sao có chứng thực": "either",
}
ISSUERS = {
    "BTP": "Bộ Tư pháp",
    "BNNMT": "Bộ Nông nghiệp và Môi trường",
    "BXD": "Bộ Xây dựng",
    "BTC": "Bộ Tài chính",
    "BCA": "Bộ Công an",
    "BCA-C06": "Bộ Công an",
}
UBND_XA = "Ủy ban nhân dân cấp xã"
VERIFY = "cần đối chiếu với Cổng Dịch vụ công quốc gia"

# Time limits filled where the source had no unit (or nothing): (amount, unit, cutoff, note, certain?).
TIME_LIMITS: dict[str, tuple[Decimal, str, str | None, str, bool]] = {
    "1.001193": (
        Decimal(0),
        "working_days",
        "15:00",
        "Ngay trong ngày; nhận hồ sơ sau 15 giờ thì trả trong ngày làm việc tiếp theo "
        "(Luật Hộ tịch 2014 Điều 16). Nguồn ghi “1” không có đơn vị.",
        True,
    ),
    "1.000894": (
        Decimal(0),
        "working_days",
        "15:00",
        "Ngay sau khi nhận đủ giấy tờ; cần xác minh thì không quá 05 ngày làm việc "
        "(Luật Hộ tịch 2014 Điều 18 khoản 2). Nguồn ghi “1” không có đơn vị.",
        False,
    ),
    "1.000656": (
        Decimal(0),
        "working_days",
        "15:00",
        "Ngay sau khi nhận đủ giấy tờ; cần xác minh thì không quá 03 ngày làm việc "
        "(Luật Hộ tịch 2014 Điều 34 khoản 2). Nguồn ghi “1” không có đơn vị.",
        False,
    ),
    "1.004873": (
        Decimal(3),
        "working_days",
        None,
        "03 ngày làm việc (Nghị định 123/2015/NĐ-CP Điều 22). Nguồn ghi “3” không có đơn vị.",
        False,
    ),
    "1.004884": (
        Decimal(5),
        "working_days",
        None,
        "05 ngày làm việc (Nghị định 123/2015/NĐ-CP Điều 27). Nguồn ghi “5” không có đơn vị.",
        False,
    ),
    "1.001022": (
        Decimal(3),
        "working_days",
        None,
        "03 ngày làm việc (Luật Hộ tịch 2014 Điều 25 khoản 2). Nguồn ghi “3” không có đơn vị.",
        True,
    ),
    "2.000815": (
        Decimal(0),
        "working_days",
        "15:00",
        "Trong ngày tiếp nhận; nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo "
        "(Nghị định 23/2015/NĐ-CP Điều 7 khoản 1).",
        True,
    ),
    "2.000884": (
        Decimal(0),
        "working_days",
        "15:00",
        "Trong ngày tiếp nhận; nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo "
        "(Nghị định 23/2015/NĐ-CP Điều 7 khoản 1).",
        True,
    ),
    "2.001019": (
        Decimal(2),
        "working_days",
        None,
        "Không quá 02 ngày làm việc (Nghị định 23/2015/NĐ-CP Điều 7, chứng thực hợp đồng, giao dịch).",
        False,
    ),
    "2.001035": (
        Decimal(2),
        "working_days",
        None,
        "Không quá 02 ngày làm việc (Nghị định 23/2015/NĐ-CP Điều 7, chứng thực hợp đồng, giao dịch).",
        False,
    ),
    "1.001612": (
        Decimal(3),
        "working_days",
        None,
        "03 ngày làm việc (Nghị định 01/2021/NĐ-CP Điều 87; nay theo Nghị định 168/2025/NĐ-CP).",
        False,
    ),
}
# Left unknown on purpose: the source and the law disagree, or we are not sure.
TIME_LIMIT_UNKNOWN = {
    "1.004859": "Nguồn ghi “1” không có đơn vị; Luật Hộ tịch 2014 Điều 28 khoản 2 ghi 03 ngày làm việc – chưa rõ "
    "văn bản mới có rút ngắn hay không.",
    "2.000720": "Nguồn ghi “1” không có đơn vị; chưa xác định được theo Nghị định 168/2025/NĐ-CP.",
    "1.001266": "Nguồn ghi “1” không có đơn vị; chưa xác định được theo Nghị định 168/2025/NĐ-CP.",
    "2.000635": "Nguồn không ghi thời hạn.",
}
# Agency (cơ quan thực hiện) where the portal said "Không có thông tin": (agency, legal basis, certain?).
AGENCIES: dict[str, tuple[str, str, bool]] = {
    "1.001193": (UBND_XA, "Luật Hộ tịch 2014 Điều 7, 13", True),
    "1.004873": (UBND_XA, "Luật Hộ tịch 2014 Điều 7", True),
    "1.004884": (UBND_XA, "Nghị định 123/2015/NĐ-CP Điều 25", True),
    "1.004859": (UBND_XA, "Luật Hộ tịch 2014 Điều 7, 27", True),
    "1.004837": (UBND_XA, "Luật Hộ tịch 2014 Điều 7, 20", True),
    "2.001019": (UBND_XA, "Nghị định 23/2015/NĐ-CP Điều 5 khoản 2", True),
    "2.001035": (UBND_XA, "Nghị định 23/2015/NĐ-CP Điều 5 khoản 2", True),
    "1.013228": (UBND_XA, "như thủ tục cấp mới 1.013225 cùng Quyết định 56/QĐ-BXD", False),
    "1.013227": (UBND_XA, "như thủ tục cấp mới 1.013225 cùng Quyết định 56/QĐ-BXD", False),
    "1.012812": (UBND_XA, "Luật Đất đai 2024 Điều 235 khoản 2", True),
    "1.011607": (UBND_XA, "Nghị định 07/2021/NĐ-CP (chuẩn nghèo 2022–2025)", False),
    "1.001612": (
        "Cơ quan đăng ký kinh doanh cấp xã (Phòng Kinh tế hoặc Phòng Kinh tế, Hạ tầng và Đô thị thuộc "
        "Ủy ban nhân dân cấp xã)",
        "Nghị định 168/2025/NĐ-CP",
        False,
    ),
    "2.000720": (
        "Cơ quan đăng ký kinh doanh cấp xã (Phòng Kinh tế hoặc Phòng Kinh tế, Hạ tầng và Đô thị thuộc "
        "Ủy ban nhân dân cấp xã)",
        "Nghị định 168/2025/NĐ-CP",
        False,
    ),
    "1.001266": (
        "Cơ quan đăng ký kinh doanh cấp xã (Phòng Kinh tế hoặc Phòng Kinh tế, Hạ tầng và Đô thị thuộc "
        "Ủy ban nhân dân cấp xã)",
        "Nghị định 168/2025/NĐ-CP",
        False,
    ),
}
AGENCY_REWRITES = {
    "1.010736": UBND_XA
}  # the source named one province (Quảng Trị); the procedure is national
# Applicants (đối tượng thực hiện) and result (kết quả): the sample has neither; filled from the procedure's
# name and its law. All are marked derived, to check against the portal.
APPLICANTS = {
    "1.001193": "Cha, mẹ, ông, bà, người thân thích khác hoặc cá nhân, tổ chức đang nuôi dưỡng trẻ em "
    "(Luật Hộ tịch 2014 Điều 15)",
    "1.000894": "Nam, nữ có yêu cầu đăng ký kết hôn",
    "1.000656": "Vợ, chồng, con, cha, mẹ hoặc người thân thích khác của người chết; cơ quan, tổ chức, cá nhân liên quan "
    "(Luật Hộ tịch 2014 Điều 33)",
    "2.000635": "Cá nhân, tổ chức có yêu cầu cấp bản sao trích lục hộ tịch, bản sao Giấy khai sinh",
    "1.004873": "Công dân Việt Nam có yêu cầu cấp Giấy xác nhận tình trạng hôn nhân",
    "1.004884": "Cá nhân đã đăng ký khai sinh nhưng Sổ hộ tịch và bản chính Giấy khai sinh đều bị mất",
    "1.004859": "Cá nhân có yêu cầu thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc",
    "1.001022": "Cha, mẹ, con có yêu cầu đăng ký nhận cha, mẹ, con",
    "1.004837": "Người giám hộ, người được giám hộ hoặc người đại diện có yêu cầu đăng ký giám hộ",
    "2.000986": "Cha, mẹ hoặc người đi đăng ký khai sinh cho trẻ em dưới 6 tuổi",
    "2.000815": "Cá nhân, tổ chức có yêu cầu chứng thực bản sao từ bản chính",
    "2.000884": "Cá nhân có yêu cầu chứng thực chữ ký",
    "2.001019": "Người lập di chúc",
    "2.001035": "Cá nhân, tổ chức là các bên tham gia hợp đồng, giao dịch",
    "2.000908": "Cá nhân, tổ chức có yêu cầu cấp bản sao từ sổ gốc",
    "1.013978": "Hộ gia đình, cá nhân, cộng đồng dân cư, người gốc Việt Nam định cư ở nước ngoài",
    "1.012786": "Người sử dụng đất, chủ sở hữu tài sản gắn liền với đất",
    "1.012784": "Người sử dụng đất",
    "1.012783": "Người sử dụng đất, chủ sở hữu tài sản gắn liền với đất",
    "1.012812": "Các bên tranh chấp đất đai",
    "1.013225": "Chủ đầu tư (tổ chức, cá nhân)",
    "1.013228": "Chủ đầu tư (tổ chức, cá nhân)",
    "1.013227": "Chủ đầu tư (tổ chức, cá nhân)",
    "1.001612": "Cá nhân, thành viên hộ gia đình là công dân Việt Nam",
    "2.000720": "Hộ kinh doanh",
    "1.001266": "Hộ kinh doanh",
    "2.001583": "Tổ chức, cá nhân thành lập công ty trách nhiệm hữu hạn một thành viên",
    "3.000333": "Công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam, người Việt Nam đang cư trú ở nước ngoài",
    "3.000348": "Cá nhân được cấp giấy phép lái xe bị mất hoặc hỏng",
    "3.000347": "Cá nhân có giấy phép lái xe",
    "1.004222": "Công dân Việt Nam",
    "1.004194": "Công dân Việt Nam",
    "1.010736": "Chủ dự án đầu tư",
    "1.010727": "Chủ dự án đầu tư, cơ sở",
    "1.011607": "Hộ gia đình đề nghị xét duyệt hộ nghèo, hộ cận nghèo",
    "1.014632": "Hộ gia đình, cá nhân thuộc đối tượng được hưởng chính sách hỗ trợ về nhà ở xã hội",
}
RESULTS = {
    "1.001193": "Giấy khai sinh",
    "1.000894": "Giấy chứng nhận kết hôn",
    "1.000656": "Trích lục khai tử",
    "2.000635": "Bản sao trích lục hộ tịch, bản sao Giấy khai sinh",
    "1.004873": "Giấy xác nhận tình trạng hôn nhân",
    "1.004884": "Giấy khai sinh",
    "1.004859": "Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc",
    "1.001022": "Trích lục đăng ký nhận cha, mẹ, con",
    "1.004837": "Trích lục đăng ký giám hộ",
    "2.000986": "Giấy khai sinh; đăng ký thường trú; thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
    "2.000815": "Bản sao được chứng thực từ bản chính",
    "2.000884": "Giấy tờ, văn bản được chứng thực chữ ký",
    "2.001019": "Di chúc được chứng thực",
    "2.001035": "Hợp đồng, giao dịch được chứng thực",
    "2.000908": "Bản sao từ sổ gốc",
    "1.013978": "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
    "1.012786": "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất (cấp lại)",
    "1.012784": "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất của các thửa sau tách, hợp",
    "1.012783": "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất (cấp đổi)",
    "1.012812": "Biên bản hòa giải thành hoặc hòa giải không thành",
    "1.013225": "Giấy phép xây dựng",
    "1.013228": "Giấy phép xây dựng (cấp lại)",
    "1.013227": "Giấy phép xây dựng được gia hạn",
    "1.001612": "Giấy chứng nhận đăng ký hộ kinh doanh",
    "2.000720": "Giấy chứng nhận đăng ký hộ kinh doanh (thay đổi nội dung)",
    "1.001266": "Thông báo về việc chấm dứt hoạt động hộ kinh doanh",
    "2.001583": "Giấy chứng nhận đăng ký doanh nghiệp",
    "3.000333": "Phiếu lý lịch tư pháp",
    "3.000348": "Giấy phép lái xe (cấp lại)",
    "3.000347": "Giấy phép lái xe (cấp đổi)",
    "1.004222": "Thông tin thường trú được cập nhật vào Cơ sở dữ liệu về cư trú",
    "1.004194": "Thông tin tạm trú được cập nhật vào Cơ sở dữ liệu về cư trú",
    "1.010736": "Văn bản góp ý tham vấn của Ủy ban nhân dân cấp xã",
    "1.010727": "Giấy phép môi trường",
    "1.011607": "Danh sách hộ nghèo, hộ cận nghèo được công nhận",
    "1.014632": "Xác nhận đối tượng, điều kiện hưởng chính sách hỗ trợ về nhà ở xã hội",
}
CHANNEL_TEXT = {"counter": "trực tiếp", "online": "trực tuyến", "post": "qua dịch vụ bưu chính"}


def generic_steps(channels: list[str], agency: str) -> str:
    """The one-stop steps common to every procedure (Decree 118/2025/NĐ-CP Art. 17–22)."""
    how = ", ".join(CHANNEL_TEXT[c] for c in channels)
    return (
        f"Bước 1: Tổ chức, cá nhân chuẩn bị hồ sơ theo quy định và nộp {how} tại Bộ phận Một cửa "
        "(Trung tâm Phục vụ hành chính công) hoặc trên Cổng Dịch vụ công.\n"
        "Bước 2: Cán bộ tiếp nhận kiểm tra hồ sơ: hồ sơ đầy đủ, hợp lệ thì tiếp nhận và hẹn ngày trả kết quả; "
        "chưa đầy đủ thì hướng dẫn bổ sung, hoàn thiện một lần; không đủ điều kiện thì từ chối và nêu rõ lý do.\n"
        f"Bước 3: {agency} xem xét, giải quyết hồ sơ theo quy định.\n"
        f"Bước 4: Trả kết quả cho tổ chức, cá nhân {how}."
    )


def process_template(amount: Decimal) -> list[dict[str, Any]]:
    """Receive → specialist → leader → return, 10/60/20/10 % of the limit; the remainder goes to the specialist."""
    grain = Decimal("0.5") if amount >= 5 else Decimal("0.1")

    def part(rate: str) -> Decimal:
        return ((amount * Decimal(rate)) / grain).quantize(Decimal(1), rounding=ROUND_HALF_UP) * grain

    receive, leader, give_back = part("0.1"), part("0.2"), part("0.1")
    specialist = amount - receive - leader - give_back
    return [
        {
            "name": "Tiếp nhận hồ sơ, chuyển xử lý",
            "role": "reception_officer",
            "unit": None,
            "share": _num(receive),
        },
        {"name": "Thẩm định, đề xuất", "role": "specialist", "unit": None, "share": _num(specialist)},
        {"name": "Xem xét, ký duyệt", "role": "leader", "unit": None, "share": _num(leader)},
        {"name": "Trả kết quả", "role": "reception_officer", "unit": None, "share": _num(give_back)},
    ]


def _num(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _limit(raw: dict[str, Any] | None) -> dict[str, Any] | None:
    if not raw or raw.get("amount") is None:
        return None
    return {"amount": raw["amount"], "unit": UNITS.get(raw.get("unit") or "")}


def _fee_kind(name: str) -> str:
    return "fee" if name.startswith("Phí") and not name.startswith("Phí, lệ phí") else "charge"


def _component(raw: dict[str, Any]) -> dict[str, Any]:
    kind = KINDS.get(raw.get("kind") or "")
    notes = []
    if raw.get("quantity_text") and raw.get("kind") != "bản chính":
        notes.append(f"Số lượng theo nguồn: {raw['quantity_text']}")
    if kind is None:
        notes.append("Nguồn không ghi loại bản – cần kiểm tra")
    quantity = raw.get("quantity") or 1
    return {
        "name": raw["name"].strip(),
        "kind": kind or "original",
        "quantity": max(int(quantity), 1),
        "template_name": "",
        "note": "; ".join(notes),
    }


def convert(raw: dict[str, Any]) -> dict[str, Any]:
    code = raw["code"]
    key = code or ""
    derived: list[str] = []
    verify: dict[str, str] = {}
    historical = "lịch sử" in (raw.get("level") or "")

    name = re.sub(r"\s*\(\s*\d\.\d{6}\s*\)\s*$", "", raw["name"]).strip()
    level_text = raw.get("level") or ""
    channels = [CHANNELS[c] for c in raw.get("submission_channels") or [] if c in CHANNELS]

    agency = raw.get("agency") or ""
    if key in AGENCY_REWRITES:
        agency = AGENCY_REWRITES[key]
        derived.append("agency")
        verify["agency"] = f"Nguồn ghi “{raw['agency']}” (một tỉnh); đã ghi chung {agency}."
    elif not agency and key in AGENCIES:
        agency, basis, certain = AGENCIES[key]
        derived.append("agency")
        if not certain:
            verify["agency"] = f"Bổ sung theo {basis}; {VERIFY}."
    if key == "1.014632":
        verify["agency"] = f"Nguồn ghi “Công an cấp Xã” cho thủ tục nhà ở xã hội – có thể sai; {VERIFY}."

    limit = raw.get("time_limit") or {}
    amount = limit.get("amount")
    unit = UNITS.get(limit.get("unit") or "") or None
    cutoff = None
    note = raw.get("time_limit_note") or ""
    if key in TIME_LIMITS:
        fixed, unit, cutoff, note, certain = TIME_LIMITS[key]
        amount = _num(fixed)
        derived.append("time_limit")
        if not certain:
            verify["time_limit"] = f"Bổ sung theo văn bản pháp luật; {VERIFY}."
    elif key in TIME_LIMIT_UNKNOWN:
        if unit is None:
            amount = None if amount is None or key == "2.000635" else amount
        note = TIME_LIMIT_UNKNOWN[key]
        verify["time_limit"] = note
    if unit is None:
        amount = None  # a number without its unit cannot be computed with; the note keeps the source text

    by_channel = {}
    for label, value in (raw.get("time_limit_by_channel") or {}).items():
        converted = _limit(value)
        if key in TIME_LIMITS and (converted is None or converted["unit"] is None):
            # The source had no unit for this channel either: it follows the filled-in time limit.
            converted = {"amount": amount, "unit": unit}
        if label in CHANNELS and converted is not None:
            by_channel[CHANNELS[label]] = converted

    steps = ""
    applicants = APPLICANTS.get(key, "")
    result = RESULTS.get(key, "")
    if not historical and code:
        steps = generic_steps(channels or ["counter"], agency or "Cơ quan có thẩm quyền")
        derived.append("steps")
        verify["steps"] = (
            "Trình tự chung theo Nghị định 118/2025/NĐ-CP Điều 17–22 do hệ thống soạn; nguồn không có trình tự "
            f"riêng của thủ tục – {VERIFY}."
        )
    if applicants:
        derived.append("applicants")
        verify["applicants"] = f"Bổ sung theo tên thủ tục và văn bản pháp luật; {VERIFY}."
    if result:
        derived.append("result")
        verify["result"] = f"Bổ sung theo tên thủ tục; {VERIFY}."
    if historical:
        verify["level"] = (
            "Mô tả theo chính quyền 3 cấp (trước 01/07/2025); cơ quan thực hiện đã sắp xếp lại – để bản nháp, "
            "không công bố cho đến khi rà soát lại."
        )

    online_level = "none"
    raw_level = (raw.get("online_level") or "").lower()
    if "mức độ 4" in raw_level:
        online_level = "full"
        derived.append("online_level")
        verify["online_level"] = (
            "Nguồn ghi “mức độ 4” (cách phân mức cũ); quy đổi thành toàn trình theo Nghị định 42/2022/NĐ-CP."
        )
    elif "online" in channels:
        online_level = "partial"
        derived.append("online_level")
        verify["online_level"] = (
            "Suy ra từ cách thức nộp trực tuyến trên Cổng DVCQG; chưa xác định toàn trình hay một phần "
            "(Nghị định 42/2022/NĐ-CP)."
        )

    decision = raw.get("decision") or ""
    issuer = ""
    if decision and "/QĐ-" in decision:
        issuer = ISSUERS.get(decision.split("/QĐ-", 1)[1], "")
        if issuer:
            derived.append("decision.issuer")

    source = dict(raw.get("source") or {})
    source["data_vintage"] = raw.get("data_vintage")
    source["converted_by"] = "cchc/catalog/data/convert_sample.py"
    if name != raw["name"]:
        source["name_as_source"] = raw["name"]
    for extra in ("notes", "components_note"):
        if raw.get(extra):
            source[extra] = raw[extra]
    if key in TIME_LIMITS and raw.get("time_limit_by_channel"):
        source["time_limit_by_channel_as_source"] = raw["time_limit_by_channel"]
    if raw.get("online_level"):
        source["online_level_as_source"] = raw["online_level"]
    source["derived"] = derived

    components = [_component(c) for c in raw.get("components") or []]
    fees = [
        {
            "kind": _fee_kind(fee["name"]),
            "case": fee["name"],
            "amount_vnd": fee.get("amount_vnd"),
            "note": fee.get("note") or "",
        }
        for fee in raw.get("fees") or []
    ]
    process = process_template(Decimal(str(amount))) if amount is not None and unit else []

    return {
        "code": code,
        "name": name,
        "field": {"name": raw["field"], "code": None},
        "levels": {
            "province": "Cấp tỉnh" in level_text and not historical,
            "commune": "Cấp xã" in level_text,
            "note": level_text,
        },
        "agency": agency,
        "time_limit": {"amount": amount, "unit": unit, "cutoff": cutoff, "note": note},
        "time_limits_by_channel": by_channel,
        "steps": steps,
        "methods": {
            "counter": "counter" in channels,
            "post": "post" in channels,
            "online": "online" in channels,
            "note": "",
        },
        "online_level": online_level,
        "applicants": applicants,
        "result": result,
        "legal_basis": raw.get("legal_basis") or [],
        "decision": {"number": decision, "date": None, "issuer": issuer},
        "valid_from": None,
        "source": source,
        "verify": verify,
        "components": components,
        "fees": fees,
        "process_steps": process,
    }


def main(path: str) -> None:
    records = json.loads(Path(path).read_text(encoding="utf-8"))
    document = {
        "format": "cchc-catalog",
        "format_version": 1,
        "exported_at": None,
        "procedures": [convert(raw) for raw in records],
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(records)} procedures -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/procedures-sample.json")
