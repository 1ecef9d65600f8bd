"""Emulation and rewards: proposals drafted by the rules from the PAR Index, plan tasks and commitments, decided
by a person and never redrafted after; the register of initiatives."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from cchc.accountability import services
from cchc.accountability.models import (
    Initiative,
    InitiativeState,
    ProposalKind,
    ProposalState,
    RewardProposal,
)
from cchc.accountability.services import AccountabilityError, AccountabilityForbidden
from cchc.accountability.services.rewards import Basis
from cchc.orgs.models import Unit
from cchc.plans import services as plans
from cchc.plans.models import Area, Task, TaskStatus
from tests.dossiers.conftest import World, at
from tests.parindex.conftest import publish_year
from tests.serviceindex.conftest import receive, resolve

pytestmark = pytest.mark.django_db
D = Decimal
NOW = at(2026, 12, 28, 9)


@pytest.mark.parametrize(
    ("basis", "kind"),
    [
        (Basis(D("91.67"), 4, 4, 0), ProposalKind.REWARD),
        (Basis(D("90.00"), 10, 9, 0), ProposalKind.REWARD),  # 90% of tasks on time is enough
        (Basis(D("95"), 0, 0, 0), ProposalKind.REWARD),  # no task due: the index decides
        (Basis(D("95"), 10, 8, 0), None),  # band A but 80% of tasks on time
        (Basis(D("89.99"), 4, 4, 0), None),  # band B: nothing
        (Basis(None, 4, 4, 0), None),  # no published index: no reward
        (Basis(D("95"), 4, 4, 1), ProposalKind.CRITICISM),  # a missed commitment outweighs the index
        (Basis(D("69.99"), 0, 0, 0), ProposalKind.CRITICISM),
        (Basis(D("70"), 0, 0, 0), None),
        (Basis(None, 4, 1, 0), ProposalKind.CRITICISM),  # 25% of tasks on time
        (Basis(None, 4, 2, 0), None),  # 50% is not under half
    ],
)
def test_the_draft_rules(basis: Basis, kind: str | None) -> None:
    proposal = services.proposal_for(basis)
    assert (proposal[0] if proposal else None) == kind


def _tasks(world: World, committee: Unit, home_affairs: Any) -> None:
    """Justice leads two tasks due in 2026, both done on time; construction one, not done."""
    plan = plans.plan_create(year=2026, unit=committee, title="KH CCHC 2026", actor=home_affairs)
    for code, lead in (("1", world.justice), ("2", world.justice), ("3", world.construction)):
        plans.task_add(plan=plan, area=Area.DIRECTION, code=code, title=f"Nhiệm vụ {code}", lead_unit=lead,
                       deadline=dt.date(2026, 6, 30), actor=home_affairs)  # fmt: skip
    for task in plan.tasks.filter(lead_unit=world.justice):
        plans.task_progress(task=task, progress=100, status=TaskStatus.DONE, actor=world.staff["leader"],
                            at=at(2026, 6, 1, 9))  # fmt: skip


def test_proposals_are_drafted_from_the_results_and_decided_once(
    world: World, committee: Unit, home_affairs: Any
) -> None:
    _tasks(world, committee, home_affairs)
    resolve(
        world, receive(world, at(2026, 3, 9, 9)), at(2026, 3, 10, 9)
    )  # on time: the automatic 1.2 gets 4/4
    publish_year(world, home_affairs, 2026, {"1.1.1": "4", "1.1.2": "2", "2.1.2": "1"})  # 11/12
    units = [world.justice, world.construction]
    with pytest.raises(AccountabilityForbidden):
        services.proposals_draft(year=2026, units=units, actor=world.staff["leader"])
    drafted = services.proposals_draft(year=2026, units=units, actor=home_affairs, now=NOW)
    by_unit = {p.unit: p for p in drafted}
    reward, criticism = by_unit[world.justice], by_unit[world.construction]
    assert reward.kind == ProposalKind.REWARD and reward.basis == {
        "par_index": "91.67", "tasks_due": 2, "tasks_on_time": 2, "commitment_missed": 0}  # fmt: skip
    assert "Chỉ số CCHC đạt 91,67%, xếp loại A." in reward.grounds
    # Construction: index 0 (it never submitted) and its only task not done.
    assert criticism.kind == ProposalKind.CRITICISM
    assert "Chỉ số CCHC đạt 0,00%, dưới 70%." in criticism.grounds
    assert "Chỉ hoàn thành đúng hạn 0/1 nhiệm vụ kế hoạch CCHC đến hạn." in criticism.grounds
    # Decided by a person, with the decision; then never redrafted.
    with pytest.raises(AccountabilityError, match="Cần nội dung quyết định"):
        services.proposal_decide(proposal=reward, approve=True, decision=" ", actor=home_affairs)
    services.proposal_decide(proposal=reward, approve=True, decision="Quyết định 120/QĐ-UBND: Bằng khen",
                             actor=home_affairs)  # fmt: skip
    with pytest.raises(AccountabilityError, match="đã được quyết định"):
        services.proposal_decide(proposal=reward, approve=False, decision="x", actor=home_affairs)
    redrafted = services.proposals_draft(year=2026, units=units, actor=home_affairs, now=NOW)
    assert [p.unit for p in redrafted] == [world.construction]
    assert RewardProposal.objects.get(unit=world.justice).state == ProposalState.APPROVED


def test_a_proposal_no_longer_qualifying_is_withdrawn_before_a_decision(
    world: World, committee: Unit, home_affairs: Any
) -> None:
    _tasks(world, committee, home_affairs)
    units = [world.construction]
    assert [p.kind for p in services.proposals_draft(year=2026, units=units, actor=home_affairs, now=NOW)] == [
        ProposalKind.CRITICISM]  # fmt: skip
    task = Task.objects.get(code="3")
    plans.task_progress(task=task, progress=100, status=TaskStatus.DONE, actor=world.staff["other_leader"],
                        at=at(2026, 6, 20, 9))  # fmt: skip
    assert services.proposals_draft(year=2026, units=units, actor=home_affairs, now=NOW) == []
    assert not RewardProposal.objects.exists()


def test_the_register_of_initiatives(world: World, home_affairs: Any) -> None:
    with pytest.raises(AccountabilityForbidden):
        services.initiative_submit(unit=world.justice, title="x", authors="y", area=Area.PROCEDURES, summary="z",
                                   actor=world.staff["other_specialist"])  # fmt: skip
    with pytest.raises(AccountabilityError, match="Lĩnh vực"):
        services.initiative_submit(unit=world.justice, title="x", authors="y", area="sports", summary="z",
                                   actor=world.staff["specialist"])  # fmt: skip
    initiative = services.initiative_submit(
        unit=world.justice, title="Phiếu hướng dẫn hồ sơ bằng mã QR", authors="Nguyễn Thị Hoa",
        area=Area.PROCEDURES, summary="Mỗi thủ tục có mã QR dẫn tới hướng dẫn chi tiết.",
        benefit="Giảm 30% hồ sơ phải bổ sung.", actor=world.staff["specialist"], at=at(2026, 8, 3, 9),
    )  # fmt: skip
    assert (initiative.year, initiative.state) == (2026, InitiativeState.SUBMITTED)
    with pytest.raises(AccountabilityForbidden):
        services.initiative_assess(
            initiative=initiative, recognised=True, note="", actor=world.staff["leader"]
        )
    with pytest.raises(AccountabilityError, match="lý do"):
        services.initiative_assess(initiative=initiative, recognised=False, note="", actor=home_affairs)
    services.initiative_assess(
        initiative=initiative, recognised=True, note="Áp dụng toàn tỉnh", actor=home_affairs
    )
    with pytest.raises(AccountabilityError, match="đã được đánh giá"):
        services.initiative_assess(initiative=initiative, recognised=False, note="x", actor=home_affairs)
    assert Initiative.objects.get().state == InitiativeState.RECOGNISED


def test_the_rewards_page(world: World, committee: Unit, home_affairs: Any) -> None:
    _tasks(world, committee, home_affairs)
    client = Client()
    client.force_login(home_affairs)
    assert client.post("/can-bo/thi-dua/lap-de-xuat/", {"nam": "2026"}).status_code == 303
    page = client.get("/can-bo/thi-dua/?nam=2026").content.decode()
    assert "Đề nghị phê bình" in page and "Sở Xây dựng tỉnh Thử" in page
    proposal = RewardProposal.objects.get(unit=world.construction)
    bad = client.post(f"/can-bo/thi-dua/de-xuat/{proposal.pk}/", {"ket_qua": "dong_y", "quyet_dinh": ""})
    assert bad.status_code == 422 and "Cần nội dung quyết định" in bad.content.decode()
    # A department sees its own proposals and registers its own initiatives only.
    justice = Client()
    justice.force_login(world.staff["specialist"])
    own = justice.get("/can-bo/thi-dua/?nam=2026").content.decode()
    assert "Sở Xây dựng tỉnh Thử" not in own and "Lập đề xuất từ kết quả năm" not in own
    assert (
        justice.post(
            f"/can-bo/thi-dua/de-xuat/{proposal.pk}/", {"ket_qua": "dong_y", "quyet_dinh": "x"}
        ).status_code
        == 403
    )
    sent = justice.post("/can-bo/thi-dua/sang-kien/", {
        "nam": "2026", "don_vi": world.construction.pk, "linh_vuc": "procedures", "ten": "x", "tac_gia": "y",
        "tom_tat": "z"})  # fmt: skip
    assert sent.status_code == 403 and not Initiative.objects.exists()
