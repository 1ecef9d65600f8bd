"""Simulate a province's year (mô phỏng một năm hồ sơ của tỉnh): `province_year_simulate`.

Arrivals are spread over the year's working days (month, weekday and Tết shapes from model.py), at working
moments of the receiving unit; each dossier's life is simulated in memory (timeline.py), then each month is
written in bulk (bulk.py), in one transaction, with the daily code sequences (DailySequence) continued and left
gap-free. The same seed on the same database gives the same data.

On PostgreSQL the load is test data written in bulk (bulk.bulk_session): the commit does not wait for the WAL
flush, and when the role allows it the per-row foreign-key triggers are replaced by set-based checks of each
batch (bulk.foreign_keys_check); both settings are undone before the transaction ends.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.dossiers.models import Channel, DailySequence
from cchc.feedback import rules as feedback_rules
from cchc.feedback.models import (
    Feedback,
    FeedbackEvent,
    FeedbackSequence,
    Kind,
    Subject,
)
from cchc.feedback.models import (
    State as FeedbackState,
)
from cchc.orgs.models import TWO_LEVEL_START
from cchc.simulator import rows as R
from cchc.simulator.bulk import bulk_session, bulk_session_end, foreign_keys_check, row_triggers, utc_session
from cchc.simulator.model import (
    DEFAULT_MODEL,
    TET_AFTER_FACTOR,
    TET_AFTER_WORKING_DAYS,
    TET_BEFORE_FACTOR,
    TET_BEFORE_WORKING_DAYS,
    YearModel,
)
from cchc.simulator.timeline import Clock, Life, life_simulate
from cchc.simulator.world import Offer, Place, SimulationError, World, province_find, world_load
from cchc.stats.daily import forget_from
from cchc.stats.services import pause_clocks_refresh
from cchc.workdays.calendar import TZ, Calendar, default_calendar
from cchc.workdays.schedules import OFFICIAL_YEARS

Progress = Callable[[int, int], None]
MAX_DOSSIERS = 20_000_000


@dataclass
class SimulationReport:
    year: int
    province: str
    dossiers: int
    seconds: float
    first_day: dt.date
    last_day: dt.date
    estimated: bool
    by_state: dict[str, int] = field(default_factory=dict)
    by_channel: dict[int, int] = field(default_factory=dict)
    feedback: int = 0


def year_span(year: int, *, now: dt.datetime | None = None) -> tuple[dt.date, dt.date, bool]:
    """The days of `year` to fill: from 1 January (or 01/07/2025, the two-level government) to yesterday or
    31 December, and whether the year's calendar is an estimate. SimulationError for a year out of reach."""
    today = timezone.localdate(now or timezone.now())
    last_known = max(OFFICIAL_YEARS) + 1
    if year > last_known:
        raise SimulationError(
            _("Chưa có dữ liệu lịch làm việc cho năm %(year)s (lịch chính thức đến năm %(last)s).")
            % {"year": year, "last": max(OFFICIAL_YEARS)}
        )
    if year < TWO_LEVEL_START.year:
        raise SimulationError(
            _("Chỉ mô phỏng được từ năm %(year)s (chính quyền địa phương hai cấp từ 01/07/2025).")
            % {"year": TWO_LEVEL_START.year}
        )
    first = max(dt.date(year, 1, 1), TWO_LEVEL_START)
    last = min(dt.date(year, 12, 31), today - dt.timedelta(days=1))
    if last < first:
        raise SimulationError(
            _("Năm %(year)s chưa bắt đầu: chỉ mô phỏng được những ngày đã qua.") % {"year": year}
        )
    return first, last, year not in OFFICIAL_YEARS


def tet_days(calendar: Calendar, year: int) -> tuple[dt.date, dt.date] | None:
    """The Tết holidays: the longest run of days off between 10/01 and 10/03 (placed each year by the Prime
    Minister, so read from the calendar rather than computed)."""
    best: tuple[dt.date, dt.date] | None = None
    day, end = dt.date(year, 1, 10), dt.date(year, 3, 10)
    run_start: dt.date | None = None
    while day <= end:
        if not calendar.is_working_day(day):
            run_start = run_start or day
            if best is None or (day - run_start) > (best[1] - best[0]):
                best = (run_start, day)
        else:
            run_start = None
        day += dt.timedelta(days=1)
    return best


def day_weights(
    calendar: Calendar, first: dt.date, last: dt.date, model: YearModel
) -> list[tuple[dt.date, float]]:
    """Each working day from `first` to `last` with its relative number of arrivals."""
    tet = tet_days(calendar, first.year)
    before: set[dt.date] = set()
    after: set[dt.date] = set()
    if tet is not None:
        before = {calendar.add_working_days(tet[0], -n) for n in range(1, TET_BEFORE_WORKING_DAYS + 1)}
        after = {calendar.add_working_days(tet[1], n) for n in range(1, TET_AFTER_WORKING_DAYS + 1)}
    days: list[tuple[dt.date, float]] = []
    day = first
    while day <= last:
        if calendar.is_working_day(day):
            weight = model.month_weights[day.month - 1] * model.weekday_weights[day.weekday()]
            weight *= TET_BEFORE_FACTOR if day in before else TET_AFTER_FACTOR if day in after else 1.0
            if weight > 0:
                days.append((day, weight))
        day += dt.timedelta(days=1)
    return days


def arrivals_per_day(days: list[tuple[dt.date, float]], total: int) -> list[int]:
    """`total` arrivals shared in proportion to the weights, by largest remainder (exact, no randomness)."""
    weight_sum = sum(w for _, w in days)
    shares = [total * w / weight_sum for _, w in days]
    counts = [int(s) for s in shares]
    missing = total - sum(counts)
    by_remainder = sorted(range(len(days)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[:missing]:
        counts[i] += 1
    return counts


class _Chooser:
    """Weighted choices with precomputed cumulative weights (bisect)."""

    def __init__(self, weights: list[float]) -> None:
        self.cumulative: list[float] = []
        running = 0.0
        for weight in weights:
            running += weight
            self.cumulative.append(running)
        self.total = running

    def pick(self, rng: random.Random) -> int:
        return bisect.bisect_right(self.cumulative, rng.random() * self.total)


def _arrival(rng: random.Random, day: dt.date, place: Place, profile: _Chooser) -> dt.datetime:
    """A working moment of `day` in the unit's office hours, following the day profile."""
    seconds = place.hours.seconds_per_day
    slices = len(profile.cumulative)
    worked = 1 + int((profile.pick(rng) + rng.random()) * (seconds - 1) / slices)
    clock = place.hours.clock_at(min(worked, seconds - 1))
    hour, rest = divmod(clock, 3600)
    return dt.datetime(day.year, day.month, day.day, hour, rest // 60, rest % 60, tzinfo=TZ)


class _Draws:
    """Where, how and what a dossier is filed: procedure, commune, channel, partner agency."""

    def __init__(self, world: World, model: YearModel, rng: random.Random) -> None:
        self.world, self.rates = world, model.rates
        self.offers = _Chooser([o.weight for o in world.offers])
        # Communes differ in size: fixed weights drawn from the seed.
        self.communes = _Chooser([0.3 + rng.random() * 2 for _ in world.communes])
        self.profile = _Chooser(list(model.day_profile))

    def route(self, rng: random.Random) -> tuple[Offer, Place, Place]:
        offer = self.world.offers[self.offers.pick(rng)]
        if offer.province_routes and rng.random() >= offer.commune_share:
            receiving, competent = offer.province_routes[rng.randrange(len(offer.province_routes))]
        else:
            receiving, competent = self.world.communes[self.communes.pick(rng)]
        return offer, receiving, competent

    def channel(self, rng: random.Random, offer: Offer) -> int:
        draw = rng.random()
        if draw < offer.online_share:
            return Channel.ONLINE
        if offer.post_allowed and draw < offer.online_share + self.rates.post:
            return Channel.POST
        return Channel.IN_PERSON

    def partner(self, rng: random.Random, competent: Place) -> Place | None:
        if rng.random() >= self.rates.multi_agency:
            return None
        others = [d for d in self.world.departments if d.id != competent.id]
        return others[rng.randrange(len(others))] if others else None


def _decimal_text(value: Decimal) -> str:
    return str(value)


def province_year_simulate(
    *,
    year: int,
    dossiers: int,
    seed: int = 42,
    province_code: int | None = None,
    model: YearModel = DEFAULT_MODEL,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> SimulationReport:
    """Fill the province with `dossiers` simulated dossiers of `year` (see the module docstring).

    Raises SimulationError (Vietnamese message) for bad arguments. Everything is written in one transaction.
    """
    if dossiers <= 0 or dossiers > MAX_DOSSIERS:
        raise SimulationError(
            _("Số hồ sơ phải từ 1 đến %(max)s (nhận được %(n)s).")
            % {"max": f"{MAX_DOSSIERS:,}".replace(",", "."), "n": dossiers}
        )
    first, last, estimated = year_span(year, now=now)
    started = time.perf_counter()
    province = province_find(province_code)
    calendar = default_calendar()
    horizon = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=TZ)
    world = world_load(province=province, model=model, on=last)
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
    draws = _Draws(world, model, rng)
    clock = Clock(calendar, horizon)
    days = day_weights(calendar, first, last, model)
    counts = arrivals_per_day(days, dossiers)
    report = SimulationReport(year, province.name, dossiers, 0.0, first, last, estimated)
    with transaction.atomic():
        utc_session()
        set_based_checks = bulk_session()
        sequences = _sequences_read(first, last)
        before = dict(sequences)
        done = 0
        month_lives: list[Life] = []
        for index, ((day, _w), count) in enumerate(zip(days, counts, strict=True)):
            for _n in range(count):
                offer, receiving, competent = draws.route(rng)
                channel = draws.channel(rng, offer)
                month_lives.append(
                    life_simulate(
                        rng=rng,
                        clock=clock,
                        rates=model.rates,
                        offer=offer,
                        receiving=receiving,
                        competent=competent,
                        partner=draws.partner(rng, competent),
                        channel=channel,
                        start=_arrival(rng, day, receiving, draws.profile),
                    )
                )
            end_of_month = index + 1 == len(days) or days[index + 1][0].month != day.month
            if end_of_month or len(month_lives) >= 50_000:
                report.feedback += _write(
                    month_lives, sequences, world, rng, horizon, calendar, set_based_checks
                )
                done += len(month_lives)
                for life in month_lives:
                    report.by_state[life.state] = report.by_state.get(life.state, 0) + 1
                    report.by_channel[life.channel] = report.by_channel.get(life.channel, 0) + 1
                month_lives = []
                if progress is not None:
                    progress(done, dossiers)
        _sequences_write(sequences, before)
        # Derived data of the statistics, which bulk rows bypass (cchc.stats.daily, cchc.stats.signals).
        pause_clocks_refresh()
        forget_from(first)
        bulk_session_end()
    report.seconds = time.perf_counter() - started
    return report


def _write(
    lives: list[Life],
    sequences: dict[tuple[str, dt.date], int],
    world: World,
    rng: random.Random,
    horizon: dt.datetime,
    calendar: Calendar,
    set_based_checks: bool,
) -> int:
    if not lives:
        return 0
    codes = R.codes_assign(lives, sequences)
    first_dossier = R.DOSSIER.reserve(len(lives))
    first_fee = R.FEE.reserve(sum(len(life.offer.fees) for life in lives))
    batch = R.batch_build(
        lives=lives,
        codes=codes,
        first_dossier_id=first_dossier,
        first_fee_id=first_fee,
        actors=world.actors,
        rng=rng,
        horizon=horizon,
        decimal_text=_decimal_text,
    )
    R.DOSSIER.write(batch.rows[R.DOSSIER.name])
    for table in R.CHILD_TABLES:
        table.write(batch.rows[table.name])
    if not set_based_checks:
        return _feedback_write(batch.feedback, world, rng, horizon, calendar)
    foreign_keys_check(
        (R.DOSSIER, *R.CHILD_TABLES), R.DOSSIER.name, first_dossier, first_dossier + len(lives) - 1
    )
    row_triggers(on=True)  # the feedback rows go through the ORM and are checked as usual
    written = _feedback_write(batch.feedback, world, rng, horizon, calendar)
    row_triggers(on=False)
    return written


def _sequences_read(first: dt.date, last: dt.date) -> dict[tuple[str, dt.date], int]:
    rows = DailySequence.objects.select_for_update().filter(day__gte=first, day__lte=last)
    return {(prefix, day): n for prefix, day, n in rows.values_list("prefix", "day", "last")}


def _sequences_write(
    sequences: dict[tuple[str, dt.date], int], before: dict[tuple[str, dt.date], int]
) -> None:
    """Leave DailySequence at the last number given per (prefix, day): updated where it existed, new rows else
    (the updates in one executemany, pipelined by psycopg 3 on PostgreSQL)."""
    new = [DailySequence(prefix=p, day=d, last=n) for (p, d), n in sequences.items() if (p, d) not in before]
    DailySequence.objects.bulk_create(new, batch_size=5000)
    changed = [
        (last, prefix, day)
        for (prefix, day), last in sequences.items()
        if (prefix, day) in before and before[(prefix, day)] != last
    ]
    if changed:
        table = connection.ops.quote_name(DailySequence._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f'UPDATE {table} SET "last" = %s WHERE "prefix" = %s AND "day" = %s',  # noqa: S608
                changed,
            )


# -- feedback ----------------------------------------------------------------------------------------------------
_COMPLAINT = "Hồ sơ giải quyết chậm, đề nghị cơ quan kiểm tra và trả lời."
_PROPOSAL = "Đề nghị đơn giản hóa thành phần hồ sơ của thủ tục này."
_ANSWER = "Cơ quan đã kiểm tra, làm rõ nguyên nhân và trả lời công dân theo quy định."


def _feedback_write(
    items: list[tuple[int, Life]], world: World, rng: random.Random, horizon: dt.datetime, calendar: Calendar
) -> int:
    """A few feedback rows (phản ánh, kiến nghị) about simulated dossiers, with their history and codes
    (cchc.feedback: limits of rules.py counted in working days, PAKN-yymmdd-xxxx daily codes)."""
    if not items:
        return 0
    from cchc.dossiers.codes import LOOKUP_KEY_ALPHABET

    leader = world.actors["leader"]
    feedbacks: list[Feedback] = []
    histories: list[list[tuple[str, int | None, bool, dt.datetime, str, str, dict[str, Any]]]] = []
    sequences: dict[dt.date, int] = {}
    existing = dict(
        FeedbackSequence.objects.select_for_update()
        .filter(day__in={life.feedback_at.astimezone(TZ).date() for _, life in items if life.feedback_at})
        .values_list("day", "last")
    )
    for dossier_id, life in sorted(items, key=lambda item: item[1].feedback_at or horizon):
        received = life.feedback_at
        assert received is not None
        hours = life.competent.hours

        def due(start: dt.datetime, days: int) -> dt.datetime:
            return calendar.due_at(start, days, "working_days", hours=hours)  # noqa: B023

        day = received.astimezone(TZ).date()
        number = sequences.get(day, existing.get(day, 0)) + 1
        sequences[day] = number
        kind = Kind.PROPOSAL if rng.random() < 0.1 else Kind.COMPLAINT
        answer_due = due(received, feedback_rules.ANSWER_WITHIN_WORKING_DAYS)
        feedback = Feedback(
            code=f"PAKN-{day:%y%m%d}-{number:04d}",
            lookup_key="".join(rng.choices(LOOKUP_KEY_ALPHABET, k=8)),
            subject=Subject.DOSSIER,
            kind=kind,
            confidential=False,
            state=FeedbackState.RECEIVED,
            content=_PROPOSAL if kind == Kind.PROPOSAL else _COMPLAINT,
            sender_name="Người nộp hồ sơ",
            dossier_id=dossier_id,
            procedure_id=life.offer.procedure_id,
            unit_id=life.competent.id,
            subject_name=life.offer.name[:500],
            received_at=received,
            clock_started_at=received,
            refuse_due_at=due(received, feedback_rules.REFUSE_WITHIN_WORKING_DAYS),
            more_due_at=due(received, feedback_rules.REQUEST_MORE_WITHIN_WORKING_DAYS),
            answer_due_at=answer_due,
            next_due_at=answer_due,
        )
        history: list[tuple[str, int | None, bool, dt.datetime, str, str, dict[str, Any]]] = [
            (
                "submit",
                None,
                True,
                received,
                "",
                FeedbackState.RECEIVED,
                {"subject": Subject.DOSSIER.value, "kind": kind.value},
            )
        ]
        late = rng.random() < 0.1
        answered = calendar.due_at(
            received, rng.uniform(16, 20) if late else rng.uniform(1, 14), "working_days", hours=hours
        ) - dt.timedelta(minutes=rng.randrange(30, 300))
        if answered <= horizon:
            publish_due = due(answered, feedback_rules.PUBLISH_WITHIN_WORKING_DAYS)
            feedback.state, feedback.answer, feedback.answered_at, feedback.answered_by_id = (
                FeedbackState.ANSWERED, _ANSWER, answered, leader,
            )  # fmt: skip
            feedback.publish_due_at = feedback.next_due_at = publish_due
            history.append(
                ("answer", leader, False, answered, FeedbackState.RECEIVED, FeedbackState.ANSWERED,
                 {"answer": _ANSWER, "on_time": answered <= answer_due})
            )  # fmt: skip
            published = answered + dt.timedelta(hours=rng.uniform(1, 30))
            if rng.random() < 0.6 and published <= horizon:
                feedback.state, feedback.published_at, feedback.next_due_at = (
                    FeedbackState.PUBLISHED,
                    published,
                    None,
                )
                feedback.public_summary, feedback.public_answer = feedback.content, _ANSWER
                history.append(
                    ("publish", leader, False, published, FeedbackState.ANSWERED, FeedbackState.PUBLISHED,
                     {"public_summary": feedback.content, "on_time": published <= publish_due})
                )  # fmt: skip
            rated = published + dt.timedelta(hours=rng.uniform(1, 72))
            if rng.random() < 0.4 and rated <= horizon:
                level = "not_satisfied" if late and rng.random() < 0.5 else "satisfied"
                feedback.rating, feedback.rated_at = level, rated
                history.append(("rate", None, True, rated, feedback.state, feedback.state, {"rating": level}))
        feedbacks.append(feedback)
        histories.append(history)
    Feedback.objects.bulk_create(feedbacks, batch_size=2000)
    FeedbackEvent.objects.bulk_create(
        [
            FeedbackEvent(
                feedback_id=feedback.pk,
                seq=seq,
                action=action,
                actor_id=actor,
                by_sender=by_sender,
                at=at,
                state_before=before,
                state_after=after,
                changes=changes,
            )
            for feedback, history in zip(feedbacks, histories, strict=True)
            for seq, (action, actor, by_sender, at, before, after, changes) in enumerate(history, start=1)
        ],
        batch_size=2000,
    )
    FeedbackSequence.objects.bulk_create(
        [FeedbackSequence(day=d, last=n) for d, n in sequences.items() if d not in existing], batch_size=2000
    )
    for d, n in sequences.items():
        if d in existing:
            FeedbackSequence.objects.filter(day=d).update(last=n)
    return len(feedbacks)
