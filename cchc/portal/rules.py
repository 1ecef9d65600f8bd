"""The numbers and texts of the citizen portal's tracking and evaluation, each with its source.

Decree 118/2025/NĐ-CP Art. 29-34 sets what applicants evaluate; the points and grades come from the 2018 rules
(DOMAIN.md §5, "verify"). Limits that are ours (throttling, link lifetime) may be overridden in settings.
"""

from __future__ import annotations

from typing import Final

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from cchc.dossiers.models import State

# -- rating (đánh giá mức độ hài lòng) ---------------------------------------------------------------------------
# A dossier is rated once it has been returned (Decree 118/2025 Art. 22 ends the one-stop process with the
# return of the result; Art. 33 has the applicant judge the whole handling, return included). A resolved dossier
# still waiting at the counter is not rated yet: its return is part of what is judged.
RATEABLE_STATES: Final[frozenset[str]] = frozenset({State.RETURNED})
RATING_COMMENT_MAX_CHARS: Final = 1000

# The signed rating link's lifetime lives with the link: cchc.dossiers.rating_links.RATING_LINK_MAX_AGE.


# -- evaluation of the handling (đánh giá việc giải quyết TTHC), Decree 118/2025 Art. 33 ------------------------
# The 9 indicators the applicant judges (Decree 118/2025 Art. 33; DOMAIN.md §5), in the decree's order.
INDICATORS: Final[tuple[StrOrPromise, ...]] = (
    _("Tổng thời gian giải quyết thủ tục hành chính so với thời hạn theo quy định"),
    _("Thời gian thực hiện của từng cơ quan, đơn vị tham gia giải quyết"),
    _("Số lần phải liên hệ với nơi tiếp nhận hồ sơ để hoàn thiện hồ sơ"),
    _("Số lượng cơ quan, đơn vị, tổ chức phải liên hệ để hoàn thiện hồ sơ"),
    _("Việc tiếp nhận, giải quyết, trả kết quả qua Bộ phận Một cửa"),
    _("Mức độ công khai thủ tục hành chính"),
    _("Thái độ của cán bộ, công chức, viên chức khi hướng dẫn, tiếp nhận, giải quyết hồ sơ"),
    _("Việc tiếp thu, giải trình đối với ý kiến phản ánh, kiến nghị"),
    _("Tiến độ và chất lượng cung cấp dịch vụ công trực tuyến"),
)
INDICATOR_COUNT: Final = 9
# 2 points each, 18 in all: the 2018 scale; the 2025 decree sets no points (DOMAIN.md §5, verify).
POINTS_PER_INDICATOR: Final = 2
MAX_TOTAL: Final = INDICATOR_COUNT * POINTS_PER_INDICATOR


class EvaluationGrade(models.TextChoices):
    """The grade of one evaluation (xếp loại), DOMAIN.md §5 (verify)."""

    EXCELLENT = "excellent", _("Xuất sắc")
    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Khá")
    AVERAGE = "average", _("Trung bình")
    WEAK = "weak", _("Kém")


# Lowest total of each grade, highest first. The 2018 bands (>15 excellent, 12-15 good, 9-12 fair, 6-9 average,
# <6 weak; verify) overlap at 12, 9 and 6: a shared bound belongs to the higher band, which is the reading
# "from 12 to 15" / "from 9 to under 12" of the 2018 texts gives.
GRADE_BANDS: Final[tuple[tuple[int, EvaluationGrade], ...]] = (
    (16, EvaluationGrade.EXCELLENT),  # > 15
    (12, EvaluationGrade.GOOD),  # 12-15
    (9, EvaluationGrade.FAIR),  # 9-11
    (6, EvaluationGrade.AVERAGE),  # 6-8
    (0, EvaluationGrade.WEAK),  # < 6
)


def evaluation_grade(total: int) -> EvaluationGrade:
    """The grade of a total between 0 and MAX_TOTAL."""
    if not 0 <= total <= MAX_TOTAL:
        raise ValueError(f"Tổng điểm phải từ 0 đến {MAX_TOTAL}.")
    for lowest, grade in GRADE_BANDS:
        if total >= lowest:
            return grade
    raise AssertionError("unreachable: the last band starts at 0")  # pragma: no cover


# -- tracking (tra cứu hồ sơ) -------------------------------------------------------------------------------------
# Ours, against guessing (Decree 13/2023/NĐ-CP: protect personal data against unauthorised access). The code plus
# the last 4 digits of a phone number is the weakest credential (10,000 values): at 10 failures per code per hour
# a guesser needs weeks, and the per-address limits stop a sweep over many codes.
TRACKING_SCOPE: Final = "tracking"


def tracking_limits() -> dict[str, tuple[int, int]]:
    """(attempts, window in seconds) for each counter; settings may override them (CCHC_TRACKING_*)."""
    return {
        # failed lookups of one code, whatever the address
        "code": (
            int(getattr(settings, "CCHC_TRACKING_CODE_FAILURES", 10)),
            int(getattr(settings, "CCHC_TRACKING_CODE_WINDOW", 3600)),
        ),
        # failed lookups from one address, whatever the code
        "addr": (
            int(getattr(settings, "CCHC_TRACKING_ADDRESS_FAILURES", 20)),
            int(getattr(settings, "CCHC_TRACKING_ADDRESS_WINDOW", 900)),
        ),
        # every lookup from one address, successful or not
        "addr_all": (
            int(getattr(settings, "CCHC_TRACKING_ADDRESS_LOOKUPS", 120)),
            int(getattr(settings, "CCHC_TRACKING_ADDRESS_WINDOW", 900)),
        ),
    }
