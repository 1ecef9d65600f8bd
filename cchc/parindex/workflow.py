"""The year's PAR Index workflow (quy trình xác định Chỉ số CCHC; DOMAIN.md §7), one service per step.

1. Home Affairs opens the assessment of a criteria set, with its deadlines (`assessment_open`).
2. Each unit self-assesses: points per leaf, an explanation, evidence files (`self_score`, `evidence_add`),
   and its leader submits by the deadline (`unit_submit`); its scores are then locked.
3. Home Affairs' council appraises: a changed score needs a reason (`appraise`); a criterion may go back to
   the unit for clarification, within `clarification_days` (`clarification_ask`), and the unit answers with a new
   score and explanation until then (`self_score` on that criterion only).
4. Home Affairs publishes (`assessment_publish`): every unit's scores are locked for good.
Every change appends a `ScoreEvent` (append-only history). The unit's lifecycle is `UNIT_TRANSITIONS`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core.blobs import blob_store, stored_file_values
from cchc.orgs.models import Unit
from cchc.orgs.roles import Role
from cchc.orgs.scoping import has_role
from cchc.parindex.models import (
    UNIT_ROLES,
    Assessment,
    AssessmentState,
    CriteriaSet,
    Criterion,
    Evidence,
    Method,
    Score,
    ScoreEvent,
    UnitAssessment,
    UnitState,
)
from cchc.parindex.selectors import assessment_results

# (state, action) → new state. Publishing also takes units that never submitted (they keep what was appraised).
UNIT_TRANSITIONS: dict[tuple[str, str], str] = {
    (UnitState.DRAFT, "submit"): UnitState.SUBMITTED,
    (UnitState.DRAFT, "publish"): UnitState.PUBLISHED,
    (UnitState.SUBMITTED, "publish"): UnitState.PUBLISHED,
}


class WorkflowError(Exception):
    """A step refused (Vietnamese message); `status` is the HTTP answer a view gives."""

    status = 422


class NotAllowed(WorkflowError):
    status = 403


def _home_affairs(actor: Any) -> None:
    if not has_role(actor, Role.HOME_AFFAIRS):
        raise NotAllowed(_("Chỉ cán bộ Sở Nội vụ (Hội đồng thẩm định) được thực hiện việc này."))


def _unit_member(actor: Any, unit: Unit, roles: tuple[str, ...] = UNIT_ROLES) -> None:
    if not any(has_role(actor, role, unit) for role in roles):
        raise NotAllowed(_("Bạn không thuộc đơn vị %(unit)s.") % {"unit": unit.name})


# The gates, for views to apply before they read a form (a refusal then says nothing about the form's content).
require_home_affairs = _home_affairs
require_unit_member = _unit_member


def _move(unit_assessment: UnitAssessment, action: str) -> None:
    new = UNIT_TRANSITIONS.get((unit_assessment.state, action))
    if new is None:
        raise WorkflowError(
            _("Không thể thực hiện khi kết quả đang ở trạng thái “%(state)s”.")
            % {"state": UnitState(unit_assessment.state).label}
        )
    changed = UnitAssessment.objects.filter(pk=unit_assessment.pk, version=unit_assessment.version).update(
        state=new, version=unit_assessment.version + 1
    )
    if changed != 1:
        raise WorkflowError(_("Kết quả vừa được người khác cập nhật; vui lòng tải lại trang."))
    unit_assessment.state, unit_assessment.version = new, unit_assessment.version + 1


def _event(
    unit_assessment: UnitAssessment,
    action: str,
    actor: Any,
    at: dt.datetime,
    *,
    criterion: Criterion | None = None,
    before: Decimal | None = None,
    after: Decimal | None = None,
    note: str = "",
) -> None:
    ScoreEvent.objects.create(
        unit_assessment=unit_assessment,
        criterion=criterion,
        action=action,
        actor=actor,
        at=at,
        points_before=before,
        points_after=after,
        note=note,
    )


def _points(criterion: Criterion, value: Decimal) -> Decimal:
    if not value.is_finite() or value < 0 or value > criterion.max_points:
        raise WorkflowError(
            _("Điểm của tiêu chí %(code)s phải từ 0 đến %(max)s.")
            % {"code": criterion.code, "max": criterion.max_points}
        )
    if value != value.quantize(Decimal("0.01")):
        raise WorkflowError(_("Điểm chỉ có tối đa 2 chữ số thập phân."))
    return value


def _leaf(unit_assessment: UnitAssessment, criterion: Criterion) -> None:
    if criterion.criteria_set_id != unit_assessment.assessment.criteria_set_id or criterion.children.exists():
        raise WorkflowError(_("Chỉ chấm điểm ở tiêu chí cuối cùng của bộ tiêu chí này."))
    if criterion.method in (Method.AUTOMATIC, Method.SURVEY):
        raise WorkflowError(
            _("Tiêu chí %(code)s được tính tự động hoặc từ điều tra, không tự chấm.")
            % {"code": criterion.code}
        )


@transaction.atomic
def assessment_open(
    *,
    criteria_set: CriteriaSet,
    units: list[Unit],
    self_assessment_due: dt.date,
    appraisal_due: dt.date,
    actor: Any,
    clarification_days: int = 5,
    at: dt.datetime | None = None,
) -> Assessment:
    """Open the year's assessment for `units` (mở đợt đánh giá)."""
    _home_affairs(actor)
    moment = at or timezone.now()
    if appraisal_due < self_assessment_due:
        raise WorkflowError(_("Hạn thẩm định phải sau hạn tự đánh giá."))
    if self_assessment_due < timezone.localdate(moment):
        raise WorkflowError(_("Hạn tự đánh giá đã qua."))
    if not units:
        raise WorkflowError(_("Cần ít nhất một đơn vị được đánh giá."))
    if Assessment.objects.filter(criteria_set=criteria_set).exists():
        raise WorkflowError(_("Bộ tiêu chí này đã có đợt đánh giá."))
    assessment = Assessment.objects.create(
        criteria_set=criteria_set,
        self_assessment_due=self_assessment_due,
        appraisal_due=appraisal_due,
        clarification_days=clarification_days,
        opened_at=moment,
        opened_by=actor,
    )
    for unit in units:
        unit_assessment = UnitAssessment.objects.create(assessment=assessment, unit=unit)
        _event(unit_assessment, "open", actor, moment)
    return assessment


def _locked(unit_assessment: UnitAssessment) -> UnitAssessment:
    return (
        UnitAssessment.objects.select_for_update()
        .select_related("assessment", "unit")
        .get(pk=unit_assessment.pk)
    )


@transaction.atomic
def self_score(
    *,
    unit_assessment: UnitAssessment,
    criterion: Criterion,
    points: Decimal,
    explanation: str,
    actor: Any,
    at: dt.datetime | None = None,
) -> Score:
    """The unit scores one leaf (tự chấm): while it drafts, or later on a criterion returned for clarification
    until its time limit."""
    moment = at or timezone.now()
    unit_assessment = _locked(unit_assessment)
    _unit_member(actor, unit_assessment.unit)
    _leaf(unit_assessment, criterion)
    value = _points(criterion, points)
    score, _created = Score.objects.select_for_update().get_or_create(
        unit_assessment=unit_assessment, criterion=criterion
    )
    today = timezone.localdate(moment)
    if unit_assessment.state == UnitState.DRAFT:
        if today > unit_assessment.assessment.self_assessment_due:
            raise WorkflowError(_("Đã hết hạn tự đánh giá."))
        action = "self_score"
    elif unit_assessment.state == UnitState.SUBMITTED and score.clarification_until is not None:
        if today > score.clarification_until:
            raise WorkflowError(_("Đã hết hạn giải trình tiêu chí %(code)s.") % {"code": criterion.code})
        if not explanation.strip():
            raise WorkflowError(_("Cần nội dung giải trình."))
        action = "clarify"
        score.clarification_until = None
    else:
        raise WorkflowError(_("Điểm tự đánh giá đã khóa sau khi gửi."))
    before = score.self_points
    score.self_points, score.explanation = value, explanation.strip()
    score.save()
    _event(unit_assessment, action, actor, moment, criterion=criterion, before=before, after=value,
           note=score.explanation)  # fmt: skip
    return score


@transaction.atomic
def evidence_add(
    *, score: Score, upload: IO[bytes], name: str, actor: Any, at: dt.datetime | None = None
) -> Evidence:
    """Attach a file to a score (validated by its content, stored once by its SHA-256)."""
    moment = at or timezone.now()
    unit_assessment = _locked(score.unit_assessment)
    _unit_member(actor, unit_assessment.unit)
    if unit_assessment.state != UnitState.DRAFT and score.clarification_until is None:
        raise WorkflowError(_("Tài liệu kiểm chứng đã khóa sau khi gửi."))
    stored = blob_store(upload)
    evidence = Evidence.objects.create(
        score=score, **stored_file_values(stored, name=name, actor=actor, at=moment)
    )
    _event(unit_assessment, "evidence", actor, moment, criterion=score.criterion, note=evidence.name)
    return evidence


@transaction.atomic
def unit_submit(
    *, unit_assessment: UnitAssessment, actor: Any, at: dt.datetime | None = None
) -> UnitAssessment:
    """The unit's leader submits its self-assessment (gửi kết quả tự đánh giá) by the deadline; scores lock."""
    moment = at or timezone.now()
    unit_assessment = _locked(unit_assessment)
    _unit_member(actor, unit_assessment.unit, (Role.LEADER,))
    if timezone.localdate(moment) > unit_assessment.assessment.self_assessment_due:
        raise WorkflowError(_("Đã hết hạn tự đánh giá; liên hệ Sở Nội vụ."))
    _move(unit_assessment, "submit")
    UnitAssessment.objects.filter(pk=unit_assessment.pk).update(submitted_at=moment)
    unit_assessment.submitted_at = moment
    _event(unit_assessment, "submit", actor, moment)
    return unit_assessment


def _appraisable(score: Score) -> UnitAssessment:
    unit_assessment = _locked(score.unit_assessment)
    if unit_assessment.assessment.state != AssessmentState.OPEN:
        raise WorkflowError(_("Kết quả đã công bố; không thể thay đổi."))
    if unit_assessment.state != UnitState.SUBMITTED:
        raise WorkflowError(_("Đơn vị chưa gửi kết quả tự đánh giá."))
    return unit_assessment


@transaction.atomic
def appraise(
    *, score: Score, points: Decimal, reason: str, actor: Any, at: dt.datetime | None = None
) -> Score:
    """The council's score for a leaf (điểm thẩm định); a score that differs from the unit's needs a reason."""
    moment = at or timezone.now()
    _home_affairs(actor)
    score = Score.objects.select_for_update().select_related("criterion").get(pk=score.pk)
    unit_assessment = _appraisable(score)
    value = _points(score.criterion, points)
    if value != score.self_points and not reason.strip():
        raise WorkflowError(_("Cần nêu lý do khi điểm thẩm định khác điểm tự đánh giá."))
    before = score.appraised_points if score.appraised_points is not None else score.self_points
    score.appraised_points, score.appraisal_reason = value, reason.strip()
    score.save(update_fields=["appraised_points", "appraisal_reason"])
    _event(unit_assessment, "appraise", actor, moment, criterion=score.criterion, before=before, after=value,
           note=score.appraisal_reason)  # fmt: skip
    return score


@transaction.atomic
def clarification_ask(*, score: Score, request: str, actor: Any, at: dt.datetime | None = None) -> Score:
    """Return a criterion to the unit for clarification (đề nghị giải trình), within the assessment's days."""
    moment = at or timezone.now()
    _home_affairs(actor)
    score = Score.objects.select_for_update().select_related("criterion").get(pk=score.pk)
    unit_assessment = _appraisable(score)
    if not request.strip():
        raise WorkflowError(_("Cần nêu nội dung đề nghị giải trình."))
    score.clarification_request = request.strip()
    score.clarification_until = timezone.localdate(moment) + dt.timedelta(
        days=unit_assessment.assessment.clarification_days
    )
    score.save(update_fields=["clarification_request", "clarification_until"])
    _event(
        unit_assessment,
        "clarification_ask",
        actor,
        moment,
        criterion=score.criterion,
        note=score.clarification_request,
    )
    return score


@transaction.atomic
def assessment_publish(*, assessment: Assessment, actor: Any, at: dt.datetime | None = None) -> Assessment:
    """Publish the results (công bố): every unit's scores lock for good."""
    moment = at or timezone.now()
    _home_affairs(actor)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.state != AssessmentState.OPEN:
        raise WorkflowError(_("Kết quả đã được công bố."))
    # The results are frozen as published: later data changes no published index (DOMAIN.md §7).
    frozen = {item.unit.pk: item for item in assessment_results(assessment, now=moment)}
    for unit_assessment in assessment.units.select_for_update().select_related("assessment"):
        _move(unit_assessment, "publish")
        item = frozen[unit_assessment.unit_id]
        UnitAssessment.objects.filter(pk=unit_assessment.pk).update(
            total=item.result.total, maximum=item.result.maximum, index=item.result.index, rank=item.rank
        )
        _event(unit_assessment, "publish", actor, moment, after=item.result.index)
    Score.objects.filter(unit_assessment__assessment=assessment).update(clarification_until=None)
    assessment.state, assessment.published_at = AssessmentState.PUBLISHED, moment
    assessment.save(update_fields=["state", "published_at"])
    return assessment
