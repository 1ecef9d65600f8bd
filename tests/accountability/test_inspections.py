"""Inspections: the lifecycle tables, who does each step, unannounced inspections hidden until they happen, a
unit seeing only its own findings, remedies followed until closed, discipline recommendations, and the
harassment reports from citizen feedback."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client

from cchc.accountability import services
from cchc.accountability.models import (
    DisciplineMeasure,
    Inspection,
    InspectionKind,
    InspectionMode,
    InspectionState,
    RemedyState,
)
from cchc.accountability.selectors import harassment_reports, inspections_visible, remedies_open
from cchc.accountability.services import AccountabilityError, AccountabilityForbidden
from cchc.feedback import services as feedback_services
from cchc.feedback.models import Kind, Subject
from tests.accountability.test_commitments import PDF
from tests.dossiers.conftest import World, at

pytestmark = pytest.mark.django_db
D = dt.date


def _plan(world: World, home_affairs: Any, mode: str = InspectionMode.PLANNED) -> Inspection:
    return services.inspection_plan(
        year=2026, kind=InspectionKind.REFORM, mode=mode, title="Kiểm tra công tác CCHC năm 2026",
        team_leader="Lê Văn Dũng", team_members="Phạm Thị Em\nHoàng Văn Phúc", decision_number="45/QĐ-SNV",
        units=[world.justice, world.construction], scheduled_on=D(2026, 5, 12), actor=home_affairs,
    )  # fmt: skip


def test_the_lifecycle_tables_name_every_state() -> None:
    assert set(services.INSPECTION_TRANSITIONS) == set(InspectionState.values)
    assert set(services.REMEDY_TRANSITIONS) == set(RemedyState.values)
    assert services.INSPECTION_TRANSITIONS[InspectionState.CLOSED] == {}


def test_only_home_affairs_inspects_and_the_input_is_checked(world: World, home_affairs: Any) -> None:
    with pytest.raises(AccountabilityForbidden):
        _plan(world, world.staff["leader"])
    with pytest.raises(AccountabilityError, match="ít nhất một đơn vị"):
        services.inspection_plan(year=2026, kind=InspectionKind.REFORM, mode=InspectionMode.PLANNED, title="x",
                                 team_leader="y", units=[], scheduled_on=D(2026, 5, 1), actor=home_affairs)  # fmt: skip
    with pytest.raises(AccountabilityError, match="trong năm 2026"):
        services.inspection_plan(year=2026, kind=InspectionKind.REFORM, mode=InspectionMode.PLANNED, title="x",
                                 team_leader="y", units=[world.justice], scheduled_on=D(2027, 1, 5),
                                 actor=home_affairs)  # fmt: skip
    with pytest.raises(AccountabilityError, match="không hợp lệ"):
        services.inspection_plan(year=2026, kind="audit", mode=InspectionMode.PLANNED, title="x",
                                 team_leader="y", units=[world.justice], scheduled_on=D(2026, 5, 1),
                                 actor=home_affairs)  # fmt: skip
    inspection = _plan(world, home_affairs)
    # Nothing is recorded before the team has been there, and nothing is concluded.
    with pytest.raises(AccountabilityError, match="đã kiểm tra"):
        services.finding_add(inspection=inspection, unit=world.justice, text="x", actor=home_affairs)
    with pytest.raises(AccountabilityError, match="trạng thái hiện tại"):
        services.inspection_conclude(inspection=inspection, conclusion="x", actor=home_affairs)


def test_an_inspection_followed_until_its_remedies_are_closed(world: World, home_affairs: Any) -> None:
    inspection = _plan(world, home_affairs)
    inspection = services.inspection_conduct(
        inspection=inspection, conducted_on=D(2026, 5, 12), actor=home_affairs
    )
    with pytest.raises(AccountabilityError, match="không thuộc"):
        services.finding_add(inspection=inspection, unit=world.centre, text="x", actor=home_affairs)
    finding = services.finding_add(inspection=inspection, unit=world.justice, actor=home_affairs,
                                   text="Chưa niêm yết đầy đủ thủ tục hành chính tại Bộ phận Một cửa.")  # fmt: skip
    with pytest.raises(AccountabilityError, match="sau ngày kiểm tra"):
        services.remedy_require(finding=finding, text="Niêm yết", deadline=D(2026, 5, 12), actor=home_affairs)
    remedy = services.remedy_require(finding=finding, text="Niêm yết đầy đủ thủ tục", deadline=D(2026, 6, 30),
                                     actor=home_affairs)  # fmt: skip
    recommendation = services.discipline_recommend(
        finding=finding, official_name="Nguyễn Văn X", official_position="Công chức Bộ phận Một cửa",
        measure=DisciplineMeasure.REPRIMAND, reason="Không niêm yết thủ tục theo quy định", actor=home_affairs,
        at=at(2026, 5, 12, 16),
    )  # fmt: skip
    with pytest.raises(AccountabilityError, match="Báo cáo khắc phục sau khi có kết luận"):
        services.remedy_report(remedy=remedy, report="Đã niêm yết", actor=world.staff["specialist"])
    inspection = services.inspection_conclude(inspection=inspection, conclusion="Đơn vị cơ bản thực hiện tốt.",
                                              actor=home_affairs, at=at(2026, 5, 20, 9))  # fmt: skip
    assert inspection.state == InspectionState.CONCLUDED  # a remedy is still open
    # Nothing more is recorded once concluded.
    with pytest.raises(AccountabilityError, match="chưa kết luận"):
        services.remedy_require(finding=finding, text="x", deadline=D(2026, 7, 1), actor=home_affairs)
    # The unit inspected reports; another unit cannot; Home Affairs returns it, then accepts it.
    with pytest.raises(AccountabilityForbidden):
        services.remedy_report(remedy=remedy, report="x", actor=world.staff["other_specialist"])
    services.remedy_report(remedy=remedy, report="Đã niêm yết 45 thủ tục.", actor=world.staff["specialist"],
                           at=at(2026, 6, 10, 9))  # fmt: skip
    services.remedy_evidence_add(remedy=remedy, upload=io.BytesIO(PDF), name="anh-niem-yet.pdf",
                                 actor=world.staff["specialist"])  # fmt: skip
    with pytest.raises(AccountabilityError, match="lý do"):
        services.remedy_review(remedy=remedy, accept=False, actor=home_affairs)
    remedy = services.remedy_review(
        remedy=remedy, accept=False, note="Thiếu ảnh chụp bảng niêm yết", actor=home_affairs
    )
    assert remedy.state == RemedyState.OPEN and remedy.review_note == "Thiếu ảnh chụp bảng niêm yết"
    services.remedy_report(
        remedy=remedy, report="Bổ sung ảnh.", actor=world.staff["leader"], at=at(2026, 6, 20, 9)
    )
    with pytest.raises(AccountabilityForbidden):
        services.remedy_review(remedy=remedy, accept=True, actor=world.staff["leader"])
    remedy = services.remedy_review(remedy=remedy, accept=True, actor=home_affairs, at=at(2026, 6, 21, 9))
    assert remedy.state == RemedyState.CLOSED and remedy.closed_by == home_affairs
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.CLOSED and inspection.closed_at == at(2026, 6, 21, 9)
    with pytest.raises(AccountabilityError, match="trạng thái hiện tại"):
        services.remedy_review(remedy=remedy, accept=True, actor=home_affairs)
    # The discipline decision is recorded once, dated between the recommendation and today.
    with pytest.raises(AccountabilityError, match="Ngày quyết định"):
        services.discipline_decide(recommendation=recommendation, decision="Khiển trách", decided_on=D(2026, 5, 1),
                                   actor=home_affairs)  # fmt: skip
    services.discipline_decide(recommendation=recommendation, decision="Quyết định 12/QĐ-STP: khiển trách",
                               decided_on=D(2026, 6, 1), actor=home_affairs)  # fmt: skip
    with pytest.raises(AccountabilityError, match="đã có kết quả"):
        services.discipline_decide(recommendation=recommendation, decision="x", decided_on=D(2026, 6, 2),
                                   actor=home_affairs)  # fmt: skip


def test_an_inspection_without_remedies_is_complete_at_its_conclusion(
    world: World, home_affairs: Any
) -> None:
    inspection = services.inspection_conduct(inspection=_plan(world, home_affairs), conducted_on=D(2026, 5, 12),
                                             actor=home_affairs)  # fmt: skip
    inspection = services.inspection_conclude(inspection=inspection, conclusion="Tốt.", actor=home_affairs)
    assert inspection.state == InspectionState.CLOSED


def test_an_unannounced_inspection_is_hidden_until_it_happens(world: World, home_affairs: Any) -> None:
    inspection = _plan(world, home_affairs, mode=InspectionMode.UNANNOUNCED)
    planned = _plan(world, home_affairs)
    justice = world.staff["specialist"]
    assert list(inspections_visible(justice)) == [planned]
    assert set(inspections_visible(home_affairs)) == {inspection, planned}
    services.inspection_conduct(inspection=inspection, conducted_on=D(2026, 5, 12), actor=home_affairs)
    assert set(inspections_visible(justice)) == {inspection, planned}
    # The pages agree.
    client = Client()
    client.force_login(justice)
    assert client.get(f"/can-bo/kiem-tra/{planned.pk}/").status_code == 200
    outsider = Client()
    outsider.force_login(world.staff["reception"])  # the centre is not inspected
    assert outsider.get(f"/can-bo/kiem-tra/{planned.pk}/").status_code == 404


def test_a_unit_sees_its_own_findings_and_remedies_only(world: World, home_affairs: Any) -> None:
    inspection = services.inspection_conduct(inspection=_plan(world, home_affairs), conducted_on=D(2026, 5, 12),
                                             actor=home_affairs)  # fmt: skip
    mine = services.finding_add(
        inspection=inspection, unit=world.justice, text="Niêm yết thiếu", actor=home_affairs
    )
    theirs = services.finding_add(inspection=inspection, unit=world.construction, text="Sổ theo dõi sai mẫu",
                                  actor=home_affairs)  # fmt: skip
    services.remedy_require(finding=mine, text="Niêm yết đủ", deadline=D(2026, 6, 1), actor=home_affairs)
    services.remedy_require(
        finding=theirs, text="Dùng đúng mẫu sổ", deadline=D(2026, 6, 1), actor=home_affairs
    )
    client = Client()
    client.force_login(world.staff["specialist"])
    page = client.get(f"/can-bo/kiem-tra/{inspection.pk}/").content.decode()
    assert "Niêm yết thiếu" in page and "Sổ theo dõi sai mẫu" not in page
    listing = client.get("/can-bo/kiem-tra/?nam=2026").content.decode()
    assert "Niêm yết đủ" in listing and "Dùng đúng mẫu sổ" not in listing
    visible = inspections_visible(home_affairs)
    overdue_first = remedies_open(visible, today=D(2026, 6, 2))
    assert {r.text for r in overdue_first} == {"Niêm yết đủ", "Dùng đúng mẫu sổ"}


def test_harassment_reports_are_listed_for_follow_up(world: World, home_affairs: Any) -> None:
    report = feedback_services.feedback_submit(submission=feedback_services.Submission(
        subject=Subject.UNIT, kind=Kind.HARASSMENT, content="Cán bộ gợi ý nộp thêm tiền để nhanh.",
        unit_id=world.justice.pk, sender_name="Trần Thị Bình", sender_phone="0912345678",
    ), at=at(2026, 4, 2, 9))  # fmt: skip
    feedback_services.feedback_submit(submission=feedback_services.Submission(
        subject=Subject.UNIT, kind=Kind.COMPLAINT, content="Phải chờ rất lâu mới được tiếp nhận hồ sơ.", unit_id=world.justice.pk,
        sender_name="Trần Thị Bình", sender_phone="0912345678",
    ), at=at(2026, 4, 2, 10))  # fmt: skip
    assert list(harassment_reports(year=2026)) == [report]
    assert list(harassment_reports(year=2025)) == []
    client = Client()
    client.force_login(home_affairs)
    page = client.get("/can-bo/kiem-tra/?nam=2026").content.decode()
    assert report.code in page and "Cán bộ gợi ý" not in page  # the code, never the content or the sender
    assert "0912345678" not in page and "Trần Thị Bình" not in page
    created = client.post("/can-bo/kiem-tra/tao/", {
        "nam": "2026", "phan_anh": report.code, "loai": "public_duty", "hinh_thuc": "unannounced",
        "noi_dung": f"Kiểm tra công vụ đột xuất theo phản ánh {report.code}", "truong_doan": "Lê Văn Dũng",
        "ngay_du_kien": "15/04/2026",
    })  # fmt: skip
    assert created.status_code == 303
    inspection = Inspection.objects.get(feedback=report)
    assert list(inspection.units.all()) == [world.justice] and inspection.mode == InspectionMode.UNANNOUNCED
    assert "Cuộc kiểm tra đã lập" in client.get("/can-bo/kiem-tra/?nam=2026").content.decode()
    # The department reported on cannot see it before it happens, nor the citizen reports.
    justice = Client()
    justice.force_login(world.staff["leader"])
    listing = justice.get("/can-bo/kiem-tra/?nam=2026").content.decode()
    assert report.code not in listing and "Lập kế hoạch kiểm tra" not in listing
    assert justice.get(f"/can-bo/kiem-tra/{inspection.pk}/").status_code == 404


def test_bad_dates_on_the_pages_are_refused_clearly(world: World, home_affairs: Any) -> None:
    client = Client()
    client.force_login(home_affairs)
    response = client.post("/can-bo/kiem-tra/tao/", {
        "nam": "2026", "loai": "reform", "hinh_thuc": "planned", "noi_dung": "Kiểm tra", "truong_doan": "A",
        "don_vi": [world.justice.pk], "ngay_du_kien": "2026-05-12",
    }, follow=True)  # fmt: skip
    assert "Ngày dự kiến phải có dạng dd/mm/yyyy." in response.content.decode()
    inspection = _plan(world, home_affairs)
    bad = client.post(f"/can-bo/kiem-tra/{inspection.pk}/da-kiem-tra/", {"ngay_kiem_tra": "31/02/2026"})
    assert bad.status_code == 422 and "Ngày kiểm tra phải có dạng dd/mm/yyyy." in bad.content.decode()
    leader = Client()
    leader.force_login(world.staff["leader"])
    assert (
        leader.post(
            f"/can-bo/kiem-tra/{inspection.pk}/da-kiem-tra/", {"ngay_kiem_tra": "12/05/2026"}
        ).status_code
        == 403
    )
