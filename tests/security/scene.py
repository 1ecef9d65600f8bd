"""The objects and callers of the permission matrix: one of every object a URL can name, each belonging to the
justice department (the "own" unit) or to its citizen, and a caller for every role in the own unit and in the
other unit (the construction department), plus Home Affairs, the province administrator, two citizens and
nobody signed in."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.test import override_settings

from cchc.accountability import services as oversight
from cchc.accountability.models import DisciplineMeasure, InspectionKind, InspectionMode
from cchc.catalog import services as catalog_services
from cchc.citizens.models import CitizenProfile
from cchc.dossiers import services as dossier_services
from cchc.dossiers.forms import form_pdf
from cchc.dossiers.models import DeliveryMethod, Dossier, DossierFee
from cchc.feedback import services as feedback_services
from cchc.feedback.models import Kind, Subject
from cchc.nationalportal.models import Message, MessageState
from cchc.orgs.models import Membership, Unit, UnitKind
from cchc.orgs.roles import Role
from cchc.parindex import workflow
from cchc.parindex.exchange import read_json
from cchc.parindex.models import Criterion, Score, UnitAssessment
from cchc.parindex.services import criteria_set_import
from cchc.plans import services as plans
from cchc.plans.models import Area
from cchc.reports import services as reports
from cchc.reports.periods import ReportKind
from cchc.submissions import services as submissions
from tests.catalog.conftest import make_draft
from tests.dossiers.conftest import World, at
from tests.parindex.conftest import as_json, document

PASSWORD = "mat-khau-dai-2026"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The callers, in the matrix's column order.
CALLERS = (
    "anonymous", "citizen", "other_citizen", "reception", "specialist", "leader", "unit_admin",
    "other_specialist", "other_leader", "home_affairs", "province_admin",
)  # fmt: skip


@dataclass
class Scene:
    users: dict[str, Any] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)


def _user(username: str, unit: Unit | None = None, role: str | None = None) -> Any:
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    if unit is not None and role is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


def _citizen(username: str, id_number: str) -> Any:
    user = get_user_model().objects.create_user(username)
    CitizenProfile.objects.create(
        user=user, full_name="Trần Thị Bình", phone="0987654321", id_number=id_number
    )
    return user


def _resolved(world: World) -> Dossier:
    staff = world.staff
    dossier = dossier_services.dossier_receive(
        actor=staff["reception"], intake=world.intake(), at=at(2026, 3, 9, 10)
    )
    for giver, taker, moment in (("reception", "specialist", at(2026, 3, 9, 11)),
                                 ("specialist", "leader", at(2026, 3, 10, 9))):  # fmt: skip
        dossier_services.dossier_hand_over(dossier=dossier, actor=staff[giver], to_user=staff[taker],
                                           expected_version=dossier.version, at=moment)  # fmt: skip
        dossier = Dossier.objects.get(pk=dossier.pk)
    with (
        tempfile.TemporaryDirectory() as keys,
        override_settings(CCHC_SIGNING_LOCAL_CA=True, CCHC_SIGNING_DIR=keys),
    ):
        dossier_services.dossier_resolve(dossier=dossier, actor=staff["leader"], document_number="1/KQ",
                                         document_date=dt.date(2026, 3, 10), document=form_pdf(dossier=dossier, form="01"),
                                         expected_version=dossier.version, at=at(2026, 3, 10, 15))  # fmt: skip
    return dossier


def build(world: World) -> Scene:
    scene = Scene()
    committee = Unit.objects.create(name="Ủy ban nhân dân tỉnh Thử", kind=UnitKind.PROVINCE_COMMITTEE,
                                    area=world.centre.area, identifier="000.00.00.H99")  # fmt: skip
    council = _user("noivu", world.centre, Role.HOME_AFFAIRS)
    scene.users = {
        "anonymous": None,
        "citizen": _citizen("congdan.an", "079303004321"),
        "other_citizen": _citizen("congdan.binh", "079303009999"),
        "reception": world.staff["reception"],
        "specialist": world.staff["specialist"],
        "leader": world.staff["leader"],
        "unit_admin": _user("quantri.tuphap", world.justice, Role.UNIT_ADMIN),
        "other_specialist": world.staff["other_specialist"],
        "other_leader": world.staff["other_leader"],
        "home_affairs": council,
        "province_admin": _user("quantri.tinh", world.centre, Role.PROVINCE_ADMIN),
    }
    leader = world.staff["leader"]
    ids = scene.ids
    ids["procedure"] = world.version.procedure.code
    ids["catalog_component"] = world.version.components.order_by("pk").first().pk  # type: ignore[union-attr]

    # A dossier received at the counter for the justice department, the citizen's, with fees.
    dossier = dossier_services.dossier_receive(actor=world.staff["reception"],
                                               intake=world.intake(citizen=scene.users["citizen"]),
                                               at=at(2026, 3, 9, 9))  # fmt: skip
    DossierFee.objects.create(dossier=dossier, description="Lệ phí", amount_vnd=50_000)
    ids["dossier"] = dossier.code
    # Its reception message, refused by the national portal and waiting for a person to resend it.
    message = Message.objects.get(dossier=dossier)
    Message.objects.filter(pk=message.pk).update(
        state=MessageState.FAILED, last_error="HTTP 422: sai trạng thái"
    )
    ids["portal_message"] = message.pk
    # Another, resolved by the justice department's leader with an electronic result signed by the local authority.
    ids["resolved_dossier"] = _resolved(world).code
    # An online dossier of the citizen with its uploaded files, waiting at reception.
    online = catalog_services.procedure_version_publish(version=make_draft(
        code="9.990001", name="Cấp phiếu lý lịch tư pháp", online_level="full", level_province=True,
        level_commune=False, agency="Sở Tư pháp",
        components=[{"name": "Tờ khai", "kind": "original", "quantity": 1}],
    ), valid_from=dt.date(2025, 7, 1))  # fmt: skip
    draft = submissions.draft_create(owner=scene.users["citizen"], version=online, prefill={})
    submissions.draft_save_applicant(draft=draft, competent_unit=world.justice,
                                     applicant={"full_name": "Trần Thị Bình", "id_number": "079303004321",
                                                "phone": "0987654321"})  # fmt: skip
    for component in online.components.all():
        submissions.draft_attach(
            draft=draft, component=component, upload=io.BytesIO(PDF), filename="to-khai.pdf"
        )
    submissions.draft_save_return(draft=draft, method=DeliveryMethod.ONLINE, address="")
    submitted = submissions.draft_submit(draft=draft, at=at(2026, 3, 10, 9))
    ids["online_dossier"] = submitted.code
    ids["dossier_file"] = submitted.components.exclude(file="").first().pk  # type: ignore[union-attr]
    ids["draft"] = submissions.draft_create(owner=scene.users["citizen"], version=online, prefill={}).key

    feedback = feedback_services.feedback_submit(submission=feedback_services.Submission(
        subject=Subject.UNIT, kind=Kind.COMPLAINT, content="Cán bộ hướng dẫn không rõ ràng, phải đi lại nhiều lần.",
        unit_id=world.justice.pk, sender_name="Trần Thị Bình", sender_phone="0987654321",
    ), citizen=scene.users["citizen"], at=at(2026, 3, 2, 9))  # fmt: skip
    ids["feedback"] = feedback.code

    # The PAR Index: an open assessment of both departments; justice scored a leaf with an evidence file.
    criteria_set = criteria_set_import(read_json(as_json(document())))
    assessment = workflow.assessment_open(criteria_set=criteria_set, units=[world.justice, world.construction],
                                          self_assessment_due=dt.date(2099, 11, 30),
                                          appraisal_due=dt.date(2099, 12, 15), actor=council)  # fmt: skip
    leaf = Criterion.objects.get(criteria_set=criteria_set, code="1.1.1")
    unit_assessment = UnitAssessment.objects.get(assessment=assessment, unit=world.justice)
    workflow.self_score(unit_assessment=unit_assessment, criterion=leaf, points=Decimal(3), explanation="",
                        actor=leader)  # fmt: skip
    score = Score.objects.get(unit_assessment=unit_assessment, criterion=leaf)
    evidence = workflow.evidence_add(score=score, upload=io.BytesIO(PDF), name="kh.pdf", actor=leader)
    ids.update(criteria_set=criteria_set.pk, assessment=assessment.pk, criterion=leaf.pk,
               par_file=evidence.pk)  # fmt: skip

    plan = plans.plan_create(year=2026, unit=committee, title="Kế hoạch CCHC 2026", actor=council)
    task = plans.task_add(plan=plan, area=Area.PROCEDURES, code="1", title="Rà soát thủ tục",
                          lead_unit=world.justice, deadline=dt.date(2026, 6, 30), actor=council)  # fmt: skip
    task_file = plans.task_evidence_add(task=task, upload=io.BytesIO(PDF), name="bc.pdf", actor=leader)
    ids.update(plan=plan.pk, task=task.pk, task_file=task_file.pk)

    commitment = oversight.commitment_create(year=2026, unit=world.justice, actor=leader)
    item = oversight.commitment_item_add(commitment=commitment, code="1", text="Công khai TTHC", actor=leader)
    commitment_file = oversight.commitment_evidence_add(item=item, upload=io.BytesIO(PDF), name="ck.pdf",
                                                        actor=leader)  # fmt: skip
    ids.update(commitment=commitment.pk, item=item.pk, commitment_file=commitment_file.pk)

    inspection = oversight.inspection_plan(year=2026, kind=InspectionKind.REFORM, mode=InspectionMode.PLANNED,
                                           title="Kiểm tra CCHC", team_leader="Lê Văn Dũng", units=[world.justice],
                                           scheduled_on=dt.date(2026, 5, 12), actor=council)  # fmt: skip
    oversight.inspection_conduct(inspection=inspection, conducted_on=dt.date(2026, 5, 12), actor=council)
    finding = oversight.finding_add(
        inspection=inspection, unit=world.justice, text="Niêm yết thiếu", actor=council
    )
    remedy = oversight.remedy_require(finding=finding, text="Niêm yết đủ", deadline=dt.date(2026, 6, 30),
                                      actor=council)  # fmt: skip
    recommendation = oversight.discipline_recommend(finding=finding, official_name="Nguyễn Văn X",
                                                    measure=DisciplineMeasure.REPRIMAND, reason="Không niêm yết",
                                                    actor=council)  # fmt: skip
    oversight.inspection_conclude(inspection=inspection, conclusion="Khắc phục trong tháng 6.", actor=council)
    oversight.remedy_report(remedy=remedy, report="Đã niêm yết", actor=leader)
    remedy_file = oversight.remedy_evidence_add(
        remedy=remedy, upload=io.BytesIO(PDF), name="kp.pdf", actor=leader
    )
    ids.update(inspection=inspection.pk, finding=finding.pk, remedy=remedy.pk, recommendation=recommendation.pk,
               remedy_file=remedy_file.pk)  # fmt: skip
    initiative = oversight.initiative_submit(unit=world.justice, title="Mã QR", authors="Nguyễn Thị Hoa",
                                             area=Area.PROCEDURES, summary="Mỗi thủ tục một mã QR.",
                                             actor=leader)  # fmt: skip
    ids["initiative"] = initiative.pk
    from cchc.accountability.models import ProposalKind, RewardProposal

    ids["proposal"] = RewardProposal.objects.create(
        year=2025,
        unit=world.justice,
        kind=ProposalKind.REWARD,
        grounds="Chỉ số CCHC 91%",
        drafted_at=at(2026, 1, 5),
    ).pk
    report = reports.report_create(unit=world.justice, year=2026, kind=ReportKind.Q1, actor=leader)
    ids["report"] = report.pk
    ids["justice"] = world.justice.pk
    ids["centre"] = world.centre.pk
    ids["specialist_id"] = world.staff["specialist"].pk
    return scene
