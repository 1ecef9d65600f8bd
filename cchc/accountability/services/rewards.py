"""Writes of emulation and rewards (thi đua, khen thưởng; DOMAIN.md §8): proposals drafted from the year's results
and decided by a person, and the register of initiatives (sáng kiến).

The draft rules are cchc's default reading, in one place (`REWARD_*`, `CRITICISM_*`; verify against the
province's emulation regulation of the year, which sets its own):
- **reward** (khen thưởng) a unit whose published PAR Index of the year is in band A (≥ 90%), that did at least
  90% of its due plan tasks on time and missed no commitment item;
- **criticise** (phê bình) a unit whose published PAR Index is under 70%, or that did under 50% of its due plan
  tasks on time, or missed a commitment item;
- otherwise nothing is proposed. A person decides every proposal; a decided proposal is never redrafted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accountability.models import (
    Commitment,
    Initiative,
    InitiativeState,
    ProposalKind,
    ProposalState,
    RewardProposal,
)
from cchc.accountability.selectors import ItemState, commitment_results
from cchc.accountability.services._common import UNIT_STAFF, AccountabilityError, AccountabilityForbidden
from cchc.orgs.models import Unit
from cchc.orgs.roles import Role
from cchc.orgs.scoping import has_role
from cchc.parindex.models import AssessmentState, UnitAssessment
from cchc.parindex.scoring import band_of
from cchc.plans.models import Area
from cchc.plans.selectors import tasks_due

REWARD_MIN_INDEX = Decimal(90)  # band A (cchc.parindex.scoring.BANDS)
REWARD_MIN_TASKS_ON_TIME = Decimal("0.9")
CRITICISM_INDEX_BELOW = Decimal(70)  # under band C
CRITICISM_TASKS_ON_TIME_BELOW = Decimal("0.5")


@dataclass(frozen=True)
class Basis:
    """A unit's results of the year that a proposal rests on."""

    par_index: Decimal | None
    tasks_due: int
    tasks_on_time: int
    commitment_missed: int

    @property
    def tasks_rate(self) -> Decimal | None:
        return Decimal(self.tasks_on_time) / Decimal(self.tasks_due) if self.tasks_due else None

    def as_json(self) -> dict[str, Any]:
        return {
            "par_index": str(self.par_index) if self.par_index is not None else None,
            "tasks_due": self.tasks_due, "tasks_on_time": self.tasks_on_time,
            "commitment_missed": self.commitment_missed,
        }  # fmt: skip


def _percent(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def proposal_for(basis: Basis) -> tuple[str, list[str]] | None:
    """(kind, grounds) by the draft rules above, or None."""
    rate = basis.tasks_rate
    faults = []
    if basis.par_index is not None and basis.par_index < CRITICISM_INDEX_BELOW:
        faults.append(_("Chỉ số CCHC đạt %(index)s%%, dưới 70%%.") % {"index": _percent(basis.par_index)})
    if rate is not None and rate < CRITICISM_TASKS_ON_TIME_BELOW:
        faults.append(_("Chỉ hoàn thành đúng hạn %(done)s/%(due)s nhiệm vụ kế hoạch CCHC đến hạn.") % {
            "done": basis.tasks_on_time, "due": basis.tasks_due})  # fmt: skip
    if basis.commitment_missed:
        faults.append(_("Không đạt %(n)s nội dung cam kết.") % {"n": basis.commitment_missed})
    if faults:
        return ProposalKind.CRITICISM, faults
    if (
        basis.par_index is not None
        and basis.par_index >= REWARD_MIN_INDEX
        and (rate is None or rate >= REWARD_MIN_TASKS_ON_TIME)
    ):
        grounds = [_("Chỉ số CCHC đạt %(index)s%%, xếp loại %(band)s.") % {
            "index": _percent(basis.par_index), "band": band_of(basis.par_index)}]  # fmt: skip
        if rate is not None:
            grounds.append(_("Hoàn thành đúng hạn %(done)s/%(due)s nhiệm vụ kế hoạch CCHC đến hạn.") % {
                "done": basis.tasks_on_time, "due": basis.tasks_due})  # fmt: skip
        grounds.append(_("Đạt mọi nội dung cam kết đã đánh giá."))
        return ProposalKind.REWARD, grounds
    return None


def year_bases(year: int, units: list[Unit], *, now: dt.datetime | None = None) -> dict[int, Basis]:
    """Every unit's results of the year: its published PAR Index, its plan tasks due by the year's end (or
    today), its commitment items missed."""
    ids = [unit.pk for unit in units]
    indexes = dict(
        UnitAssessment.objects.filter(
            unit_id__in=ids, assessment__criteria_set__year=year, assessment__state=AssessmentState.PUBLISHED,
            index__isnull=False,
        ).values_list("unit_id", "index")
    )  # fmt: skip
    until = min(dt.date(year, 12, 31), timezone.localdate(now))
    tasks = tasks_due(ids, year=year, until=until)
    commitments = list(Commitment.objects.filter(year=year, unit_id__in=ids, signed_at__isnull=False))
    missed = {
        result.commitment.unit_id: result.count(ItemState.MISSED)
        for result in commitment_results(commitments, year=year, now=now)
    }
    return {
        unit.pk: Basis(indexes.get(unit.pk), *tasks.get(unit.pk, (0, 0)), missed.get(unit.pk, 0))
        for unit in units
    }


def _home_affairs(actor: Any) -> None:
    if not has_role(actor, Role.HOME_AFFAIRS):
        raise AccountabilityForbidden(_("Chỉ Sở Nội vụ thực hiện bước này."))


@transaction.atomic
def proposals_draft(
    *, year: int, units: list[Unit], actor: Any, now: dt.datetime | None = None
) -> list[RewardProposal]:
    """Draft (or redraft) the year's proposals from the results; decided ones are left as they are, undecided
    ones that no longer qualify are withdrawn. Returns the undecided proposals after drafting."""
    _home_affairs(actor)
    moment = now or timezone.now()
    decided = set(
        RewardProposal.objects.filter(year=year)
        .exclude(state=ProposalState.PROPOSED)
        .values_list("unit_id", flat=True)
    )
    drafted = []
    for unit_id, basis in year_bases(year, units, now=now).items():
        if unit_id in decided:
            continue
        proposal = proposal_for(basis)
        if proposal is None:
            RewardProposal.objects.filter(year=year, unit_id=unit_id, state=ProposalState.PROPOSED).delete()
            continue
        kind, grounds = proposal
        row, _created = RewardProposal.objects.update_or_create(
            year=year, unit_id=unit_id,
            defaults={"kind": kind, "grounds": "\n".join(grounds), "basis": basis.as_json(), "drafted_at": moment},
        )  # fmt: skip
        drafted.append(row)
    return drafted


@transaction.atomic
def proposal_decide(
    *, proposal: RewardProposal, approve: bool, decision: str, actor: Any, at: dt.datetime | None = None
) -> RewardProposal:
    """A person decides (quyết định): approved with the decision's number and form, or not accepted with why."""
    _home_affairs(actor)
    proposal = RewardProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != ProposalState.PROPOSED:
        raise AccountabilityError(_("Đề xuất này đã được quyết định."))
    if not decision.strip():
        raise AccountabilityError(
            _("Cần nội dung quyết định (số quyết định, hình thức) hoặc lý do không chấp nhận.")
        )
    proposal.state = ProposalState.APPROVED if approve else ProposalState.REJECTED
    proposal.decision, proposal.decided_at, proposal.decided_by = (
        decision.strip(),
        at or timezone.now(),
        actor,
    )
    proposal.save(update_fields=["state", "decision", "decided_at", "decided_by"])
    return proposal


@transaction.atomic
def initiative_submit(
    *,
    unit: Unit,
    title: str,
    authors: str,
    area: str,
    summary: str,
    actor: Any,
    benefit: str = "",
    at: dt.datetime | None = None,
) -> Initiative:
    """A unit's staff register an initiative (đăng ký sáng kiến) of their unit."""
    if not any(has_role(actor, role, unit) for role in UNIT_STAFF):
        raise AccountabilityForbidden(_("Chỉ cán bộ của đơn vị đăng ký sáng kiến của đơn vị."))
    if area not in Area.values:
        raise AccountabilityError(_("Lĩnh vực cải cách không hợp lệ."))
    if not title.strip() or not authors.strip() or not summary.strip():
        raise AccountabilityError(_("Cần tên sáng kiến, tác giả và nội dung tóm tắt."))
    if len(title.strip()) > 255 or len(authors.strip()) > 255:
        raise AccountabilityError(_("Tên sáng kiến hoặc tác giả quá dài (tối đa 255 ký tự)."))
    moment = at or timezone.now()
    return Initiative.objects.create(
        year=timezone.localdate(moment).year, unit=unit, title=title.strip(), authors=authors.strip(), area=area,
        summary=summary.strip(), benefit=benefit.strip(), submitted_at=moment, submitted_by=actor,
    )  # fmt: skip


@transaction.atomic
def initiative_assess(
    *, initiative: Initiative, recognised: bool, note: str, actor: Any, at: dt.datetime | None = None
) -> Initiative:
    """Home Affairs records the council's assessment (công nhận sáng kiến), once; a refusal needs its reason."""
    _home_affairs(actor)
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if initiative.state != InitiativeState.SUBMITTED:
        raise AccountabilityError(_("Sáng kiến này đã được đánh giá."))
    if not recognised and not note.strip():
        raise AccountabilityError(_("Cần nêu lý do không công nhận."))
    initiative.state = InitiativeState.RECOGNISED if recognised else InitiativeState.NOT_RECOGNISED
    initiative.assessment_note, initiative.assessed_at, initiative.assessed_by = (
        note.strip(),
        at or timezone.now(),
        actor,
    )
    initiative.save(update_fields=["state", "assessment_note", "assessed_at", "assessed_by"])
    return initiative
