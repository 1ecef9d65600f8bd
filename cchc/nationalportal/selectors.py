"""Reads of the national portal sync for pages and for the 766 index."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from cchc.dossiers.models import Dossier, DossierResult
from cchc.dossiers.panels import Panel
from cchc.nationalportal.models import CatalogPull, InboundFiling, Message, MessageKind, MessageState
from cchc.orgs.roles import Role
from cchc.orgs.scoping import has_role, unit_scope_q
from cchc.workdays.display import local_datetime

# A message taken by the portal within this time of the change counts as synced in real time (766
# transparency group). The national portal does not publish its own window: ours, verify.
REALTIME_WINDOW = dt.timedelta(minutes=30)
LIST_LIMIT = 100


def sync_panel(dossier: Dossier) -> Panel | None:
    """The staff dossier page's panel on what the national portal has heard of the dossier."""
    messages = list(Message.objects.filter(dossier=dossier).order_by("pk"))
    if not messages:
        return None
    rows: list[tuple[StrOrPromise, str]] = []
    for message in messages:
        label = f"{message.payload.get('status_name', message.national_status)} · {local_datetime(message.created_at)}"
        value: StrOrPromise
        if message.state == MessageState.DELIVERED:
            value = _("Cổng đã nhận lúc %(when)s") % {"when": local_datetime(message.delivered_at)}
        elif message.state == MessageState.FAILED:
            value = _("Lỗi, cần gửi lại: %(error)s") % {"error": message.last_error}
        elif message.last_error:
            value = _("Chờ gửi lại lúc %(when)s (lỗi: %(error)s)") % {
                "when": local_datetime(message.next_try_at) or "–", "error": message.last_error,
            }  # fmt: skip
        else:
            value = _("Chờ gửi")
        rows.append((label, str(value)))
    return Panel(key="national-sync", title=_("Đồng bộ Cổng Dịch vụ công quốc gia"), rows=tuple(rows))


def visible_messages(user: object) -> QuerySet[Message]:
    return Message.objects.filter(unit_scope_q(user, field="unit"))


@dataclass(frozen=True)
class Overview:
    counts: dict[str, int]
    failed: list[Message]
    pending: list[Message]
    delivered: list[Message]
    pulls: list[CatalogPull]
    filings: list[InboundFiling]
    sees_province: bool


def sync_overview(user: object) -> Overview:
    """What a unit's staff see of the sync: counts by state, failures first, the oldest waiting, the latest
    delivered; the province's administrators also see the catalog pulls and the dossiers received."""
    messages = visible_messages(user).select_related("dossier", "unit", "resent_by")
    counts = {row["state"]: row["n"] for row in messages.values("state").annotate(n=Count("pk")).order_by()}
    province = has_role(user, Role.PROVINCE_ADMIN) or has_role(user, Role.HOME_AFFAIRS)
    return Overview(
        counts={state: counts.get(state, 0) for state in MessageState.values},
        failed=list(messages.filter(state=MessageState.FAILED).order_by("pk")[:LIST_LIMIT]),
        pending=list(messages.filter(state=MessageState.PENDING).order_by("pk")[:LIST_LIMIT]),
        delivered=list(messages.filter(state=MessageState.DELIVERED).order_by("-delivered_at", "-pk")[:20]),
        pulls=list(CatalogPull.objects.all()[:10]) if province else [],
        filings=list(InboundFiling.objects.select_related("dossier").order_by("-received_at", "-pk")[:20])
        if province
        else [],
        sees_province=province,
    )


def realtime_synced_counts(
    *, unit_ids: Collection[int], first: dt.datetime, after: dt.datetime
) -> dict[int, int]:
    """Per competent unit: dossiers received in [first, after) whose every status message written before
    `after` was taken by the portal within REALTIME_WINDOW (766 transparency group, "synced in real time").

    A dossier with no message at all (recorded before the sync existed, or in bulk) is not synced.
    """
    received = Q(dossier__received_at__gte=first, dossier__received_at__lt=after, unit_id__in=list(unit_ids))
    written = Message.objects.filter(received, created_at__lt=after)
    late = Q(delivered_at__isnull=True) | Q(delivered_at__gt=F("created_at") + REALTIME_WINDOW)
    counts: dict[int, int] = defaultdict(int)
    for row in written.values("unit_id").annotate(n=Count("dossier_id", distinct=True)).order_by():
        counts[row["unit_id"]] += row["n"]
    for row in (
        written.filter(late).values("unit_id").annotate(n=Count("dossier_id", distinct=True)).order_by()
    ):
        counts[row["unit_id"]] -= row["n"]
    return dict(counts)


def store_linked_counts(
    *, unit_ids: Collection[int], first: dt.datetime, after: dt.datetime
) -> dict[int, tuple[int, int]]:
    """Per competent unit: (electronic results issued in [first, after), those of them taken into the owner's
    store on the national portal before `after`) (766 digitisation group, "linked to the citizen's data store";
    the national population of that component is not published: ours, verify).

    An electronic result is a signed file, and only it has a document code (cchc.dossiers.result_codes), so the
    results are read from the partial unique index on `document_code`, whatever the number of paper results. It
    reaches the store through its RESULT message (docs/national-portal.md §2), so one issued to an applicant
    without an identification number never does.
    """
    issued = DossierResult.objects.filter(
        dossier__competent_unit_id__in=list(unit_ids),
        dossier__resolved_at__gte=first,
        dossier__resolved_at__lt=after,
    ).exclude(document_code="")
    counts: dict[int, tuple[int, int]] = {}
    for row in issued.values("dossier__competent_unit_id").annotate(n=Count("pk")).order_by():
        counts[row["dossier__competent_unit_id"]] = (row["n"], 0)
    linked = Message.objects.filter(
        kind=MessageKind.RESULT,
        state=MessageState.DELIVERED,
        delivered_at__lt=after,
        dossier_id__in=issued.values("dossier_id"),
    )
    for row in linked.values("unit_id").annotate(n=Count("dossier_id", distinct=True)).order_by():
        total, _linked = counts.get(row["unit_id"], (0, 0))
        counts[row["unit_id"]] = (total, row["n"])
    return counts
