"""The statistics' rules as SQL conditions on dossiers (DOMAIN.md §3 and §8; the module docstring of
cchc.stats.selectors says which dossiers a period counts and where).

Two readers share them, so a figure and the list of its dossiers always agree: the stored day figures
(cchc.stats.daily) and the drill-down lists (cchc.stats.selectors.statistics_dossiers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext as _

from cchc.catalog.models import OnlineLevel
from cchc.dossiers.models import (
    Channel,
    Delivery,
    DeliveryMethod,
    Dossier,
    DossierComponent,
    DossierFee,
    State,
)
from cchc.workdays.calendar import TZ

# The cell of a dossier: its competent unit (cơ quan giải quyết), procedure and field.
CELL: dict[str, F] = {
    "unit": F("competent_unit_id"),
    "procedure": F("procedure_version__procedure_id"),
    "field": F("procedure_version__field_id"),
}
# Counted at the moment the dossier is received (its channel), or at its exit (its outcome).
RECEIVED_FIGURES = ("new_online", "new_in_person", "new_post")
EXIT_FIGURES = ("resolved_early", "resolved_on_time", "resolved_late", "refused", "withdrawn", "stopped")
# The 766 index's readings (cchc.serviceindex.inputs) counted on the same days.
INDEX_RECEIVED_FIGURES = (
    "full_online",
    "full_online_filed",
    "with_components",
    "digitised",
    "reused",
    "fee_bearing",
)
INDEX_EXIT_FIGURES = ("timed_done", "timed_on_time")


def midnight(day: dt.date) -> dt.datetime:
    """00:00 of `day` in Asia/Ho_Chi_Minh."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=TZ)


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """00:00 of `start` and 00:00 after `end`, in Asia/Ho_Chi_Minh."""
    if end < start:
        raise ValueError(_("Ngày kết thúc kỳ phải sau ngày bắt đầu."))
    return midnight(start), midnight(end + dt.timedelta(days=1))


def received_conditions() -> dict[str, Q]:
    """New dossiers by channel (1 in person, 2 online, 3 post)."""
    return {
        "new_online": Q(channel=Channel.ONLINE),
        "new_in_person": Q(channel=Channel.IN_PERSON),
        "new_post": Q(channel=Channel.POST),
    }


def exit_conditions() -> dict[str, Q]:
    """The outcome of a dossier that is out, on a queryset from `with_aliases`: fixed from its exit on.

    On time is the national rule (DOMAIN.md §3): the result no later than the first appointment, moved by the
    pause of a supplement asked during processing (Decree 118/2025 Art. 19(5)); early when it came on a day
    before the appointment's day; a dossier without a time limit is on time.
    """
    resolved = Q(resolved_at__isnull=False)
    no_limit = Q(original_appointment_at__isnull=True)

    def ended(state: str) -> Q:
        return Q(resolved_at__isnull=True, ended_at__isnull=False, state=state)

    return {
        "resolved_early": resolved & ~no_limit & Q(resolved_day__lt=F("due_day")),
        "resolved_on_time": resolved
        & (no_limit | (Q(resolved_at__lte=F("due")) & Q(resolved_day__gte=F("due_day")))),
        "resolved_late": resolved & Q(resolved_at__gt=F("due")),
        "refused": ended(State.REFUSED),
        "withdrawn": ended(State.WITHDRAWN),
        "stopped": ended(State.STOPPED),
    }


def pending_conditions(at: dt.datetime) -> dict[str, Q]:
    """Within the limit or overdue at the instant `at`, for a dossier pending then (on `with_aliases`).

    Measured at `at`, or at the supplement request while the dossier waits for the citizen (Art. 19(5)).
    """
    pause_asked = Q(stats_pause__requested_at__lt=at)
    paused_at_end = pause_asked & (
        Q(stats_pause__completed_at__isnull=True) | Q(stats_pause__completed_at__gte=at)
    )
    resumed_by_end = pause_asked & Q(stats_pause__completed_at__lt=at)
    no_pause_by_end = Q(stats_pause__requested_at__isnull=True) | Q(stats_pause__requested_at__gte=at)
    no_limit = Q(original_appointment_at__isnull=True)
    return {
        "within": no_limit
        | (paused_at_end & Q(stats_pause__requested_at__lte=F("original_appointment_at")))
        | (resumed_by_end & Q(stats_pause__due_at__gte=at))
        | (no_pause_by_end & Q(original_appointment_at__gte=at)),
        "overdue": ~no_limit
        & (
            (paused_at_end & Q(stats_pause__requested_at__gt=F("original_appointment_at")))
            | (resumed_by_end & Q(stats_pause__due_at__lt=at))
            | (no_pause_by_end & Q(original_appointment_at__lt=at))
        ),
    }


def apology_counted() -> Q:
    """On apologies: one issued while its dossier was pending (received, not yet out). The lifecycle issues them
    only then (Mẫu 04 during processing); the condition keeps loaded data to the same rule."""
    return Q(dossier__received_at__lte=F("issued_at")) & (
        Q(dossier__resolved_at__isnull=True, dossier__ended_at__isnull=True)
        | Q(dossier__resolved_at__gte=F("issued_at"))
        | Q(dossier__resolved_at__isnull=True, dossier__ended_at__gte=F("issued_at"))
    )


def with_aliases(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """The aliases the conditions read: `exit` (result, else end), `due` (statistical deadline) and days."""
    due = Coalesce("stats_pause__due_at", "original_appointment_at")
    return queryset.alias(
        exit=Coalesce("resolved_at", "ended_at"),
        due=due,
        resolved_day=TruncDate("resolved_at", tzinfo=TZ),
        due_day=TruncDate(due, tzinfo=TZ),
    )


def scope_condition(
    *,
    unit_ids: Iterable[int] | None = None,
    unit_id: int | None = None,
    procedure_id: int | None = None,
    field_id: int | None = None,
    prefix: str = "",
) -> Q:
    """The scope (the dossiers' competent unit among `unit_ids`) and the drill-down's unit, procedure and field,
    on dossiers or on rows that reach a dossier through `prefix` (e.g. "dossier__")."""
    condition = Q()
    if unit_ids is not None:
        condition &= Q(**{f"{prefix}competent_unit_id__in": list(unit_ids)})
    if unit_id is not None:
        condition &= Q(**{f"{prefix}competent_unit_id": unit_id})
    if procedure_id is not None:
        condition &= Q(**{f"{prefix}procedure_version__procedure_id": procedure_id})
    if field_id is not None:
        condition &= Q(**{f"{prefix}procedure_version__field_id": field_id})
    return condition


def received_between(begin: dt.datetime, end: dt.datetime) -> QuerySet[Dossier]:
    return with_aliases(Dossier.objects.filter(received_at__gte=begin, received_at__lt=end))


def exited_between(begin: dt.datetime, end: dt.datetime) -> QuerySet[Dossier]:
    """Received dossiers whose exit (result, else end) fell in [begin, end)."""
    return with_aliases(Dossier.objects.filter(received_at__isnull=False)).filter(
        Q(exit__gte=begin, exit__lt=end)
    )


def pending_at(at: dt.datetime) -> QuerySet[Dossier]:
    """Dossiers received before `at` and not out by then (carried over into a period that starts at `at`)."""
    return with_aliases(Dossier.objects.filter(received_at__lt=at)).filter(
        Q(exit__isnull=True) | Q(exit__gte=at)
    )


def counted(begin: dt.datetime, end: dt.datetime) -> QuerySet[Dossier]:
    """The dossiers the period [begin, end) counts: received before its end and not out before it began."""
    return with_aliases(Dossier.objects.filter(received_at__lt=end)).filter(
        Q(exit__isnull=True) | Q(exit__gte=begin)
    )


def figure_conditions(begin: dt.datetime, end: dt.datetime) -> dict[str, Q]:
    """Each base figure of the period [begin, end) as a condition on the dossiers `counted` returns."""
    new = Q(received_at__gte=begin)
    exited = Q(exit__lt=end)
    pending = Q(exit__isnull=True) | Q(exit__gte=end)
    conditions: dict[str, Q] = {"carried_over": Q(received_at__lt=begin)}
    conditions.update({name: new & condition for name, condition in received_conditions().items()})
    conditions.update({name: exited & condition for name, condition in exit_conditions().items()})
    at_end = pending_conditions(end)
    conditions["pending_within"] = pending & at_end["within"]
    conditions["pending_overdue"] = pending & at_end["overdue"]
    conditions["apologies"] = Q(
        apology__issued_at__gte=begin,
        apology__issued_at__lt=end,
        received_at__lte=F("apology__issued_at"),
    ) & (Q(exit__isnull=True) | Q(exit__gte=F("apology__issued_at")))
    return conditions


# The 766 index's readings (the docstring of cchc.serviceindex.inputs says what each means).


def index_received_conditions() -> dict[str, Q]:
    """On received dossiers: offered fully online, and filed online."""
    full = Q(procedure_version__online_level=OnlineLevel.FULL)
    return {"full_online": full, "full_online_filed": full & Q(channel=Channel.ONLINE)}


def components_at_reception(begin: dt.datetime, end: dt.datetime) -> QuerySet[DossierComponent]:
    """Provided components of the dossiers received in [begin, end) that came with them: at intake, or as a
    supplement before the reception. Digitisation is done at reception (Decree 45/2020; Decree 118/2025
    Art. 17), so a document sent during processing does not change how the dossier was received."""
    return DossierComponent.objects.filter(
        provided=True, dossier__received_at__gte=begin, dossier__received_at__lt=end
    ).filter(Q(added_at__isnull=True) | Q(added_at__lte=F("dossier__received_at")))


def component_counts() -> dict[str, Any]:
    """Per group of `components_at_reception`: dossiers with components, fully digitised (every one scanned or
    reused) and with a reused one. Distinct dossiers: `digitised` is with_components minus `not_digitised`."""
    return {
        "with_components": Count("dossier_id", distinct=True),
        "not_digitised": Count("dossier_id", distinct=True, filter=Q(digitised=False, reused=False)),
        "reused": Count("dossier_id", distinct=True, filter=Q(reused=True)),
    }


def fees_of_received(begin: dt.datetime, end: dt.datetime) -> QuerySet[DossierFee]:
    """Fee lines above 0 đ of the dossiers received in [begin, end): their dossiers are fee-bearing."""
    return DossierFee.objects.filter(
        amount_vnd__gt=0, dossier__received_at__gte=begin, dossier__received_at__lt=end
    )


def index_exit_conditions() -> dict[str, Q]:
    """On dossiers out (`exited_between`): processing ended by a result, a refusal or a stop, with a time limit,
    and whether on time (the national rule measured at that end: a pause running then stopped the clock at its
    request; a completed pause moved the deadline)."""
    end = F("exit")
    asked = Q(stats_pause__requested_at__lt=end)
    not_asked = Q(stats_pause__requested_at__isnull=True) | Q(stats_pause__requested_at__gte=end)
    running = asked & (Q(stats_pause__completed_at__isnull=True) | Q(stats_pause__completed_at__gte=end))
    resumed = asked & Q(stats_pause__completed_at__lt=end)
    done = Q(original_appointment_at__isnull=False) & (
        Q(resolved_at__isnull=False) | Q(state__in=[State.REFUSED, State.STOPPED])
    )
    on_time = (
        (not_asked & Q(exit__lte=F("original_appointment_at")))
        | (running & Q(stats_pause__requested_at__lte=F("original_appointment_at")))
        | (resumed & Q(exit__lte=F("due")))
    )
    return {"timed_done": done, "timed_on_time": done & on_time}


def e_results_with_file(begin: dt.datetime, end: dt.datetime) -> QuerySet[Dossier]:
    """Dossiers resolved in [begin, end) with the result document as a file: electronic when resolved."""
    return Dossier.objects.filter(
        resolved_at__gte=begin, resolved_at__lt=end, received_at__isnull=False
    ).exclude(Q(result__isnull=True) | Q(result__file=""))


def e_results_delivered(begin: dt.datetime, end: dt.datetime) -> QuerySet[Delivery]:
    """Online deliveries in [begin, end) of results without a file: electronic when delivered."""
    return Delivery.objects.filter(
        method=DeliveryMethod.ONLINE,
        delivered_at__gte=begin,
        delivered_at__lt=end,
        dossier__resolved_at__isnull=False,
        dossier__received_at__isnull=False,
    ).filter(Q(dossier__result__isnull=True) | Q(dossier__result__file=""))


def _paid_online() -> Q:
    return Q(amount_vnd__gt=0, paid_at__isnull=False, payment_channel__isnull=False)


def first_online_payments(begin: dt.datetime, end: dt.datetime) -> QuerySet[DossierFee]:
    """Fee lines that are their dossier's first online payment, made in [begin, end) (a dossier's lines paid
    together count once: the lowest id among them)."""
    earlier = DossierFee.objects.filter(_paid_online(), dossier_id=OuterRef("dossier_id")).filter(
        Q(paid_at__lt=OuterRef("paid_at")) | Q(paid_at=OuterRef("paid_at"), pk__lt=OuterRef("pk"))
    )
    return DossierFee.objects.filter(
        _paid_online(), paid_at__gte=begin, paid_at__lt=end, dossier__received_at__isnull=False
    ).exclude(Exists(earlier))
