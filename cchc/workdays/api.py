"""Calendar endpoints: /api/v1/calendar/…"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field, field_validator

from cchc.workdays.calendar import TZ, default_calendar
from cchc.workdays.models import default_working_hours

router = Router(tags=["calendar"])

UnitName = Literal["hours", "working_hours", "days", "working_days", "months"]


class DueQuery(Schema):
    received_at: dt.datetime = Field(
        description="Thời điểm tiếp nhận (ISO 8601; không có múi giờ = giờ Việt Nam)"
    )
    amount: float = Field(ge=0, le=3650, description="Thời hạn giải quyết")
    unit: UnitName = Field(description="Đơn vị thời hạn")
    cutoff: dt.time | None = Field(None, description="Giờ chốt nhận trong ngày của thủ tục, ví dụ 15:00")

    @field_validator("received_at")
    @classmethod
    def _within_calendar(cls, value: dt.datetime) -> dt.datetime:
        if not 2000 <= value.year <= 2100:
            raise ValueError("Thời điểm tiếp nhận phải trong khoảng năm 2000–2100.")
        return value


class DueOut(Schema):
    received_at: dt.datetime
    starts_at: dt.datetime = Field(description="Thời điểm bắt đầu tính thời hạn")
    due_at: dt.datetime = Field(description="Hạn giải quyết")
    amount: float
    unit: UnitName
    estimated: bool = Field(description="Lịch nghỉ của năm liên quan chưa có văn bản chính thức")


class DayOut(Schema):
    day: dt.date
    working: bool
    reason: str
    estimated: bool


class BetweenOut(Schema):
    start: dt.date
    end: dt.date
    working_days: int = Field(description="Số ngày làm việc sau ngày bắt đầu, tính cả ngày kết thúc")


@router.get("/due", response=DueOut, summary="Tính hạn giải quyết")
def calendar_due(request: HttpRequest, query: Query[DueQuery]) -> DueOut:
    calendar = default_calendar()
    hours = default_working_hours()
    received = query.received_at if query.received_at.tzinfo else query.received_at.replace(tzinfo=TZ)
    try:
        starts = calendar.start_of_clock(received, cutoff=query.cutoff, hours=hours)
        due = calendar.due_at(received, query.amount, query.unit, cutoff=query.cutoff, hours=hours)
    except (ValueError, OverflowError) as exc:
        raise HttpError(422, "Không tính được hạn với các tham số này.") from exc
    return DueOut(
        received_at=received.astimezone(TZ),
        starts_at=starts,
        due_at=due,
        amount=query.amount,
        unit=query.unit,
        estimated=calendar.is_estimated(starts.date()) or calendar.is_estimated(due.date()),
    )


@router.get("/days/{year}", response=list[DayOut], summary="Các ngày nghỉ trong năm")
def calendar_days_off(request: HttpRequest, year: int) -> list[DayOut]:
    if not 2000 <= year <= 2100:
        raise HttpError(422, "Năm phải trong khoảng 2000–2100.")
    calendar = default_calendar()
    return [
        DayOut(day=day, working=False, reason=calendar.describe(day), estimated=calendar.is_estimated(day))
        for day in calendar.days_off(year)
    ]


@router.get("/between", response=BetweenOut, summary="Số ngày làm việc giữa hai ngày")
def calendar_between(request: HttpRequest, start: dt.date, end: dt.date) -> BetweenOut:
    if not (
        dt.date(2000, 1, 1) <= start <= dt.date(2100, 12, 31)
        and dt.date(2000, 1, 1) <= end <= dt.date(2100, 12, 31)
    ):
        raise HttpError(422, "Ngày phải trong khoảng 2000–2100.")
    return BetweenOut(start=start, end=end, working_days=default_calendar().working_days_between(start, end))
