"""The province-year simulator: lifecycle rules, history chains, codes, calendar shapes, payments, seeds, errors.

Expected figures are computed here from the rows (and the law's rules), never by the simulator's own code.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter as Tally
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from cchc import workdays
from cchc.dossiers.codes import parse_dossier_code
from cchc.dossiers.history import history_verify
from cchc.dossiers.lifecycle import ALLOWED_TRANSITIONS, OTHER_EVENTS
from cchc.dossiers.models import (
    Apology,
    Channel,
    DailySequence,
    Dossier,
    DossierEvent,
    DossierFee,
    HandOver,
    Rating,
    State,
    SupplementRequest,
)
from cchc.feedback.models import Feedback
from cchc.simulator.model import DEFAULT_MODEL, Rates
from cchc.simulator.services import province_year_simulate
from cchc.simulator.world import SimulationError
from cchc.workdays.calendar import TZ
from tests.simulator.conftest import NOW

pytestmark = pytest.mark.django_db

# Rare paths made common, so a small run shows every state.
BUSY = replace(
    DEFAULT_MODEL,
    rates=Rates(
        supplement_at_reception=0.2,
        supplement_in_processing=0.2,
        refuse_in_processing=0.05,
        withdraw_in_processing=0.05,
        stop_on_request=0.05,
        late=0.3,
        feedback=0.05,
    ),
)


def _run(n: int = 800, seed: int = 42, **kwargs: object) -> None:
    province_year_simulate(year=2026, dossiers=n, seed=seed, model=BUSY, now=NOW, **kwargs)  # type: ignore[arg-type]


def _first_moment(dossier_id: int) -> dt.datetime:
    return DossierEvent.objects.filter(dossier_id=dossier_id, seq=1).values_list("at", flat=True).get()


def test_a_small_year_verifies_and_reaches_every_state(province: object) -> None:
    _run()
    assert Dossier.objects.count() == 800
    assert history_verify() == []
    assert set(Dossier.objects.values_list("state", flat=True)) == set(State.values)
    # Every event follows the transition table; its last state is the dossier's.
    last_state: dict[int, str] = {}
    for dossier_id, action, before, after in DossierEvent.objects.order_by("dossier_id", "seq").values_list(
        "dossier_id", "action", "state_before", "state_after"
    ):
        if action in OTHER_EVENTS:
            assert before == after == last_state[dossier_id]
        else:
            allowed = ALLOWED_TRANSITIONS[State(before) if before else None]
            assert allowed[action] == after, (action, before, after)  # type: ignore[index]
        last_state[dossier_id] = after
    assert dict(Dossier.objects.values_list("pk", "state")) == last_state
    assert Feedback.objects.exists()


def test_deadlines_supplements_and_apologies_follow_the_law(province: object) -> None:
    _run()
    received = Dossier.objects.filter(received_at__isnull=False).select_related("procedure_version")
    assert received.count() > 500
    for dossier in received:
        version = dossier.procedure_version
        expected = workdays.due_at(
            dossier.received_at,
            version.time_limit_amount,
            version.time_limit_unit,
            cutoff=version.time_limit_cutoff,
        )
        assert dossier.original_appointment_at == expected
        assert dossier.history_length == dossier.events.count()
    # Art. 19(5): at most one supplement in processing, asked within 3 working days of reception.
    asked = Tally(SupplementRequest.objects.filter(stage="processing").values_list("dossier_id", flat=True))
    assert asked and max(asked.values()) == 1
    for request in SupplementRequest.objects.filter(stage="processing").select_related("dossier"):
        limit = workdays.due_at(request.dossier.received_at, 3, "working_days")
        assert request.dossier.received_at < request.requested_at <= limit
    # Art. 19(6): one apology, at least 1 working day before the deadline it moves, with a later date.
    apologies = list(Apology.objects.all())
    assert apologies
    for apology in apologies:
        latest = workdays.add_working_days(apology.previous_appointment_at.astimezone(TZ).date(), -1)
        assert apology.issued_at.astimezone(TZ).date() <= latest
        assert apology.new_appointment_at > apology.previous_appointment_at
        assert apology.dossier.appointment_at == apology.new_appointment_at
    # Late dossiers exist: resolved after their first appointment.
    late = [d for d in received if d.resolved_at and d.resolved_at > d.original_appointment_at]
    assert late
    # Multi-agency dossiers are handed to a second agency and back.
    assert (
        HandOver.objects.exclude(from_unit__kind="province_centre")
        .exclude(from_unit__kind="commune_centre")
        .exists()
    )


def test_arrivals_follow_the_calendar(province: object) -> None:
    province_year_simulate(year=2026, dossiers=3000, seed=7, now=NOW)
    firsts = [
        moment.astimezone(TZ) for moment in DossierEvent.objects.filter(seq=1).values_list("at", flat=True)
    ]
    assert len(firsts) == 3000
    for moment in firsts:
        assert moment.weekday() != 6  # never on a Sunday
        assert workdays.is_working_day(moment.date())
        clock = moment.time()
        assert dt.time(7, 30) <= clock < dt.time(11, 30) or dt.time(13, 30) <= clock < dt.time(17, 0), moment
    by_week = Tally(moment.isocalendar()[1] for moment in firsts)
    average = len(firsts) / len(by_week)
    tet_week = dt.date(2026, 2, 16).isocalendar()[1]  # Tết Bính Ngọ: off 14/02–22/02/2026
    after_tet = dt.date(2026, 2, 23).isocalendar()[1]
    assert by_week.get(tet_week, 0) == 0
    assert by_week[after_tet] < average
    by_month = Tally(moment.month for moment in firsts)
    assert by_month[2] < by_month[12]
    assert set(by_month) == set(range(1, 13))
    channels = Tally(Dossier.objects.values_list("channel", flat=True))
    assert channels[Channel.IN_PERSON] > channels[Channel.ONLINE] > channels[Channel.POST] > 0


def test_daily_sequences_are_gap_free_across_two_runs(province: object) -> None:
    _run(400, seed=1)
    _run(400, seed=2)
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 800
    numbers: dict[tuple[str, dt.date], list[int]] = defaultdict(list)
    for code in codes:
        parsed = parse_dossier_code(code)
        numbers[(parsed.agency, parsed.day)].append(parsed.sequence)
    sequences = {(s.prefix, s.day): s.last for s in DailySequence.objects.all()}
    assert set(sequences) == set(numbers)
    for key, found in numbers.items():
        assert sorted(found) == list(range(1, sequences[key] + 1)), key
    # The code's day is the day the dossier was first recorded, its prefix the competent agency's identifier.
    for dossier in Dossier.objects.select_related("competent_unit"):
        parsed = parse_dossier_code(dossier.code)
        assert parsed.day == _first_moment(dossier.pk).astimezone(TZ).date()
        assert parsed.agency == dossier.competent_unit.identifier
    assert history_verify() == []


def test_fee_lines_are_paid_only_where_a_payment_was_recorded(province: object) -> None:
    _run()
    paid_by_events: dict[int, set[int]] = defaultdict(set)
    for dossier_id, changes in DossierEvent.objects.filter(action="pay").values_list("dossier_id", "changes"):
        paid_by_events[dossier_id].update(changes["fees"])
    paid_lines = DossierFee.objects.filter(paid_at__isnull=False)
    assert paid_lines.exists()
    assert {(f.dossier_id, f.pk) for f in paid_lines} == {
        (d, f) for d, fees in paid_by_events.items() for f in fees
    }
    assert not DossierFee.objects.filter(amount_vnd=0, paid_at__isnull=False).exists()
    # Online channels (1 national portal, 2 provincial portal) only for online dossiers.
    online = DossierFee.objects.filter(payment_channel__isnull=False)
    assert online.exists()
    assert set(online.values_list("payment_channel", flat=True)) <= {1, 2}
    assert set(online.values_list("dossier__channel", flat=True)) == {Channel.ONLINE}
    assert (
        not DossierFee.objects.filter(paid_at__isnull=False, dossier__state__in=["refused", "withdrawn"])
        .filter(dossier__received_at__isnull=True)
        .exists()
    )
    # Ratings only on returned dossiers, after the return.
    for rating in Rating.objects.select_related("dossier"):
        assert rating.dossier.state == State.RETURNED
        assert rating.rated_at > rating.dossier.returned_at


def _fingerprint() -> list[tuple[object, ...]]:
    return list(
        Dossier.objects.order_by("code").values_list(
            "code",
            "lookup_key",
            "state",
            "channel",
            "received_at",
            "appointment_at",
            "resolved_at",
            "history_length",
        )
    )


def test_the_same_seed_gives_the_same_data(province: object) -> None:
    fingerprints = []
    for seed in (5, 5, 6):
        with transaction.atomic():
            _run(300, seed=seed)
            fingerprints.append(_fingerprint())
            transaction.set_rollback(True)
    assert fingerprints[0] == fingerprints[1]
    assert fingerprints[0] != fingerprints[2]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"year": 2026, "dossiers": -5}, "Số hồ sơ phải từ 1"),
        ({"year": 2026, "dossiers": 10, "province": 77}, "Không có tỉnh, thành phố mã 77"),
        ({"year": 2090, "dossiers": 10}, "Chưa có dữ liệu lịch làm việc cho năm 2090"),
        ({"year": 2019, "dossiers": 10}, "Chỉ mô phỏng được từ năm 2025"),
    ],
)
def test_bad_arguments_give_a_clear_vietnamese_error(
    province: object, options: dict[str, int], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("simulate", no_progress=True, **options)
    assert not Dossier.objects.exists()


def test_a_province_without_units_is_refused(province: object) -> None:
    from cchc.orgs.models import AdministrativeUnit, Generation, Level

    AdministrativeUnit.objects.create(
        generation=Generation.CURRENT, level=Level.PROVINCE, code=992, name="Tỉnh Trống", codename="tinh_trong",
        division_type="tỉnh", province_code=992,
    )  # fmt: skip
    with pytest.raises(SimulationError, match="chưa được cài đặt"):
        province_year_simulate(year=2026, dossiers=10, province_code=992, now=NOW)


def test_the_command_exits_non_zero_on_bad_input() -> None:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cchc.settings"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(root / "manage.py"), "simulate", "--year", "2026", "--dossiers", "-3"],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        check=False,
    )
    assert result.returncode != 0
    assert "Số hồ sơ phải từ 1" in result.stderr


def test_the_command_prints_progress_and_a_summary(
    province: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from cchc.simulator.management.commands import simulate

    bar = simulate.ProgressBar(sys.stderr, width=10)
    bar(5, 10)
    bar(10, 10)
    err = capsys.readouterr().err
    assert "\r[#####.....]  50% 5/10 hồ sơ" in err
    assert "[##########] 100% 10/10 hồ sơ" in err
