from django.contrib import admin

from cchc.workdays.models import CalendarOverride, WorkingSchedule


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin[CalendarOverride]):
    list_display = ("day", "kind", "name", "source", "estimated")
    list_filter = ("kind", "estimated")
    search_fields = ("name", "source")
    date_hierarchy = "day"


@admin.register(WorkingSchedule)
class WorkingScheduleAdmin(admin.ModelAdmin[WorkingSchedule]):
    list_display = ("name", "morning_start", "morning_end", "afternoon_start", "afternoon_end", "is_default")
