"""What a dossier shows to the public tracking page (thông tin công khai của hồ sơ): an explicit allow-list.

The dossier history holds internal matter: reasons for refusals, stops and apologies, assignments, hand-over
notes, staff names. None of it is public. So the page is built only from
* the events whose action is in PUBLIC_EVENTS, and of each only the fields named there, each read with its type
  checked (never `changes` as a whole);
* named fields of the dossier and of its result, delivery, supplement request and rating.
The applicant's name is partly masked and the national ID is never read (Decree 13/2023/NĐ-CP).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from cchc.dossiers.models import (
    NATIONAL_STATUS,
    Channel,
    DeliveryMethod,
    Dossier,
    DossierEvent,
    DossierResult,
    NationalStatus,
    Party,
    PartyKind,
    PartyRole,
    RatingLevel,
    State,
    SupplementRequest,
)
from cchc.dossiers.signatures import result_checks
from cchc.portal.models import Evaluation
from cchc.portal.rules import RATEABLE_STATES
from cchc.signing.verify import SignatureCheck

# action -> (public label, the fields of `changes` that may be shown). Any other action is not shown at all.
PUBLIC_EVENTS: dict[str, tuple[StrOrPromise, frozenset[str]]] = {
    "submit": (_("Nộp hồ sơ trực tuyến"), frozenset()),
    "receive": (_("Tiếp nhận hồ sơ, hẹn ngày trả kết quả"), frozenset({"appointment_at"})),
    "request_supplement_at_reception": (_("Yêu cầu bổ sung, hoàn thiện hồ sơ"), frozenset({"missing"})),
    "refuse": (_("Từ chối tiếp nhận, giải quyết hồ sơ"), frozenset()),
    "request_supplement": (_("Yêu cầu bổ sung hồ sơ trong khi giải quyết"), frozenset({"missing"})),
    "complete_supplement": (_("Đã bổ sung hồ sơ"), frozenset({"appointment_at"})),
    "apologise": (_("Xin lỗi và hẹn lại ngày trả kết quả"), frozenset({"new_appointment_at"})),
    "resolve": (_("Đã có kết quả giải quyết"), frozenset({"document_number"})),
    "stop": (_("Dừng giải quyết hồ sơ"), frozenset()),
    "withdraw": (_("Rút hồ sơ theo yêu cầu của người nộp"), frozenset()),
    "return_result": (_("Đã trả kết quả"), frozenset({"method"})),
    "rate": (_("Người nộp đã đánh giá mức độ hài lòng"), frozenset()),
    "evaluate": (_("Người nộp đã đánh giá việc giải quyết thủ tục hành chính"), frozenset()),
}

MAX_MISSING_ITEMS = 50
MAX_TEXT_CHARS = 500


@dataclass(frozen=True)
class PublicEvent:
    at: dt.datetime
    label: str
    status: str
    appointment_at: dt.datetime | None = None
    missing: tuple[str, ...] = ()
    document_number: str = ""
    method: str = ""


@dataclass(frozen=True)
class PublicDossier:
    """Everything the tracking page shows, and nothing else."""

    pk: int
    code: str
    procedure_name: str
    procedure_code: str
    receiving_unit: str
    applicant: str
    channel: str
    state: str
    status: str
    status_label: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    appointment_at: dt.datetime | None
    original_appointment_at: dt.datetime | None
    rescheduled: bool
    missing: tuple[str, ...]
    result_number: str
    result_code: str  # the electronic result's document code (mã số giấy tờ), "" otherwise
    result_date: dt.date | None
    # The signed electronic result can be downloaded (Decree 118/2025 Art. 22): once the dossier is returned.
    result_downloadable: bool
    # Its signatures, verified each time the page shows them (None when it cannot be downloaded), or why its
    # file cannot be read.
    result_checks: tuple[SignatureCheck, ...] | None
    result_problem: str
    returned_at: dt.datetime | None
    return_method: str
    requested_return_method: str
    ended_at: dt.datetime | None
    events: tuple[PublicEvent, ...]
    rating_level: str
    rating_label: str
    evaluation_total: int | None
    evaluation_grade: str
    can_rate: bool
    can_evaluate: bool


def mask_person_name(name: str) -> str:
    """A person's name with the family name whole and only the first letter of every other word:
    "Nguyễn Văn An" -> "Nguyễn V** A*". One word keeps only its first letter."""
    words = name.split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][0] + "*" * (len(words[0]) - 1)
    return " ".join([words[0], *(word[0] + "*" * (len(word) - 1) for word in words[1:])])


def _applicant_name(party: Party | None) -> str:
    if party is None:
        return ""
    if party.kind == PartyKind.ORGANISATION:
        return party.full_name  # an organisation's name is not personal data (Decree 13/2023 Art. 2)
    return mask_person_name(party.full_name)


def status_label(state: str) -> tuple[str, str]:
    """The national status (DOMAIN.md §3) of one of our states: (code, Vietnamese label)."""
    national = NationalStatus(NATIONAL_STATUS[State(state)])
    return national.value, str(national.label)


# -- reading allowed fields, each with its type checked -------------------------------------------------------
def _datetime(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(item)[:MAX_TEXT_CHARS] for item in value[:MAX_MISSING_ITEMS] if isinstance(item, str))


def _method_label(value: Any) -> str:
    return str(DeliveryMethod(value).label) if value in DeliveryMethod.values else ""


def public_event(event: DossierEvent) -> PublicEvent | None:
    """The public form of one history event, or None when its action is not public."""
    entry = PUBLIC_EVENTS.get(event.action)
    if entry is None:
        return None
    label, allowed = entry
    changes = event.changes if isinstance(event.changes, dict) else {}
    fields: dict[str, Any] = {}
    if "appointment_at" in allowed:
        fields["appointment_at"] = _datetime(changes.get("appointment_at"))
    if "new_appointment_at" in allowed:
        fields["appointment_at"] = _datetime(changes.get("new_appointment_at"))
    if "missing" in allowed:
        fields["missing"] = _texts(changes.get("missing"))
    if "document_number" in allowed and isinstance(changes.get("document_number"), str):
        fields["document_number"] = changes["document_number"][:MAX_TEXT_CHARS]
    if "method" in allowed:
        fields["method"] = _method_label(changes.get("method"))
    state = event.state_after if event.state_after in State.values else ""
    return PublicEvent(
        at=event.at,
        label=str(label),
        status=status_label(state)[1] if state else "",
        **fields,
    )


def _current_missing(dossier: Dossier) -> tuple[str, ...]:
    if dossier.state not in (State.RECEPTION_SUPPLEMENT, State.PROCESSING_SUPPLEMENT):
        return ()
    request = (
        SupplementRequest.objects.filter(dossier=dossier, completed_at__isnull=True, supplied_at__isnull=True)
        .order_by("-requested_at", "-pk")
        .only("missing")
        .first()
    )
    return _texts(request.missing) if request is not None else ()


def result_downloadable(dossier: Dossier, result: DossierResult | None) -> bool:
    """The applicant may download the signed electronic result once the dossier is returned (Art. 22)."""
    return dossier.state in RATEABLE_STATES and result is not None and bool(result.sha256)


def public_dossier(dossier: Dossier) -> PublicDossier:
    """The public view of `dossier` for the tracking page."""
    events = (
        DossierEvent.objects.filter(dossier=dossier, action__in=list(PUBLIC_EVENTS))
        .only("at", "action", "state_after", "changes")
        .order_by("seq")
    )
    applicant = (
        Party.objects.filter(dossier=dossier, role=PartyRole.APPLICANT).only("kind", "full_name").first()
    )
    # Read only when the dossier says they exist: the result is recorded together with resolved_at, the delivery
    # with returned_at (cchc.dossiers.services.processing), and only a returned dossier is rated or evaluated.
    returned = dossier.state in RATEABLE_STATES
    result = getattr(dossier, "result", None) if dossier.resolved_at else None
    delivery = getattr(dossier, "delivery", None) if dossier.returned_at else None
    rating = getattr(dossier, "rating", None) if returned else None
    evaluation = (
        Evaluation.objects.filter(dossier=dossier).only("total", "grade").first() if returned else None
    )
    status, label = status_label(dossier.state)
    version = dossier.procedure_version
    downloadable = result_downloadable(dossier, result)
    checks = result_checks(dossier) if downloadable else None
    return PublicDossier(
        pk=dossier.pk,
        code=dossier.code,
        procedure_name=version.name,
        procedure_code=version.procedure.code,
        receiving_unit=dossier.receiving_unit.name,
        applicant=_applicant_name(applicant),
        channel=str(Channel(dossier.channel).label),
        state=dossier.state,
        status=status,
        status_label=label,
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at,
        appointment_at=dossier.appointment_at,
        original_appointment_at=dossier.original_appointment_at,
        rescheduled=hasattr(dossier, "apology"),
        missing=_current_missing(dossier),
        result_number=result.document_number if result is not None else "",
        result_code=result.document_code if result is not None else "",
        result_date=result.document_date if result is not None else None,
        result_downloadable=downloadable,
        result_checks=tuple(checks) if isinstance(checks, list) else None,
        result_problem=checks if isinstance(checks, str) else "",
        returned_at=dossier.returned_at,
        return_method=_method_label(delivery.method) if delivery is not None else "",
        requested_return_method=_method_label(dossier.return_method),
        ended_at=dossier.ended_at,
        events=tuple(e for e in map(public_event, events) if e is not None),
        rating_level=rating.level if rating is not None else "",
        rating_label=str(RatingLevel(rating.level).label) if rating is not None else "",
        evaluation_total=evaluation.total if evaluation is not None else None,
        evaluation_grade=evaluation.get_grade_display() if evaluation is not None else "",
        can_rate=returned and rating is None,
        can_evaluate=returned and evaluation is None,
    )
