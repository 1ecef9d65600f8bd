"""Feedback and complaints (phản ánh, kiến nghị, PAKN) from citizens, and their append-only history.

A feedback is about a dossier, a procedure or a unit (Decree 20/2008/NĐ-CP as amended by Decree 92/2017/NĐ-CP;
DOMAIN.md §5). A report of harassment or bribe-seeking (nhũng nhiễu, vòi vĩnh) is confidential: it never
appears on public pages, and only the unit's leaders and Home Affairs read it.

Personal data (Decree 13/2023/NĐ-CP): the sender's phone is masked in lists and logs (cchc.core.masking).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.models import RatingLevel


class Subject(models.TextChoices):
    """What the feedback is about (đối tượng phản ánh)."""

    DOSSIER = "dossier", _("Hồ sơ thủ tục hành chính")
    PROCEDURE = "procedure", _("Thủ tục hành chính")
    UNIT = "unit", _("Cơ quan, đơn vị")


class Kind(models.TextChoices):
    """The kind of feedback (loại phản ánh)."""

    COMPLAINT = "complaint", _("Phản ánh")
    PROPOSAL = "proposal", _("Kiến nghị")
    HARASSMENT = "harassment", _("Phản ánh hành vi nhũng nhiễu, vòi vĩnh")


# Kinds that count as a complaint about a dossier in the 766 satisfaction figures (DOMAIN.md §6).
COMPLAINT_KINDS: frozenset[str] = frozenset({Kind.COMPLAINT, Kind.HARASSMENT})


class State(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận, đang xử lý")
    MORE_REQUESTED = "more_requested", _("Chờ người gửi bổ sung thông tin")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    ANSWERED = "answered", _("Đã trả lời")
    PUBLISHED = "published", _("Đã trả lời và công khai")


# Handling has ended (the 766 "handled" measure): refused, or answered (published or not).
HANDLED_STATES: frozenset[str] = frozenset({State.REFUSED, State.ANSWERED, State.PUBLISHED})
OPEN_STATES: frozenset[str] = frozenset({State.RECEIVED, State.MORE_REQUESTED})


class Feedback(models.Model):
    """One feedback (phản ánh, kiến nghị), its due times and its outcome.

    The due times are computed once, when the feedback is (re)received and when it is answered, and stored,
    so lists sort and filter on them. `next_due_at` is the one that matters now (null while nothing is due).
    """

    code = models.CharField(_("mã phản ánh"), max_length=24, unique=True)
    lookup_key = models.CharField(_("mã tra cứu"), max_length=12)
    subject = models.CharField(_("đối tượng"), max_length=12, choices=Subject.choices)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    confidential = models.BooleanField(_("bảo mật"), default=False)
    state = models.CharField(_("trạng thái"), max_length=16, choices=State.choices, db_index=True)
    # Compare-and-set guard: every change bumps it; a stale staff form carries the old value and is refused.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    content = models.TextField(_("nội dung"))
    sender_name = models.CharField(_("họ tên người gửi"), max_length=255, blank=True)
    sender_phone = models.CharField(_("điện thoại người gửi"), max_length=20, blank=True)
    sender_email = models.EmailField(_("thư điện tử người gửi"), blank=True)
    # A signed-in citizen (tài khoản công dân) is recorded as the sender.
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_sent",
        verbose_name=_("tài khoản người gửi"),
    )

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name=_("hồ sơ"),
    )
    procedure = models.ForeignKey(
        "catalog.Procedure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name=_("thủ tục"),
    )
    # The unit that handles it: the dossier's competent unit, the unit picked, or the feedback office.
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="feedback", verbose_name=_("cơ quan xử lý")
    )
    # What the feedback is about, as it was named when sent (procedure name, unit name): shown in lists.
    subject_name = models.CharField(_("tên đối tượng"), max_length=500, blank=True)

    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    # The last receipt (the first one, or the sender's last addition): the limits count from it.
    clock_started_at = models.DateTimeField(_("thời điểm bắt đầu tính hạn"))
    refuse_due_at = models.DateTimeField(_("hạn từ chối tiếp nhận"))
    more_due_at = models.DateTimeField(_("hạn đề nghị bổ sung"))
    answer_due_at = models.DateTimeField(_("hạn trả lời"))
    publish_due_at = models.DateTimeField(_("hạn công khai"), null=True, blank=True)
    next_due_at = models.DateTimeField(_("hạn tiếp theo"), null=True, blank=True)

    more_question = models.TextField(_("nội dung đề nghị bổ sung"), blank=True)
    more_requested_at = models.DateTimeField(_("thời điểm đề nghị bổ sung"), null=True, blank=True)
    refused_at = models.DateTimeField(_("thời điểm từ chối"), null=True, blank=True)
    refuse_reason = models.TextField(_("lý do từ chối"), blank=True)
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    published_at = models.DateTimeField(_("thời điểm công khai"), null=True, blank=True)
    # The question as published: edited by staff to remove personal data.
    public_summary = models.TextField(_("nội dung công khai"), blank=True)
    # The answer as published: long numbers and e-mail addresses hidden (cchc.feedback.redaction).
    public_answer = models.TextField(_("nội dung trả lời công khai"), blank=True)
    # fold() of what is published, for accent-free search of the public list.
    search_folded = models.TextField(blank=True, editable=False)

    rating = models.CharField(_("mức độ hài lòng"), max_length=16, choices=RatingLevel.choices, blank=True)
    rating_comment = models.TextField(_("ý kiến đánh giá"), blank=True)
    rated_at = models.DateTimeField(_("thời điểm đánh giá"), null=True, blank=True)

    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        indexes = [
            models.Index(fields=["unit", "state", "next_due_at"], name="feedback_unit_state_due"),
            models.Index(fields=["received_at"], name="feedback_received_at"),
            models.Index(fields=["state", "published_at"], name="feedback_published"),
        ]
        constraints = [
            # A harassment report is always confidential (DOMAIN.md §5).
            models.CheckConstraint(
                condition=~Q(kind="harassment") | Q(confidential=True),
                name="feedback_harassment_confidential",
            ),
            # A confidential feedback is never published.
            models.CheckConstraint(
                condition=~Q(state="published") | Q(confidential=False),
                name="feedback_confidential_unpublished",
            ),
            models.CheckConstraint(
                condition=(Q(subject="dossier") & Q(dossier__isnull=False))
                | (Q(subject="procedure") & Q(procedure__isnull=False))
                | Q(subject="unit"),
                name="feedback_subject_target",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class FeedbackEventQuerySet(models.QuerySet["FeedbackEvent"]):
    """Bulk updates and deletes are refused: the history is append-only."""

    def update(self, **kwargs: Any) -> int:
        raise HistoryIsAppendOnlyError("Nhật ký phản ánh chỉ được ghi thêm, không được sửa.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise HistoryIsAppendOnlyError("Nhật ký phản ánh không được xóa.")


class HistoryIsAppendOnlyError(Exception):
    """An event of a feedback's history was about to be changed or deleted."""


class FeedbackEvent(models.Model):
    """One action on a feedback (nhật ký xử lý): who (null: the sender or the platform), when, what."""

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("số thứ tự"))
    action = models.CharField(_("thao tác"), max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by_sender = models.BooleanField(_("do người gửi thực hiện"), default=False)
    at = models.DateTimeField(_("thời điểm"))
    state_before = models.CharField(_("trạng thái trước"), max_length=16, blank=True)
    state_after = models.CharField(_("trạng thái sau"), max_length=16)
    changes = models.JSONField(_("nội dung"), default=dict)

    objects = FeedbackEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện phản ánh")
        verbose_name_plural = _("nhật ký phản ánh")
        ordering = ["feedback_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["feedback", "seq"], name="feedback_event_unique_seq")]

    def __str__(self) -> str:
        return f"{self.feedback_id}#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise HistoryIsAppendOnlyError("Nhật ký phản ánh chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise HistoryIsAppendOnlyError("Nhật ký phản ánh không được xóa.")


class FeedbackSequence(models.Model):
    """The last number given to a feedback code on one day (PAKN-yymmdd-xxxx)."""

    day = models.DateField(_("ngày"), unique=True)
    last = models.PositiveIntegerField(_("số cuối"), default=0)

    class Meta:
        verbose_name = _("số thứ tự phản ánh trong ngày")
        verbose_name_plural = _("số thứ tự phản ánh trong ngày")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}: {self.last}"
