"""Dossier codes (Decree 118/2025 Art. 28, Circular 03/2025 Art. 13) and lookup keys."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.db import connection, transaction
from django.test import override_settings

from cchc.dossiers.codes import (
    LOOKUP_KEY_ALPHABET,
    LOOKUP_KEY_LENGTH,
    ParsedCode,
    dossier_code_next,
    lookup_key_new,
    parse_dossier_code,
)
from cchc.dossiers.models import DailySequence

AGENCY = "000.00.12.H57"
OTHER_AGENCY = "000.00.31.H56"
DAY = datetime.date(2026, 2, 13)


class _Rollback(Exception):
    """Raised inside an intake to roll it back."""


def _next(prefix: str = AGENCY, day: datetime.date = DAY) -> str:
    return dossier_code_next(prefix=prefix, day=day)


@pytest.mark.django_db
def test_the_first_code_uses_the_2018_syntax() -> None:
    assert _next() == "000.00.12.H57-260213-0001"
    assert _next() == "000.00.12.H57-260213-0002"
    assert DailySequence.objects.get(prefix=AGENCY, day=DAY).last == 2


@pytest.mark.django_db
def test_the_sequence_restarts_for_each_prefix_and_each_day() -> None:
    assert _next() == "000.00.12.H57-260213-0001"
    assert _next(prefix=OTHER_AGENCY) == "000.00.31.H56-260213-0001"
    assert _next(day=DAY + datetime.timedelta(days=1)) == "000.00.12.H57-260214-0001"
    assert _next() == "000.00.12.H57-260213-0002"
    assert _next(prefix=OTHER_AGENCY) == "000.00.31.H56-260213-0002"


@pytest.mark.django_db
def test_the_sequence_grows_beyond_9999() -> None:
    DailySequence.objects.create(prefix=AGENCY, day=DAY, last=9998)
    codes = [_next() for _ in range(3)]
    assert codes == ["000.00.12.H57-260213-9999", "000.00.12.H57-260213-10000", "000.00.12.H57-260213-10001"]
    assert [parse_dossier_code(code).sequence for code in codes] == [9999, 10000, 10001]


@pytest.mark.django_db
def test_a_rolled_back_intake_gives_its_number_back() -> None:
    assert _next() == "000.00.12.H57-260213-0001"
    with pytest.raises(_Rollback), transaction.atomic():
        assert _next() == "000.00.12.H57-260213-0002"
        raise _Rollback
    assert _next() == "000.00.12.H57-260213-0002"


@pytest.mark.django_db
def test_the_first_intake_of_the_day_rolled_back_leaves_no_row() -> None:
    with pytest.raises(_Rollback), transaction.atomic():
        assert _next() == "000.00.12.H57-260213-0001"
        raise _Rollback
    assert not DailySequence.objects.filter(prefix=AGENCY).exists()
    assert _next() == "000.00.12.H57-260213-0001"


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_refuses() -> None:
    with pytest.raises(transaction.TransactionManagementError, match=r"inside transaction\.atomic\(\)"):
        _next()
    assert not DailySequence.objects.exists()
    with transaction.atomic():
        assert _next() == "000.00.12.H57-260213-0001"


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", " 000.00.12.H57", "X" * 41])
def test_a_bad_prefix_is_refused(prefix: str) -> None:
    with pytest.raises(ValueError, match="Tiền tố"):
        _next(prefix=prefix)


@pytest.mark.django_db
@override_settings(DOSSIER_CODE_PATTERN="{prefix}-{day:%y%m%d}-AB{seq:04d}")
def test_the_pattern_is_configurable_and_the_2026_syntax_round_trips() -> None:
    code = _next(prefix="H57.123.45")
    assert code == "H57.123.45-260213-AB0001"
    assert parse_dossier_code(code) == ParsedCode(
        syntax="2026", agency="H57.123.45", day=DAY, sequence=1, series="AB"
    )


@pytest.mark.django_db
@override_settings(DOSSIER_CODE_PATTERN="{prefix}-{day:%y%m%d}-{seq:04d}-{prefix}-{prefix}")
def test_a_code_longer_than_the_column_is_refused() -> None:
    with pytest.raises(ValueError, match="dài quá"):
        _next()


@pytest.mark.django_db
def test_generated_2018_codes_round_trip() -> None:
    for expected in (1, 2, 3):
        parsed = parse_dossier_code(_next())
        assert parsed == ParsedCode(syntax="2018", agency=AGENCY, day=DAY, sequence=expected, series=None)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("000.00.12.H57-260213-0001", ParsedCode("2018", "000.00.12.H57", DAY, 1)),
        (
            "000.A1.0B.G01-251231-12345",
            ParsedCode("2018", "000.A1.0B.G01", datetime.date(2025, 12, 31), 12345),
        ),
        (
            "  000.00.12.H57-240229-9999\n",
            ParsedCode("2018", "000.00.12.H57", datetime.date(2024, 2, 29), 9999),
        ),
        ("H57.123.45-260213-AB0001", ParsedCode("2026", "H57.123.45", DAY, 1, "AB")),
        (
            "G01.0A9.Z9-260101-0912345",
            ParsedCode("2026", "G01.0A9.Z9", datetime.date(2026, 1, 1), 12345, "09"),
        ),
    ],
)
def test_both_syntaxes_are_parsed(code: str, expected: ParsedCode) -> None:
    assert parse_dossier_code(code) == expected


@pytest.mark.parametrize(
    "code",
    [
        "",
        "000.00.12.H57",
        "000.00.12.H57-260213-001",  # sequence too short
        "000.00.12.H57-260213-0000",  # no dossier 0
        "000.00.12.H57-260213-00001",  # padded beyond 4 digits
        "000.00.12.h57-260213-0001",  # lower case
        "000.00.12.157-260213-0001",  # M must be a letter
        "000.00.12.HA7-260213-0001",  # X must be digits
        "0A0.00.12.H57-260213-0001",  # V must be digits
        "000.00.12.H57-20260213-0001",  # four-digit year
        "000.00.12.H57-261345-0001",  # month 13
        "000.00.12.H57-250229-0001",  # not a leap year
        "000.00.12.H57-260213-AB0001",  # AA belongs to the 2026 syntax only
        "000.00.12.H57_260213_0001",
        "H57.123.45-260213-0001",  # 2026 without AA
        "H57.123.45-260213-AB001",
        "H57.12.45-260213-AB0001",
        "H57.123.45-260230-AB0001",  # 30 February
        "H57.123.45-260213-A-0001",
        "000.00.12.H57-260213-0001 x",
    ],
)
def test_bad_codes_are_refused_in_vietnamese(code: str) -> None:
    with pytest.raises(ValueError, match="Mã hồ sơ"):
        parse_dossier_code(code)


def test_an_impossible_date_is_reported_as_such() -> None:
    with pytest.raises(ValueError, match="ngày tiếp nhận không hợp lệ: 261345"):
        parse_dossier_code("000.00.12.H57-261345-0001")


def test_the_lookup_key_is_short_and_unambiguous() -> None:
    keys = {lookup_key_new() for _ in range(500)}
    assert len(keys) == 500
    assert all(len(key) == LOOKUP_KEY_LENGTH == 8 for key in keys)
    assert set("".join(keys)) <= set(LOOKUP_KEY_ALPHABET)
    assert not set(LOOKUP_KEY_ALPHABET) & set("0O1IL")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_intakes_get_unique_gap_free_codes() -> None:
    """Many intakes race for the first code of the day; some roll back after getting a number."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections with row locks (PostgreSQL)")
    threads_count = 60
    barrier = threading.Barrier(threads_count, timeout=30)
    committed: list[str] = []
    rolled_back: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def intake(index: int) -> None:
        try:
            connection.ensure_connection()  # connect first, so the intakes really start together
            barrier.wait()
            with transaction.atomic():
                code = _next()
                if index % 5 == 0:
                    time.sleep(0.005)  # hold the lock a moment so others queue behind a doomed number
                    with lock:
                        rolled_back.append(code)
                    raise _Rollback
                with lock:
                    committed.append(code)
        except _Rollback:
            pass
        except BaseException as error:  # reported by the assertion below
            with lock:
                failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=intake, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert not failures, failures
    expected = threads_count - len(range(0, threads_count, 5))
    assert len(rolled_back) == threads_count - expected
    assert sorted(committed) == [f"{AGENCY}-260213-{n:04d}" for n in range(1, expected + 1)]
    assert DailySequence.objects.get(prefix=AGENCY, day=DAY).last == expected


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("first_commits", "second_code"), [(True, "0002"), (False, "0001")])
def test_two_intakes_creating_the_days_row_together(first_commits: bool, second_code: str) -> None:
    """The second intake sees no row yet, so its INSERT waits for the first intake to end."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections with row locks (PostgreSQL)")
    first_has_code = threading.Event()
    results: dict[str, str] = {}
    failures: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = _next()
                first_has_code.set()
                time.sleep(0.3)  # the second intake is now blocked on the unique index
                if not first_commits:
                    raise _Rollback
        except _Rollback:
            pass
        except BaseException as error:  # reported by the assertion below
            failures.append(error)
        finally:
            first_has_code.set()
            connection.close()

    def second() -> None:
        try:
            assert first_has_code.wait(timeout=10)
            with transaction.atomic():
                results["second"] = _next()
        except BaseException as error:  # reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures, failures
    assert results == {"first": f"{AGENCY}-260213-0001", "second": f"{AGENCY}-260213-{second_code}"}
    assert DailySequence.objects.get(prefix=AGENCY, day=DAY).last == int(second_code)
