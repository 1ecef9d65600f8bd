"""Dossiers on time for the 766 index's progress group (tiến độ giải quyết).

The national rule (DOMAIN.md §3, the literal rule the statistics use, cchc.stats.selectors): a dossier is on time
when its end of processing is at most its *first* appointment (an apology does not move it), the pause of a
supplement asked during processing subtracted (Decree 118/2025 Art. 19(5)). The end of processing is the result,
else the refusal or the stop. A dossier still open at the end of the period, or ended after it, is measured at
the end of the period ("in progress within the limit"), or now for a period still running.

The pause is read from the statistics' derived clocks (cchc.stats.models.PauseClock, kept up to date by the
lifecycle through cchc.stats.signals): `due_at` is the first appointment moved by the pause's working time, in
the competent unit's hours. So, with `measure_end` the moment the dossier is measured:
- no pause before `measure_end`: on time when `measure_end ≤ first appointment`;
- a pause still running at `measure_end`: the time used stopped at the request, so on time when the request
  came no later than the first appointment (as cchc.stats counts "pending within the limit");
- a pause completed before `measure_end`: on time when `measure_end ≤ due_at`.
Instants are compared literally: a result signed at 17:30 on the day due, after a 17:00 close, is late (as on
the statistics page), so both pages agree.

Population ("received and processed in the period: done, plus in progress"): dossiers with a first appointment
whose processing ended in the period (counted on the day it ended: `timed_done`, `timed_on_time` of
cchc.stats.models.DayCount, conditions in cchc.stats.rules.index_exit_conditions) or had not ended by its end
(the stock of pending dossiers at the end, within the limit or overdue: cchc.stats.rules.pending_conditions).
Withdrawn dossiers withdrawn before the end are left out (the applicant ended them; nobody processed them to an
end).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OnTimeCounts:
    """Per unit: the population and how many are on time (done on time + in progress within the limit)."""

    total: int = 0
    on_time: int = 0

    @property
    def late(self) -> int:
        return self.total - self.on_time
