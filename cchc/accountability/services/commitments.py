"""Writes of the commitments (cam kết): one service per step, each checking who may take it.

- The unit's leader or administrator drafts its commitment, and Home Affairs may draft any; the items change
  only until the head signs.
- Only a leader (lãnh đạo) of the unit signs, and only a commitment with at least one item.
- The unit's staff attach evidence to an item; Home Affairs judges the items no metric measures, once signed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accountability.models import Commitment, CommitmentEvidence, CommitmentItem, Comparison
from cchc.accountability.services._common import UNIT_STAFF, AccountabilityError, AccountabilityForbidden
from cchc.core.blobs import blob_store, stored_file_values
from cchc.orgs.models import Unit
from cchc.orgs.roles import Role
from cchc.orgs.scoping import has_role
from cchc.parindex.metrics import METRICS

DRAFTERS = (Role.LEADER, Role.UNIT_ADMIN)


def can_draft(actor: Any, unit: Unit) -> bool:
    return has_role(actor, Role.HOME_AFFAIRS) or any(has_role(actor, role, unit) for role in DRAFTERS)


def _may_draft(actor: Any, unit: Unit) -> None:
    if not can_draft(actor, unit):
        raise AccountabilityForbidden(_("Bạn không được soạn cam kết của %(unit)s.") % {"unit": unit.name})


@transaction.atomic
def commitment_create(*, year: int, unit: Unit, actor: Any) -> Commitment:
    _may_draft(actor, unit)
    if Commitment.objects.filter(year=year, unit=unit).exists():
        raise AccountabilityError(
            _("%(unit)s đã có cam kết năm %(year)s.") % {"unit": unit.name, "year": year}
        )
    return Commitment.objects.create(year=year, unit=unit)


def parse_target(raw: str) -> Decimal:
    """A target in percent as typed (“98”, “98,5”), between 0 and 100."""
    try:
        value = Decimal(raw.strip().replace(",", "."))
    except InvalidOperation as error:
        raise AccountabilityError(_("Chỉ tiêu phải là số phần trăm, ví dụ 98 hoặc 98,5.")) from error
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise AccountabilityError(_("Chỉ tiêu từ 0 đến 100%."))
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def commitment_item_add(
    *,
    commitment: Commitment,
    code: str,
    text: str,
    actor: Any,
    metric: str = "",
    comparison: str = Comparison.AT_LEAST,
    target: Decimal | None = None,
) -> CommitmentItem:
    """An item: a target when `metric` is given (then `target` is required), else a duty judged later."""
    commitment = Commitment.objects.select_for_update().select_related("unit").get(pk=commitment.pk)
    _may_draft(actor, commitment.unit)
    if commitment.signed_at is not None:
        raise AccountabilityError(_("Cam kết đã ký, không sửa được."))
    if not code.strip() or not text.strip():
        raise AccountabilityError(_("Cần số thứ tự và nội dung cam kết."))
    if metric and metric not in METRICS:
        raise AccountabilityError(_("Chỉ số đo tự động không hợp lệ."))
    if metric and target is None:
        raise AccountabilityError(_("Cần chỉ tiêu (%) cho nội dung đo tự động."))
    if comparison not in Comparison.values:
        raise AccountabilityError(_("Phép so sánh không hợp lệ."))
    if CommitmentItem.objects.filter(commitment=commitment, code=code.strip()).exists():
        raise AccountabilityError(_("Số thứ tự “%(code)s” đã có trong cam kết.") % {"code": code.strip()})
    return CommitmentItem.objects.create(
        commitment=commitment, code=code.strip(), text=text.strip(), metric=metric,
        comparison=comparison, target=target if metric else None,
    )  # fmt: skip


@transaction.atomic
def commitment_sign(*, commitment: Commitment, actor: Any, at: dt.datetime | None = None) -> Commitment:
    """The unit's head signs (ký cam kết); from then on the items are fixed."""
    commitment = Commitment.objects.select_for_update().select_related("unit").get(pk=commitment.pk)
    if not has_role(actor, Role.LEADER, commitment.unit):
        raise AccountabilityForbidden(_("Chỉ lãnh đạo đơn vị ký cam kết."))
    if commitment.signed_at is not None:
        raise AccountabilityError(_("Cam kết đã ký."))
    if not commitment.items.exists():
        raise AccountabilityError(_("Cam kết chưa có nội dung."))
    commitment.signed_by, commitment.signed_at = actor, at or timezone.now()
    commitment.save(update_fields=["signed_by", "signed_at"])
    return commitment


@transaction.atomic
def commitment_evidence_add(
    *, item: CommitmentItem, upload: IO[bytes], name: str, actor: Any, at: dt.datetime | None = None
) -> CommitmentEvidence:
    unit = item.commitment.unit
    if not any(has_role(actor, role, unit) for role in UNIT_STAFF):
        raise AccountabilityForbidden(_("Chỉ cán bộ của đơn vị đính kèm tài liệu kiểm chứng."))
    stored = blob_store(upload)
    return CommitmentEvidence.objects.create(
        item=item, **stored_file_values(stored, name=name, actor=actor, at=at or timezone.now())
    )


@transaction.atomic
def commitment_item_judge(
    *, item: CommitmentItem, met: bool, actor: Any, note: str = "", at: dt.datetime | None = None
) -> CommitmentItem:
    """Home Affairs judges an item no metric measures (đánh giá), after signing; a miss needs its reason."""
    if not has_role(actor, Role.HOME_AFFAIRS):
        raise AccountabilityForbidden(_("Chỉ Sở Nội vụ đánh giá nội dung cam kết."))
    item = CommitmentItem.objects.select_for_update().select_related("commitment").get(pk=item.pk)
    if item.metric:
        raise AccountabilityError(_("Nội dung này được đo tự động từ số liệu của hệ thống."))
    if item.commitment.signed_at is None:
        raise AccountabilityError(_("Cam kết chưa được ký."))
    if not met and not note.strip():
        raise AccountabilityError(_("Cần nêu lý do không đạt."))
    item.judged_met, item.judged_note = met, note.strip()
    item.judged_by, item.judged_at = actor, at or timezone.now()
    item.save(update_fields=["judged_met", "judged_note", "judged_by", "judged_at"])
    return item
