"""The model of a province's year (mô hình một năm của tỉnh): the numbers the simulator draws from.

None of these is a legal number; they are plausible shapes chosen for demos and load tests, and each says why.
The legal rules the simulated dossiers follow (deadlines, one supplement within 3 working days, one apology at
least 1 working day before the deadline, 15 days to complete a supplement) come from cchc.dossiers.rules and
cchc.workdays, never from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

# Arrivals by month (1..12): a year-end rush (land, business, budget closing) and a quieter February around
# Tết; the Tết weeks themselves are shaped by TET_* below, from the calendar's own days off.
MONTH_WEIGHTS: Final = (1.05, 0.9, 1.05, 0.95, 1.0, 1.0, 1.0, 0.95, 0.95, 1.0, 1.05, 1.15)
# Arrivals by weekday (Monday 0 .. Saturday 5): queues are longest on Monday and shortest on Friday
# afternoon; a make-up Saturday (ngày làm bù) is half as busy. Sunday is never a working day here.
WEEKDAY_WEIGHTS: Final = (1.2, 1.05, 1.0, 1.0, 0.85, 0.5, 0.0)
# Arrivals through the working day, in ten equal slices of its working time (morning peak after opening,
# a lull before closing).
DAY_PROFILE: Final = (0.8, 1.2, 1.4, 1.3, 1.0, 0.8, 1.0, 1.1, 0.9, 0.5)
# The Tết holidays (the longest run of days off between 10/01 and 10/03): people file before them and come back
# slowly after them.
TET_BEFORE_WORKING_DAYS: Final = 10
TET_BEFORE_FACTOR: Final = 1.25
TET_AFTER_WORKING_DAYS: Final = 5
TET_AFTER_FACTOR: Final = 0.5

# How often each procedure is filed, by national code; the others weigh 1. Certification of copies, civil
# status, residence and land are the bulk of a commune's counter (the national portal's published volumes).
PROCEDURE_WEIGHTS: Final = MappingProxyType(
    {
        "2.000815": 30.0,  # chứng thực bản sao từ bản chính
        "2.000884": 8.0,  # chứng thực chữ ký
        "1.001193": 12.0,  # đăng ký khai sinh
        "1.004222": 8.0,  # đăng ký thường trú
        "1.004194": 8.0,  # đăng ký tạm trú
        "1.004873": 6.0,  # xác nhận tình trạng hôn nhân
        "1.013978": 6.0,  # đăng ký đất đai
        "1.012783": 4.0,  # cấp đổi giấy chứng nhận
        "1.000894": 4.0,  # đăng ký kết hôn
        "1.000656": 3.0,  # đăng ký khai tử
        "3.000333": 5.0,  # phiếu lý lịch tư pháp
        "3.000348": 3.0,  # cấp lại giấy phép lái xe
        "2.001583": 3.0,  # thành lập công ty TNHH một thành viên
        "1.001612": 3.0,  # thành lập hộ kinh doanh
    }
)
# A procedure offered at both levels is filed at a commune this often.
COMMUNE_SHARE_WHEN_BOTH: Final = 0.8


@dataclass(frozen=True)
class Rates:
    """Probabilities of what happens to a dossier (each among the dossiers that reach that point)."""

    # Channel: online share by online level (Decree 42/2022: toàn trình, một phần); post where allowed.
    online_full: float = 0.6
    online_partial: float = 0.3
    post: float = 0.03
    # Reception (Art. 17): refused at once; sent back for a supplement (Mẫu 02), of which some never return.
    refuse_at_reception: float = 0.02
    supplement_at_reception: float = 0.08
    reception_supplement_abandoned: float = 0.15
    withdraw_while_submitted: float = 0.005
    # Processing (Art. 18-21).
    multi_agency: float = 0.12  # liên thông: handed to a second agency and back
    supplement_in_processing: float = 0.05
    supplement_never_completed: float = 0.1  # closed after 15 days (Art. 19(5))
    refuse_in_processing: float = 0.015
    withdraw_in_processing: float = 0.01
    stop_on_request: float = 0.005
    late: float = 0.07  # the national figures hover around 93-98 % on time
    apology_when_late: float = 0.6
    # Return and after.
    online_result: float = 0.5  # online dossiers asking for the electronic result
    post_result: float = 0.1  # in-person dossiers asking for the result by post
    pay_online: float = 0.75  # online dossiers with fees paying through the portal
    national_portal_payment: float = (
        0.4  # of those, through the national portal (channel 1) not the province's
    )
    rated: float = 0.25
    not_satisfied: float = 0.04
    not_satisfied_when_late: float = 0.25
    very_satisfied: float = 0.7  # of the satisfied ones
    feedback: float = 0.004
    feedback_when_late: float = 0.03


@dataclass(frozen=True)
class YearModel:
    """Everything the simulator draws from; the defaults are the numbers above."""

    month_weights: tuple[float, ...] = MONTH_WEIGHTS
    weekday_weights: tuple[float, ...] = WEEKDAY_WEIGHTS
    day_profile: tuple[float, ...] = DAY_PROFILE
    procedure_weights: MappingProxyType[str, float] = field(default_factory=lambda: PROCEDURE_WEIGHTS)
    rates: Rates = field(default_factory=Rates)


DEFAULT_MODEL: Final = YearModel()
