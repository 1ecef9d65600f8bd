"""Reads of dossiers that pages, the API and other apps share, already scoped to what the user may see.

Scope (cchc.orgs.scoping): a user sees the dossiers received by, handled by or now held by one of their units
(or a unit below one of them), and those routed through one of their units in inter-agency processing
(liên thông: a step of the dossier in that unit has started). Home Affairs and province administrators see
every dossier; an anonymous user sees none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from cchc import workdays
from cchc.core.masking import mask_id_number
from cchc.dossiers.history import personal_data_access_log
from cchc.dossiers.models import (
    TERMINAL_STATES,
    Dossier,
    DossierStep,
    Party,
    PartyRole,
    State,
    SupplementRequest,
)
from cchc.orgs.scoping import unit_scope_q, visible_unit_ids

WorklistKind = Literal["mine", "unit", "due_soon", "overdue", "waiting_citizen", "ready_to_return"]
WORKLIST_KINDS: tuple[str, ...] = (
    "to_receive",
    "mine",
    "unit",
    "due_soon",
    "overdue",
    "waiting_citizen",
    "ready_to_return",
)
MAX_PER_PAGE = 200
VIEW_PURPOSE = "xem hồ sơ"

_OPEN_Q = ~Q(state__in=sorted(TERMINAL_STATES))


def dossiers_visible_to(user: Any) -> QuerySet[Dossier]:
    """Every dossier `user` may see (see the module's rules)."""
    everything = unit_scope_q(user, field="pk")
    if everything == Q():
        return Dossier.objects.all()
    if everything == Q(pk__in=[]):
        return Dossier.objects.none()
    routed_here = DossierStep.objects.filter(
        unit_scope_q(user, field="unit"), dossier=OuterRef("pk"), started_at__isnull=False
    )
    return Dossier.objects.filter(
        unit_scope_q(user, field="receiving_unit")
        | unit_scope_q(user, field="competent_unit")
        | unit_scope_q(user, field="current_unit")
        | Q(Exists(routed_here))
    )


def _work_scope(user: Any) -> QuerySet[Dossier]:
    """Where a user's worklists look: the dossiers their units hold now, received, or are competent for.

    An index-friendly subset of dossiers_visible_to: worklists are about work in one's own units, and the EXISTS
    over earlier routed steps would make every worklist scan the whole dossier table (bench/worklist_bench.py).
    """
    unit_ids = visible_unit_ids(user)
    if unit_ids is None:
        return Dossier.objects.all()
    if not unit_ids:
        return Dossier.objects.none()
    return Dossier.objects.filter(
        Q(current_unit_id__in=unit_ids)
        | Q(receiving_unit_id__in=unit_ids)
        | Q(competent_unit_id__in=unit_ids)
    )


@dataclass(frozen=True)
class DossierRow:
    """One line of a worklist. The applicant's ID number is masked (Decree 13/2023/NĐ-CP)."""

    pk: int
    code: str
    procedure_name: str
    applicant_name: str
    applicant_id_masked: str
    state: str
    state_label: str
    appointment_at: dt.datetime | None
    # Working days until the appointment (0: due today); negative: working days overdue. None: no appointment.
    days_left: int | None
    overdue: bool
    current_unit_name: str


@dataclass(frozen=True)
class WorklistPage:
    kind: str
    page: int
    per_page: int
    has_next: bool
    rows: list[DossierRow]


def _days_left(appointment_at: dt.datetime | None, now: dt.datetime) -> int | None:
    if appointment_at is None:
        return None
    today, due = timezone.localdate(now), timezone.localdate(appointment_at)
    if due >= today:
        return workdays.working_days_between(today, due)
    return -workdays.working_days_between(due, today)


def _due_soon_limit(now: dt.datetime) -> dt.datetime:
    """The start of the day after the next working day: appointments before it are due within one working day."""
    next_working_day = workdays.add_working_days(timezone.localdate(now), 1)
    day_after = next_working_day + dt.timedelta(days=1)
    return dt.datetime.combine(day_after, dt.time(0), tzinfo=timezone.get_current_timezone())


def _kind_q(kind: str, *, user: Any, now: dt.datetime) -> Q:
    if kind == "to_receive":
        # Online dossiers waiting for acceptance (8 working hours, DOMAIN.md §3), and those whose applicant has
        # sent the supplement asked for at reception (Art. 17(2)(a)): reception checks and receives them.
        supplied = SupplementRequest.objects.filter(
            dossier=OuterRef("pk"), supplied_at__isnull=False, completed_at__isnull=True
        )
        return unit_scope_q(user, field="receiving_unit") & (
            Q(state=State.SUBMITTED) | Q(Q(state=State.RECEPTION_SUPPLEMENT), Exists(supplied))
        )
    if kind == "mine":
        return Q(assignee_id=user.pk) & _OPEN_Q
    if kind == "unit":
        return unit_scope_q(user, field="current_unit") & _OPEN_Q
    if kind == "due_soon":
        return Q(state=State.PROCESSING, appointment_at__gte=now, appointment_at__lt=_due_soon_limit(now))
    if kind == "overdue":
        # Only a dossier being processed runs late: during a supplement the clock is paused and the appointment
        # is recomputed when the citizen completes it (Decree 118/2025 Art. 19(5)).
        return Q(state=State.PROCESSING, appointment_at__lt=now)
    if kind == "waiting_citizen":
        return Q(state__in=[State.RECEPTION_SUPPLEMENT, State.PROCESSING_SUPPLEMENT])
    if kind == "ready_to_return":
        return Q(state=State.RESOLVED)
    raise ValueError(f"Unknown worklist: {kind}")


def worklist(
    *,
    user: Any,
    kind: WorklistKind,
    page: int = 1,
    per_page: int = 50,
    now: dt.datetime | None = None,
) -> WorklistPage:
    """One page of a worklist, ordered by appointment (earliest first, none last), read in one query."""
    moment = now or timezone.now()
    page = max(1, page)
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    applicant = Party.objects.filter(dossier=OuterRef("pk"), role=PartyRole.APPLICANT)
    queryset = (
        _work_scope(user)
        .filter(_kind_q(kind, user=user, now=moment))
        .annotate(
            applicant_name=Subquery(applicant.values("full_name")[:1]),
            applicant_id_number=Subquery(applicant.values("id_number")[:1]),
        )
        .values(
            "pk",
            "code",
            "state",
            "appointment_at",
            "applicant_name",
            "applicant_id_number",
            procedure_name=F("procedure_version__name"),
            current_unit_name=F("current_unit__name"),
        )
        .order_by(F("appointment_at").asc(nulls_last=True), "pk")
    )
    start = (page - 1) * per_page
    found = list(queryset[start : start + per_page + 1])
    labels = dict(State.choices)
    rows = [
        DossierRow(
            pk=row["pk"],
            code=row["code"],
            procedure_name=row["procedure_name"],
            applicant_name=row["applicant_name"] or "",
            applicant_id_masked=mask_id_number(row["applicant_id_number"]),
            state=row["state"],
            state_label=str(labels.get(row["state"], row["state"])),
            appointment_at=row["appointment_at"],
            days_left=_days_left(row["appointment_at"], moment),
            overdue=bool(
                row["appointment_at"] is not None
                and row["appointment_at"] < moment
                and row["state"] == State.PROCESSING
            ),
            current_unit_name=row["current_unit_name"],
        )
        for row in found[:per_page]
    ]
    return WorklistPage(kind=kind, page=page, per_page=per_page, has_next=len(found) > per_page, rows=rows)


def dossier_for(user: Any, pk_or_code: int | str, *, purpose: str = VIEW_PURPOSE) -> Dossier:
    """The dossier with this id or code if `user` may see it (Http404 otherwise); the access is logged."""
    lookup: Q
    if isinstance(pk_or_code, int):
        lookup = Q(pk=pk_or_code)
    else:
        code = pk_or_code.strip()
        if not code or len(code) > (Dossier._meta.get_field("code").max_length or 40):
            raise Http404("Không tìm thấy hồ sơ.")
        lookup = Q(code=code)
    dossier = (
        dossiers_visible_to(user)
        .filter(lookup)
        .select_related(
            "procedure_version__procedure", "receiving_unit", "competent_unit", "current_unit", "assignee"
        )
        .first()
    )
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    personal_data_access_log(dossier=dossier, user=user, purpose=purpose)
    return dossier


def dossier_visible(user: Any, code: str) -> Dossier:
    """The dossier with this code if `user` may see it, for an action (Http404 otherwise; nothing is logged)."""
    code = code.strip()
    if not code or len(code) > (Dossier._meta.get_field("code").max_length or 40):
        raise Http404("Không tìm thấy hồ sơ.")
    dossier = dossiers_visible_to(user).filter(code=code).first()
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return dossier
