"""The year's workflow: open, self-assess, submit, appraise with reasons, clarify, publish; permissions and
the append-only history; the index of each unit by hand."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from cchc.core.blobs import BlobError
from cchc.parindex import workflow
from cchc.parindex.exchange import read_json
from cchc.parindex.models import Assessment, Criterion, Score, ScoreEvent, UnitAssessment, UnitState
from cchc.parindex.selectors import assessment_results, unit_assessments_visible
from cchc.parindex.services import criteria_set_import
from cchc.parindex.workflow import NotAllowed, WorkflowError
from tests.dossiers.conftest import World, at
from tests.parindex.conftest import as_json, document

pytestmark = pytest.mark.django_db
D = Decimal
OPENED = at(2026, 11, 2, 9)
WORKING = at(2026, 11, 10, 9)


def _ua(assessment: Assessment, unit: Any) -> UnitAssessment:
    return UnitAssessment.objects.get(assessment=assessment, unit=unit)


def _leaf(code: str) -> Criterion:
    return Criterion.objects.get(code=code)


def _score(
    world: World, assessment: Assessment, code: str, points: str, who: str = "specialist", **kw: Any
) -> Score:
    return workflow.self_score(
        unit_assessment=_ua(assessment, world.justice),
        criterion=_leaf(code),
        points=D(points),
        explanation=kw.pop("explanation", "Có kế hoạch số 12/KH"),
        actor=world.staff[who],
        at=kw.pop("at", WORKING),
    )


def test_only_home_affairs_opens_and_the_deadlines_are_checked(world: World, home_affairs: Any) -> None:
    criteria_set = criteria_set_import(read_json(as_json(document())))
    arguments = {"criteria_set": criteria_set, "units": [world.justice], "at": OPENED}
    with pytest.raises(NotAllowed):
        workflow.assessment_open(**arguments, self_assessment_due=dt.date(2026, 11, 30),
                                 appraisal_due=dt.date(2026, 12, 15), actor=world.staff["leader"])  # fmt: skip
    with pytest.raises(WorkflowError, match="Hạn thẩm định phải sau"):
        workflow.assessment_open(**arguments, self_assessment_due=dt.date(2026, 11, 30),
                                 appraisal_due=dt.date(2026, 11, 29), actor=home_affairs)  # fmt: skip
    with pytest.raises(WorkflowError, match="đã qua"):
        workflow.assessment_open(**arguments, self_assessment_due=dt.date(2026, 11, 1),
                                 appraisal_due=dt.date(2026, 12, 15), actor=home_affairs)  # fmt: skip
    assert not Assessment.objects.exists()


def test_a_unit_scores_only_its_own_leaves_within_their_maximum(world: World, assessment: Assessment) -> None:
    score = _score(world, assessment, "1.1.1", "3.5")
    assert (score.self_points, score.explanation) == (D("3.5"), "Có kế hoạch số 12/KH")
    with pytest.raises(NotAllowed, match="không thuộc đơn vị"):
        _score(world, assessment, "1.1.1", "3", who="other_leader")
    for code, points, message in (
        ("1.1.1", "4.5", "từ 0 đến 4.00"),
        ("1.1.1", "-1", "từ 0 đến 4.00"),
        ("1.1.2", "1.555", "2 chữ số thập phân"),
        ("1.2", "4", "tự động hoặc từ điều tra"),
        ("2.1.1", "4", "tự động hoặc từ điều tra"),
        ("1.1", "4", "tiêu chí cuối cùng"),
    ):
        with pytest.raises(WorkflowError, match=message):
            _score(world, assessment, code, points)
    with pytest.raises(WorkflowError, match="hết hạn tự đánh giá"):
        _score(world, assessment, "1.1.2", "1", at=at(2026, 12, 1, 8))


def test_submission_locks_the_scores_and_only_the_leader_submits(
    world: World, assessment: Assessment
) -> None:
    _score(world, assessment, "1.1.1", "3.5")
    unit = _ua(assessment, world.justice)
    with pytest.raises(NotAllowed):
        workflow.unit_submit(unit_assessment=unit, actor=world.staff["specialist"], at=WORKING)
    unit = workflow.unit_submit(unit_assessment=unit, actor=world.staff["leader"], at=WORKING)
    assert unit.state == UnitState.SUBMITTED and unit.submitted_at == WORKING
    with pytest.raises(WorkflowError, match="đã khóa"):
        _score(world, assessment, "1.1.1", "4")
    with pytest.raises(WorkflowError, match="trạng thái “Đã gửi, đang thẩm định”"):
        workflow.unit_submit(unit_assessment=unit, actor=world.staff["leader"], at=WORKING)
    late = _ua(assessment, world.construction)
    with pytest.raises(WorkflowError, match="hết hạn"):
        workflow.unit_submit(unit_assessment=late, actor=world.staff["other_leader"], at=at(2026, 12, 1, 9))


def test_appraisal_needs_a_reason_for_a_change_and_a_submitted_unit(
    world: World, assessment: Assessment, home_affairs: Any
) -> None:
    score = _score(world, assessment, "1.1.1", "3.5")
    with pytest.raises(WorkflowError, match="chưa gửi"):
        workflow.appraise(score=score, points=D(3), reason="Thiếu", actor=home_affairs, at=WORKING)
    workflow.unit_submit(
        unit_assessment=_ua(assessment, world.justice), actor=world.staff["leader"], at=WORKING
    )
    with pytest.raises(NotAllowed):
        workflow.appraise(score=score, points=D(3), reason="x", actor=world.staff["leader"], at=WORKING)
    with pytest.raises(WorkflowError, match="Cần nêu lý do"):
        workflow.appraise(score=score, points=D(3), reason=" ", actor=home_affairs, at=WORKING)
    workflow.appraise(score=score, points=D("3.5"), reason="", actor=home_affairs, at=WORKING)  # agrees
    score = workflow.appraise(score=score, points=D(3), reason="Kế hoạch ban hành chậm 5 ngày", actor=home_affairs,
                              at=WORKING)  # fmt: skip
    assert (score.appraised_points, score.appraisal_reason) == (D(3), "Kế hoạch ban hành chậm 5 ngày")


def test_a_returned_criterion_can_be_clarified_within_its_time_limit(
    world: World, assessment: Assessment, home_affairs: Any
) -> None:
    score = _score(world, assessment, "1.1.2", "2")
    _score(world, assessment, "1.1.1", "4")
    workflow.unit_submit(
        unit_assessment=_ua(assessment, world.justice), actor=world.staff["leader"], at=WORKING
    )
    score = workflow.clarification_ask(score=score, request="Bổ sung báo cáo quý", actor=home_affairs,
                                       at=at(2026, 12, 2, 9))  # fmt: skip
    assert score.clarification_until == dt.date(2026, 12, 5)
    with pytest.raises(WorkflowError, match="đã khóa"):  # the other criteria stay locked
        _score(world, assessment, "1.1.1", "3", at=at(2026, 12, 3, 9))
    with pytest.raises(WorkflowError, match="Cần nội dung giải trình"):
        _score(world, assessment, "1.1.2", "1.5", explanation="", at=at(2026, 12, 3, 9))
    score = _score(
        world, assessment, "1.1.2", "1.5", explanation="Đã bổ sung báo cáo", at=at(2026, 12, 5, 16)
    )
    assert (score.self_points, score.clarification_until) == (D("1.5"), None)
    with pytest.raises(WorkflowError, match="đã khóa"):  # answered once
        _score(world, assessment, "1.1.2", "2", explanation="Lại", at=at(2026, 12, 5, 17))
    score = workflow.clarification_ask(
        score=score, request="Lần 2", actor=home_affairs, at=at(2026, 12, 6, 9)
    )
    with pytest.raises(WorkflowError, match="hết hạn giải trình"):
        _score(world, assessment, "1.1.2", "2", explanation="Muộn", at=at(2026, 12, 10, 9))


def test_evidence_is_validated_and_stored_by_hash(world: World, assessment: Assessment) -> None:
    score = _score(world, assessment, "1.1.1", "3.5")
    pdf = b"%PDF-1.4\n" + b"0" * 100
    evidence = workflow.evidence_add(score=score, upload=io.BytesIO(pdf), name="ke-hoach.pdf",
                                     actor=world.staff["specialist"], at=WORKING)  # fmt: skip
    assert evidence.blob.startswith("blobs/") and len(evidence.sha256) == 64 and evidence.size == len(pdf)
    with pytest.raises(BlobError):
        workflow.evidence_add(score=score, upload=io.BytesIO(b"MZ\x90\x00 not a pdf"), name="virus.exe",
                              actor=world.staff["specialist"], at=WORKING)  # fmt: skip
    with pytest.raises(NotAllowed):
        workflow.evidence_add(score=score, upload=io.BytesIO(pdf), name="x.pdf",
                              actor=world.staff["other_leader"], at=WORKING)  # fmt: skip


def test_publication_ranks_the_units_and_locks_everything(
    world: World, assessment: Assessment, home_affairs: Any
) -> None:
    for code, points in (("1.1.1", "3.5"), ("1.1.2", "2"), ("1.1.3", "0.5"), ("2.1.2", "1")):
        _score(world, assessment, code, points)
    workflow.unit_submit(
        unit_assessment=_ua(assessment, world.justice), actor=world.staff["leader"], at=WORKING
    )
    score = Score.objects.get(criterion__code="1.1.1")
    workflow.appraise(score=score, points=D(3), reason="Chậm", actor=home_affairs, at=WORKING)
    # The construction department scored but never submitted: its own points do not count.
    workflow.self_score(unit_assessment=_ua(assessment, world.construction), criterion=_leaf("1.1.1"), points=D(4),
                        explanation="", actor=world.staff["other_leader"], at=WORKING)  # fmt: skip
    workflow.assessment_publish(assessment=assessment, actor=home_affairs, at=at(2026, 12, 16, 9))
    results = assessment_results(Assessment.objects.get(), now=at(2026, 12, 16, 9))
    justice, construction = results
    # Justice: 1.1 = 3 (appraised) + 2 − 0.5 = 4.5; 1.2 automatic, nothing resolved: 0; 2.1 = 1 (no survey yet,
    # so 2.1.1's 4 points leave the maximum): 5.5 / 12 = 45.83.
    assert justice.unit == world.justice
    assert (justice.result.total, justice.result.maximum, justice.result.index, justice.rank) == (
        D("5.5"), D(12), D("45.83"), 1
    )  # fmt: skip
    assert justice.band is None
    assert (construction.result.total, construction.rank, construction.state) == (0, 2, UnitState.PUBLISHED)
    with pytest.raises(WorkflowError, match="đã công bố"):
        workflow.appraise(score=score, points=D(4), reason="Sửa", actor=home_affairs, at=at(2026, 12, 17, 9))
    with pytest.raises(WorkflowError, match="đã được công bố"):
        workflow.assessment_publish(assessment=assessment, actor=home_affairs, at=at(2026, 12, 17, 9))
    # The history, in order, and append-only.
    actions = list(
        ScoreEvent.objects.filter(unit_assessment__unit=world.justice).values_list("action", flat=True)
    )
    assert actions == [
        "open",
        "self_score",
        "self_score",
        "self_score",
        "self_score",
        "submit",
        "appraise",
        "publish",
    ]
    event = ScoreEvent.objects.filter(action="appraise").get()
    assert (event.points_before, event.points_after, event.note) == (D("3.5"), D(3), "Chậm")
    with pytest.raises(ValueError, match="chỉ được ghi thêm"):
        event.save()
    with pytest.raises(ValueError, match="không được xóa"):
        event.delete()


def test_a_unit_sees_only_its_own_scores_until_publication(
    world: World, assessment: Assessment, home_affairs: Any
) -> None:
    def seen(user: Any) -> set[int]:
        return {ua.unit_id for ua in unit_assessments_visible(user, Assessment.objects.get())}

    both = {world.justice.pk, world.construction.pk}
    assert seen(world.staff["specialist"]) == {world.justice.pk}
    assert seen(world.staff["other_leader"]) == {world.construction.pk}
    assert seen(world.staff["reception"]) == set()  # the centre's staff are not scored here
    assert seen(home_affairs) == both
    workflow.assessment_publish(assessment=assessment, actor=home_affairs, at=at(2026, 12, 16, 9))
    assert seen(world.staff["specialist"]) == both
    assert seen(AnonymousUser()) == set()
