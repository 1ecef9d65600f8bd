"""The legal numbers of the one-stop lifecycle, each with its source (Decree 118/2025/NĐ-CP)."""

from __future__ import annotations

import datetime as dt

# Art. 19(5): the competent agency may ask for a supplement during processing once ...
PROCESSING_SUPPLEMENTS_ALLOWED = 1
# ... and only within 3 working days of reception.
PROCESSING_SUPPLEMENT_WITHIN_WORKING_DAYS = 3
# Art. 19(5) (DOMAIN.md §3): the dossier is closed if the supplement is not completed within 15 days of the notice.
SUPPLEMENT_COMPLETION_DAYS = 15
# Art. 17 (DOMAIN.md §3): staff are alerted to an online dossier within 2 hours, and accept it or ask for a
# supplement within 8 working hours.
ONLINE_ALERT_HOURS = 2
ONLINE_ACCEPTANCE_WORKING_HOURS = 8
# Art. 19(6), 12(5): the apology with a new date is sent at least 1 (working) day before the deadline, once.
APOLOGY_MIN_WORKING_DAYS_BEFORE_DEADLINE = 1
APOLOGIES_ALLOWED = 1
# Art. 18(2): transfer to the competent agency the same working day, or the next morning after 15:00.
TRANSFER_CUTOFF = dt.time(15, 0)
