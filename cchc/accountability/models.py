"""What units answer for (trách nhiệm giải trình; DOMAIN.md §8): the head's yearly commitment (cam kết) and its
items, some of them targets read from the platform's live figures; inspections (kiểm tra CCHC, kiểm tra công
vụ) with their findings, required remedies followed until closed, and discipline recommendations; and
emulation and rewards (thi đua, khen thưởng): proposals drafted from results, decided by a person, and the
register of initiatives (sáng kiến).

A commitment is drafted (items added) by the unit's leader or administrator or by Home Affairs, then signed by
the unit's head (lãnh đạo); a signed commitment no longer changes. A target item names a metric of
`cchc.parindex.metrics` (the same readings as the PAR Index's automatic criteria), a comparison and a target in
percent; it is met when the year's reading meets the target. Any other item is judged by Home Affairs on the
unit's evidence.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.blobs import StoredFileRecord


class Commitment(models.Model):
    """A unit head's commitment for a year (bản cam kết thực hiện nhiệm vụ cải cách hành chính)."""

    year = models.PositiveSmallIntegerField(_("năm"))
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người ký"),
    )  # fmt: skip
    signed_at = models.DateTimeField(_("thời điểm ký"), null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("cam kết")
        verbose_name_plural = _("cam kết")
        constraints = [models.UniqueConstraint(fields=["year", "unit"], name="commitment_year_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"


class Comparison(models.TextChoices):
    AT_LEAST = "gte", "≥"
    AT_MOST = "lte", "≤"


class CommitmentItem(models.Model):
    """One item (nội dung cam kết): a target on a metric (`metric`, `comparison`, `target` in percent) or a
    duty judged by Home Affairs (`judged_met`, with its note, who and when)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("số thứ tự"), max_length=20)
    text = models.TextField(_("nội dung cam kết"))
    metric = models.CharField(_("chỉ số đo tự động"), max_length=60, blank=True)
    comparison = models.CharField(
        _("so sánh"), max_length=3, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    target = models.DecimalField(_("chỉ tiêu (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    judged_met = models.BooleanField(_("đạt"), null=True, blank=True)
    judged_note = models.TextField(_("nhận xét"), blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    judged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nội dung cam kết")
        verbose_name_plural = _("nội dung cam kết")
        ordering = ["commitment", "code"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "code"], name="commitment_item_code"),
            # A target item has its metric and its target; a judged item has neither.
            models.CheckConstraint(
                condition=(models.Q(metric="") & models.Q(target__isnull=True))
                | (~models.Q(metric="") & models.Q(target__isnull=False)),
                name="commitment_item_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class CommitmentEvidence(StoredFileRecord):
    """A file the unit offers to show an item is kept (tài liệu kiểm chứng), stored once by its SHA-256."""

    item = models.ForeignKey(CommitmentItem, on_delete=models.CASCADE, related_name="evidence_files")

    class Meta:
        verbose_name = _("tài liệu kiểm chứng cam kết")
        verbose_name_plural = _("tài liệu kiểm chứng cam kết")


# -- inspections ------------------------------------------------------------------------------------------------
class InspectionKind(models.TextChoices):
    REFORM = "reform", _("Kiểm tra công tác cải cách hành chính")
    PUBLIC_DUTY = "public_duty", _("Kiểm tra công vụ")


class InspectionMode(models.TextChoices):
    PLANNED = "planned", _("Theo kế hoạch")
    UNANNOUNCED = "unannounced", _("Đột xuất")


class InspectionState(models.TextChoices):
    PLANNED = "planned", _("Chưa tiến hành")
    CONDUCTED = "conducted", _("Đã kiểm tra, chưa kết luận")
    CONCLUDED = "concluded", _("Đã kết luận, đang khắc phục")
    CLOSED = "closed", _("Đã hoàn thành")


class Inspection(models.Model):
    """An inspection (cuộc kiểm tra) by Home Affairs' team of one or more units. An unannounced one (đột xuất)
    stays hidden from the units inspected until it has taken place."""

    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại kiểm tra"), max_length=12, choices=InspectionKind.choices)
    mode = models.CharField(_("hình thức"), max_length=12, choices=InspectionMode.choices)
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=InspectionState.choices, default=InspectionState.PLANNED
    )
    title = models.CharField(_("nội dung kiểm tra"), max_length=255)
    decision_number = models.CharField(_("số quyết định kiểm tra"), max_length=60, blank=True)
    team_leader = models.CharField(_("trưởng đoàn"), max_length=120)
    team_members = models.TextField(_("thành viên đoàn (mỗi dòng một người)"), blank=True)
    units = models.ManyToManyField("orgs.Unit", related_name="+", verbose_name=_("đơn vị được kiểm tra"))
    scheduled_on = models.DateField(_("ngày dự kiến"))
    conducted_on = models.DateField(_("ngày kiểm tra"), null=True, blank=True)
    conclusion = models.TextField(_("kết luận"), blank=True)
    concluded_at = models.DateTimeField(_("thời điểm kết luận"), null=True, blank=True)
    closed_at = models.DateTimeField(_("thời điểm hoàn thành"), null=True, blank=True)
    # The citizen report (harassment, bribe-seeking) that prompted an unannounced inspection.
    feedback = models.ForeignKey(
        "feedback.Feedback", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("phản ánh liên quan"),
    )  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("cuộc kiểm tra")
        verbose_name_plural = _("cuộc kiểm tra")
        ordering = ["-year", "scheduled_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Finding(models.Model):
    """What the team found at one unit (kết quả kiểm tra, tồn tại, hạn chế)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    text = models.TextField(_("nội dung phát hiện"))
    recorded_at = models.DateTimeField(_("thời điểm ghi nhận"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("phát hiện qua kiểm tra")
        verbose_name_plural = _("phát hiện qua kiểm tra")
        ordering = ["inspection", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class RemedyState(models.TextChoices):
    OPEN = "open", _("Đang khắc phục")
    REPORTED = "reported", _("Đơn vị đã báo cáo khắc phục")
    CLOSED = "closed", _("Đã khắc phục xong")


class Remedy(models.Model):
    """A required fix (yêu cầu khắc phục) with its deadline, followed until Home Affairs accepts it."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="remedies")
    text = models.TextField(_("yêu cầu khắc phục"))
    deadline = models.DateField(_("thời hạn khắc phục"))
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=RemedyState.choices, default=RemedyState.OPEN
    )
    unit_report = models.TextField(_("báo cáo khắc phục của đơn vị"), blank=True)
    reported_at = models.DateTimeField(_("thời điểm báo cáo"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("ý kiến của đoàn kiểm tra"), blank=True)
    closed_at = models.DateTimeField(_("thời điểm hoàn thành"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("yêu cầu khắc phục")
        verbose_name_plural = _("yêu cầu khắc phục")
        ordering = ["finding", "deadline", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class RemedyEvidence(StoredFileRecord):
    """A file that shows a remedy done (tài liệu chứng minh khắc phục), stored once by its SHA-256."""

    remedy = models.ForeignKey(Remedy, on_delete=models.CASCADE, related_name="evidence_files")

    class Meta:
        verbose_name = _("tài liệu khắc phục")
        verbose_name_plural = _("tài liệu khắc phục")


class DisciplineMeasure(models.TextChoices):
    """The disciplinary measures for civil servants (Decree 112/2020/NĐ-CP Art. 7, as amended by Decree
    71/2023/NĐ-CP); the recommendation names one, the competent authority decides."""

    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    DEMOTION_PAY = "pay_demotion", _("Hạ bậc lương")
    DEMOTION = "demotion", _("Giáng chức")
    DISMISSAL_POST = "removal", _("Cách chức")
    DISMISSAL = "dismissal", _("Buộc thôi việc")


class DisciplineRecommendation(models.Model):
    """A recommendation to discipline an official (kiến nghị xử lý kỷ luật) arising from a finding, and the
    competent authority's decision when it comes. The official is named as text: not every official has an
    account here."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="discipline")
    official_name = models.CharField(_("họ tên"), max_length=120)
    official_position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    measure = models.CharField(_("hình thức kiến nghị"), max_length=16, choices=DisciplineMeasure.choices)
    reason = models.TextField(_("lý do"))
    recommended_at = models.DateTimeField(_("thời điểm kiến nghị"))
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.TextField(_("kết quả xử lý"), blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)

    class Meta:
        verbose_name = _("kiến nghị xử lý kỷ luật")
        verbose_name_plural = _("kiến nghị xử lý kỷ luật")
        ordering = ["finding", "pk"]

    def __str__(self) -> str:
        return self.official_name


# -- emulation and rewards --------------------------------------------------------------------------------------
class ProposalKind(models.TextChoices):
    REWARD = "reward", _("Đề nghị khen thưởng")
    CRITICISM = "criticism", _("Đề nghị phê bình")


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("Chờ quyết định")
    APPROVED = "approved", _("Đã quyết định")
    REJECTED = "rejected", _("Không chấp nhận")


class RewardProposal(models.Model):
    """A proposal to reward or criticise a unit (đề nghị khen thưởng, phê bình), drafted by the platform from the
    year's results (`basis`, `grounds`) and decided by a person."""

    year = models.PositiveSmallIntegerField(_("năm"))
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    kind = models.CharField(_("loại đề xuất"), max_length=10, choices=ProposalKind.choices)
    grounds = models.TextField(_("căn cứ"))
    # The figures the draft rested on: {"par_index": "91.25", "tasks_due": 4, ...}.
    basis = models.JSONField(_("số liệu căn cứ"), default=dict)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=ProposalState.choices, default=ProposalState.PROPOSED
    )
    drafted_at = models.DateTimeField(_("thời điểm lập"))
    decided_at = models.DateTimeField(_("thời điểm quyết định"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.TextField(_("quyết định"), blank=True)

    class Meta:
        verbose_name = _("đề xuất khen thưởng, phê bình")
        verbose_name_plural = _("đề xuất khen thưởng, phê bình")
        constraints = [models.UniqueConstraint(fields=["year", "unit"], name="rewardproposal_year_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.kind}"


class InitiativeState(models.TextChoices):
    SUBMITTED = "submitted", _("Đã đăng ký, chờ đánh giá")
    RECOGNISED = "recognised", _("Được công nhận")
    NOT_RECOGNISED = "not_recognised", _("Không được công nhận")


class Initiative(models.Model):
    """An initiative or idea of civil servants (sáng kiến, ý tưởng cải cách hành chính) in the register."""

    year = models.PositiveSmallIntegerField(_("năm"))
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    title = models.CharField(_("tên sáng kiến"), max_length=255)
    authors = models.CharField(_("tác giả"), max_length=255)
    area = models.CharField(_("lĩnh vực cải cách"), max_length=20)  # cchc.plans.models.Area
    summary = models.TextField(_("nội dung tóm tắt"))
    benefit = models.TextField(_("hiệu quả mang lại"), blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=InitiativeState.choices, default=InitiativeState.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("thời điểm đăng ký"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(_("thời điểm đánh giá"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assessment_note = models.TextField(_("ý kiến đánh giá"), blank=True)

    class Meta:
        verbose_name = _("sáng kiến")
        verbose_name_plural = _("sáng kiến")
        ordering = ["-year", "-submitted_at", "pk"]

    def __str__(self) -> str:
        return self.title
