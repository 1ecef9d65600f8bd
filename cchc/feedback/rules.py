"""The numbers of feedback handling (xử lý phản ánh, kiến nghị), each with its source, and the tunable limits.

Legal source: Decree 20/2008/NĐ-CP on receiving and handling feedback and recommendations on administrative
regulations, as amended by Decree 92/2017/NĐ-CP, and DOMAIN.md §5. The exact article of each limit was not at
hand: the articles below are marked (verify). The limits are working days (cchc.workdays).
"""

from __future__ import annotations

from typing import Final

# Decree 20/2008 Art. 14 (verify): a feedback outside the agency's remit, or without the required content, is
# refused (từ chối tiếp nhận) within 2 working days of its receipt.
REFUSE_WITHIN_WORKING_DAYS: Final = 2
# Decree 20/2008 Art. 15 (verify): the agency asks the sender to clarify or add information
# (đề nghị bổ sung, làm rõ) within 5 working days of its receipt.
REQUEST_MORE_WITHIN_WORKING_DAYS: Final = 5
# Decree 20/2008 Art. 16 (verify): the feedback is answered (trả lời, xử lý) within 15 working days of its
# receipt; a sender's addition is a new receipt, from which the limits count again.
ANSWER_WITHIN_WORKING_DAYS: Final = 15
# Decree 20/2008 Art. 16 (verify), DOMAIN.md §5: the answer is published (công khai) within 2 working days of
# the answer.
PUBLISH_WITHIN_WORKING_DAYS: Final = 2

# Not legal numbers: protection of the public form against floods (cchc.orgs.throttle). Settings override
# them: CCHC_FEEDBACK_MAX_PER_ADDRESS, CCHC_FEEDBACK_MAX_PER_CONTACT, CCHC_FEEDBACK_WINDOW_SECONDS,
# CCHC_FEEDBACK_MAX_LOOKUP_FAILURES.
MAX_SUBMISSIONS_PER_ADDRESS: Final = 10  # per client IP address and window
MAX_SUBMISSIONS_PER_CONTACT: Final = 3  # per sender's phone or e-mail and window
SUBMISSION_WINDOW_SECONDS: Final = 3600
# Wrong (code, key) pairs per client address and window, on the tracking page and for a dossier's key.
MAX_LOOKUP_FAILURES: Final = 10

# Text sizes of the public form.
CONTENT_MIN_CHARS: Final = 10
CONTENT_MAX_CHARS: Final = 5000
