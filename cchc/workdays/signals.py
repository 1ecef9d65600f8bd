"""Keep the cached installation calendar in step with the override table."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cchc.workdays.models import CalendarOverride, WorkingSchedule


@receiver([post_save, post_delete], sender=CalendarOverride)
@receiver([post_save, post_delete], sender=WorkingSchedule)
def _calendar_changed(**kwargs: Any) -> None:
    from cchc.workdays.calendar import invalidate_default_calendar

    invalidate_default_calendar()
