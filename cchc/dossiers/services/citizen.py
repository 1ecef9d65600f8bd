"""What the applicant does on the portal to a dossier already filed: send the documents a supplement asked for.

Decree 118/2025/NĐ-CP Art. 17(2)(a) (supplement at reception) and Art. 19(5) (supplement during processing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.dossiers.deadlines import limit_due
from cchc.dossiers.lifecycle import Action, ActionForbidden, RuleBroken, apply_transition
from cchc.dossiers.models import (
    Dossier,
    DossierComponent,
    State,
    SupplementRequest,
    SupplementStage,
)
from cchc.dossiers.services._common import _event, _locked


@dataclass(frozen=True)
class SuppliedFile:
    """One document sent in answer to a supplement request: what it is, and the stored file (cchc.core.blobs)."""

    name: str
    blob_name: str
    sha256: str


SUPPLEMENT_STAGES = {
    State.RECEPTION_SUPPLEMENT: SupplementStage.RECEPTION,
    State.PROCESSING_SUPPLEMENT: SupplementStage.PROCESSING,
}


@transaction.atomic
def dossier_supplement_online(
    *, dossier: Dossier, citizen: Any, files: Sequence[SuppliedFile], at: dt.datetime | None = None
) -> Dossier:
    """The applicant sends the missing documents online (bổ sung hồ sơ trực tuyến).

    Only the dossier's own portal account may do this. At reception (Art. 17(2)(a)) the documents join the
    dossier and reception checks them, then receives it: the clock starts at that reception. During processing
    (Art. 19(5)) the dossier is complete again as of now: the time limit restarts from zero (a new legal
    appointment), and the statistics subtract the pause (cchc.dossiers.deadlines.day_counts).
    """
    if not files:
        raise RuleBroken(_("Cần đính kèm ít nhất một giấy tờ bổ sung."))
    moment = at or timezone.now()
    dossier = _locked(dossier)
    if citizen is None or not citizen.is_authenticated or dossier.citizen_id != citizen.pk:
        raise ActionForbidden(_("Chỉ tài khoản đã nộp hồ sơ này mới được gửi bổ sung."))
    stage = SUPPLEMENT_STAGES.get(State(dossier.state))
    if stage is None:
        raise RuleBroken(_("Hồ sơ %(code)s không ở trạng thái chờ bổ sung.") % {"code": dossier.code})
    request = (
        SupplementRequest.objects.select_for_update()
        .filter(dossier=dossier, stage=stage, completed_at__isnull=True)
        .order_by("-requested_at", "-pk")
        .first()
    )
    if request is None:
        raise RuleBroken(_("Không có yêu cầu bổ sung nào đang chờ."))
    DossierComponent.objects.bulk_create(
        DossierComponent(
            dossier=dossier,
            name=item.name,
            provided=True,
            file=item.blob_name,
            sha256=item.sha256,
            added_at=moment,
        )
        for item in files
    )
    names = [item.name for item in files]
    before = dossier.state
    if stage == SupplementStage.RECEPTION:
        request.supplied_at = moment
        request.save(update_fields=["supplied_at"])
        # No transition: reception checks the documents and receives the dossier (or refuses it).
        _event(dossier, Action.COMPLETE_SUPPLEMENT, None, before, moment, by="citizen", documents=names)
        return dossier
    # Art. 19(5): completed by the applicant; a platform action on the applicant's behalf, no staff role.
    apply_transition(
        dossier=dossier, action=Action.COMPLETE_SUPPLEMENT, actor=None, expected_version=None, system=True
    )
    request.supplied_at = request.completed_at = moment
    request.save(update_fields=["supplied_at", "completed_at"])
    dossier.appointment_at = limit_due(dossier, moment)
    dossier.due_soon_warned_at = dossier.overdue_marked_at = None
    dossier.save(update_fields=["appointment_at", "due_soon_warned_at", "overdue_marked_at"])
    _event(
        dossier,
        Action.COMPLETE_SUPPLEMENT,
        None,
        before,
        moment,
        by="citizen",
        documents=names,
        appointment_at=dossier.appointment_at,
    )
    return dossier
