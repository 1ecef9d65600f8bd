"""The outboxes' retry schedule (cchc.core.http.retry_wait): 1 minute after the first failure, doubling, never
more than 6 hours apart, whatever the count."""

import datetime as dt

import pytest

from cchc.core.http import retry_wait


@pytest.mark.parametrize(
    ("attempts", "minutes"),
    [(0, 1), (1, 1), (2, 2), (3, 4), (4, 8), (9, 256), (10, 360), (12, 360), (10_000, 360)],
)
def test_the_wait_doubles_up_to_six_hours(attempts: int, minutes: int) -> None:
    assert retry_wait(attempts) == dt.timedelta(minutes=minutes)
