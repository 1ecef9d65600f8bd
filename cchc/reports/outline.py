"""The report's outline (đề cương báo cáo): its sections in order, each with the narrative people write and
the figures the platform fills (`cchc.reports.figures`, by section code).

The sections follow the Ministry of Home Affairs' outline for reports on administrative reform, which the
seeds' provinces use: direction and management, the results in each of the six reform areas (Resolution
76/NQ-CP), the overall assessment, the tasks of the next period, and proposals (verify against the outline the
Ministry sends for the year).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    code: str
    heading: str  # the numbering as printed (I., 1., …)
    title: Any
    hint: Any  # what the narrative should say
    level: int = 1  # 1: a part (I, II…), 2: an item of part II


OUTLINE: tuple[Section, ...] = (
    Section("I", "I.", _("Công tác chỉ đạo, điều hành"),
            _("Ban hành kế hoạch, tuyên truyền, kiểm tra, thực hiện cam kết; khó khăn, vướng mắc.")),
    Section("II", "II.", _("Kết quả thực hiện các nhiệm vụ cải cách hành chính"), _("Tóm tắt chung."),),
    Section("II.1", "1.", _("Cải cách thể chế"), _("Xây dựng, rà soát văn bản quy phạm pháp luật."), 2),
    Section("II.2", "2.", _("Cải cách thủ tục hành chính"),
            _("Kiểm soát, rà soát, đơn giản hóa thủ tục; thực hiện cơ chế một cửa; xử lý phản ánh, kiến nghị."), 2),
    Section("II.3", "3.", _("Cải cách tổ chức bộ máy"), _("Sắp xếp tổ chức, tinh giản biên chế."), 2),
    Section("II.4", "4.", _("Cải cách chế độ công vụ"), _("Vị trí việc làm, tuyển dụng, bồi dưỡng, kỷ luật, kỷ cương."), 2),
    Section("II.5", "5.", _("Cải cách tài chính công"), _("Tự chủ tài chính, quản lý tài sản công."), 2),
    Section("II.6", "6.", _("Xây dựng, phát triển chính quyền điện tử, chính quyền số"),
            _("Dịch vụ công trực tuyến, thanh toán trực tuyến, số hóa hồ sơ, kết quả điện tử."), 2),
    Section("III", "III.", _("Đánh giá chung"), _("Ưu điểm, hạn chế và nguyên nhân.")),
    Section("IV", "IV.", _("Phương hướng, nhiệm vụ kỳ tới"), _("Các nhiệm vụ trọng tâm.")),
    Section("V", "V.", _("Đề xuất, kiến nghị"), _("Kiến nghị với cấp trên.")),
)  # fmt: skip
SECTION_CODES: frozenset[str] = frozenset(section.code for section in OUTLINE)
