"""Choices of the dossier lifecycle. The national codes are those of the sync with the national portal."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.IntegerChoices):
    """Submission channel; the codes are the national ones (DOMAIN.md §3)."""

    IN_PERSON = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POST = 3, _("Bưu chính công ích")


class State(models.TextChoices):
    """Our states; each maps onto one national status (NATIONAL_STATUS)."""

    SUBMITTED = "submitted", _("Đã nộp trực tuyến, chờ tiếp nhận")
    RECEPTION_SUPPLEMENT = "reception_supplement", _("Yêu cầu bổ sung khi tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    PROCESSING_SUPPLEMENT = "processing_supplement", _("Yêu cầu bổ sung trong khi giải quyết")
    RESOLVED = "resolved", _("Đã có kết quả, chờ trả")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối")
    STOPPED = "stopped", _("Dừng xử lý")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")


class NationalStatus(models.TextChoices):
    """The statuses used nationally (DOMAIN.md §3)."""

    NEW = "new", _("Mới tiếp nhận")
    SUPPLEMENT = "supplement", _("Yêu cầu bổ sung")
    PROCESSING = "processing", _("Đang xử lý")
    RESOLVED = "resolved", _("Đã xử lý xong")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối")
    STOPPED = "stopped", _("Dừng xử lý")
    WITHDRAWN = "withdrawn", _("Công dân yêu cầu rút hồ sơ")


NATIONAL_STATUS: dict[str, str] = {
    State.SUBMITTED: NationalStatus.NEW,
    State.RECEPTION_SUPPLEMENT: NationalStatus.SUPPLEMENT,
    State.PROCESSING: NationalStatus.PROCESSING,
    State.PROCESSING_SUPPLEMENT: NationalStatus.SUPPLEMENT,
    State.RESOLVED: NationalStatus.RESOLVED,
    State.RETURNED: NationalStatus.RETURNED,
    State.REFUSED: NationalStatus.REFUSED,
    State.STOPPED: NationalStatus.STOPPED,
    State.WITHDRAWN: NationalStatus.WITHDRAWN,
}

TERMINAL_STATES: frozenset[str] = frozenset({State.RETURNED, State.REFUSED, State.STOPPED, State.WITHDRAWN})


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Người nộp hồ sơ")
    REPRESENTATIVE = "representative", _("Người được ủy quyền")


class PartyKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")


class StepOutcome(models.TextChoices):
    """The result of a step at its hand-over (Mẫu 06): early, on time, late."""

    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class SupplementStage(models.TextChoices):
    RECEPTION = "reception", _("Khi tiếp nhận")
    PROCESSING = "processing", _("Trong khi giải quyết")


class DeliveryMethod(models.TextChoices):
    COUNTER = "counter", _("Tại Bộ phận Một cửa")
    POST = "post", _("Qua bưu chính công ích")
    ONLINE = "online", _("Trực tuyến (bản điện tử)")


class RatingLevel(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    NOT_SATISFIED = "not_satisfied", _("Không hài lòng")
