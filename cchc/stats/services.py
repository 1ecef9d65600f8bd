"""Writes of the statistics app: only the derived pause clocks (cchc.stats.models.PauseClock)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import DateTimeField, Exists, OuterRef, Value
from django.db.models.functions import Coalesce

from cchc.dossiers.deadlines import statistical_deadline
from cchc.dossiers.models import Dossier, SupplementRequest, SupplementStage
from cchc.stats.models import PauseClock

_NEVER = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def statistical_due(
    dossier: Dossier, *, requested_at: dt.datetime, completed_at: dt.datetime | None
) -> dt.datetime | None:
    """The first appointment moved by a processing pause: `cchc.dossiers.deadlines.statistical_deadline`."""
    return statistical_deadline(dossier, requested_at=requested_at, completed_at=completed_at)


def _never(field: str | OuterRef) -> Coalesce:
    return Coalesce(field, Value(_NEVER), output_field=DateTimeField())


@transaction.atomic
def pause_clocks_refresh(dossier_ids: list[int] | None = None) -> int:
    """Bring the pause clocks up to date with the supplements asked during processing; returns the rows written.

    Only the requests whose clock is missing or differs (a completion since the last refresh) are computed, so
    a refresh after a few changes reads a few dossiers. `dossier_ids` narrows it to those dossiers: the lifecycle
    keeps the clocks up to date that way (cchc.stats.signals); bulk loads refresh them all.
    """
    same = (
        PauseClock.objects.filter(dossier_id=OuterRef("dossier_id"), requested_at=OuterRef("requested_at"))
        .annotate(done=_never("completed_at"))
        .filter(done=_never(OuterRef("completed_at")))
    )
    stale = list(
        SupplementRequest.objects.filter(stage=SupplementStage.PROCESSING, dossier__received_at__isnull=False)
        .filter(**({} if dossier_ids is None else {"dossier_id__in": dossier_ids}))
        .exclude(Exists(same))
        .values_list("dossier_id", "requested_at", "completed_at")
    )
    if not stale:
        return 0
    dossiers = Dossier.objects.select_related("competent_unit__working_schedule").in_bulk(
        [dossier_id for dossier_id, _requested, _completed in stale]
    )
    clocks = [
        PauseClock(
            dossier_id=dossier_id,
            requested_at=requested,
            completed_at=completed,
            due_at=statistical_due(dossiers[dossier_id], requested_at=requested, completed_at=completed),
        )
        for dossier_id, requested, completed in stale
    ]
    PauseClock.objects.bulk_create(
        clocks,
        update_conflicts=True,
        unique_fields=["dossier"],
        update_fields=["requested_at", "completed_at", "due_at"],
    )
    return len(clocks)
