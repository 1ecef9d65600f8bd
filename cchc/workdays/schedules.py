"""The official yearly schedules that the `holidays` seed lacks or that must be pinned (DOMAIN.md §4).

Loaded into CalendarOverride by a data migration, so they are present right after `migrate`, and editable in
the admin afterwards. A year not listed in OFFICIAL_YEARS has no official schedule yet: its days are estimates.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple


class OverrideSpec(NamedTuple):
    day: dt.date
    working: bool
    name: str
    source: str
    estimated: bool = False


_D = dt.date
_2025 = "Lịch nghỉ Tết, lễ năm 2025 của Thủ tướng Chính phủ cho cán bộ, công chức (DOMAIN.md §4; số văn bản: verify)"
_2026_NEW_YEAR = "Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ"
_2026 = "Lịch nghỉ Tết, lễ năm 2026 của Thủ tướng Chính phủ cho cán bộ, công chức (DOMAIN.md §4; số văn bản: verify)"

OFFICIAL_OVERRIDES: tuple[OverrideSpec, ...] = (
    # 2025 — Labour Code 2019 Art. 112 placed by the Prime Minister.
    OverrideSpec(_D(2025, 1, 1), False, "Tết Dương lịch", _2025),
    # Tết Ất Tỵ: off Sat 25/01 – Sun 02/02/2025; the weekdays are listed.
    *(OverrideSpec(_D(2025, 1, d), False, "Nghỉ Tết Nguyên đán Ất Tỵ", _2025) for d in (27, 28, 29, 30, 31)),
    OverrideSpec(_D(2025, 4, 7), False, "Giỗ Tổ Hùng Vương (10/3 âm lịch)", _2025),
    OverrideSpec(_D(2025, 4, 26), True, "Làm bù cho ngày nghỉ 02/05/2025", _2025),
    OverrideSpec(_D(2025, 4, 30), False, "Ngày Chiến thắng 30/4", _2025),
    OverrideSpec(_D(2025, 5, 1), False, "Quốc tế Lao động 1/5", _2025),
    OverrideSpec(_D(2025, 5, 2), False, "Nghỉ hoán đổi với thứ Bảy 26/04/2025", _2025),
    OverrideSpec(_D(2025, 9, 1), False, "Quốc khánh (ngày liền kề)", _2025),
    OverrideSpec(_D(2025, 9, 2), False, "Quốc khánh 2/9", _2025),
    # 2026
    OverrideSpec(_D(2026, 1, 1), False, "Tết Dương lịch", _2026_NEW_YEAR),
    OverrideSpec(_D(2026, 1, 2), False, "Nghỉ hoán đổi với thứ Bảy 10/01/2026", _2026_NEW_YEAR),
    OverrideSpec(_D(2026, 1, 10), True, "Làm bù cho ngày nghỉ 02/01/2026", _2026_NEW_YEAR),
    # Tết Bính Ngọ: off Sat 14/02 – Sun 22/02/2026 (mùng 1 = Tue 17/02); the weekdays are listed.
    *(
        OverrideSpec(_D(2026, 2, d), False, "Nghỉ Tết Nguyên đán Bính Ngọ", _2026)
        for d in (16, 17, 18, 19, 20)
    ),
    OverrideSpec(_D(2026, 4, 27), False, "Nghỉ bù Giỗ Tổ Hùng Vương (26/04 là Chủ nhật)", _2026),
    OverrideSpec(_D(2026, 4, 30), False, "Ngày Chiến thắng 30/4", _2026),
    OverrideSpec(_D(2026, 5, 1), False, "Quốc tế Lao động 1/5", _2026),
    # National Day: off Sat 29/08 – Wed 02/09/2026, Mon 31/08 swapped for make-up Sat 22/08.
    OverrideSpec(_D(2026, 8, 22), True, "Làm bù cho ngày nghỉ 31/08/2026", _2026),
    OverrideSpec(_D(2026, 8, 31), False, "Nghỉ hoán đổi với thứ Bảy 22/08/2026", _2026),
    OverrideSpec(_D(2026, 9, 1), False, "Quốc khánh (ngày liền kề)", _2026),
    OverrideSpec(_D(2026, 9, 2), False, "Quốc khánh 2/9", _2026),
    # Vietnam Culture Day, listed as a holiday from 2026 (DOMAIN.md §4: verify for each year).
    OverrideSpec(_D(2026, 11, 24), False, "Ngày Văn hóa Việt Nam", "Gói holidays (VN); verify", True),
)

# Years whose whole schedule is official. Any other year is computed from the seed and marked estimated.
OFFICIAL_YEARS: frozenset[int] = frozenset({2025, 2026})
