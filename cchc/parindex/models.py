"""The PAR Index's criteria sets (bộ tiêu chí xác định Chỉ số cải cách hành chính; DOMAIN.md §7).

A set is data, versioned by year and by audience (the province, departments, communes): a tree of areas
(lĩnh vực) → criteria (tiêu chí) → component criteria (tiêu chí thành phần). Each node has its maximum points;
each leaf its scoring method, guidance and the evidence it asks for. Nothing about a set is hard-coded: the
provincial set follows Decision 876/QĐ-BNV (8 areas, 37 criteria, 88 component criteria; 68 appraisal and 32
survey points), a province's own sets for its departments and communes follow its decision; points the source
does not confirm carry `verify`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.blobs import StoredFileRecord


class Audience(models.TextChoices):
    """Who a set scores (đối tượng đánh giá)."""

    PROVINCE = "province", _("Tỉnh, thành phố (Bộ Nội vụ đánh giá)")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    COMMUNE = "commune", _("UBND xã, phường, đặc khu")


class Level(models.TextChoices):
    AREA = "area", _("Lĩnh vực")
    CRITERION = "criterion", _("Tiêu chí")
    COMPONENT = "component", _("Tiêu chí thành phần")


class Method(models.TextChoices):
    """How a leaf is scored (phương pháp chấm điểm)."""

    MANUAL = "manual", _("Tự chấm, thẩm định")
    EVIDENCE = "evidence", _("Chấm theo tài liệu kiểm chứng")
    AUTOMATIC = "automatic", _("Tự động từ dữ liệu của nền tảng")
    SURVEY = "survey", _("Điều tra xã hội học")
    DEDUCTION = "deduction", _("Điểm trừ")


class CriteriaSet(models.Model):
    """One year's criteria for one audience (bộ tiêu chí)."""

    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    audience = models.CharField(_("đối tượng"), max_length=16, choices=Audience.choices)
    name = models.CharField(_("tên bộ tiêu chí"), max_length=255)
    source = models.CharField(_("văn bản ban hành"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("bộ tiêu chí Chỉ số CCHC")
        verbose_name_plural = _("bộ tiêu chí Chỉ số CCHC")
        constraints = [models.UniqueConstraint(fields=["year", "audience"], name="criteriaset_year_audience")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Criterion(models.Model):
    """A node of the tree: an area, a criterion or a component criterion.

    `max_points` is what the node is worth; for a deduction (điểm trừ) it is the most it can take away, and it
    is not part of its parent's maximum. Only leaves are scored, by their `method`.
    """

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    code = models.CharField(_("mã"), max_length=20)
    position = models.PositiveIntegerField(_("thứ tự"))
    title = models.TextField(_("nội dung"))
    max_points = models.DecimalField(
        _("điểm tối đa"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    method = models.CharField(_("phương pháp chấm"), max_length=16, choices=Method.choices, blank=True)
    guidance = models.TextField(_("hướng dẫn chấm"), blank=True)
    evidence = models.TextField(_("tài liệu kiểm chứng"), blank=True)
    metric = models.CharField(_("chỉ số tự động"), max_length=40, blank=True)
    # How an automatic leaf's rate becomes points (cchc.parindex.rules): empty is proportional.
    rule = models.CharField(_("quy tắc tính điểm"), max_length=255, blank=True)
    verify = models.BooleanField(_("cần đối chiếu văn bản"), default=False)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "position"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_set_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


# Who scores for a unit (its own staff); submitting is the leader's.
UNIT_ROLES = ("leader", "specialist", "unit_admin")


class AssessmentState(models.TextChoices):
    OPEN = "open", _("Đang đánh giá")
    PUBLISHED = "published", _("Đã công bố")


class Assessment(models.Model):
    """One year's scoring of one criteria set (đợt đánh giá, xác định Chỉ số CCHC), opened by Home Affairs."""

    criteria_set = models.OneToOneField(CriteriaSet, on_delete=models.PROTECT, related_name="assessment")
    self_assessment_due = models.DateField(_("hạn tự đánh giá"))
    appraisal_due = models.DateField(_("hạn thẩm định"))
    clarification_days = models.PositiveSmallIntegerField(_("số ngày giải trình"), default=5)
    # The survey whose results fill the survey criteria (their `metric`: sipas_overall or sipas_<factor code>).
    questionnaire = models.ForeignKey(
        "Questionnaire", on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=AssessmentState.choices, default=AssessmentState.OPEN
    )
    opened_at = models.DateTimeField(_("thời điểm mở"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("thời điểm công bố"), null=True, blank=True)

    class Meta:
        verbose_name = _("đợt đánh giá Chỉ số CCHC")
        verbose_name_plural = _("đợt đánh giá Chỉ số CCHC")

    def __str__(self) -> str:
        return str(self.criteria_set)


class UnitState(models.TextChoices):
    DRAFT = "draft", _("Đang tự đánh giá")
    SUBMITTED = "submitted", _("Đã gửi, đang thẩm định")
    PUBLISHED = "published", _("Đã công bố")


class UnitAssessment(models.Model):
    """A unit's scores in an assessment (kết quả tự đánh giá, thẩm định của đơn vị)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="units")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=UnitState.choices, default=UnitState.DRAFT
    )
    submitted_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # The result as published (kết quả công bố), frozen at publication (cchc.parindex.workflow).
    total = models.DecimalField(_("điểm đạt"), max_digits=7, decimal_places=2, null=True, blank=True)
    maximum = models.DecimalField(_("điểm tối đa"), max_digits=7, decimal_places=2, null=True, blank=True)
    index = models.DecimalField(_("chỉ số"), max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("xếp hạng"), null=True, blank=True)

    class Meta:
        verbose_name = _("kết quả đánh giá của đơn vị")
        verbose_name_plural = _("kết quả đánh giá của đơn vị")
        constraints = [models.UniqueConstraint(fields=["assessment", "unit"], name="unitassessment_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.assessment_id}"


class Score(models.Model):
    """One leaf criterion's points for a unit: self-assessed, then appraised (điểm tự đánh giá, thẩm định)."""

    unit_assessment = models.ForeignKey(UnitAssessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField(_("điểm tự đánh giá"), max_digits=6, decimal_places=2, null=True)
    explanation = models.TextField(_("giải trình"), blank=True)
    appraised_points = models.DecimalField(_("điểm thẩm định"), max_digits=6, decimal_places=2, null=True)
    appraisal_reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    clarification_request = models.TextField(_("nội dung đề nghị giải trình"), blank=True)
    clarification_until = models.DateField(_("hạn giải trình"), null=True, blank=True)

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["unit_assessment", "criterion"], name="score_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.unit_assessment_id} {self.criterion_id}"


class Evidence(StoredFileRecord):
    """A file that proves a score (tài liệu kiểm chứng), stored once by its SHA-256 (cchc.core.blobs)."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence_files")

    class Meta:
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")


class ScoreEvent(models.Model):
    """The append-only history of every score change and step (lịch sử chấm điểm): rows are never updated or
    deleted (`save` refuses an update, `delete` refuses)."""

    unit_assessment = models.ForeignKey(UnitAssessment, on_delete=models.PROTECT, related_name="events")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(_("thao tác"), max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("thời điểm"))
    points_before = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    points_after = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lịch sử chấm điểm")
        verbose_name_plural = _("lịch sử chấm điểm")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%d/%m/%Y %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Lịch sử chấm điểm chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("Lịch sử chấm điểm không được xóa.")


class SurveyMethod(models.TextChoices):
    """How a question's answers on the 5-point scale become its index (chỉ số thành phần), 0 to 1."""

    SATISFIED_SHARE = "satisfied_share", _("Tỷ lệ hài lòng (mức 4 và 5 trên tổng số trả lời)")
    MEAN_SCORE = "mean_score", _("Điểm trung bình quy về 0–1 ((trung bình − 1) ÷ 4)")


class Questionnaire(models.Model):
    """A satisfaction survey (khảo sát sự hài lòng, SIPAS): factors, questions on a 5-point scale, a formula."""

    year = models.PositiveSmallIntegerField(_("năm khảo sát"))
    name = models.CharField(_("tên bộ câu hỏi"), max_length=255)
    method = models.CharField(
        _("cách tính"), max_length=24, choices=SurveyMethod.choices, default=SurveyMethod.SATISFIED_SHARE
    )

    class Meta:
        verbose_name = _("bộ câu hỏi khảo sát")
        verbose_name_plural = _("bộ câu hỏi khảo sát")

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class SurveyFactor(models.Model):
    """A factor of the survey (yếu tố), e.g. access to the service, procedures, staff, results."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="factors")
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên yếu tố"), max_length=255)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("yếu tố khảo sát")
        verbose_name_plural = _("yếu tố khảo sát")
        ordering = ["questionnaire", "position"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="surveyfactor_code")]

    def __str__(self) -> str:
        return self.name


class SurveyQuestion(models.Model):
    factor = models.ForeignKey(SurveyFactor, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("mã"), max_length=20)
    text = models.TextField(_("câu hỏi"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("câu hỏi khảo sát")
        verbose_name_plural = _("câu hỏi khảo sát")
        ordering = ["factor", "position"]

    def __str__(self) -> str:
        return self.code


class SurveyAnswerCount(models.Model):
    """The answers of one unit's respondents to one question, by level (1 very dissatisfied … 5 very satisfied).
    Imported aggregated: the platform never holds a respondent's personal answers."""

    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    level_1 = models.PositiveIntegerField(default=0)
    level_2 = models.PositiveIntegerField(default=0)
    level_3 = models.PositiveIntegerField(default=0)
    level_4 = models.PositiveIntegerField(default=0)
    level_5 = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("kết quả trả lời khảo sát")
        verbose_name_plural = _("kết quả trả lời khảo sát")
        constraints = [models.UniqueConstraint(fields=["question", "unit"], name="surveyanswer_unit")]

    def __str__(self) -> str:
        return f"{self.question_id} {self.unit_id}"
