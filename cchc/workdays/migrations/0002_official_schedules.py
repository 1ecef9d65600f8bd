"""Load the official 2025 and 2026 schedules and the default office hours, so they exist right after migrate."""

import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    from cchc.workdays.schedules import OFFICIAL_OVERRIDES

    CalendarOverride = apps.get_model("workdays", "CalendarOverride")
    WorkingSchedule = apps.get_model("workdays", "WorkingSchedule")
    for spec in OFFICIAL_OVERRIDES:
        CalendarOverride.objects.update_or_create(
            day=spec.day,
            defaults={
                "kind": "work" if spec.working else "off",
                "name": spec.name,
                "source": spec.source,
                "estimated": spec.estimated,
            },
        )
    if not WorkingSchedule.objects.filter(is_default=True).exists():
        WorkingSchedule.objects.create(
            name="Giờ hành chính (07:30–11:30, 13:30–17:00)",
            morning_start=dt.time(7, 30),
            morning_end=dt.time(11, 30),
            afternoon_start=dt.time(13, 30),
            afternoon_end=dt.time(17, 0),
            is_default=True,
        )


def unload(apps, schema_editor):
    from cchc.workdays.schedules import OFFICIAL_OVERRIDES

    apps.get_model("workdays", "CalendarOverride").objects.filter(
        day__in=[spec.day for spec in OFFICIAL_OVERRIDES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
