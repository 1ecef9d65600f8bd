"""The statistics follow the dossier lifecycle through its history events (cchc.dossiers.history.event_append).

Every lifecycle step appends one event in the transaction that makes it, so one receiver here keeps the derived
data of the statistics up to date:
- a supplement asked or completed during processing refreshes that dossier's pause clock (Decree 118/2025
  Art. 19(5); cchc.stats.models.PauseClock);
- an event recorded with a moment inside a closed day drops the stored day figures from that day on
  (cchc.stats.daily: a step done now never touches a closed day, so this costs nothing in normal use). A payment
  counts from the moment the gateway reports it paid (`paid_at` of its event), which may come later.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from cchc.dossiers.lifecycle import Action
from cchc.dossiers.models import DossierEvent
from cchc.stats import daily, rules
from cchc.stats.services import pause_clocks_refresh
from cchc.workdays.calendar import TZ

_PAUSE_ACTIONS = {Action.REQUEST_SUPPLEMENT.value, Action.COMPLETE_SUPPLEMENT.value}


@receiver(post_save, sender=DossierEvent, dispatch_uid="stats_follow_event")
def follow_event(sender: type[DossierEvent], instance: DossierEvent, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    if instance.action in _PAUSE_ACTIONS:
        pause_clocks_refresh([instance.dossier_id])
    moment = instance.at
    paid_at = instance.changes.get("paid_at") if isinstance(instance.changes, dict) else None
    if isinstance(paid_at, str):
        with contextlib.suppress(ValueError):
            moment = min(moment, dt.datetime.fromisoformat(paid_at))
    if moment < rules.midnight(daily.first_open_day(timezone.now())):
        daily.forget_from(moment.astimezone(TZ).date())
