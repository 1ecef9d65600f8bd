"""The numbers of citizen sign-in, in one place, each with its source.

No legal text fixes these figures. They come from issue 4 §2 and follow NIST SP 800-63B §5.1.3 (out-of-band
codes: short-lived, single use) and §5.2.2 (rate limiting of guesses); Decree 13/2023/NĐ-CP requires measures
against unauthorised access to personal data, which a guessed code would open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """At most `count` events within `window` seconds (a fixed window, cchc.orgs.throttle)."""

    count: int
    window: int


# One-time codes (mã xác nhận dùng một lần).
OTP_DIGITS = 6  # issue 4 §2
OTP_VALIDITY = dt.timedelta(minutes=5)  # issue 4 §2
OTP_MAX_WRONG_ATTEMPTS = 5  # issue 4 §2: the 5th wrong entry ends the code

# Throttles (giới hạn số lần): code requests, and wrong codes across successive codes.
CODE_REQUESTS_PER_ADDRESS = Limit(count=3, window=10 * 60)  # issue 4 §2
CODE_REQUESTS_PER_CLIENT = Limit(count=20, window=60 * 60)  # issue 4 §2
# With 3 codes per 10 minutes and 5 tries each, an address could take 90 guesses an hour; 10 keeps the odds of
# guessing a 6-digit code under 1 in 100,000 per hour (NIST SP 800-63B §5.2.2).
WRONG_CODES_PER_ADDRESS = Limit(count=10, window=60 * 60)
WRONG_CODES_PER_CLIENT = Limit(count=30, window=60 * 60)

# Finished codes are kept this long as a trace of sign-ins (hashed only), then purged.
CODE_RETENTION = dt.timedelta(days=30)
