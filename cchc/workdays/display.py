"""How a moment is written for people: dd/mm/yyyy HH:MM in Asia/Ho_Chi_Minh (the project's one rule)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cchc.workdays.calendar import TZ


def local_datetime(moment: dt.datetime | None) -> str:
    """ "dd/mm/yyyy HH:MM" in Asia/Ho_Chi_Minh; "" when there is no moment."""
    return timezone.localtime(moment, TZ).strftime("%d/%m/%Y %H:%M") if moment else ""
