"""Choices of the procedure catalog. Each one cites the text that defines it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã công bố")
    RETIRED = "retired", _("Đã bãi bỏ")


class TimeUnit(models.TextChoices):
    """Units of a statutory time limit; the same values as `cchc.workdays.TIME_UNITS` (due_at)."""

    HOURS = "hours", _("giờ")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    DAYS = "days", _("ngày")
    WORKING_DAYS = "working_days", _("ngày làm việc")
    MONTHS = "months", _("tháng")


class OnlineLevel(models.TextChoices):
    """Online public service levels, Decree 42/2022/NĐ-CP Art. 11 (replacing the old levels 1–4)."""

    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không cung cấp trực tuyến")


class ComponentKind(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    COPY = "copy", _("Bản sao")
    CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực")
    EITHER = "either", _("Bản chính hoặc bản sao có chứng thực")
    ORIGINAL_AND_COPY = "original_and_copy", _("Bản chính và bản sao")


class FeeKind(models.TextChoices):
    """Law on Fees and Charges 2015 Art. 3: phí (fee for a service) and lệ phí (charge for a state act)."""

    FEE = "fee", _("Phí")
    CHARGE = "charge", _("Lệ phí")


class Channel(models.TextChoices):
    """Submission channels; the national sync codes are 1 in person, 2 online, 3 public post."""

    COUNTER = "counter", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Dịch vụ bưu chính")


class RequiredPart(models.TextChoices):
    """The 7 parts that must be published in full: Decree 63/2010/NĐ-CP Art. 8(2); Decision 766, component 1.3."""

    NAME = "name", _("Tên thủ tục")
    STEPS = "steps", _("Trình tự thực hiện")
    METHOD = "method", _("Cách thức thực hiện")
    COMPONENTS = "components", _("Thành phần, số lượng hồ sơ")
    TIME_LIMIT = "time_limit", _("Thời hạn giải quyết")
    APPLICANTS = "applicants", _("Đối tượng thực hiện")
    AGENCY = "agency", _("Cơ quan thực hiện")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã trình")
    APPROVED = "approved", _("Đã phê duyệt")


class CutKind(models.TextChoices):
    COMPONENT = "component", _("Thành phần hồ sơ")
    STEP = "step", _("Bước thực hiện")
    TIME = "time", _("Thời hạn giải quyết")
    FEE = "fee", _("Phí, lệ phí")
    OTHER = "other", _("Khác")
