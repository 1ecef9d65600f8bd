"""Writes of the inspections (kiểm tra CCHC, kiểm tra công vụ; DOMAIN.md §8).

Home Affairs plans an inspection (by plan or unannounced), records that it took place, its findings at each
unit, the remedies it requires with their deadlines and any discipline it recommends, then concludes it. The
unit inspected reports each remedy done, with evidence; Home Affairs accepts it (closed) or returns it (open
again, with the reason). When the last remedy is closed, the inspection is complete. Each lifecycle is one
table below; a step not in it is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accountability.models import (
    DisciplineMeasure,
    DisciplineRecommendation,
    Finding,
    Inspection,
    InspectionKind,
    InspectionMode,
    InspectionState,
    Remedy,
    RemedyEvidence,
    RemedyState,
)
from cchc.accountability.services._common import UNIT_STAFF, AccountabilityError, AccountabilityForbidden
from cchc.core.blobs import blob_store, stored_file_values
from cchc.feedback.models import Feedback
from cchc.orgs.models import Unit
from cchc.orgs.roles import Role
from cchc.orgs.scoping import has_role

# {state: {step: next state}}: the inspection's lifecycle.
INSPECTION_TRANSITIONS: dict[str, dict[str, str]] = {
    InspectionState.PLANNED: {"conduct": InspectionState.CONDUCTED},
    InspectionState.CONDUCTED: {"conclude": InspectionState.CONCLUDED},
    InspectionState.CONCLUDED: {"close": InspectionState.CLOSED},
    InspectionState.CLOSED: {},
}
# {state: {step: next state}}: a remedy's follow-up.
REMEDY_TRANSITIONS: dict[str, dict[str, str]] = {
    RemedyState.OPEN: {"report": RemedyState.REPORTED},
    RemedyState.REPORTED: {"accept": RemedyState.CLOSED, "return": RemedyState.OPEN},
    RemedyState.CLOSED: {},
}
# While the team is at work (conducted, not yet concluded), findings, remedies and recommendations are added.
RECORDING_STATES = frozenset({InspectionState.CONDUCTED})


def can_inspect(actor: Any) -> bool:
    return has_role(actor, Role.HOME_AFFAIRS)


def _inspector(actor: Any) -> None:
    if not can_inspect(actor):
        raise AccountabilityForbidden(_("Chỉ Sở Nội vụ (đoàn kiểm tra) thực hiện bước này."))


def _next(table: dict[str, dict[str, str]], state: str, step: str) -> str:
    following = table[state].get(step)
    if following is None:
        raise AccountabilityError(_("Không thực hiện được bước này ở trạng thái hiện tại."))
    return following


def _locked(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().get(pk=inspection.pk)


@transaction.atomic
def inspection_plan(
    *,
    year: int,
    kind: str,
    mode: str,
    title: str,
    team_leader: str,
    units: Iterable[Unit],
    scheduled_on: dt.date,
    actor: Any,
    team_members: str = "",
    decision_number: str = "",
    feedback: Feedback | None = None,
) -> Inspection:
    _inspector(actor)
    if kind not in InspectionKind.values or mode not in InspectionMode.values:
        raise AccountabilityError(_("Loại hoặc hình thức kiểm tra không hợp lệ."))
    inspected = list(units)
    if not title.strip() or not team_leader.strip():
        raise AccountabilityError(_("Cần nội dung kiểm tra và trưởng đoàn."))
    if not inspected:
        raise AccountabilityError(_("Chọn ít nhất một đơn vị được kiểm tra."))
    if scheduled_on.year != year:
        raise AccountabilityError(_("Ngày dự kiến phải trong năm %(year)s.") % {"year": year})
    inspection = Inspection.objects.create(
        year=year, kind=kind, mode=mode, title=title.strip(), team_leader=team_leader.strip(),
        team_members=team_members.strip(), decision_number=decision_number.strip(), scheduled_on=scheduled_on,
        feedback=feedback, created_by=actor,
    )  # fmt: skip
    inspection.units.set(inspected)
    return inspection


@transaction.atomic
def inspection_conduct(*, inspection: Inspection, conducted_on: dt.date, actor: Any) -> Inspection:
    """The team has been at the units (đã tiến hành kiểm tra); an unannounced inspection becomes visible to
    them from now on."""
    _inspector(actor)
    inspection = _locked(inspection)
    inspection.state = _next(INSPECTION_TRANSITIONS, inspection.state, "conduct")
    if conducted_on > timezone.localdate():
        raise AccountabilityError(_("Ngày kiểm tra không được sau hôm nay."))
    inspection.conducted_on = conducted_on
    inspection.save(update_fields=["state", "conducted_on"])
    return inspection


def _recording(inspection: Inspection) -> Inspection:
    inspection = _locked(inspection)
    if inspection.state not in RECORDING_STATES:
        raise AccountabilityError(_("Chỉ ghi nhận kết quả khi đã kiểm tra và chưa kết luận."))
    return inspection


@transaction.atomic
def finding_add(
    *, inspection: Inspection, unit: Unit, text: str, actor: Any, at: dt.datetime | None = None
) -> Finding:
    _inspector(actor)
    inspection = _recording(inspection)
    if not inspection.units.filter(pk=unit.pk).exists():
        raise AccountabilityError(_("%(unit)s không thuộc đoàn kiểm tra này.") % {"unit": unit.name})
    if not text.strip():
        raise AccountabilityError(_("Cần nội dung phát hiện."))
    return Finding.objects.create(
        inspection=inspection,
        unit=unit,
        text=text.strip(),
        recorded_at=at or timezone.now(),
        recorded_by=actor,
    )


@transaction.atomic
def remedy_require(*, finding: Finding, text: str, deadline: dt.date, actor: Any) -> Remedy:
    _inspector(actor)
    inspection = _recording(finding.inspection)
    if not text.strip():
        raise AccountabilityError(_("Cần nội dung yêu cầu khắc phục."))
    if inspection.conducted_on is not None and deadline <= inspection.conducted_on:
        raise AccountabilityError(_("Thời hạn khắc phục phải sau ngày kiểm tra."))
    return Remedy.objects.create(finding=finding, text=text.strip(), deadline=deadline)


@transaction.atomic
def discipline_recommend(
    *,
    finding: Finding,
    official_name: str,
    measure: str,
    reason: str,
    actor: Any,
    official_position: str = "",
    at: dt.datetime | None = None,
) -> DisciplineRecommendation:
    _inspector(actor)
    _recording(finding.inspection)
    if measure not in DisciplineMeasure.values:
        raise AccountabilityError(_("Hình thức kỷ luật không hợp lệ."))
    if not official_name.strip() or not reason.strip():
        raise AccountabilityError(_("Cần họ tên người bị kiến nghị và lý do."))
    return DisciplineRecommendation.objects.create(
        finding=finding, official_name=official_name.strip(), official_position=official_position.strip(),
        measure=measure, reason=reason.strip(), recommended_at=at or timezone.now(), recommended_by=actor,
    )  # fmt: skip


@transaction.atomic
def discipline_decide(
    *, recommendation: DisciplineRecommendation, decision: str, decided_on: dt.date, actor: Any
) -> DisciplineRecommendation:
    """Record the competent authority's decision on a recommendation (kết quả xử lý), once."""
    _inspector(actor)
    recommendation = DisciplineRecommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.decided_on is not None:
        raise AccountabilityError(_("Kiến nghị này đã có kết quả xử lý."))
    if not decision.strip():
        raise AccountabilityError(_("Cần kết quả xử lý."))
    if decided_on < timezone.localdate(recommendation.recommended_at) or decided_on > timezone.localdate():
        raise AccountabilityError(_("Ngày quyết định phải từ ngày kiến nghị đến hôm nay."))
    recommendation.decision, recommendation.decided_on = decision.strip(), decided_on
    recommendation.save(update_fields=["decision", "decided_on"])
    return recommendation


def _close_if_done(inspection: Inspection, moment: dt.datetime) -> None:
    if (
        inspection.state == InspectionState.CONCLUDED
        and not Remedy.objects.filter(finding__inspection=inspection)
        .exclude(state=RemedyState.CLOSED)
        .exists()
    ):
        inspection.state = _next(INSPECTION_TRANSITIONS, inspection.state, "close")
        inspection.closed_at = moment
        inspection.save(update_fields=["state", "closed_at"])


@transaction.atomic
def inspection_conclude(
    *, inspection: Inspection, conclusion: str, actor: Any, at: dt.datetime | None = None
) -> Inspection:
    """The conclusion (kết luận kiểm tra) is issued; with no remedy to follow, the inspection is complete."""
    _inspector(actor)
    moment = at or timezone.now()
    inspection = _locked(inspection)
    inspection.state = _next(INSPECTION_TRANSITIONS, inspection.state, "conclude")
    if not conclusion.strip():
        raise AccountabilityError(_("Cần nội dung kết luận."))
    inspection.conclusion, inspection.concluded_at = conclusion.strip(), moment
    inspection.save(update_fields=["state", "conclusion", "concluded_at"])
    _close_if_done(inspection, moment)
    return inspection


def _remedy(remedy: Remedy) -> Remedy:
    return (
        Remedy.objects.select_for_update()
        .select_related("finding__unit", "finding__inspection")
        .get(pk=remedy.pk)
    )


@transaction.atomic
def remedy_report(*, remedy: Remedy, report: str, actor: Any, at: dt.datetime | None = None) -> Remedy:
    """The unit inspected reports the fix done (báo cáo kết quả khắc phục)."""
    remedy = _remedy(remedy)
    if not any(has_role(actor, role, remedy.finding.unit) for role in UNIT_STAFF):
        raise AccountabilityForbidden(_("Chỉ đơn vị được kiểm tra báo cáo khắc phục."))
    if remedy.finding.inspection.state != InspectionState.CONCLUDED:
        raise AccountabilityError(_("Báo cáo khắc phục sau khi có kết luận kiểm tra."))
    remedy.state = _next(REMEDY_TRANSITIONS, remedy.state, "report")
    if not report.strip():
        raise AccountabilityError(_("Cần nội dung báo cáo khắc phục."))
    remedy.unit_report, remedy.reported_at, remedy.reported_by = report.strip(), at or timezone.now(), actor
    remedy.save(update_fields=["state", "unit_report", "reported_at", "reported_by"])
    return remedy


@transaction.atomic
def remedy_evidence_add(
    *, remedy: Remedy, upload: IO[bytes], name: str, actor: Any, at: dt.datetime | None = None
) -> RemedyEvidence:
    remedy = _remedy(remedy)
    if not any(has_role(actor, role, remedy.finding.unit) for role in UNIT_STAFF):
        raise AccountabilityForbidden(_("Chỉ đơn vị được kiểm tra đính kèm tài liệu khắc phục."))
    if remedy.state == RemedyState.CLOSED:
        raise AccountabilityError(_("Yêu cầu này đã khắc phục xong."))
    stored = blob_store(upload)
    return RemedyEvidence.objects.create(
        remedy=remedy, **stored_file_values(stored, name=name, actor=actor, at=at or timezone.now())
    )


@transaction.atomic
def remedy_review(
    *, remedy: Remedy, accept: bool, actor: Any, note: str = "", at: dt.datetime | None = None
) -> Remedy:
    """Home Affairs accepts the fix (closed) or returns it with the reason (open again)."""
    _inspector(actor)
    moment = at or timezone.now()
    remedy = _remedy(remedy)
    remedy.state = _next(REMEDY_TRANSITIONS, remedy.state, "accept" if accept else "return")
    if not accept and not note.strip():
        raise AccountabilityError(_("Cần nêu lý do chưa chấp nhận."))
    remedy.review_note = note.strip()
    if accept:
        remedy.closed_at, remedy.closed_by = moment, actor
    remedy.save(update_fields=["state", "review_note", "closed_at", "closed_by"])
    _close_if_done(Inspection.objects.select_for_update().get(pk=remedy.finding.inspection_id), moment)
    return remedy
