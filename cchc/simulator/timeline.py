"""One dossier's life, simulated forward in memory (vòng đời một hồ sơ mô phỏng).

Each step is an action of cchc.dossiers.lifecycle.ALLOWED_TRANSITIONS taken at a moment of the working-day
calendar; the life stops at the simulation's horizon, so a dossier is left in whatever state it had then.
The legal rules are those the services enforce (Decree 118/2025/NĐ-CP): the appointment from
cchc.workdays.due_at, a supplement in processing once and within 3 working days (Art. 19(5)), restarting the limit,
closed by the platform after 15 days (rules.SUPPLEMENT_COMPLETION_DAYS), one apology at least 1 working day
before the deadline (Art. 19(6)), a result dated on its day, and the return after the result (Art. 22).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from cchc.dossiers import rules
from cchc.dossiers.lifecycle import Action, next_state
from cchc.dossiers.models import Channel, DeliveryMethod, RatingLevel
from cchc.simulator.model import Rates
from cchc.simulator.world import Offer, Place
from cchc.workdays.calendar import TZ, Calendar, WorkingHours

_MISSING = ["Bản sao giấy tờ tùy thân", "Tờ khai có chữ ký của người yêu cầu"]
_RECEPTION_REASON = "Hồ sơ chưa đầy đủ thành phần"
_PROCESSING_REASON = "Cần làm rõ thông tin trong tờ khai"
_REFUSE_AT_RECEPTION = "Hồ sơ không thuộc phạm vi giải quyết"
_REFUSE_IN_PROCESSING = "Không đủ điều kiện theo quy định sau khi thẩm định"
_WITHDRAW = "Công dân đề nghị rút hồ sơ"
_ABANDON = "Công dân không bổ sung hồ sơ, đề nghị rút hồ sơ"
_STOP = "Dừng giải quyết theo đề nghị của người nộp"
_UNSUPPLEMENTED = f"Quá {rules.SUPPLEMENT_COMPLETION_DAYS} ngày kể từ ngày thông báo mà hồ sơ chưa được bổ sung (Điều 19 khoản 5)."
APOLOGY_REASON = "Hồ sơ cần xác minh thêm với cơ quan liên quan"

RECEPTION, SPECIALIST, LEADER = "reception", "specialist", "leader"
_BY_DAY = frozenset({"working_days", "days", "months"})


class Horizon(Exception):
    """The next step would happen after the simulation's end."""


@dataclass
class Event:
    at: dt.datetime
    action: str
    actor: str | None
    before: str
    after: str
    changes: dict[str, Any]


@dataclass
class Life:
    """What one simulated dossier became by the horizon; rows.py turns it into database rows."""

    offer: Offer
    receiving: Place
    competent: Place
    channel: int
    start: dt.datetime
    counter_id: int | None
    return_method: str
    state: str = ""
    events: list[Event] = field(default_factory=list)
    submitted_at: dt.datetime | None = None
    received_at: dt.datetime | None = None
    original_appointment_at: dt.datetime | None = None
    appointment_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    end_reason: str = ""
    current: Place | None = None
    # (stage, requested_at, completed_at, reason, missing)
    supplements: list[list[Any]] = field(default_factory=list)
    # (at, from place, to place, actor, step name)
    hand_overs: list[tuple[dt.datetime, Place, Place, str, str]] = field(default_factory=list)
    apology: tuple[dt.datetime, dt.datetime, dt.datetime] | None = None  # issued, previous, new
    result: tuple[str, dt.date] | None = None
    delivery: tuple[str, dt.datetime] | None = None
    rating: tuple[str, dt.datetime] | None = None
    payments: list[tuple[dt.datetime, int | None]] = field(default_factory=list)  # (at, channel)
    feedback_at: dt.datetime | None = None
    late: bool = False


class _Hours:
    """One office schedule's numbers, precomputed for the hot loop."""

    __slots__ = ("closing", "opening", "per_day", "spans")

    def __init__(self, hours: WorkingHours) -> None:
        self.spans = tuple((_secs(a), _secs(b)) for a, b in hours.sessions)
        self.per_day = hours.seconds_per_day
        self.opening = self.spans[0][0]
        self.closing = self.spans[-1][1]


def _secs(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


class Clock:
    """The calendar arithmetic the simulator needs, on one Calendar (cchc.workdays.calendar).

    The same arithmetic as Calendar.due_at and Calendar.working_time_between (W(t), the working seconds since the
    span's start, and its inverse), inlined on integers over the calendar's precomputed arrays because it runs
    about ten times per dossier; deadlines in whole days or months, which depend only on the day the clock
    starts, are memoised. tests/simulator checks every appointment against cchc.workdays.due_at.
    """

    def __init__(self, calendar: Calendar, horizon: dt.datetime) -> None:
        self.calendar = calendar
        self.horizon = horizon
        first = horizon.year - 2
        # A span wide enough for every moment the simulation reaches (deadlines run into the next year).
        calendar._covering(dt.date(first, 1, 1).toordinal(), dt.date(horizon.year + 3, 12, 31).toordinal())
        span = calendar._span
        self._base = span.base
        self._flags = span.flags
        self._running = span.running
        self._working = span.working
        self._hours: dict[int, tuple[WorkingHours, _Hours]] = {}
        self._limits: dict[tuple[int, int, int], dt.datetime] = {}

    def _table(self, hours: WorkingHours) -> _Hours:
        found = self._hours.get(id(hours))
        if found is None:
            found = (hours, _Hours(hours))
            self._hours[id(hours)] = found
        return found[1]

    def _w(self, moment: dt.datetime, table: _Hours) -> int:
        """W(moment): working seconds from the span's start to `moment` (Calendar._worked_until)."""
        local = moment.astimezone(TZ)
        index = local.toordinal() - self._base
        flag = self._flags[index]
        whole = (self._running[index] - flag) * table.per_day
        if not flag:
            return whole
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        for start, end in table.spans:
            if seconds <= start:
                break
            whole += (seconds if seconds < end else end) - start
        return whole

    def _moment(self, worked: int, table: _Hours) -> dt.datetime:
        """The inverse of W (Calendar._moment_at)."""
        index, rest = divmod(worked, table.per_day)
        if rest == 0:
            index, rest = index - 1, table.per_day
        clock = table.spans[-1][1]
        for start, end in table.spans:
            length = end - start
            if rest <= length:
                clock = start + rest
                break
            rest -= length
        day = dt.date.fromordinal(self._working[index])
        hour, rest = divmod(clock, 3600)
        return dt.datetime(day.year, day.month, day.day, hour, rest // 60, rest % 60, tzinfo=TZ)

    def after(self, moment: dt.datetime, working_hours: float, hours: WorkingHours) -> dt.datetime:
        """`working_hours` of working time after `moment` (from the next opening when out of hours)."""
        table = self._table(hours)
        return self._moment(self._w(moment, table) + max(1, round(working_hours * 3600)), table)

    def limit(self, moment: dt.datetime, offer: Offer, hours: WorkingHours) -> dt.datetime:
        if offer.unit in _BY_DAY:
            # These deadlines depend only on the day the clock starts (Calendar.due_at).
            start = self.calendar.start_of_clock(moment, cutoff=offer.cutoff, hours=hours)
            key = (start.toordinal(), id(offer), id(hours))  # the world outlives the clock
            found = self._limits.get(key)
            if found is None:
                found = self.calendar.due_at(
                    moment, offer.amount, offer.unit, cutoff=offer.cutoff, hours=hours
                )
                self._limits[key] = found
            return found
        return self.calendar.due_at(moment, offer.amount, offer.unit, cutoff=offer.cutoff, hours=hours)

    def worked(self, start: dt.datetime, end: dt.datetime, hours: WorkingHours) -> float:
        """Working hours between two moments."""
        if end <= start:
            return 0.0
        table = self._table(hours)
        return (self._w(end, table) - self._w(start, table)) / 3600

    def back_at_work(self, moment: dt.datetime, hours: WorkingHours, rng: random.Random) -> dt.datetime:
        """The citizen comes back: the next working moment at or after `moment`, a little into the session."""
        return self.after(moment, rng.uniform(0.05, 3.0), hours)

    def close_of(self, day: dt.date, hours: WorkingHours) -> dt.datetime:
        closing = hours.closing
        return dt.datetime(day.year, day.month, day.day, closing.hour, closing.minute, tzinfo=TZ)


class _Run:
    """Builds one Life; every `_do` checks the transition table and the horizon."""

    def __init__(self, life: Life, clock: Clock) -> None:
        self.life, self.clock = life, clock
        self.last = life.start

    def do(self, at: dt.datetime, action: Action, actor: str | None, **changes: Any) -> None:
        if at > self.clock.horizon:
            raise Horizon
        life = self.life
        after = next_state(life.state or None, action)
        life.events.append(Event(at, action.value, actor, life.state, after.value, changes))
        life.state = after.value
        self.last = at

    def note(self, at: dt.datetime, action: str, actor: str | None, **changes: Any) -> None:
        """An event that changes no state (pay, rate: lifecycle.OTHER_EVENTS)."""
        if at > self.clock.horizon:
            raise Horizon
        state = self.life.state
        self.life.events.append(Event(at, action, actor, state, state, changes))
        self.last = at

    def end(self, at: dt.datetime, action: Action, actor: str | None, reason: str, **extra: Any) -> None:
        self.do(at, action, actor, reason=reason, **extra)
        self.life.ended_at, self.life.end_reason = at, reason


def life_simulate(
    *,
    rng: random.Random,
    clock: Clock,
    rates: Rates,
    offer: Offer,
    receiving: Place,
    competent: Place,
    partner: Place | None,
    channel: int,
    start: dt.datetime,
) -> Life:
    """Simulate one dossier from its first moment `start` (a working moment) to the horizon."""
    if channel == Channel.ONLINE:
        method = DeliveryMethod.ONLINE if rng.random() < rates.online_result else DeliveryMethod.COUNTER
    elif channel == Channel.POST:
        method = DeliveryMethod.POST
    else:
        method = DeliveryMethod.POST if rng.random() < rates.post_result else DeliveryMethod.COUNTER
    counter_id = (
        receiving.counter_ids[rng.randrange(len(receiving.counter_ids))]
        if channel == Channel.IN_PERSON and receiving.counter_ids
        else None
    )
    life = Life(offer, receiving, competent, channel, start, counter_id, method, current=receiving)
    run = _Run(life, clock)
    with contextlib.suppress(Horizon):
        _life(run, rng, rates, partner)
    return life


def _life(run: _Run, rng: random.Random, rates: Rates, partner: Place | None) -> None:
    life, clock = run.life, run.clock
    offer, reception_hours, hours = life.offer, life.receiving.hours, life.competent.hours
    moment = life.start
    if life.channel == Channel.ONLINE:
        run.do(moment, Action.SUBMIT, None, channel=Channel.ONLINE.value)
        life.submitted_at = moment
        if rng.random() < rates.withdraw_while_submitted:
            run.end(
                clock.after(moment, rng.uniform(0.5, 4), reception_hours),
                Action.WITHDRAW,
                RECEPTION,
                _WITHDRAW,
            )
            return
        # Art. 17 (DOMAIN.md §3): accepted or sent back within 8 working hours.
        moment = clock.after(moment, rng.uniform(0.2, 6.0), reception_hours)
    draw = rng.random()
    completed: list[Any] | None = None
    if draw < rates.refuse_at_reception:
        run.end(moment, Action.REFUSE, RECEPTION, _REFUSE_AT_RECEPTION)
        return
    if draw < rates.refuse_at_reception + rates.supplement_at_reception:
        run.do(
            moment,
            Action.REQUEST_SUPPLEMENT_AT_RECEPTION,
            RECEPTION,
            missing=_MISSING[:1],
            reason=_RECEPTION_REASON,
        )
        request = ["reception", moment, None, _RECEPTION_REASON, _MISSING[:1]]
        life.supplements.append(request)
        if rng.random() < rates.reception_supplement_abandoned:
            later = clock.back_at_work(moment + dt.timedelta(days=rng.uniform(15, 40)), reception_hours, rng)
            run.end(later, Action.WITHDRAW, RECEPTION, _ABANDON)
            return
        moment = clock.back_at_work(moment + dt.timedelta(days=rng.uniform(0.5, 10)), reception_hours, rng)
        completed = request
    # Art. 17(1), 17(3): received now; the clock starts.
    received = moment
    appointment = clock.limit(received, offer, hours)
    run.do(received, Action.RECEIVE, RECEPTION, appointment_at=appointment)
    if completed is not None:
        completed[2] = received
    life.received_at, life.appointment_at, life.original_appointment_at = received, appointment, appointment
    if life.offer.fees and life.channel != Channel.ONLINE and _payable(offer):
        run.note(received + dt.timedelta(minutes=2), "pay", None, **_pay_changes(None))
        life.payments.append((received + dt.timedelta(minutes=2), None))
    # Art. 18(2): the one-stop unit hands the file to the competent agency the same working day.
    moment = clock.after(received, rng.uniform(0.1, 2.0), reception_hours)
    _hand_over(run, moment, life.receiving, life.competent, RECEPTION, "Thẩm định, đề xuất")
    _processing(run, rng, rates, partner)


def _payable(offer: Offer) -> bool:
    return any(fee.amount > 0 for fee in offer.fees)


def _pay_changes(channel: int | None) -> dict[str, Any]:
    # The fee ids are filled in when the rows are built (rows.py), once ids are reserved.
    return {"payment_channel": channel, "fees": None, "amount_vnd": None}


def _hand_over(run: _Run, at: dt.datetime, source: Place, target: Place, actor: str, step: str) -> None:
    run.do(at, Action.HAND_OVER, actor, from_unit=source.name, to_unit=target.name, step=step, outcome="")
    run.life.hand_overs.append((at, source, target, actor, step))
    run.life.current = target


def _processing(run: _Run, rng: random.Random, rates: Rates, partner: Place | None) -> None:
    life, clock = run.life, run.clock
    offer, hours = life.offer, life.competent.hours
    assert life.received_at is not None and life.appointment_at is not None
    base = run.last
    draw = rng.random()
    allowed = max(clock.worked(base, life.appointment_at, hours), 1.0)
    endings = (
        (rates.refuse_in_processing, Action.REFUSE, LEADER, _REFUSE_IN_PROCESSING),
        (rates.withdraw_in_processing, Action.WITHDRAW, RECEPTION, _WITHDRAW),
        (rates.stop_on_request, Action.STOP, LEADER, _STOP),
    )
    threshold = 0.0
    for rate, action, actor, reason in endings:
        threshold += rate
        if draw < threshold:
            run.end(clock.after(base, allowed * rng.uniform(0.2, 0.9), hours), action, actor, reason)
            return
    if rng.random() < rates.supplement_in_processing:
        # Art. 19(5): once, within 3 working days of reception (3 days hold at least 3 × 7.5 working hours).
        asked = clock.after(base, rng.uniform(0.2, min(20.0, allowed)), hours)
        run.do(asked, Action.REQUEST_SUPPLEMENT, SPECIALIST, missing=_MISSING[1:], reason=_PROCESSING_REASON)
        request = ["processing", asked, None, _PROCESSING_REASON, _MISSING[1:]]
        life.supplements.append(request)
        if rng.random() < rates.supplement_never_completed:
            closed = asked + dt.timedelta(
                days=rules.SUPPLEMENT_COMPLETION_DAYS, minutes=rng.randrange(1, 600)
            )
            run.end(closed, Action.STOP, None, _UNSUPPLEMENTED, by="system")
            return
        done = clock.back_at_work(asked + dt.timedelta(days=rng.uniform(0.5, 12)), life.receiving.hours, rng)
        # The legal limit restarts from zero (Art. 19(5)); the first appointment stays for the statistics.
        new_appointment = clock.limit(done, offer, hours)
        run.do(done, Action.COMPLETE_SUPPLEMENT, RECEPTION, appointment_at=new_appointment)
        request[2] = done
        life.appointment_at = new_appointment
        base = done
        allowed = max(clock.worked(base, new_appointment, hours), 1.0)
    late = rng.random() < rates.late
    life.late = late
    share = rng.uniform(1.05, 1.8) if late else rng.uniform(0.15, 0.98)
    resolved = clock.after(base, allowed * share, hours)
    steps: list[tuple[dt.datetime, str]] = []
    if partner is not None:
        steps.append((clock.after(base, allowed * share * 0.3, hours), "out"))
        steps.append((clock.after(base, allowed * share * 0.6, hours), "back"))
    if life.channel == Channel.ONLINE and _payable(offer) and rng.random() < rates.pay_online:
        paid = clock.after(base, allowed * share * rng.uniform(0.05, 0.9), hours)
        steps.append((paid, "pay"))
    if late and rng.random() < rates.apology_when_late:
        steps.append((_apology_moment(clock, life.appointment_at, hours, rng), "apology"))
    steps.sort(key=lambda item: item[0])
    for at, what in steps:
        if at <= run.last or at >= resolved:
            continue
        if what == "out" and partner is not None:
            _hand_over(run, at, life.competent, partner, SPECIALIST, "Lấy ý kiến cơ quan phối hợp")
        elif what == "back" and partner is not None and life.current is partner:
            _hand_over(run, at, partner, life.competent, SPECIALIST, "Xem xét, ký duyệt")
        elif what == "pay":
            channel = 1 if rng.random() < rates.national_portal_payment else 2
            run.note(at, "pay", None, **_pay_changes(channel))
            life.payments.append((at, channel))
        elif what == "apology" and life.apology is None:
            new = clock.close_of(
                clock.calendar.add_working_days(resolved.astimezone(TZ).date(), rng.randint(0, 2)), hours
            )
            if new <= life.appointment_at:
                continue
            run.do(at, Action.APOLOGISE, LEADER, reason=APOLOGY_REASON, new_appointment_at=new)
            life.apology = (at, life.appointment_at, new)
            life.appointment_at = new
    number = f"{rng.randrange(1, 9999)}/KQ-MP"
    run.do(resolved, Action.RESOLVE, LEADER, document_number=number)
    life.resolved_at = resolved
    life.result = (number, resolved.astimezone(TZ).date())
    _return(run, rng, rates)


def _apology_moment(
    clock: Clock, appointment: dt.datetime, hours: WorkingHours, rng: random.Random
) -> dt.datetime:
    """Art. 19(6): at least 1 working day before the deadline, during office hours."""
    day = clock.calendar.add_working_days(
        appointment.astimezone(TZ).date(), -rng.randint(rules.APOLOGY_MIN_WORKING_DAYS_BEFORE_DEADLINE, 3)
    )
    opening = hours.opening
    start = dt.datetime(day.year, day.month, day.day, opening.hour, opening.minute, tzinfo=TZ)
    return clock.after(start, rng.uniform(0.5, 6.5), hours)


def _return(run: _Run, rng: random.Random, rates: Rates) -> None:
    life, clock = run.life, run.clock
    assert life.resolved_at is not None
    hours = life.receiving.hours
    wait = {
        DeliveryMethod.ONLINE: rng.uniform(0.05, 1.0),
        DeliveryMethod.POST: rng.uniform(2.0, 20.0),
    }.get(DeliveryMethod(life.return_method), rng.uniform(0.5, 40.0))
    returned = clock.after(life.resolved_at, wait, hours)
    run.do(returned, Action.RETURN, RECEPTION, method=life.return_method)
    life.returned_at = returned
    life.delivery = (life.return_method, returned)
    if _payable(life.offer) and not life.payments:
        # Not paid online: paid at the counter when the result is collected.
        run.note(returned + dt.timedelta(minutes=1), "pay", None, **_pay_changes(None))
        life.payments.append((returned + dt.timedelta(minutes=1), None))
    if rng.random() < rates.rated:
        dislike = rates.not_satisfied_when_late if life.late else rates.not_satisfied
        draw = rng.random()
        level = (
            RatingLevel.NOT_SATISFIED
            if draw < dislike
            else RatingLevel.VERY_SATISFIED
            if rng.random() < rates.very_satisfied
            else RatingLevel.SATISFIED
        )
        rated = run.last + dt.timedelta(minutes=rng.randrange(2, 4320))
        run.note(rated, "rate", None, level=level.value, with_comment=False)
        life.rating = (level.value, rated)
    if rng.random() < (rates.feedback_when_late if life.late else rates.feedback):
        moment = clock.back_at_work(run.last + dt.timedelta(days=rng.uniform(0.5, 10)), hours, rng)
        if moment <= clock.horizon:
            life.feedback_at = moment
