"""Reads of feedback that pages and other apps share, already scoped to what the reader may see.

Staff see the feedback of the units in their scope (cchc.orgs.scoping), and confidential reports only as
cchc.feedback.routing allows. The public sees published answers only, never a confidential one and never the
sender. The 766 figures are in cchc.feedback.figures and re-exported here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from cchc import workdays
from cchc.core.folding import fold_terms
from cchc.core.masking import mask_phone
from cchc.feedback.codes import normalise_code
from cchc.feedback.deadlines import days_left
from cchc.feedback.figures import FeedbackFigures, dossiers_with_complaint, feedback_figures
from cchc.feedback.models import Feedback, Kind, State
from cchc.feedback.routing import reads_all_confidential
from cchc.orgs.models import Membership, Unit
from cchc.orgs.roles import Role
from cchc.orgs.scoping import unit_scope_q, valid_memberships_q

__all__ = [
    "WORKLIST_KINDS",
    "FeedbackFigures",
    "dossiers_with_complaint",
    "feedback_figures",
    "feedback_for",
    "feedback_lookup",
    "feedback_visible_to",
    "published_answers",
    "worklist",
]

WORKLIST_KINDS: tuple[str, ...] = ("open", "due_soon", "overdue", "waiting_sender", "to_publish", "closed")
WORKLIST_PER_PAGE = 50
PUBLIC_PER_PAGE = 20


# -- staff ------------------------------------------------------------------------------------------------------
def _led_unit_ids(user: Any) -> list[int]:
    """The units the user leads today, and every unit below them."""
    ids = set(
        Membership.objects.filter(
            valid_memberships_q(day=timezone.localdate()), user_id=user.pk, role=Role.LEADER
        ).values_list("unit_id", flat=True)
    )
    frontier = set(ids)
    while frontier:
        children = set(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        ids |= children
        frontier = children
    return sorted(ids)


def feedback_visible_to(user: Any) -> QuerySet[Feedback]:
    """The feedback `user` may open: normal ones of the units in scope, confidential ones as routing allows."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return Feedback.objects.none()
    normal = Q(confidential=False) & unit_scope_q(user, field="unit")
    confidential = (
        Q(confidential=True)
        if reads_all_confidential(user)
        else Q(confidential=True, unit_id__in=_led_unit_ids(user))
    )
    return Feedback.objects.filter(normal | confidential)


def feedback_for(user: Any, code: str) -> Feedback:
    """One feedback by code, if `user` may open it; Http404 otherwise (whether it exists or not)."""
    feedback = (
        feedback_visible_to(user)
        .select_related("unit", "dossier", "procedure", "answered_by", "citizen")
        .filter(code=normalise_code(code))
        .first()
    )
    if feedback is None:
        raise Http404(_("Không tìm thấy phản ánh này."))
    return feedback


@dataclass(frozen=True)
class FeedbackRow:
    code: str
    kind: str
    kind_label: str
    confidential: bool
    subject_name: str
    unit_name: str
    state_label: str
    sender_name: str
    sender_phone_masked: str
    received_at: dt.datetime
    next_due_at: dt.datetime | None
    days_left: int | None
    overdue: bool


@dataclass(frozen=True)
class WorklistPage:
    kind: str
    page: int
    has_next: bool
    rows: list[FeedbackRow]


def _due_soon_limit(now: dt.datetime) -> dt.datetime:
    """The start of the day after the next working day: what falls due before it is due within a working day."""
    day_after = workdays.add_working_days(timezone.localdate(now), 1) + dt.timedelta(days=1)
    return dt.datetime.combine(day_after, dt.time(0), tzinfo=timezone.get_current_timezone())


def _kind_q(kind: str, now: dt.datetime) -> Q:
    if kind == "open":
        return Q(state__in=[State.RECEIVED, State.MORE_REQUESTED])
    if kind == "due_soon":
        return Q(next_due_at__gte=now, next_due_at__lt=_due_soon_limit(now))
    if kind == "overdue":
        return Q(next_due_at__lt=now)
    if kind == "waiting_sender":
        return Q(state=State.MORE_REQUESTED)
    if kind == "to_publish":
        return Q(state=State.ANSWERED, confidential=False)
    if kind == "closed":
        return Q(state__in=[State.REFUSED, State.PUBLISHED]) | Q(state=State.ANSWERED, confidential=True)
    raise ValueError(f"Unknown worklist: {kind}")


def worklist(*, user: Any, kind: str, page: int = 1, now: dt.datetime | None = None) -> WorklistPage:
    """A page of the staff worklist (danh sách phản ánh cần xử lý), soonest due first; phones masked."""
    moment = now or timezone.now()
    page = max(1, page)
    start = (page - 1) * WORKLIST_PER_PAGE
    queryset = (
        feedback_visible_to(user)
        .filter(_kind_q(kind, moment))
        .select_related("unit")
        .order_by("next_due_at", "received_at", "pk")
    )
    found = list(queryset[start : start + WORKLIST_PER_PAGE + 1])
    kinds, states = dict(Kind.choices), dict(State.choices)
    rows = [
        FeedbackRow(
            code=f.code,
            kind=f.kind,
            kind_label=str(kinds[f.kind]),
            confidential=f.confidential,
            subject_name=f.subject_name,
            unit_name=f.unit.name,
            state_label=str(states[f.state]),
            sender_name=f.sender_name,
            sender_phone_masked=mask_phone(f.sender_phone),
            received_at=f.received_at,
            next_due_at=f.next_due_at,
            days_left=days_left(f.next_due_at, moment),
            overdue=f.next_due_at is not None and f.next_due_at < moment,
        )
        for f in found[:WORKLIST_PER_PAGE]
    ]
    return WorklistPage(kind=kind, page=page, has_next=len(found) > WORKLIST_PER_PAGE, rows=rows)


# -- the sender -------------------------------------------------------------------------------------------------
def feedback_lookup(*, code: str, key: str) -> Feedback | None:
    """The feedback with this code and lookup key, or None (the same for an unknown code and a wrong key)."""
    normalised = normalise_code(code)
    typed_key = "".join((key or "").split()).upper()
    if not normalised or not typed_key:
        return None
    feedback = Feedback.objects.select_related("unit").filter(code=normalised).first()
    if feedback is None or not constant_time_compare(typed_key, feedback.lookup_key):
        return None
    return feedback


# -- the public -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PublishedAnswer:
    code: str
    kind_label: str
    subject_name: str
    unit_name: str
    question: str
    answer: str
    answered_at: dt.datetime | None
    published_at: dt.datetime | None


@dataclass(frozen=True)
class PublishedPage:
    query: str
    page: int
    has_next: bool
    rows: list[PublishedAnswer]


def published_answers(*, query: str = "", page: int = 1) -> PublishedPage:
    """Published answers (kết quả trả lời công khai), newest first, searchable without accents.

    Only what staff chose to publish is read: never the sender, never a confidential report.
    """
    page = max(1, page)
    queryset = Feedback.objects.filter(state=State.PUBLISHED, confidential=False)
    for term in fold_terms(query)[:10]:
        queryset = queryset.filter(search_folded__contains=term)
    start = (page - 1) * PUBLIC_PER_PAGE
    found = list(
        queryset.select_related("unit")
        .only(
            "code",
            "kind",
            "subject_name",
            "unit__name",
            "public_summary",
            "public_answer",
            "answered_at",
            "published_at",
        )
        .order_by("-published_at", "-pk")[start : start + PUBLIC_PER_PAGE + 1]
    )
    kinds = dict(Kind.choices)
    rows = [
        PublishedAnswer(
            code=f.code,
            kind_label=str(kinds[f.kind]),
            subject_name=f.subject_name,
            unit_name=f.unit.name,
            question=f.public_summary,
            answer=f.public_answer,
            answered_at=f.answered_at,
            published_at=f.published_at,
        )
        for f in found[:PUBLIC_PER_PAGE]
    ]
    return PublishedPage(query=query, page=page, has_next=len(found) > PUBLIC_PER_PAGE, rows=rows)
